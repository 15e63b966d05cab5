"""A workspace for Home tests (goals, a team, a KPI) and the Home a person is shown."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode

import httpx

from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Goal, Kpi
from storage.repositories.goals import add_goal
from storage.repositories.kpis import add_kpi, record_value
from storage.repositories.members import MemberProfile
from storage.repositories.teams import add_team_members, create_team
from tests.factories import add_members
from tests.goals.helpers import TODAY
from tests.slack_requests import ADMIN_ID, MEMBER_ID, SlackSender, block_action_body


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


_triggers = itertools.count(1)


async def home_click(
    slack: SlackSender, action_id: str, value: str, *, user_id: str
) -> httpx.Response:
    """Press a button in the Home tab with a fresh trigger id (each is usable once)."""
    body = block_action_body(action_id, value, user_id=user_id)
    payload = json.loads(parse_qs(body)["payload"][0])
    payload["trigger_id"] = f"1337.{next(_triggers)}.home"
    return await slack.post(urlencode({"payload": json.dumps(payload)}))


async def opened_by_click(
    slack: SlackSender, fake_slack: FakeSlack, action_id: str, *, user_id: str, value: str = "home"
) -> dict[str, Any]:
    """Press a Home button; the modal it opened with that press's trigger id."""
    before = len(fake_slack.calls_to("views.open"))
    assert (await home_click(slack, action_id, value, user_id=user_id)).status_code == 200
    call = (await fake_slack.wait_for("views.open", before + 1))[-1]
    assert str(call.args["trigger_id"]).endswith(".home")
    view: dict[str, Any] = call.args["view"]
    return view
