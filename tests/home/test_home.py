"""The App Home dashboard: what each person sees, the Update buttons, Slack's limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Goal, Kpi
from storage.repositories.goals import add_goal
from storage.repositories.kpis import add_kpi, record_value
from storage.repositories.members import MemberProfile
from storage.repositories.teams import add_team_members, create_team
from tests.factories import add_members
from tests.goals.helpers import TODAY, fix_clock
from tests.slack_requests import ADMIN_ID, MEMBER_ID, SlackSender


async def seed(runtime: Runtime, *, my_goals: int = 2) -> None:
    await add_members(
        runtime, MemberProfile(user_id=ADMIN_ID, is_admin=True), MemberProfile(user_id=MEMBER_ID)
    )
    async with transaction(runtime.sessions) as session:
        sales = await create_team(
            session=session, team_id="T0001", name="Sales", lead_user_id=ADMIN_ID
        )
        await add_team_members(session=session, team=sales, user_ids=[MEMBER_ID])
        company = await add_goal(
            session=session,
            goal=Goal(
                team_id="T0001",
                number=0,
                title="Be loved by customers",
                level="company",
                owner_id=ADMIN_ID,
                created_by=ADMIN_ID,
                start_date=TODAY,
                measure="children",
                due_date=TODAY + timedelta(days=300),
            ),
        )
        team_goal = await add_goal(
            session=session,
            goal=Goal(
                team_id="T0001",
                number=0,
                title="Sell 100 plans",
                level="team",
                team_ref=sales.id,
                owner_id=ADMIN_ID,
                created_by=ADMIN_ID,
                start_date=TODAY,
                parent_id=company.id,
                target_value=100,
                due_date=TODAY + timedelta(days=200),
            ),
        )
        for index in range(my_goals):
            goal = Goal(
                team_id="T0001",
                number=0,
                title=f"My goal {index}",
                level="personal",
                owner_id=MEMBER_ID,
                created_by=MEMBER_ID,
                start_date=TODAY,
                parent_id=team_goal.id if index == 0 else None,
                target_value=10,
                due_date=TODAY + timedelta(days=60),
            )
            goal.progress_at = datetime(2026, 10, 1, tzinfo=UTC)  # stale: no update in 14 days
            await add_goal(session=session, goal=goal)
        kpi = await add_kpi(
            session=session,
            kpi=Kpi(
                team_id="T0001",
                number=0,
                name="Revenue",
                name_key="",
                unit="$",
                target=20_000,
                green_threshold=18_000,
                red_threshold=10_000,
                owner_id=MEMBER_ID,
                created_by=MEMBER_ID,
            ),
        )
        for day, value in ((3, 12_000), (2, 15_000), (1, 19_000)):
            await record_value(
                session=session,
                kpi=kpi,
                value=value,
                recorded_on=TODAY - timedelta(days=day),
                author_id=MEMBER_ID,
            )


async def home_of(
    slack: SlackSender, fake_slack: FakeSlack, user: str, event_id: str
) -> dict[str, Any]:
    before = len(fake_slack.calls_to("views.publish"))
    event = {"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"}
    assert (await slack.event(event, event_id=event_id)).status_code == 200
    call = (await fake_slack.wait_for("views.publish", before + 1))[-1]
    assert call.args["user_id"] == user
    view: dict[str, Any] = call.args["view"]
    return view


def texts_of(view: dict[str, Any]) -> str:
    return " ".join(str(block) for block in view["blocks"])


async def test_member_sees_goals_team_goals_kpis_and_company_goals(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    await seed(runtime)
    view = await home_of(slack, fake_slack, MEMBER_ID, "EvHOME1")
    shown = texts_of(view)
    for expected in (
        "My goals",
        "*G-3* My goal 0",
        "*G-4* My goal 1",
        "Goals of Sales",
        "*G-2* Sell 100 plans",
        "My KPIs",
        "*K-1* Revenue: $19,000 (target $20,000) ↑",
        "Company goals",
        "*G-1* Be loved by customers",
    ):
        assert expected in shown, expected
    assert "_not aligned_" in shown  # G-4 serves nothing
    buttons = [
        b["accessory"] for b in view["blocks"] if b.get("accessory", {}).get("type") == "button"
    ]
    assert [(b["action_id"], b["value"]) for b in buttons] == [
        ("goal_open_update", "3"),
        ("goal_open_update", "4"),
    ]
    assert "For admins" not in shown


async def test_admin_sees_alignment_counts(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    await seed(runtime)
    shown = texts_of(await home_of(slack, fake_slack, ADMIN_ID, "EvHOME2"))
    assert "1 open goal not aligned, 2 with no progress update in 14 days" in shown


async def test_many_goals_stay_within_limits_with_a_see_all_link(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    await seed(runtime, my_goals=60)
    view = await home_of(slack, fake_slack, MEMBER_ID, "EvHOME3")
    assert len(view["blocks"]) <= 100
    assert "…and 50 more: `/goal list`" in texts_of(view)


async def test_update_button_opens_the_progress_form(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    await seed(runtime)
    assert (await slack.click("goal_open_update", "3", user_id=MEMBER_ID)).status_code == 200
    opened = (await fake_slack.wait_for("views.open"))[-1].args
    assert opened["view"]["title"]["text"] == "Update G-3"
    assert opened["trigger_id"] == "1337.42.click"


async def test_update_button_on_someone_elses_goal_explains_by_dm(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    await seed(runtime)
    assert (await slack.click("goal_open_update", "2", user_id=MEMBER_ID)).status_code == 200
    message = (await fake_slack.wait_for("chat.postMessage"))[-1].args
    assert message["channel"] == MEMBER_ID
    assert "Only the owner of G-2" in message["text"]
    assert fake_slack.calls_to("views.open") == []
