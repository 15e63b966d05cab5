"""A real ``northstar run`` process in HTTP mode, driven like Slack drives it."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qsl

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy.ext.asyncio import AsyncEngine

from fakeslack import FakeSlack
from tests.clocked_cli import start_northstar
from tests.slack_requests import ADMIN_ID, MEMBER_ID, SIGNING_SECRET, command_body, signed_headers

BOT_TOKEN = "xoxb-process-test-token"
READY_LINE = "Application startup complete"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class RunningBot:
    process: asyncio.subprocess.Process
    base_url: str
    log: list[str] = field(default_factory=list)


async def _collect(stream: asyncio.StreamReader, log: list[str], ready: asyncio.Event) -> None:
    while line := await stream.readline():
        log.append(line.decode(errors="replace"))
        if READY_LINE in log[-1]:
            ready.set()


@asynccontextmanager
async def northstar_run(
    cwd: Path,
    fake_slack: FakeSlack,
    database_url: str,
    *,
    now: datetime | None = None,
    **extra_env: str,
) -> AsyncIterator[RunningBot]:
    """``northstar run`` as a child process, stopped with SIGTERM at the end; with ``now``,
    its clock starts there (tests/clocked_cli.py) instead of being the real one."""
    port = free_port()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": fake_slack.api_url,
        "SLACK_RESPONSE_URL_PREFIX": fake_slack.response_url(""),
        "DATABASE_URL": database_url,
        "NORTHSTAR_SECRET_KEY": Fernet.generate_key().decode(),
        "PORT": str(port),
        **extra_env,
    }
    if now is None:  # the real entry point, exactly as a person starts it
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=cwd, env=env, stderr=asyncio.subprocess.PIPE
        )
    else:
        process = await start_northstar(
            ["run"], now=now, cwd=cwd, env=env, stderr=asyncio.subprocess.PIPE
        )
    assert process.stderr is not None
    bot = RunningBot(process, f"http://127.0.0.1:{port}")
    ready = asyncio.Event()
    reader = asyncio.create_task(_collect(process.stderr, bot.log, ready))
    try:
        await asyncio.wait_for(ready.wait(), timeout=60)
        yield bot
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), timeout=30)
        await asyncio.wait_for(reader, timeout=10)


async def stop_gracefully(bot: RunningBot) -> str:
    """SIGTERM, then the whole log once the process has shut down."""
    bot.process.send_signal(signal.SIGTERM)
    status = await asyncio.wait_for(bot.process.wait(), timeout=30)
    # uvicorn shuts down gracefully, then re-raises SIGTERM so the parent sees the signal.
    assert status in (0, -signal.SIGTERM)
    return "".join(bot.log)


@pytest.fixture
async def running_bot(
    tmp_path: Path, fake_slack: FakeSlack, database_url: str, engine: AsyncEngine
) -> AsyncIterator[RunningBot]:
    """The bot in HTTP mode; ``engine`` is asked for so the database starts empty."""
    async with northstar_run(
        tmp_path, fake_slack, database_url, SLACK_SIGNING_SECRET=SIGNING_SECRET
    ) as bot:
        yield bot


async def post_signed(client: httpx.AsyncClient, body: str, content_type: str) -> httpx.Response:
    headers = {"content-type": content_type, **signed_headers(body)}
    return await client.post("/slack/events", content=body, headers=headers)


async def test_northstar_run_serves_slack_over_http(
    running_bot: RunningBot, fake_slack: FakeSlack
) -> None:
    form = "application/x-www-form-urlencoded"
    # A Slack request that is not answered in 3 seconds has failed: the client gives up then.
    async with httpx.AsyncClient(base_url=running_bot.base_url, timeout=3.0) as client:
        health = await client.get("/healthz")
        assert (health.status_code, health.json()) == (200, {"status": "ok"})

        challenge = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "t"})
        verified = await post_signed(client, challenge, "application/json")
        assert verified.json() == {"challenge": "c-123"}

        unsigned = await client.post(
            "/slack/events", content=challenge, headers={"content-type": "application/json"}
        )
        assert unsigned.status_code == 401

        helped = await post_signed(
            client, command_body("help", response_url=fake_slack.response_url("help")), form
        )
        assert helped.status_code == 200
        help_reply = (await fake_slack.wait_for("response_url"))[0].args
        assert "/align vision" in str(help_reply["blocks"])

        vision = "Every neighbourhood shop thrives online"
        body = command_body(f"vision {vision}", response_url=fake_slack.response_url("set"))
        assert (await post_signed(client, body, form)).status_code == 200
        published = (await fake_slack.wait_for("views.publish"))[0].args
        assert published["user_id"] == ADMIN_ID and vision in str(published["view"])

        refused = command_body(
            "vision Mine now", user_id=MEMBER_ID, response_url=fake_slack.response_url("no")
        )
        assert (await post_signed(client, refused, form)).status_code == 200
        replies = await fake_slack.wait_for("response_url", 3)
        assert "Only Northstar admins" in replies[-1].args["text"]

    users_list = await fake_slack.wait_for("users.list")  # the start-up member sync
    assert users_list[0].token == BOT_TOKEN

    log = await stop_gracefully(running_bot)
    assert "Application shutdown complete" in log
    assert "Traceback" not in log
    assert BOT_TOKEN not in log and SIGNING_SECRET not in log


async def test_northstar_run_in_socket_mode_acks_commands_and_reports_health(
    tmp_path: Path, fake_slack: FakeSlack, database_url: str, engine: AsyncEngine
) -> None:
    async with northstar_run(
        tmp_path, fake_slack, database_url, SLACK_APP_TOKEN="xapp-1-process-test"
    ) as bot:
        await fake_slack.wait_connected(timeout=30)
        async with httpx.AsyncClient(base_url=bot.base_url, timeout=3.0) as client:
            health = await client.get("/healthz")
            assert (health.status_code, health.json()) == (200, {"status": "ok"})
            assert (await client.post("/slack/events", content="{}")).status_code == 404
        payload = dict(parse_qsl(command_body("help", response_url=fake_slack.response_url())))
        ack = await fake_slack.send_envelope("slash_commands", payload)
        assert set(ack) == {"envelope_id"}
        reply = (await fake_slack.wait_for("response_url"))[0].args
        assert "/align vision" in str(reply["blocks"])
        log = await stop_gracefully(bot)
    await fake_slack.wait_disconnected()
    assert "Socket Mode connection closed" in log
    assert "Traceback" not in log and "xapp-1-process-test" not in log
