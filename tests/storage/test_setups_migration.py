"""Migration 0011 turns the workspace's one check-in into its default setup and loses nothing:
every round (its week becomes its period), invitation, answer, share and pause stays, on
SQLite and (with ``TEST_DATABASE_URL``) on PostgreSQL in a schema of its own; and it can be
undone and done again."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.checkins.settings import DEFAULT_QUESTIONS, CheckinSettings, read_config
from storage.migrate import alembic_config, upgrade
from storage.models import ALL_SETUPS
from tests.conftest import DATABASES
from tests.migration_helpers import database_at, insert_rows

WORKSPACE = "T0SETUPS"
QUIET = "T0NOCHECKIN"  # never changed its check-in settings
SCHEMA = "migration_0011"
CREATED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
OLD_QUESTIONS = [
    {"key": "moved", "text": "What moved?", "kind": "text", "required": True},
    {"key": "blockers", "text": "Blocked by?", "kind": "text", "required": False},
    {"key": "next", "text": "Next?", "kind": "text", "required": True},
    {"key": "mood", "text": "Mood, 1 to 5?", "kind": "mood", "required": False},
]
OLD_CHECKINS = {
    "enabled": True,
    "weekday": 3,
    "local_time": "10:00:00",
    "window_days": 2,
    "reminder_at": 0.25,
    "questions": OLD_QUESTIONS,
    "team_refs": [1, 2],
    "share_in_team_channels": True,
}
GOALS = {
    "key": "goals",
    "text": "Update your goals' progress",
    "kind": "goals",
    "required": False,
}
DELIVERY_COLUMNS = (
    "id, round_id, team_id, user_id, state, prompt_at, remind_at, closes_at, claimed_at,"
    " sent_at, reminded_at, answered_at, channel_id, message_ts, error"
)
ANSWER_COLUMNS = "id, delivery_id, round_id, team_id, user_id, answers, mood, late"


@pytest.fixture(params=DATABASES)
async def old_engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An empty database migrated only to 0010, the schema before setups."""
    async with database_at(
        "0010", kind=request.param, sqlite_path=tmp_path / "old.db", schema=SCHEMA
    ) as engine:
        yield engine


def _workspace(team_id: str, settings: dict[str, Any]) -> dict[str, Any]:
    return {
        "team_id": team_id,
        "name": team_id,
        "vision": "",
        "mission": "",
        "timezone": "Europe/Berlin",
        "settings": settings,
        "created_at": CREATED,
        "updated_at": CREATED,
    }


def _at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=UTC)


def _delivery(ident: int, round_id: int, user_id: str, state: str, **when: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": ident,
        "round_id": round_id,
        "team_id": WORKSPACE,
        "user_id": user_id,
        "state": state,
        "prompt_at": _at(5 if round_id == 1 else 12),
        "remind_at": _at(6 if round_id == 1 else 13),
        "closes_at": _at(7 if round_id == 1 else 14, 23),
        "claimed_at": None,
        "sent_at": None,
        "reminded_at": None,
        "answered_at": None,
        "channel_id": None,
        "message_ts": None,
        "error": "",
    }
    return row | when


async def _seed(engine: AsyncEngine) -> None:
    await insert_rows(
        engine,
        "workspace",
        [
            _workspace(WORKSPACE, {"checkins": OLD_CHECKINS, "digest": {"weekday": 4}}),
            _workspace(QUIET, {}),
        ],
    )
    await insert_rows(
        engine,
        "team",
        [
            {
                "id": ref,
                "team_id": WORKSPACE,
                "name": name,
                "name_key": name.lower(),
                "lead_user_id": None,
                "channel_id": channel,
                "created_at": CREATED,
            }
            for ref, name, channel in ((1, "Sales", "CSALES01"), (2, "Ops", None))
        ],
    )
    await insert_rows(
        engine,
        "checkin_round",
        [
            {"id": ident, "team_id": WORKSPACE, "week": week, "questions": OLD_QUESTIONS}
            | {"created_at": CREATED}
            for ident, week in ((1, "2026-W45"), (2, "2026-W46"))
        ],
    )
    sent = {"claimed_at": _at(5), "sent_at": _at(5), "channel_id": "D1", "message_ts": "1.1"}
    await insert_rows(
        engine,
        "checkin_delivery",
        [
            _delivery(1, 1, "UANNA", "answered", **sent, answered_at=_at(5, 11)),
            _delivery(2, 1, "UBEN", "sent", **sent, reminded_at=_at(6)),
            _delivery(3, 1, "UCARA", "skipped"),
            _delivery(4, 1, "UDAN", "failed", error="cannot_dm_bot"),
            _delivery(5, 2, "UANNA", "answered", **sent, answered_at=_at(12, 10)),
            _delivery(6, 2, "UBEN", "pending"),
            _delivery(7, 2, "UCARA", "sending", claimed_at=_at(12)),
        ],
    )
    await insert_rows(
        engine,
        "checkin_answer",
        [
            {
                "id": ident,
                "delivery_id": delivery,
                "round_id": round_id,
                "team_id": WORKSPACE,
                "user_id": "UANNA",
                "answers": {"moved": f"moved {round_id}", "next": "more", "mood": "4"},
                "mood": 4,
                "late": late,
                "created_at": CREATED,
                "updated_at": CREATED,
            }
            for ident, delivery, round_id, late in ((1, 1, 1, False), (2, 5, 2, True))
        ],
    )
    await insert_rows(
        engine,
        "checkin_share",
        [
            {
                "round_id": 1,
                "team_ref": 1,
                "team_id": WORKSPACE,
                "channel_id": "CSALES01",
                "thread_ts": "100.5",
                "error": "",
                "error_reported": False,
            }
        ],
    )
    await insert_rows(
        engine,
        "checkin_pause",
        [{"team_id": WORKSPACE, "user_id": "UBEN", "until": date(2026, 12, 24)}],
    )


