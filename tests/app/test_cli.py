"""The ``northstar`` command as a person runs it: guidance without credentials, migrations."""

from __future__ import annotations

import asyncio
import gc
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from cryptography.fernet import Fernet

from bot.cli import main
from bot.core.collector import THRESHOLDS
from bot.core.config import is_valid_secret_key
from storage.migrate import alembic_config

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")


def northstar(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_run_without_credentials_leads_with_socket_mode_and_the_demo(tmp_path: Path) -> None:
    result = northstar("run", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    first = next(i for i, line in enumerate(lines) if "cannot start" in line)
    assert lines[first] == (
        "Northstar cannot start: SLACK_BOT_TOKEN and SLACK_APP_TOKEN are not set."
    )
    assert "Socket Mode" in lines[first + 1]
    assert lines[first + 2].startswith("  SLACK_BOT_TOKEN: the Bot User OAuth Token (xoxb-")
    assert lines[first + 3].startswith("  SLACK_APP_TOKEN: an app-level token (xapp-")

    def position(text: str) -> int:
        return next(i for i, line in enumerate(lines) if text in line)

    assert position("manifest.yaml") < position("make demo") < position("HTTP mode instead")
    assert "SLACK_SIGNING_SECRET" in lines[position("HTTP mode instead")]
    assert "SLACK_SIGNING_SECRET" not in "".join(lines[: position("HTTP mode instead")])
    assert "Traceback" not in result.stderr


def test_run_in_http_mode_without_bot_token_names_only_the_bot_token(tmp_path: Path) -> None:
    result = northstar("run", cwd=tmp_path, SLACK_SIGNING_SECRET="s3cret-signing")
    assert result.returncode == 2
    assert "Northstar cannot start: SLACK_BOT_TOKEN is not set." in result.stderr
    assert "HTTP mode, as SLACK_SIGNING_SECRET is set" in result.stderr
    assert "s3cret-signing" not in result.stderr


def test_bot_token_alone_asks_for_the_app_token_first(tmp_path: Path) -> None:
    result = northstar("run", cwd=tmp_path, SLACK_BOT_TOKEN="xoxb-only")
    assert result.returncode == 2
    assert "neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET" in result.stderr
    assert result.stderr.index("SLACK_APP_TOKEN: an app-level token") < result.stderr.index(
        "set SLACK_SIGNING_SECRET"
    )
    assert "xoxb-only" not in result.stderr


def test_check_config_says_what_is_missing_or_that_run_can_start(tmp_path: Path) -> None:
    missing = northstar("check-config", cwd=tmp_path)
    assert missing.returncode == 2
    assert "SLACK_BOT_TOKEN and SLACK_APP_TOKEN are not set" in missing.stderr
    complete = northstar(
        "check-config", cwd=tmp_path, SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1"
    )
    assert complete.returncode == 0, complete.stderr
    assert complete.stderr.strip().splitlines()[-1] == (
        "Configuration is complete: northstar run serves one workspace in Socket Mode."
    )
    assert "xoxb-1" not in complete.stderr and "xapp-1" not in complete.stderr
    assert not list(tmp_path.glob("*.db"))  # checking starts nothing, not even the database


def test_first_run_generates_a_secret_key_once_and_never_prints_it(tmp_path: Path) -> None:
    first = northstar("run", cwd=tmp_path)
    env_file = (tmp_path / ".env").read_text()
    key = env_file.strip().removeprefix("NORTHSTAR_SECRET_KEY=")
    assert is_valid_secret_key(key)
    assert key not in first.stderr + first.stdout
    assert "Generated a new NORTHSTAR_SECRET_KEY" in first.stderr
    second = northstar("run", cwd=tmp_path)
    assert (tmp_path / ".env").read_text() == env_file
    assert "Generated" not in second.stderr
    assert oct((tmp_path / ".env").stat().st_mode & 0o777) == "0o600"


def test_invalid_secret_key_is_named(tmp_path: Path) -> None:
    result = northstar("migrate", cwd=tmp_path, NORTHSTAR_SECRET_KEY="short")
    assert result.returncode == 2
    assert "NORTHSTAR_SECRET_KEY is not valid" in result.stderr
    assert "Traceback" not in result.stderr


def test_socket_mode_needs_only_the_bot_token_besides_the_app_token(tmp_path: Path) -> None:
    result = northstar("run", cwd=tmp_path, SLACK_APP_TOKEN="xapp-1-test")
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN is not set" in result.stderr
    assert "SLACK_SIGNING_SECRET" not in result.stderr.splitlines()[0]


def test_migrate_builds_a_new_sqlite_file(tmp_path: Path) -> None:
    database = tmp_path / "data" / "northstar.db"
    database.parent.mkdir()
    result = northstar(
        "migrate",
        cwd=tmp_path,
        DATABASE_URL=f"sqlite+aiosqlite:///{database}",
        NORTHSTAR_SECRET_KEY=Fernet.generate_key().decode(),
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        version = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    assert {"workspace", "member", "run_ledger", "processed_event"} <= tables
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert version == [(head,)]
    assert not (tmp_path / ".env").exists()  # a key given in the environment is enough


async def _postgres(sql: str, database: str | None = None) -> list[str]:
    url = sa.make_url(POSTGRES_URL)
    if database:
        url = url.set(database=database)
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        return [str(row[0]) for row in await connection.fetch(sql)]
    finally:
        await connection.close()


@pytest.mark.skipif(not POSTGRES_URL, reason="TEST_DATABASE_URL is not set")
async def test_migrate_builds_a_new_postgresql_database(tmp_path: Path) -> None:
    name = "northstar_cli_migrate_test"
    await _postgres(f"DROP DATABASE IF EXISTS {name}")
    await _postgres(f"CREATE DATABASE {name}")
    try:
        url = sa.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
        result = await asyncio.to_thread(
            northstar,
            "migrate",
            cwd=tmp_path,
            DATABASE_URL=url,
            NORTHSTAR_SECRET_KEY=Fernet.generate_key().decode(),
        )
        assert result.returncode == 0, result.stderr
        tables = await _postgres(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'", name
        )
        assert {"workspace", "member", "run_ledger", "processed_event", "alembic_version"} <= set(
            tables
        )
    finally:
        await _postgres(f"DROP DATABASE IF EXISTS {name}")


def test_the_command_sets_the_collector_thresholds_for_whole_workspace_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = gc.get_threshold()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    try:
        gc.set_threshold(700, 10, 10)
        assert main(["check-config"]) == 2  # no credentials: it says what to set
        assert gc.get_threshold() == THRESHOLDS
    finally:
        gc.set_threshold(*before)
