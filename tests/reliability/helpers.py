"""Helpers for the reliability and security suites (``tests/reliability/`` and
``tests/security/``): requests signed for any workspace, whole-database snapshots,
log scans, instant client retries, and ``northstar job`` processes that can be killed."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import signal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlencode

import httpx
import pytest
import sqlalchemy as sa
from slack_sdk.http_retry import async_handler, builtin_async_handlers
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

from fakeslack import FakeSlack
from fakeslack.server import Call
from storage.models import DOOR_TABLES
from tests.clocked_cli import start_northstar
from tests.slack_requests import (
    ADMIN_ID,
    TEAM_ID,
    SlackSender,
    block_action_body,
    command_body,
    event_body,
    view_state,
)

FORM = "application/x-www-form-urlencoded"
_TRIGGERS = itertools.count(1)


# --- requests, signed as Slack signs them, for any workspace --------------------------------


def next_trigger(kind: str = "rel") -> str:
    """A fresh ``trigger_id``: Slack's are single-use and the fake Slack checks that."""
    return f"9001.{next(_TRIGGERS)}.{kind}"  # never one SlackSender hands out (1337.…)


async def command(
    slack: SlackSender,
    text: str,
    *,
    name: str,
    user_id: str = ADMIN_ID,
    team_id: str = TEAM_ID,
) -> tuple[httpx.Response, str]:
    """``/name text`` from ``user_id`` of ``team_id``; the response and its ``response_url``."""
    response_url = slack.next_response_url()
    body = command_body(
        text,
        command=name,
        user_id=user_id,
        team_id=team_id,
        response_url=response_url,
        trigger_id=next_trigger("command"),
    )
    return await slack.post(body, content_type=FORM), response_url


async def click(
    slack: SlackSender,
    action_id: str,
    value: str,
    *,
    user_id: str = ADMIN_ID,
    team_id: str = TEAM_ID,
) -> tuple[httpx.Response, str]:
    """Press a button in a DM (with a ``response_url``, as Slack gives for messages)."""
    response_url = slack.next_response_url()
    body = block_action_body(
        action_id,
        value,
        user_id=user_id,
        team_id=team_id,
        response_url=response_url,
        container={"type": "message", "is_ephemeral": False, "channel_id": "D" + user_id},
    )
    payload = json.loads(parse_qs(body)["payload"][0])
    payload["trigger_id"] = next_trigger("click")
    signed = urlencode({"payload": json.dumps(payload)})
    return await slack.post(signed, content_type=FORM), response_url


def submission_body(
    view: dict[str, Any],
    *,
    user_id: str = ADMIN_ID,
    team_id: str = TEAM_ID,
    answers: dict[str, str | None] | None = None,
    state: dict[str, Any] | None = None,
) -> str:
    """A ``view_submission`` of ``view`` with ``state`` (or the state ``answers`` make)."""
    payload = {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "acme"},
        "user": {"id": user_id, "username": user_id.lower(), "team_id": team_id},
        "api_app_id": "A0001",
        "token": "legacy-verification-token",
        "trigger_id": next_trigger("submit"),
        "view": {
            **view,
            "id": view.get("id") or "V0001",
            "team_id": team_id,
            "state": state if state is not None else view_state(view, answers or {}),
            "hash": "1.abc",
        },
        "response_urls": [],
        "is_enterprise_install": False,
    }
    return urlencode({"payload": json.dumps(payload)})


async def submit(
    slack: SlackSender,
    view: dict[str, Any],
    *,
    user_id: str = ADMIN_ID,
    team_id: str = TEAM_ID,
    answers: dict[str, str | None] | None = None,
    state: dict[str, Any] | None = None,
) -> httpx.Response:
    body = submission_body(view, user_id=user_id, team_id=team_id, answers=answers, state=state)
    return await slack.post(body, content_type=FORM)


async def event(
    slack: SlackSender,
    payload: dict[str, Any],
    *,
    event_id: str,
    team_id: str = TEAM_ID,
    retry_num: int | None = None,
) -> httpx.Response:
    """An Events API delivery; ``retry_num`` adds Slack's retry headers."""
    headers = {}
    if retry_num is not None:
        headers = {"x-slack-retry-num": str(retry_num), "x-slack-retry-reason": "http_timeout"}
    body = event_body(payload, event_id=event_id, team_id=team_id)
    return await slack.post(body, content_type="application/json", headers=headers)


# --- what reached the fake Slack ----------------------------------------------------------------

# Web API methods and response URLs through which a person hears back.
REPLY_METHODS = ("response_url", "views.open", "chat.postMessage", "chat.postEphemeral")


def replies(fake_slack: FakeSlack, since: int = 0) -> list[Call]:
    """Calls after the first ``since`` that a person would see."""
    return [call for call in fake_slack.calls[since:] if call.method in REPLY_METHODS]


# --- the database ------------------------------------------------------------------------------


