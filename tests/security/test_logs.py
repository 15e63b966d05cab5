"""No secret, token or anonymous author in any log record.

A representative scenario runs through the real app (commands, modals, buttons, events,
anonymous feedback both ways, a KPI source with a secret header, Slack refusing calls, jobs)
while every log record is captured, and each record's message, raw arguments, traceback and
extra fields are scanned for: the bot token, any ``xoxb-``/``xapp-`` token, the signing
secret, ``NORTHSTAR_SECRET_KEY``, the KPI source's secret header value, and the anonymous
author's user id.

Two levels: with every logger at DEBUG (libraries included, SQL echo on) no secret or token
may appear; with logging as ``northstar`` sets it up for ``LOG_LEVEL=DEBUG`` (payload-logging
libraries held at INFO, ``bot.core.anonymity.quiet_payload_loggers``) the anonymous author's id may
not appear either.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.anonymity import PAYLOAD_TEXT_LOGGERS, quiet_payload_loggers
from bot.core.config import Settings
from bot.core.runtime import Runtime
from bot.feedback.blocks import AUTHOR_REPLY_ACTION, CLOSE_ACTION, LEADER_REPLY_ACTION
from bot.kpis.blocks.messages import SYNC_NOW_ACTION
from bot.slack.client import SingleWorkspaceClients, build_web_client
from fakeslack import FakeSlack
from fakeslack.server import Call
from scheduler.jobs import JobContext, run_job
from storage.db import create_session_factory, transaction
from storage.models import Kpi
from storage.repositories.kpis import add_kpi
from storage.repositories.members import MemberProfile
from tests.checkins import answer_helpers as checkin
from tests.conftest import drain_background_tasks
from tests.factories import add_members
from tests.goals import helpers as goal_helpers
from tests.reliability.helpers import click, command, event, everything_logged, submit
from tests.slack_requests import ADMIN_ID, MEMBER_ID, SIGNING_SECRET, TEAM_ID, SlackSender

BOT_TOKEN = "xoxb-1234567890-log-scan-bot-token"
APP_TOKEN = "xapp-1-A0001-1234567890-log-scan-app-token"
AUTHOR = "UANONYMOUS7"  # writes anonymous feedback and nothing else
HEADER_SECRET = "hdr-secret-9f8e7d6c5b4a"
SECRET_ENV = "NORTHSTAR_LOG_SCAN_KPI_TOKEN"
TOKEN_PATTERN = re.compile(r"xox[abposre]-[0-9A-Za-z-]+|xapp-[0-9A-Za-z-]+")


@pytest.fixture
def runtime(engine: AsyncEngine, database_url: str, fake_slack: FakeSlack) -> Runtime:
    """The app with real-looking tokens, so a leak of either would be visible."""
    settings = Settings(
        _env_file=None,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_app_token=APP_TOKEN,
        slack_api_url=fake_slack.api_url,
        slack_response_url_prefix=fake_slack.response_url(""),
        database_url=database_url,
        northstar_secret_key=Fernet.generate_key().decode(),
    )
    return Runtime(settings=settings, engine=engine, sessions=create_session_factory(engine))


@pytest.fixture
def every_logger_at_debug(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every logger at DEBUG; ``caplog`` puts each level back after the test."""
    names = (
        "",
        "slack_sdk",
        "slack_bolt",
        "northstar.bolt",
        "sqlalchemy.engine",
        "aiosqlite",
        *PAYLOAD_TEXT_LOGGERS,  # the SDK's clients build their DEBUG text only without a level
    )
    for name in names:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


