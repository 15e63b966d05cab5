"""A graceful shutdown lets running job runs finish, and cancels them after the grace period."""

from __future__ import annotations

import asyncio

import pytest

from bot.app import background
from bot.app.background import Background
from bot.core.runtime import Runtime
from bot.slack.client import SingleWorkspaceClients, build_web_client
from fakeslack import FakeSlack
from scheduler.jobs import JobContext


def job_context(runtime: Runtime, fake_slack: FakeSlack) -> JobContext:
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    return JobContext(runtime, SingleWorkspaceClients(client))


async def test_stop_waits_for_a_running_job_to_finish(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    context = job_context(runtime, fake_slack)
    service = Background(context)
    release = asyncio.Event()

    async def job() -> str:
        await release.wait()
        return "finished"

    running: asyncio.Task[object] = asyncio.create_task(job())
    context.running.add(running)
    stopping = asyncio.create_task(service.stop())
    await asyncio.sleep(0)
    assert not stopping.done()  # still waiting for the job
    release.set()
    await stopping
    assert running.result() == "finished"


async def test_stop_cancels_a_job_that_outlives_the_grace_period(
    runtime: Runtime, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(background, "SHUTDOWN_GRACE_SECONDS", 0.05)
    context = job_context(runtime, fake_slack)
    never: asyncio.Task[object] = asyncio.create_task(asyncio.Event().wait())
    context.running.add(never)
    await Background(context).stop()
    assert never.cancelled()
