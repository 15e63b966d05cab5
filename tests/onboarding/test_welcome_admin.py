"""``/align welcome``: the switch everyone can see, admins change and preview; and a welcome
as large as the plan allows still fits in one message Slack accepts."""

from __future__ import annotations

import pytest

from bot.core.runtime import Runtime
from bot.onboarding.service import Reason, welcome_people
from bot.slack.client import build_web_client
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Goal, Priority
from storage.repositories.goals import add_goal
from storage.repositories.members import MemberProfile
from storage.repositories.teams import add_team_members, create_team
from storage.repositories.workspaces import get_workspace
from tests.factories import add_members, workspace_row
from tests.onboarding.helpers import (
    NEWCOMER,
    VISION,
    align,
    dms_to,
    join,
    message_text,
    newcomer,
    seed_plan,
    team_goal,
    welcome_rows,
)
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender


async def test_everyone_sees_the_switch_on_by_default_and_how_many_were_welcomed(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await seed_plan(runtime)
    shown = await align(slack, fake_slack, "welcome", user=MEMBER_ID)
    assert "Welcome DMs are *on*" in shown and "0 people have been welcomed" in shown
    await join(slack, newcomer(fake_slack), event_id="EvJOIN1")
    assert "1 person has been welcomed" in await align(slack, fake_slack, "welcome status")


async def test_only_admins_turn_the_switch(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await seed_plan(runtime)
    for text in ("welcome off", "welcome preview"):
        refused = await align(slack, fake_slack, text, user=MEMBER_ID)
        assert "Only Northstar admins can" in refused
    assert fake_slack.calls_to("chat.postMessage") == []
    workspace = await workspace_row(runtime)
    assert workspace is not None and "strategy" not in workspace.settings
    await align(slack, fake_slack, "welcome off")
    workspace = await workspace_row(runtime)
    assert workspace is not None and workspace.settings["strategy"] == {"welcome": False}


@pytest.mark.parametrize("text", ["welcome maybe", "welcome on please", "welcome preview now"])
async def test_bad_welcome_commands_say_what_to_type(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, text: str
) -> None:
    await seed_plan(runtime)
    said = await align(slack, fake_slack, text)
    assert "`/align welcome` does not take" in said
    assert "`/align welcome on`, `/align welcome off` or `/align welcome preview`" in said
    workspace = await workspace_row(runtime)
    assert workspace is not None and "strategy" not in workspace.settings
    assert fake_slack.calls_to("chat.postMessage") == []


async def test_a_preview_reaches_the_admin_only_and_is_not_recorded(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await seed_plan(runtime)
    await align(slack, fake_slack, "welcome off")
    said = await align(slack, fake_slack, "welcome preview")
    assert "I sent you the welcome by direct message" in said and "*off*" in said
    [dm] = dms_to(fake_slack, ADMIN_ID)
    text = message_text(dm)
    assert "*Preview*" in text and VISION in text and f"Hi <@{ADMIN_ID}>" in text
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    assert await welcome_rows(runtime) == {}


async def test_a_refused_preview_says_what_to_do(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await seed_plan(runtime)
    fake_slack.inject("chat.postMessage", error="restricted_action")
    said = await align(slack, fake_slack, "welcome preview")
    assert "Slack refused the preview DM (`restricted_action`)" in said
    assert "`/align welcome preview`" in said


async def test_the_largest_plan_still_fits_in_one_welcome(
    fake_slack: FakeSlack, runtime: Runtime
) -> None:
    """Seven priorities, statements and goal titles at their longest, full of characters that
    grow when escaped, and many teams with many goals: Slack still accepts the message (the
    fake Slack checks every limit)."""
    await seed_plan(runtime)
    await add_members(runtime, MemberProfile(user_id=NEWCOMER, name="nina"))
    async with transaction(runtime.sessions) as session:
        workspace = await get_workspace(session=session, team_id=TEAM_ID)
        assert workspace is not None
        workspace.vision = workspace.mission = "&<>" * 333
        workspace.name = "&" * 255
        session.add(workspace)
        for rank in range(3, 8):
            session.add(Priority(team_id=TEAM_ID, rank=rank, title="<" * 80, why="&" * 300))
        for index in range(5):
            team = await create_team(session=session, team_id=TEAM_ID, name=f"T{index}" + "&" * 70)
            await add_team_members(session=session, team=team, user_ids=[NEWCOMER])
            for _ in range(8):
                goal: Goal = team_goal(team, "<>" * 75, 50.0, "2026-Q4")
                await add_goal(session=session, goal=goal)
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    report = await welcome_people(
        runtime=runtime, client=client, team_id=TEAM_ID, user_ids=[NEWCOMER], reason=Reason.TEAM
    )
    assert report.outcomes == {"welcomed": 1}, report.outcomes
    text = message_text(dms_to(fake_slack, NEWCOMER)[0])
    assert "…and 2 more of your teams" in text and "…and 4 more: `/goal list team" in text
    fake_slack.assert_no_violations()
