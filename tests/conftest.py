"""Shared fixtures: real databases built by the real migrations, a fake Slack, the real app."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from hypothesis import settings
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

from bot.app.factory import build_app
from bot.app.server import build_http_app
from bot.core.anonymity import PAYLOAD_LOGGERS, PAYLOAD_TEXT_LOGGERS
from bot.core.config import Settings
from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.repositories.installations import SLACK_METADATA
from tests.slack_requests import ADMIN_ID, MEMBER_ID, SIGNING_SECRET, SlackSender

# CI runs property tests with a fixed seed so a run is reproducible; developers' runs explore.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
DATABASES = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]
ENVIRONMENT_PREFIXES = ("SLACK_", "NORTHSTAR_")
ENVIRONMENT_NAMES = ("DATABASE_URL", "PORT", "LOG_LEVEL")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own Slack tokens or database never leak into a test."""
    for name in list(os.environ):
        if name.startswith(ENVIRONMENT_PREFIXES) or name in ENVIRONMENT_NAMES:
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def library_log_levels() -> Iterator[None]:
    """Each test starts with the libraries' log levels as the last one found them: running
    ``northstar`` in process (``bot.cli.main``) or ``quiet_payload_loggers`` sets them for the
    whole process, and a test that reads the libraries' DEBUG records must still see them."""
    loggers = [logging.getLogger(name) for name in (*PAYLOAD_LOGGERS, *PAYLOAD_TEXT_LOGGERS)]
    levels = [library_logger.level for library_logger in loggers]
    yield
    for library_logger, level in zip(loggers, levels, strict=True):
        library_logger.setLevel(level)


async def _migrate(url: str, *, reset_postgres: bool = False) -> None:
    engine = create_engine(url)
    try:
        if reset_postgres:
            async with engine.begin() as connection:
                await connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
                await connection.execute(sa.text("CREATE SCHEMA public"))
        await upgrade(engine)
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file built by the migrations; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "northstar.db"
    asyncio.run(_migrate(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The PostgreSQL test database, emptied and migrated once per run."""
    if not POSTGRES_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    asyncio.run(_migrate(POSTGRES_URL, reset_postgres=True))
    return POSTGRES_URL


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        shutil.copy(template, tmp_path / "northstar.db")
        return f"sqlite+aiosqlite:///{tmp_path / 'northstar.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


async def _empty_tables(engine: AsyncEngine) -> None:
    tables = [*SQLModel.metadata.sorted_tables, *SLACK_METADATA.sorted_tables]
    names = ", ".join(table.name for table in tables)
    async with engine.begin() as connection:
        await connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    if engine.dialect.name == "postgresql":
        await _empty_tables(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as slack:
        slack.add_user(ADMIN_ID, name="ada", real_name="Ada Admin", is_admin=True)
        slack.add_user(MEMBER_ID, name="max", real_name="Max Member")
        yield slack
        slack.assert_no_violations()


def fake_response_url_prefix(api_url: str) -> str:
    """Where the fake Slack at ``api_url`` serves response URLs (``FakeSlack.response_url``)."""
    return api_url.removesuffix("api/") + "response/"


def make_settings(*, database_url: str, api_url: str) -> Settings:
    return Settings(
        _env_file=None,
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=api_url,
        slack_response_url_prefix=fake_response_url_prefix(api_url),
        database_url=database_url,
        northstar_secret_key=Fernet.generate_key().decode(),
    )


@pytest.fixture
def runtime(engine: AsyncEngine, database_url: str, fake_slack: FakeSlack) -> Runtime:
    settings = make_settings(database_url=database_url, api_url=fake_slack.api_url)
    return Runtime(settings=settings, engine=engine, sessions=create_session_factory(engine))


@pytest.fixture
async def slack(runtime: Runtime, fake_slack: FakeSlack) -> AsyncIterator[SlackSender]:
    """Signed requests into the real HTTP app, replies reaching the fake Slack."""
    http_app = build_http_app(runtime, build_app(runtime))
    transport = httpx.ASGITransport(app=http_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://northstar.test") as client:
        yield SlackSender(client, response_urls=fake_slack.response_url)
    await drain_background_tasks()


async def drain_background_tasks(limit_seconds: float = 10.0) -> None:
    """Let listeners that Bolt runs after ``ack()`` finish before the database goes away."""
    current = asyncio.current_task()
    pending = [task for task in asyncio.all_tasks() if task is not current and not task.done()]
    if pending:
        _done, still_running = await asyncio.wait(pending, timeout=limit_seconds)
        assert not still_running, f"background tasks still running: {still_running}"