async def snapshot(engine: AsyncEngine, *, team_id: str | None = None) -> dict[str, list[str]]:
    """Every row of every table (of one workspace, when ``team_id`` is given), as sorted
    strings: equal snapshots mean nothing was written. The request door's tables are left
    out: each request let in leaves the hash of its signature there, whatever it does."""
    tables: dict[str, list[str]] = {}
    async with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in DOOR_TABLES:
                continue
            statement = sa.select(table)
            if team_id is not None and "team_id" in table.c:
                statement = statement.where(table.c.team_id == team_id)
            rows = (await connection.execute(statement)).all()
            tables[table.name] = sorted(repr(tuple(row)) for row in rows)
    return tables


async def count_rows(engine: AsyncEngine, *models: type[SQLModel]) -> dict[str, int]:
    counts: dict[str, int] = {}
    async with engine.connect() as connection:
        for model in models:
            table = model.__table__  # type: ignore[attr-defined]
            counts[table.name] = int(
                (await connection.execute(sa.select(sa.func.count()).select_from(table))).scalar()
                or 0
            )
    return counts


# --- logs ------------------------------------------------------------------------------------


def everything_logged(records: Iterable[logging.LogRecord]) -> str:
    """Each record's message, raw arguments, traceback and stack, one per line."""
    lines = []
    for record in records:
        exc = ""
        if record.exc_info and record.exc_info[1] is not None:
            exc = logging.Formatter().formatException(record.exc_info)
        lines.append(
            " ".join(
                [
                    record.name,
                    record.levelname,
                    str(record.msg),
                    repr(record.args),
                    record.getMessage(),
                    exc,
                    record.exc_text or "",
                    record.stack_info or "",
                ]
            )
        )
    return "\n".join(lines)


def errors_logged(records: Iterable[logging.LogRecord]) -> list[str]:
    """Records at ERROR or above, or carrying a traceback: a fault Northstar did not expect."""
    return [
        everything_logged([record])
        for record in records
        if record.levelno >= logging.ERROR or record.exc_info
    ]


# --- the Slack client's retries, without waiting on the wall clock --------------------------


@dataclass
class RetrySleeps:
    """Seconds the Slack client's retry handlers asked to sleep (they return at once)."""

    rate_limited: list[float] = field(default_factory=list)
    backoff: list[float] = field(default_factory=list)


def instant_retries(monkeypatch: pytest.MonkeyPatch) -> RetrySleeps:
    """Let slack_sdk's 429 and 5xx retry handlers record their sleeps instead of sleeping.

    Only the handlers' own ``asyncio`` name is replaced, so nothing else stops waiting.
    """
    sleeps = RetrySleeps()

    def recorder(into: list[float]) -> Any:
        async def sleep(seconds: float) -> None:
            into.append(float(seconds))

        return SimpleNamespace(sleep=sleep)

    monkeypatch.setattr(builtin_async_handlers, "asyncio", recorder(sleeps.rate_limited))
    monkeypatch.setattr(async_handler, "asyncio", recorder(sleeps.backoff))
    return sleeps


# --- ``northstar job NAME`` as a child process --------------------------------------------------

# When child processes' clocks start (tests/clocked_cli.py): a Saturday, when the check-in job
# also opens next week's round early (``LOOKAHEAD``), the case that once failed on weekends.
PROCESS_NOW = datetime(2026, 12, 12, 12, 0, tzinfo=UTC)


def job_environment(fake_slack: FakeSlack, database_url: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    return {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-process",
        "SLACK_API_URL": fake_slack.api_url,
        "SLACK_RESPONSE_URL_PREFIX": fake_slack.response_url(""),
        "DATABASE_URL": database_url,
        "NORTHSTAR_SECRET_KEY": Fernet.generate_key().decode(),
    }


async def start_job(
    name: str, *, now: datetime, cwd: Path, env: dict[str, str], args: Sequence[str] = ()
) -> asyncio.subprocess.Process:
    """``northstar job NAME`` as a child process whose clock starts at ``now``."""
    return await start_northstar(
        ["job", name, *args],
        now=now,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def run_job_to_end(
    name: str, *, now: datetime, cwd: Path, fake_slack: FakeSlack, database_url: str
) -> tuple[int, str]:
    """``northstar job NAME`` at ``now``, run to its end: its exit status and its log."""
    process = await start_job(name, now=now, cwd=cwd, env=job_environment(fake_slack, database_url))
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
    return int(process.returncode or 0), stderr.decode(errors="replace")


async def kill_after(
    process: asyncio.subprocess.Process,
    fake_slack: FakeSlack,
    method: str,
    count: int,
    timeout: float = 60,
) -> None:
    """SIGKILL ``process`` as soon as the fake Slack has seen ``count`` calls to ``method``:
    no shutdown handler, no ``finally``, no shielded task gets to run."""
    try:
        await fake_slack.wait_for(method, count, timeout=timeout)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGKILL)
        await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == -signal.SIGKILL, "the job ended before it could be killed"
