"""A workspace's row is made sure of once per recheck, however many of its requests arrive
while the check is under way (``handlers/middleware.py``)."""

from __future__ import annotations

import asyncio
import time

from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from handlers.middleware import WORKSPACE_RECHECK_SECONDS
from tests.conftest import drain_background_tasks
from tests.factories import workspace_row
from tests.slack_requests import SlackSender
from tests.statements import recorded_statements

BURST = 12


async def workspace_inserts_of_a_burst(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> int:
    """How many times a burst of ``BURST`` commands, every one answered, inserted the
    workspace's row."""
    fake_slack.clear()
    with recorded_statements(runtime) as statements:
        answers = await asyncio.gather(*(slack.command("help") for _ in range(BURST)))
        assert [answer.status_code for answer in answers] == [200] * BURST
        await fake_slack.wait_for("response_url", BURST)
        await drain_background_tasks()
    return sum(
        statement.lstrip().upper().startswith("INSERT INTO WORKSPACE ") for statement in statements
    )


async def first_contact(slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime) -> str:
    """One command, so that the workspace is known; its team id."""
    await slack.command("help")
    await fake_slack.wait_for("response_url")
    (team_id,) = runtime.known_team_ids
    return team_id


async def test_a_burst_at_first_contact_writes_the_workspace_once(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    assert await workspace_row(runtime) is None
    assert await workspace_inserts_of_a_burst(slack, fake_slack, runtime) == 1
    assert await workspace_row(runtime) is not None


async def test_the_recheck_is_one_check_for_a_burst_too(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    team_id = await first_contact(slack, fake_slack, runtime)
    # as if the last check were older than the recheck interval
    runtime.known_team_ids[team_id] = time.monotonic() - WORKSPACE_RECHECK_SECONDS - 1
    assert await workspace_inserts_of_a_burst(slack, fake_slack, runtime) == 1
    # checked just now: no more writes
    assert await workspace_inserts_of_a_burst(slack, fake_slack, runtime) == 0


async def test_a_deletion_is_not_undone_by_a_check_begun_before_it(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    team_id = await first_contact(slack, fake_slack, runtime)
    begun_before = asyncio.get_running_loop().create_future()  # a check still under way
    runtime.workspace_checks[team_id] = begun_before
    runtime.forget_workspace(team_id)  # as /align delete-workspace-data does
    # the burst does not wait for the older check
    assert await workspace_inserts_of_a_burst(slack, fake_slack, runtime) == 1
    assert not begun_before.done()
    begun_before.cancel()
