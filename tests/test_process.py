"""A real ``northstar run`` process in HTTP mode, driven like Slack drives it."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.fake_slack import FakeSlack
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


@pytest.fixture
async def running_bot(
    tmp_path: Path, fake_slack: FakeSlack, database_url: str, engine: AsyncEngine
) -> AsyncIterator[RunningBot]:
    """The bot as a child process; ``engine`` is asked for so the database starts empty."""
    port = free_port()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.api_url,
        "DATABASE_URL": database_url,
        "NORTHSTAR_SECRET_KEY": Fernet.generate_key().decode(),
        "PORT": str(port),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE
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

    running_bot.process.send_signal(signal.SIGTERM)
    status = await asyncio.wait_for(running_bot.process.wait(), timeout=30)
    # uvicorn shuts down gracefully, then re-raises SIGTERM so the parent sees the signal.
    assert status in (0, -signal.SIGTERM)
    log = "".join(running_bot.log)
    assert "Application shutdown complete" in log
    assert "Traceback" not in log
    assert BOT_TOKEN not in log and SIGNING_SECRET not in log
