"""Time stamps come back from either database as the instant stored, always in UTC: on
SQLite, where the text SQLAlchemy writes is read with its zone in one call, as on any text
the usual way reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any, cast

import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.type_api import TypeDecorator

from storage.models import SeenRequest
from storage.models.base import UTCDateTime

SQLITE = sqlite.dialect()
COLUMN = cast(UTCDateTime, UTCDateTime().dialect_impl(SQLITE))


def read(text: object) -> Any:
    processor = COLUMN.result_processor(SQLITE, None)
    assert processor is not None
    return processor(text)


def read_the_usual_way(text: object) -> Any:
    processor = TypeDecorator[datetime].result_processor(COLUMN, SQLITE, None)
    assert processor is not None
    return processor(text)


def written(value: datetime) -> Any:
    processor = COLUMN.bind_processor(SQLITE)
    assert processor is not None
    return processor(COLUMN.process_bind_param(value, SQLITE))


# hypothesis takes its bounds naive, and draws the zone apart
EARLIEST = datetime(1901, 1, 2)  # noqa: DTZ001
LATEST = datetime(2199, 12, 30)  # noqa: DTZ001
zones = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)


@given(st.datetimes(min_value=EARLIEST, max_value=LATEST, timezones=zones))
def test_what_sqlite_keeps_reads_back_as_the_same_instant_in_utc(value: datetime) -> None:
    text = written(value)
    back = read(text)
    assert back == value and back.tzinfo is UTC
    assert back == read_the_usual_way(text)


def test_text_written_some_other_way_reads_as_the_usual_way_reads_it() -> None:
    for text in (
        "2026-11-20 10:00:00",  # CURRENT_TIMESTAMP
        "2026-11-20 10:00:00.5",
        "2026-11-20",  # a date alone: midnight UTC, never a naive datetime
        "2026-11-20 12:00:00.000000",
        "2026-11-20 10:00:00+02:00",  # a zone of its own
        "2026-11-20T10:00:00",
        "2026-11-20 10:00:00.000000+00:00",
    ):
        back = read(text)
        assert back == read_the_usual_way(text) and back.tzinfo is UTC, text
    assert read(None) is None


async def test_both_databases_give_back_the_instant_in_utc(engine: AsyncEngine) -> None:
    instants = {
        "a" * 64: datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=2))),
        "b" * 64: datetime(2026, 10, 25, 23, 59, 59, 999999, tzinfo=UTC),
        "c" * 64: datetime(1999, 12, 31, 19, 0, tzinfo=timezone(timedelta(hours=-5))),
    }
    table = cast(sa.Table, SeenRequest.__table__)  # type: ignore[attr-defined]
    async with engine.begin() as connection:
        await connection.execute(
            sa.insert(table),
            [
                {"signature_hash": key, "team_id": "T1", "expires_at": value}
                for key, value in instants.items()
            ],
        )
        rows = (
            await connection.execute(sa.select(table.c.signature_hash, table.c.expires_at))
        ).all()
        await connection.execute(sa.delete(table))
    assert {key: value for key, value in rows} == instants
    assert all(value.tzinfo is UTC for _, value in rows)
