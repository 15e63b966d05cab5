"""A slash command is acknowledged as soon as its listener matches (``ACK_AT_ONCE``), so Bolt
sends the ack without looking every 10 ms whether the listener, in a task of its own, has
acknowledged yet; the listener's work follows as before."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import slack_bolt.listener.asyncio_runner as bolt_runner

from bot.app.factory import build_app
from bot.app.listener_matching import BodyMatcher
from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from handlers.listeners import ACK_AT_ONCE
from tests.conftest import drain_background_tasks
from tests.slack_requests import SlackSender

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yaml"


class CountingSleeps(ModuleType):
    """``asyncio`` as Bolt's listener runner sees it, counting the runner's polls."""

    def __init__(self) -> None:
        super().__init__("asyncio")
        self.sleeps = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)

    async def sleep(self, delay: float) -> None:
        self.sleeps += 1
        await asyncio.sleep(delay)


@pytest.fixture
def polls(monkeypatch: pytest.MonkeyPatch) -> CountingSleeps:
    counting = CountingSleeps()
    monkeypatch.setattr(bolt_runner, "asyncio", counting)
    return counting


async def test_a_command_is_acknowledged_without_bolts_poll(
    slack: SlackSender, fake_slack: FakeSlack, polls: CountingSleeps
) -> None:
    answer = await slack.command("teams", command="/align")
    assert answer.status_code == 200 and answer.content == b""
    assert polls.sleeps == 0
    await fake_slack.wait_for("response_url", 1)  # the work after the ack still runs
    await drain_background_tasks()


async def test_a_button_still_goes_through_the_poll(
    slack: SlackSender, polls: CountingSleeps
) -> None:
    """The control: the count sees the poll where a listener acknowledges in its own task."""
    answer = await slack.click("goal_open_update", "999")
    assert answer.status_code == 200
    assert polls.sleeps >= 1
    await drain_background_tasks()


def manifest_commands() -> set[str]:
    return set(re.findall(r"^\s+- command: (/[a-z-]+)\s*$", MANIFEST.read_text(), re.M))


async def test_every_slash_command_in_the_manifest_is_acknowledged_at_once(
    runtime: Runtime,
) -> None:
    app = build_app(runtime)
    commands = manifest_commands()
    at_once: set[str] = set()
    for listener in app._async_listeners:  # as bot.app.listener_matching reaches them
        matchers = [m for m in listener.matchers if isinstance(m, BodyMatcher)]
        if ACK_AT_ONCE not in listener.middleware or len(matchers) != len(listener.matchers):
            continue
        for name in commands:
            body = {"command": name}
            if all([await matcher.test(body=body) for matcher in matchers]):
                at_once.add(name)
    assert len(commands) == 6 and at_once == commands
