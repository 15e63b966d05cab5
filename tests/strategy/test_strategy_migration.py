"""Migration 0012 keeps every goal, now as an objective of the current quarter, with nothing
else of it changed; and it goes down and up again."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.quarters import quarter_of
from storage.migrate import upgrade
from tests.conftest import DATABASES
from tests.migration_helpers import database_at, insert_rows

WORKSPACE = "T0STRATEGY"
SCHEMA = "migration_0012"
CREATED = datetime(2026, 9, 2, 9, 0, tzinfo=UTC)
KEPT = "number title level owner_id parent_id measure current_value target_value due_date state"


@pytest.fixture(params=DATABASES)
async def old_engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    async with database_at(
        "0011", kind=request.param, sqlite_path=tmp_path / "old.db", schema=SCHEMA
    ) as engine:
        yield engine


def _goal(number: int, parent: int | None, state: str) -> dict[str, Any]:
    return {
        "id": number,
        "team_id": WORKSPACE,
        "number": number,
        "title": f"Goal {number}",
        "description": "",
        "level": "company" if parent is None else "team",
        "team_ref": None,
        "owner_id": "UOWNER",
        "parent_id": parent,
        "measure": "number",
        "start_value": 0.0,
        "target_value": 10.0,
        "current_value": float(number),
        "unit": "",
        "start_date": date(2026, 7, 1),
        "due_date": date(2027, 6, 30),
        "confidence": 7,
        "status_override": None,
        "state": state,
        "created_by": "UOWNER",
        "created_at": CREATED,
        "updated_at": CREATED,
        "progress_at": CREATED,
        "closed_at": None,
    }


async def _goals(engine: AsyncEngine) -> list[dict[str, Any]]:
    async with engine.connect() as connection:
        rows = await connection.execute(sa.text("SELECT * FROM goal ORDER BY number"))
        return [dict(row._mapping) for row in rows]


async def test_every_goal_becomes_an_objective_of_the_current_quarter(
    old_engine: AsyncEngine,
) -> None:
    await insert_rows(
        old_engine,
        "workspace",
        [
            {
                "team_id": WORKSPACE,
                "name": "Strategy Inc",
                "vision": "",
                "mission": "",
                "timezone": "UTC",
                "settings": {},
                "created_at": CREATED,
                "updated_at": CREATED,
            }
        ],
    )
    await insert_rows(
        old_engine, "goal", [_goal(1, None, "open"), _goal(2, 1, "open"), _goal(3, 1, "done")]
    )
    before = await _goals(old_engine)
    around = {quarter_of(datetime.now(UTC).date())}
    await upgrade(old_engine, "head")
    around.add(quarter_of(datetime.now(UTC).date()))  # the upgrade may cross midnight
    after = await _goals(old_engine)

    assert [{k: row[k] for k in KEPT.split()} for row in after] == [
        {k: row[k] for k in KEPT.split()} for row in before
    ]
    for row in after:
        quarter = next(q for q in around if q.key == row["period"])
        start, end = row["period_start"], row["period_end"]
        assert (str(start)[:10], str(end)[:10]) == (str(quarter.start), str(quarter.end))
        assert row["priority_id"] is None


async def test_down_to_0011_and_up_again(old_engine: AsyncEngine) -> None:
    await upgrade(old_engine, "head")
    async with old_engine.begin() as connection:
        await connection.run_sync(_downgrade_to_0011)
    await upgrade(old_engine, "head")
    async with old_engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: sa.inspect(sync).get_table_names())
    assert {"priority", "key_result", "review", "welcome"} <= set(tables)


def _downgrade_to_0011(connection: sa.Connection) -> None:
    from alembic import command

    from storage.migrate import alembic_config

    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, "0011")
