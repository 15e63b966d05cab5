"""The one welcome DM: ``team_join`` events and team adds through the real app, each person
welcomed once, whatever Slack retries, replicas or later team joins do."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.core.runtime import Runtime
from bot.onboarding.service import Reason, welcome_people
from bot.slack.client import build_web_client
from fakeslack import FakeSlack
from storage.db import transaction
from storage.repositories.members import MemberProfile
from storage.repositories.workspaces import get_workspace
from tests.conftest import drain_background_tasks
from tests.factories import add_members
from tests.onboarding.helpers import (
    MISSION,
    NEWCOMER,
    PRIORITIES,
    VISION,
    align,
    dms_to,
    join,
    message_text,
    newcomer,
    seed_plan,
    welcome_rows,
)
from tests.slack_requests import MEMBER_ID, TEAM_ID, SlackSender


async def test_a_newcomer_gets_one_welcome_with_the_plan_however_often_slack_says_so(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await seed_plan(runtime)
    user = newcomer(fake_slack)
    await join(slack, user, event_id="EvJOIN1")
    await join(slack, user, event_id="EvJOIN1")  # Slack's retry of the same delivery
    await join(slack, user, event_id="EvJOIN2")  # the same join told twice

    [dm] = dms_to(fake_slack, NEWCOMER)
    text = message_text(dm)
    assert f"Hi <@{NEWCOMER}>, welcome" in text
    assert VISION in text and MISSION in text
    for rank, (title, why) in enumerate(PRIORITIES, start=1):
        assert f"*{rank}. {title}*" in text and why in text
    assert "You are not in a team yet" in text  # joined the workspace, no team yet
    assert "Your next check-in comes" in text and "`/checkin`" in text
    assert "`/kudos @ada for shipping the beta`" in text
    assert dm["text"] and "Preview" not in text
    row = (await welcome_rows(runtime))[NEWCOMER]
    assert (row.state, row.reason, row.channel_id) == ("sent", "joined", f"D{NEWCOMER}")
    assert row.message_ts


async def test_joins_handled_at_the_same_time_send_one_welcome(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    """Two deliveries in flight at once (as two replicas would handle them)."""
    await seed_plan(runtime)
    user = newcomer(fake_slack)
    event = {"type": "team_join", "user": user}
    responses = await asyncio.gather(*(slack.event(event, event_id=f"EvRACE{n}") for n in range(3)))
    assert all(response.status_code == 200 for response in responses)
    await drain_background_tasks()
    assert len(dms_to(fake_slack, NEWCOMER)) == 1
    assert (await welcome_rows(runtime))[NEWCOMER].state == "sent"


async def test_welcoming_the_same_people_at_once_sends_each_one_dm(
    fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await seed_plan(runtime)
    await add_members(runtime, MemberProfile(user_id=NEWCOMER, name="nina"))
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    people = [NEWCOMER, MEMBER_ID]
    reports = await asyncio.gather(
        *(
            welcome_people(
                runtime=runtime, client=client, team_id=TEAM_ID, user_ids=people, reason=reason
            )
            for reason in (Reason.JOINED, Reason.TEAM, Reason.JOINED)
        )
    )
    assert sum(report.outcomes["welcomed"] for report in reports) == 2
    assert len(dms_to(fake_slack, NEWCOMER)) == 1 and len(dms_to(fake_slack, MEMBER_ID)) == 1


async def test_a_person_added_to_a_team_is_welcomed_once_with_the_teams_goals(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await seed_plan(runtime)
    newcomer(fake_slack, "USAM0001")
    reply = await align(slack, fake_slack, "team Sales add <@USAM0001>")
    assert "Added <@USAM0001>" in reply

    [dm] = dms_to(fake_slack, "USAM0001")
    text = message_text(dm)
    assert "welcome to *Sales*" in text
    assert f"*Sales* (led by <@{MEMBER_ID}>): goals of Q4 FY2026 (Oct\u2013Dec 2026)" in text
    assert "`G-1` Win 40 new cafés" in text and "10%" in text
    assert "`G-2` Launch the loyalty card" in text and "80%" in text
    assert "Open the second shop" not in text  # next quarter's
    assert (await welcome_rows(runtime))["USAM0001"].reason == "team"

    # a second team later: no second welcome
    await align(slack, fake_slack, "team add Bakers")
    await align(slack, fake_slack, "team Bakers add <@USAM0001>")
    assert len(dms_to(fake_slack, "USAM0001")) == 1


async def test_a_newcomer_welcomed_on_joining_gets_nothing_when_added_to_a_team(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await seed_plan(runtime)
    await join(slack, newcomer(fake_slack), event_id="EvJOIN1")
    await align(slack, fake_slack, f"team Sales add <@{NEWCOMER}>")
    assert len(dms_to(fake_slack, NEWCOMER)) == 1
    assert (await welcome_rows(runtime))[NEWCOMER].reason == "joined"


@pytest.mark.parametrize(
    "fields",
    [{"is_bot": True}, {"team_id": "T0OTHERORG"}, {"is_stranger": True}, {"deleted": True}],
    ids=["bot", "slack-connect-guest", "stranger", "deactivated"],
)
async def test_bots_guests_of_other_organisations_and_the_deactivated_get_no_welcome(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, fields: dict[str, Any]
) -> None:
    await seed_plan(runtime)
    await join(slack, newcomer(fake_slack, **fields), event_id="EvJOIN1")
    assert dms_to(fake_slack, NEWCOMER) == []
    assert await welcome_rows(runtime) == {}


async def test_existing_members_are_not_welcomed_by_their_profile_changes(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    """An upgrade welcomes nobody: people already here change their profile, nothing comes."""
    await seed_plan(runtime)
    user = newcomer(fake_slack, MEMBER_ID)
    event = {"type": "user_change", "user": {**user, "real_name": "Max Renamed"}}
    assert (await slack.event(event, event_id="EvCHANGE1")).status_code == 200
    await drain_background_tasks()
    assert fake_slack.calls_to("chat.postMessage") == []
    assert await welcome_rows(runtime) == {}


async def test_the_switch_off_welcomes_nobody_and_on_again_welcomes_the_next(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await seed_plan(runtime)
    assert "Welcome DMs are off" in await align(slack, fake_slack, "welcome off")
    await join(slack, newcomer(fake_slack), event_id="EvJOIN1")
    await align(slack, fake_slack, f"team Sales add <@{NEWCOMER}>")
    assert dms_to(fake_slack, NEWCOMER) == []
    assert await welcome_rows(runtime) == {}

    assert "Welcome DMs are on" in await align(slack, fake_slack, "welcome on")
    await join(slack, newcomer(fake_slack, "UNEWCOMER2"), event_id="EvJOIN2")
    assert len(dms_to(fake_slack, "UNEWCOMER2")) == 1


async def test_stored_text_reaches_the_newcomer_escaped(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await seed_plan(runtime)
    async with transaction(runtime.sessions) as session:
        workspace = await get_workspace(session=session, team_id=TEAM_ID)
        assert workspace is not None
        workspace.vision = "<!channel> see <http://evil.example|https://bank.example> & more"
        workspace.mission = "Bread &amp; butter &lt;3"  # stored escaped, as commands store it
        session.add(workspace)
    await join(slack, newcomer(fake_slack), event_id="EvJOIN1")
    text = message_text(dms_to(fake_slack, NEWCOMER)[0])
    assert "&lt;!channel&gt; see &lt;http://evil.example|https://bank.example&gt; &amp; more" in (
        text
    )
    assert "Bread &amp; butter &lt;3" in text  # escaped once, not twice
    assert "<!channel>" not in text and "<http" not in text


async def test_a_dm_refused_for_good_is_failed_and_never_retried(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await seed_plan(runtime)
    fake_slack.inject("chat.postMessage", error="user_disabled")
    await join(slack, newcomer(fake_slack), event_id="EvJOIN1")
    row = (await welcome_rows(runtime))[NEWCOMER]
    assert (row.state, row.error) == ("failed", "user_disabled")
    await align(slack, fake_slack, f"team Sales add <@{NEWCOMER}>")
    assert len(dms_to(fake_slack, NEWCOMER)) == 1  # the refused attempt only


async def test_a_failure_worth_retrying_frees_the_welcome_for_the_next_join(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await seed_plan(runtime)
    fake_slack.inject("chat.postMessage", error="fatal_error")
    await join(slack, newcomer(fake_slack), event_id="EvJOIN1")
    assert await welcome_rows(runtime) == {}
    await align(slack, fake_slack, f"team Sales add <@{NEWCOMER}>")
    assert len(dms_to(fake_slack, NEWCOMER)) == 2  # the failed attempt, then the welcome
    assert (await welcome_rows(runtime))[NEWCOMER].state == "sent"