@pytest.fixture
def northstar_debug(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Logging as ``bot.cli`` sets it up for ``LOG_LEVEL=DEBUG`` (``caplog`` puts the root's
    level back after the test, ``tests/conftest.py`` the libraries')."""
    caplog.set_level(logging.DEBUG)
    quiet_payload_loggers()
    return caplog


def secrets_of(runtime: Runtime) -> dict[str, str]:
    assert runtime.settings.northstar_secret_key is not None
    return {
        "bot token": BOT_TOKEN,
        "app token": APP_TOKEN,
        "signing secret": SIGNING_SECRET,
        "NORTHSTAR_SECRET_KEY": runtime.settings.northstar_secret_key.get_secret_value(),
        "KPI header secret": HEADER_SECRET,
    }


def everything_in(records: list[logging.LogRecord]) -> str:
    """Messages, arguments, tracebacks and every extra attribute of each record."""
    return everything_logged(records) + "\n" + "\n".join(repr(vars(r)) for r in records)


def leaks(text: str, secrets: dict[str, str]) -> list[str]:
    found = [name for name, value in secrets.items() if value in text]
    found += [f"token-like {match!r}" for match in TOKEN_PATTERN.findall(text)]
    return found


def dm_to(fake_slack: FakeSlack, user_id: str) -> Call:
    return [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == user_id][-1]


def button(call: Call, action_id: str) -> str:
    for block in call.args.get("blocks") or []:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return str(element["value"])
    raise AssertionError(f"no {action_id} in {call.args.get('text')}")


async def opened_view(fake_slack: FakeSlack, before: int) -> dict[str, object]:
    view: dict[str, object] = (await fake_slack.wait_for("views.open", before + 1))[-1].args["view"]
    return view


async def scenario(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Much of what Northstar does, including refusals and failures that log tracebacks."""
    monkeypatch.setenv(SECRET_ENV, HEADER_SECRET)
    fake_slack.add_user(AUTHOR, name="anon", real_name="Anonymous Author")
    goal_helpers.fix_clock(runtime)
    await checkin.add_people(runtime)
    await add_members(runtime, MemberProfile(user_id=AUTHOR, real_name="Anonymous Author"))
    await checkin.add_sales_team(runtime)

    # Commands, a modal, a refusal, an App Home.
    await command(slack, "vision Every shop online", name="/align")
    await command(slack, "vision Mine now", name="/align", user_id=MEMBER_ID)
    await goal_helpers.create_goal(slack, fake_slack, title="Grow revenue", target_value="100")
    await command(slack, "update G-1 40 good week", name="/goal")
    await event(
        slack, {"type": "app_home_opened", "user": MEMBER_ID, "tab": "home"}, event_id="Ev1"
    )

    # A KPI whose source sends a secret header: Sync now fetches it (and is refused: loopback).
    async with transaction(runtime.sessions) as session:
        kpi = await add_kpi(
            session=session,
            kpi=Kpi(
                team_id=TEAM_ID,
                number=0,
                name="Revenue",
                name_key="",
                owner_id=ADMIN_ID,
                created_by=ADMIN_ID,
                target=100,
                green_threshold=80,
                red_threshold=50,
                source={
                    "kind": "json",
                    "url": fake_slack.api_url + "kpi.value",
                    "path": "total",
                    "header_name": "Authorization",
                    "secret_env": SECRET_ENV,
                },
            ),
        )
    await click(slack, SYNC_NOW_ACTION, str(kpi.id))
    await command(slack, "log K-1 12,500", name="/kpi")

    # Anonymous feedback, both ways, then closed.
    await command(slack, "feedback The roadmap keeps changing", name="/pulse", user_id=AUTHOR)
    await drain_background_tasks()
    to_admin = dm_to(fake_slack, ADMIN_ID)
    thread_id = button(to_admin, LEADER_REPLY_ACTION)
    before = len(fake_slack.calls_to("views.open"))
    await click(slack, LEADER_REPLY_ACTION, thread_id)
    view = await opened_view(fake_slack, before)
    await submit(slack, view, answers={"text": "Thanks, tell us more"})
    await drain_background_tasks()
    before = len(fake_slack.calls_to("views.open"))
    await click(slack, AUTHOR_REPLY_ACTION, thread_id, user_id=AUTHOR)
    view = await opened_view(fake_slack, before)
    fake_slack.inject("chat.postMessage", error="internal_error")  # relaying it fails once
    await submit(slack, view, user_id=AUTHOR, answers={"text": "Every sprint, new goals"})
    await drain_background_tasks()
    await click(slack, CLOSE_ACTION, thread_id, user_id=AUTHOR)

    # Faults that log tracebacks: Slack refusing a modal, and a listener failing outright.
    fake_slack.inject("views.open", error="expired_trigger_id")
    await command(slack, "new", name="/goal")
    fake_slack.inject("users.info", status=500, times=3)
    await command(slack, "history", name="/checkin", user_id="UNEVERSEEN1")

    # Jobs, as the scheduler runs them.
    client = build_web_client(token=BOT_TOKEN, base_url=fake_slack.api_url)
    context = JobContext(runtime, SingleWorkspaceClients(client))
    runtime.clock = lambda: datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    for job in ("member-sync", "checkins", "surveys", "kpi-sync"):
        await run_job(job, context)
    fake_slack.inject("chat.postMessage", status=503, times=3)
    runtime.clock = lambda: datetime(2026, 11, 30, 12, 0, tzinfo=UTC) + timedelta(minutes=5)
    await run_job("checkins", context)
    await drain_background_tasks()


async def test_no_secret_or_token_reaches_any_log_even_with_every_logger_at_debug(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
    every_logger_at_debug: pytest.LogCaptureFixture,
) -> None:
    await scenario(slack, fake_slack, runtime, monkeypatch)
    records = every_logger_at_debug.records
    # The capture saw libraries' payload logs and tracebacks, so the scan below means something.
    names = {record.name.split(".")[0] for record in records}
    assert {"slack_sdk", "northstar", "handlers", "bot", "sqlalchemy"} <= names, names
    assert any(record.exc_info for record in records)
    assert any(
        record.name.startswith("slack_sdk") and AUTHOR in record.getMessage() for record in records
    ), "slack_sdk at DEBUG logs payloads: this level must show the author, or the scan is blind"
    assert leaks(everything_in(records), secrets_of(runtime)) == []
    assert fake_slack.take_violations() == []


async def test_at_northstars_own_debug_level_no_anonymous_author_is_logged(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
    northstar_debug: pytest.LogCaptureFixture,
) -> None:
    await scenario(slack, fake_slack, runtime, monkeypatch)
    records = northstar_debug.records
    logged = everything_in(records)
    assert "anonymous feedback #" in logged and "opened to admins" in logged
    assert any(record.levelno == logging.DEBUG for record in records)
    assert leaks(logged, secrets_of(runtime)) == []
    assert AUTHOR not in logged and AUTHOR.lower() not in logged
    assert "Anonymous Author" not in logged
    assert fake_slack.take_violations() == []


def test_the_scan_sees_arguments_tracebacks_and_extras() -> None:
    """The scan would catch a secret in any part of a record, not only in its message."""
    secret = {"s": "s3cr3t-value"}
    try:
        raise RuntimeError("failed with s3cr3t-value")
    except RuntimeError as error:
        in_traceback = logging.LogRecord(
            "x", logging.ERROR, "f", 1, "boom", (), (type(error), error, error.__traceback__)
        )
    in_args = logging.LogRecord("x", logging.INFO, "f", 1, "value %s", ("s3cr3t-value",), None)
    in_extra = logging.LogRecord("x", logging.INFO, "f", 1, "nothing", (), None)
    in_extra.payload = {"token": "s3cr3t-value"}
    for record in (in_traceback, in_args, in_extra):
        assert leaks(everything_in([record]), secret) == ["s"]
    assert leaks("Bearer xoxb-123-abc", {}) == ["token-like 'xoxb-123-abc'"]
