"""``northstar run`` in Socket Mode when Slack cannot be reached or refuses a token: one line per
failure, back-off, a refused token ends the process, and SIGTERM ends it promptly.

The shutdown bound is measured with the real monotonic clock: it is a promise about the
process, not a schedule.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy.ext.asyncio import AsyncEngine

from fakeslack import FakeSlack
from tests.app.test_process import free_port

BOT_TOKEN = "xoxb-run-failures-bot"
APP_TOKEN = "xapp-1-run-failures-app"
SHUTDOWN_PROMISE_SECONDS = 20  # README: on SIGTERM, running jobs get 20 seconds to finish
UNREACHABLE = "cannot reach Slack: "


@dataclass
class Run:
    process: asyncio.subprocess.Process
    port: int
    log: list[str] = field(default_factory=list)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    def text(self) -> str:
        return "".join(self.log)

    def lines_with(self, needle: str) -> list[str]:
        return [line for line in self.log if needle in line]

    async def wait_until(self, ready: Callable[[], bool], timeout: float = 30) -> None:
        async def watch() -> None:
            while not ready():
                if self.process.returncode is not None:
                    raise AssertionError(f"northstar ended early:\n{self.text()}")
                self._changed.clear()
                await self._changed.wait()

        await asyncio.wait_for(watch(), timeout)

    async def stop(self, signal_number: int = signal.SIGTERM) -> float:
        """SIGTERM (or ``signal_number``); how many seconds the process took to end."""
        started = time.monotonic()
        self.process.send_signal(signal_number)
        await asyncio.wait_for(self.process.wait(), SHUTDOWN_PROMISE_SECONDS + 10)
        return time.monotonic() - started


async def _collect(stream: asyncio.StreamReader, run: Run) -> None:
    while line := await stream.readline():
        run.log.append(line.decode(errors="replace"))
        run._changed.set()
    run._changed.set()


@asynccontextmanager
async def northstar_run(cwd: Path, api_url: str, database_url: str) -> AsyncIterator[Run]:
    """``python -m bot run`` in Socket Mode against ``api_url``; killed if a test left it."""
    port = free_port()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_URL": api_url,
        "DATABASE_URL": database_url,
        "NORTHSTAR_SECRET_KEY": Fernet.generate_key().decode(),
        "PORT": str(port),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=cwd, env=env, stderr=asyncio.subprocess.PIPE
    )
    assert process.stderr is not None
    run = Run(process, port)
    reader = asyncio.create_task(_collect(process.stderr, run))
    try:
        yield run
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await asyncio.wait_for(reader, timeout=10)


def assert_quiet_about_secrets(log: str) -> None:
    assert "Traceback" not in log
    assert BOT_TOKEN not in log and APP_TOKEN not in log


async def test_unreachable_slack_is_one_line_per_attempt_with_back_off_and_sigterm_ends_it(
    tmp_path: Path, database_url: str, engine: AsyncEngine
) -> None:
    closed_port = free_port()  # nothing listens there: every connection is refused
    async with northstar_run(tmp_path, f"http://127.0.0.1:{closed_port}/api/", database_url) as run:
        await run.wait_until(lambda: len(run.lines_with(UNREACHABLE)) >= 3)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{run.port}") as client:
            health = await client.get("/healthz")  # served while Slack is away
        assert health.status_code == 200
        seconds = await run.stop()
    assert seconds < SHUTDOWN_PROMISE_SECONDS
    assert run.process.returncode in (0, -signal.SIGTERM)
    log = run.text()
    failures = run.lines_with(UNREACHABLE)
    waits = [re.search(r"trying again in (\d+) s$", line.rstrip()) for line in failures]
    assert [int(wait[1]) for wait in waits if wait][:3] == [1, 2, 4]
    assert all("Connect call failed" in line or "Cannot connect" in line for line in failures)
    assert_quiet_about_secrets(log)
    assert "could not start" not in log  # no job ran, and failed, while Slack was away
    assert "Application shutdown complete" in log


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
async def test_a_signal_ends_run_while_slack_does_not_answer(
    tmp_path: Path, database_url: str, engine: AsyncEngine, signal_number: int
) -> None:
    """A Slack that takes the connection and never answers: the call in flight is cancelled.
    SIGINT is Ctrl-C."""
    held: list[asyncio.StreamWriter] = []

    async def never_answer(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    silent = await asyncio.start_server(never_answer, "127.0.0.1", 0)
    port = silent.sockets[0].getsockname()[1]
    try:
        async with northstar_run(tmp_path, f"http://127.0.0.1:{port}/api/", database_url) as run:
            await run.wait_until(lambda: "Application startup complete" in run.text())
            await run.wait_until(lambda: bool(held))  # auth.test is waiting for an answer
            seconds = await run.stop(signal_number)
        assert seconds < SHUTDOWN_PROMISE_SECONDS
        assert run.process.returncode in (0, -signal_number)
        assert "Socket Mode connection closed" in run.text()
        assert UNREACHABLE not in run.text()  # still waiting for its first answer
        assert_quiet_about_secrets(run.text())
    finally:
        for writer in held:
            writer.close()
        silent.close()
        await silent.wait_closed()


async def test_refused_bot_token_ends_run_with_one_line_and_status_2(
    tmp_path: Path, fake_slack: FakeSlack, database_url: str, engine: AsyncEngine
) -> None:
    fake_slack.inject("auth.test", error="invalid_auth", times=100)
    async with northstar_run(tmp_path, fake_slack.api_url, database_url) as run:
        status = await asyncio.wait_for(run.process.wait(), SHUTDOWN_PROMISE_SECONDS)
    assert status == 2
    refusals = run.lines_with("Slack refused the token")
    assert [line.strip() for line in refusals] == [
        "Slack refused the token: invalid_auth, check SLACK_BOT_TOKEN"
    ]
    assert len(fake_slack.calls_to("auth.test")) == 1  # not retried
    assert not fake_slack.calls_to("apps.connections.open")
    assert not fake_slack.calls_to("users.list")  # no job started
    assert_quiet_about_secrets(run.text())


async def test_refused_app_token_ends_run_with_one_line_and_status_2(
    tmp_path: Path, fake_slack: FakeSlack, database_url: str, engine: AsyncEngine
) -> None:
    fake_slack.inject("apps.connections.open", error="not_allowed_token_type", times=100)
    async with northstar_run(tmp_path, fake_slack.api_url, database_url) as run:
        status = await asyncio.wait_for(run.process.wait(), SHUTDOWN_PROMISE_SECONDS)
    assert status == 2
    assert [line.strip() for line in run.lines_with("Slack refused")] == [
        "Slack refused the token: not_allowed_token_type, check SLACK_APP_TOKEN"
    ]
    assert len(fake_slack.calls_to("apps.connections.open")) == 1
    assert fake_slack.socket_mode.connection_count == 0
    assert_quiet_about_secrets(run.text())