def _json(value: Any) -> Any:
    """SQLite hands JSON back as text, PostgreSQL decoded."""
    return json.loads(value) if isinstance(value, str) else value


async def _rows(engine: AsyncEngine, query: str) -> list[tuple[Any, ...]]:
    async with engine.connect() as connection:
        return [tuple(row) for row in (await connection.execute(sa.text(query))).all()]


async def _history(engine: AsyncEngine) -> tuple[list[tuple[Any, ...]], ...]:
    """The invitations, answers and shares, comparable across the migration."""
    deliveries = await _rows(engine, f"SELECT {DELIVERY_COLUMNS} FROM checkin_delivery ORDER BY id")
    answers = [
        (*row[:5], _json(row[5]), *row[6:])
        for row in await _rows(engine, f"SELECT {ANSWER_COLUMNS} FROM checkin_answer ORDER BY id")
    ]
    shares = await _rows(
        engine, "SELECT round_id, team_ref, channel_id, thread_ts FROM checkin_share"
    )
    return deliveries, answers, shares


async def _settings(engine: AsyncEngine) -> dict[str, dict[str, Any]]:
    rows = await _rows(engine, "SELECT team_id, settings FROM workspace")
    return {team_id: _json(raw) for team_id, raw in rows}


def _downgrade_on(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


async def _downgrade(engine: AsyncEngine, revision: str) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(_downgrade_on, revision)


async def _check_upgraded(engine: AsyncEngine, before: tuple[list[tuple[Any, ...]], ...]) -> None:
    setups = {
        team_id: (ident, name, default_key, _json(config))
        for ident, team_id, name, default_key, config in await _rows(
            engine, "SELECT id, team_id, name, default_key, config FROM checkin_setup"
        )
    }
    assert set(setups) == {WORKSPACE, QUIET}
    setup_id, name, default_key, config = setups[WORKSPACE]
    assert (name, default_key) == ("Weekly check-in", "default")
    settings = read_config(config)
    assert settings.days == [3] and settings.weekday == 3 and not settings.is_stand_up
    assert settings.local_time.isoformat() == "10:00:00"
    assert (settings.window_days, settings.reminder_at) == (2, 0.25)
    assert settings.team_refs == [1, 2] and settings.share_in_team_channels
    assert [q.model_dump() for q in settings.questions] == [*OLD_QUESTIONS, GOALS]

    quiet_id, _, quiet_key, quiet_config = setups[QUIET]
    assert quiet_key == "default"
    assert [q.key for q in read_config(quiet_config).questions] == [
        q.key for q in DEFAULT_QUESTIONS
    ]
    assert read_config(quiet_config) == CheckinSettings()  # the defaults, goals included
    assert [q.kind for q in DEFAULT_QUESTIONS][-1] == "goals"

    rounds = await _rows(
        engine, "SELECT id, team_id, setup_id, period, week, questions FROM checkin_round"
    )
    assert sorted((r[0], r[1], r[2], r[3], r[4], _json(r[5])) for r in rounds) == [
        (1, WORKSPACE, setup_id, "2026-W45", "2026-W45", [*OLD_QUESTIONS, GOALS]),
        (2, WORKSPACE, setup_id, "2026-W46", "2026-W46", [*OLD_QUESTIONS, GOALS]),
    ]
    assert await _history(engine) == before  # every invitation, answer and share unchanged
    pauses = await _rows(engine, "SELECT team_id, user_id, setup_id, until FROM checkin_pause")
    assert [(t, u, s, str(d)) for t, u, s, d in pauses] == [
        (WORKSPACE, "UBEN", ALL_SETUPS, "2026-12-24")
    ]
    workspaces = await _settings(engine)
    assert workspaces == {WORKSPACE: {"digest": {"weekday": 4}}, QUIET: {}}
    assert quiet_id != setup_id


async def test_the_default_setup_keeps_every_round_answer_and_pause(
    old_engine: AsyncEngine,
) -> None:
    await _seed(old_engine)
    before = await _history(old_engine)
    assert len(before[0]) == 7 and len(before[1]) == 2 and len(before[2]) == 1

    await upgrade(old_engine)

    await _check_upgraded(old_engine, before)


async def test_downgrade_to_0010_and_upgrade_again_keeps_everything(
    old_engine: AsyncEngine,
) -> None:
    await _seed(old_engine)
    before = await _history(old_engine)
    await upgrade(old_engine)

    await _downgrade(old_engine, "0010")

    assert await _history(old_engine) == before
    rounds = await _rows(old_engine, "SELECT id, week, questions FROM checkin_round ORDER BY id")
    assert [(i, w, _json(q)) for i, w, q in rounds] == [
        (1, "2026-W45", OLD_QUESTIONS),
        (2, "2026-W46", OLD_QUESTIONS),
    ]
    restored = (await _settings(old_engine))[WORKSPACE]["checkins"]
    assert restored["weekday"] == 3 and restored["questions"] == OLD_QUESTIONS
    assert restored["team_refs"] == [1, 2] and restored["local_time"] == "10:00:00"
    pauses = await _rows(old_engine, "SELECT team_id, user_id, until FROM checkin_pause")
    assert [(t, u, str(d)) for t, u, d in pauses] == [(WORKSPACE, "UBEN", "2026-12-24")]

    await upgrade(old_engine)

    await _check_upgraded(old_engine, before)
