"""A workspace with a plan to welcome people into: vision, mission, priorities, a team with a
lead and goals of this quarter (and one of the next), and newcomers as Slack sends them."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import select

from bot.core.runtime import Runtime
from bot.goals.rollups import rebuild_rollups
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Goal, Priority, Team, Welcome
from storage.repositories.goals import add_goal
from storage.repositories.members import MemberProfile
from storage.repositories.teams import add_team_members, create_team
from storage.repositories.workspaces import get_workspace
from tests.conftest import drain_background_tasks
from tests.factories import add_members
from tests.goals.helpers import fix_clock
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender

NEWCOMER = "UNEWCOMER1"
VISION = "Every shop in town runs on tools it loves"
MISSION = "Make small businesses as well run as big ones"
PRIORITIES = (
    ("Happy regulars", "Most of our revenue comes from people who come back."),
    ("Own our ovens", "Renting ovens eats the margin."),
)


async def seed_plan(runtime: Runtime) -> Team:
    """The tests' workspace with its plan; team *Sales*, led by MEMBER_ID, with G-1 and G-2
    in this quarter (2026-Q4) and G-3 in the next."""
    fix_clock(runtime)
    await add_members(
        runtime,
        MemberProfile(user_id=ADMIN_ID, name="ada", real_name="Ada Admin", is_admin=True),
        MemberProfile(user_id=MEMBER_ID, name="max", real_name="Max Member"),
    )
    async with transaction(runtime.sessions) as session:
        workspace = await get_workspace(session=session, team_id=TEAM_ID)
        assert workspace is not None
        workspace.vision, workspace.mission = VISION, MISSION
        session.add(workspace)
        for rank, (title, why) in enumerate(PRIORITIES, start=1):
            session.add(Priority(team_id=TEAM_ID, rank=rank, title=title, why=why))
        team = await create_team(
            session=session, team_id=TEAM_ID, name="Sales", lead_user_id=MEMBER_ID
        )
        await add_team_members(session=session, team=team, user_ids=[MEMBER_ID])
        for title, current, period in (
            ("Win 40 new cafés", 10.0, "2026-Q4"),
            ("Launch the loyalty card", 80.0, "2026-Q4"),
            ("Open the second shop", 0.0, "2027-Q1"),
        ):
            await add_goal(session=session, goal=team_goal(team, title, current, period))
        await rebuild_rollups(session=session, team_id=TEAM_ID)
    return team


def team_goal(team: Team, title: str, current: float, period: str) -> Goal:
    return Goal(
        team_id=TEAM_ID,
        number=0,
        title=title,
        level="team",
        team_ref=team.id,
        owner_id=MEMBER_ID,
        target_value=100.0,
        current_value=current,
        start_date=date(2026, 10, 1),
        due_date=date(2026, 12, 31) if period == "2026-Q4" else date(2027, 3, 31),
        created_by=ADMIN_ID,
        period=period,
    )


def newcomer(fake_slack: FakeSlack, user_id: str = NEWCOMER, **fields: Any) -> dict[str, Any]:
    """The user object of a ``team_join`` event, known to the fake Slack too."""
    found = next((user for user in fake_slack.users if user["id"] == user_id), None)
    return found or fake_slack.add_user(user_id, name="nina", real_name="Nina New", **fields)


async def join(slack: SlackSender, user: dict[str, Any], *, event_id: str) -> None:
    """Slack's ``team_join`` for ``user``, signed, handled to the end."""
    event = {"type": "team_join", "user": user}
    assert (await slack.event(event, event_id=event_id)).status_code == 200
    await drain_background_tasks()


def dms_to(fake_slack: FakeSlack, user_id: str) -> list[dict[str, Any]]:
    """The arguments of every ``chat.postMessage`` to ``user_id``'s DM."""
    return [
        call.args
        for call in fake_slack.calls_to("chat.postMessage")
        if call.args.get("channel") == user_id
    ]


def message_text(args: dict[str, Any]) -> str:
    return " ".join(str(block) for block in args["blocks"])


async def welcome_rows(runtime: Runtime) -> dict[str, Welcome]:
    async with runtime.sessions() as session:
        rows = (await session.exec(select(Welcome).where(Welcome.team_id == TEAM_ID))).all()
    return {row.user_id: row for row in rows}


async def align(slack: SlackSender, fake_slack: FakeSlack, text: str, user: str = ADMIN_ID) -> str:
    """``/align text`` and the text of the ephemeral answer's blocks."""
    before = len(fake_slack.calls_to("response_url"))
    assert (await slack.command(text, user_id=user)).status_code == 200
    answer = (await fake_slack.wait_for("response_url", before + 1))[-1].args
    assert answer["response_type"] == "ephemeral" and answer["text"]
    await drain_background_tasks()
    return " ".join(str(block) for block in answer["blocks"])
