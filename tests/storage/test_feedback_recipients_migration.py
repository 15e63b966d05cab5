"""Migration 0009 gives every existing feedback thread the recipients it has today, on SQLite
and (with ``TEST_DATABASE_URL``) on PostgreSQL in a schema of its own."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.migrate import upgrade
from tests.conftest import DATABASES
from tests.migration_helpers import database_at, insert_rows

WORKSPACE = "T0MIGRATE"
OTHER = "T0ELSEWHERE"
SCHEMA = "migration_0009"
CREATED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ADMINS = ["UOWNER", "USLACKADM", "UGRANTED"]  # owner, Slack admin, Northstar admin


@pytest.fixture(params=DATABASES)
async def old_engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An empty database migrated only to 0008."""
    async with database_at(
        "0008", kind=request.param, sqlite_path=tmp_path / "old.db", schema=SCHEMA
    ) as engine:
        yield engine


def _workspace(team_id: str) -> dict[str, Any]:
    return {
        "team_id": team_id,
        "name": team_id,
        "vision": "",
        "mission": "",
        "timezone": "UTC",
        "settings": {},
        "created_at": CREATED,
        "updated_at": CREATED,
    }


def _member(team_id: str, user_id: str, **flags: Any) -> dict[str, Any]:
    values = {"is_admin": False, "is_owner": False, "role": "member", "deleted": False}
    return (
        {
            "team_id": team_id,
            "user_id": user_id,
            "name": user_id.lower(),
            "real_name": "",
            "display_name": "",
            "is_bot": False,
            "updated_at": CREATED,
        }
        | values
        | flags
    )


def _thread(code: str, kind: str, team_ref: int | None, team_id: str = WORKSPACE) -> dict[str, Any]:
    return {
        "id": f"thread{code}",
        "team_id": team_id,
        "code": code,
        "recipient_kind": kind,
        "team_ref": team_ref,
        "sealed_author": "sealed",
        "state": "open",
        "message_count": 1,
        "created_on": date(2026, 11, 2),
    }


async def test_existing_threads_get_todays_admins_or_lead(old_engine: AsyncEngine) -> None:
    await insert_rows(old_engine, "workspace", [_workspace(WORKSPACE), _workspace(OTHER)])
    await insert_rows(
        old_engine,
        "member",
        [
            _member(WORKSPACE, "UOWNER", is_owner=True),
            _member(WORKSPACE, "USLACKADM", is_admin=True),
            _member(WORKSPACE, "UGRANTED", role="admin"),
            _member(WORKSPACE, "UGONEADM", is_admin=True, deleted=True),
            _member(WORKSPACE, "UPLAIN"),
            _member(OTHER, "UOTHERADM", is_admin=True),
        ],
    )
    teams = [
        {"id": 1, "team_id": WORKSPACE, "name": "Sales", "name_key": "sales"},
        {"id": 2, "team_id": WORKSPACE, "name": "Ops", "name_key": "ops"},
    ]
    await insert_rows(
        old_engine,
        "team",
        [
            team | {"lead_user_id": lead, "channel_id": None, "created_at": CREATED}
            for team, lead in zip(teams, ("ULEADSALES", None), strict=True)
        ],
    )
    await insert_rows(
        old_engine,
        "feedback_thread",
        [
            _thread("AAAA", "admins", None),
            _thread("BBBB", "team", 1),
            _thread("CCCC", "team", 2),
            _thread("DDDD", "team", None),  # its team was deleted
            _thread("EEEE", "admins", None, team_id=OTHER),
        ],
    )

    await upgrade(old_engine)

    async with old_engine.connect() as connection:
        found = await connection.execute(
            sa.text("SELECT code, recipient_ids FROM feedback_thread ORDER BY code")
        )
        rows = {code: value for code, value in found.all()}
    decoded = {  # SQLite hands the JSON back as text, PostgreSQL as a list
        code: sorted(json.loads(value) if isinstance(value, str) else value)
        for code, value in rows.items()
    }
    assert decoded == {
        "AAAA": sorted(ADMINS),
        "BBBB": ["ULEADSALES"],
        "CCCC": [],
        "DDDD": [],
        "EEEE": ["UOTHERADM"],
    }
