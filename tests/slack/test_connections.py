"""A server's replies and Web API calls share one connection pool: a slash command's answer,
an error's apology and a Home redraw do not each open (over HTTPS: handshake) a connection
to Slack. Without an open pool every call makes its own, as Slack's SDK does."""

from __future__ import annotations

from typing import Any

import aiohttp
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.app.after_ack import PooledRespond
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
    async with slack_connections() as pool:
        await _replies_and_homes(slack, fake_slack, rounds=3, phase="pooled")
        # no cookies kept: one workspace's calls never carry what Slack set for another's
        assert isinstance(pool.cookie_jar, aiohttp.DummyCookieJar)
    assert len(fake_slack.client_connections) == 1
    assert open_pool() is None  # closed with the block
    fake_slack.assert_no_violations()


async def test_a_pooled_reply_sends_what_bolts_respond_sends(fake_slack: FakeSlack) -> None:
    calls: list[dict[str, Any]] = [
        {"text": "hi", "blocks": [], "attachments": [], "response_type": "ephemeral"},
        {"text": "hi", "blocks": [{"type": "divider"}], "replace_original": False},
        {"text": "bye", "delete_original": True, "thread_ts": None},
    ]
    async with slack_connections():
        for index, call in enumerate(calls):
            await AsyncRespond(response_url=fake_slack.response_url(f"bolt{index}"))(**call)
            await PooledRespond(response_url=fake_slack.response_url(f"pool{index}"))(**call)
    sent = [dict(call.args) for call in fake_slack.calls_to("response_url")]
    for bolts, pooled in zip(sent[::2], sent[1::2], strict=True):
        assert bolts.pop("_name").startswith("bolt") and pooled.pop("_name").startswith("pool")
        assert pooled == bolts
    assert len(fake_slack.client_connections) == len(calls) + 1  # Bolt: one a reply; ours: one
