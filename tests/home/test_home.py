"""The App Home dashboard: what each person sees, the Update buttons, Slack's limits."""

from __future__ import annotations

from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from tests.goals.helpers import fix_clock
from tests.home.helpers import home_of, seed, texts_of
from tests.slack_requests import ADMIN_ID, MEMBER_ID, SlackSender


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
