"""A server's replies and Web API calls share one connection pool: a slash command's answer,
an error's apology and a Home redraw do not each open (over HTTPS: handshake) a connection
to Slack. Without an open pool every call makes its own, as Slack's SDK does."""

from __future__ import annotations

from bot.core.runtime import Runtime
from bot.slack.connections import open_pool, slack_connections
from fakeslack import FakeSlack
from tests.goals.helpers import reply
from tests.home.helpers import home_of
from tests.slack_requests import ADMIN_ID, SlackSender


async def _replies_and_homes(
    slack: SlackSender, fake_slack: FakeSlack, rounds: int, phase: str
) -> None:
    for index in range(rounds):
        await reply(slack, fake_slack, "help")
        await reply(slack, fake_slack, "show G-999")  # an answer that says what was wrong
        await home_of(slack, fake_slack, ADMIN_ID, event_id=f"EvPool{phase}{index}")


async def test_replies_and_calls_reuse_the_servers_connections(
    runtime: Runtime, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    del runtime
    await _replies_and_homes(slack, fake_slack, rounds=3, phase="own")
    assert len(fake_slack.client_connections) >= 9  # the SDK's way: one per call

    fake_slack.client_connections.clear()
    async with slack_connections():
        await _replies_and_homes(slack, fake_slack, rounds=3, phase="pooled")
    assert len(fake_slack.client_connections) == 1
    assert open_pool() is None  # closed with the block
    fake_slack.assert_no_violations()
