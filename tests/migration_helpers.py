"""Databases stopped at an older schema revision, for tests of one migration's data changes.

SQLite gets a file of its own; PostgreSQL (``TEST_DATABASE_URL``) a schema of its own, so the
migrated test database the other tests share is not touched.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage.migrate import upgrade
from tests.conftest import POSTGRES_URL


@asynccontextmanager
async def database_at(
    revision: str,
    *,
    kind: str,
    sqlite_path: Path,
    schema: str,
    sqlite_engine: Callable[[str], AsyncEngine] = create_async_engine,
) -> AsyncIterator[AsyncEngine]:
    """An empty database (``kind`` "sqlite" or "postgresql") migrated only to ``revision``."""
    if kind == "sqlite":
        engine = sqlite_engine(f"sqlite+aiosqlite:///{sqlite_path}")
    else:
        engine = create_async_engine(
            POSTGRES_URL, connect_args={"server_settings": {"search_path": schema}}
        )
        await _recreate_schema(engine, schema, create=True)
    await upgrade(engine, revision)
    try:
        yield engine
    finally:
        if kind != "sqlite":
            await _recreate_schema(engine, schema, create=False)
        await engine.dispose()


async def _recreate_schema(engine: AsyncEngine, schema: str, *, create: bool) -> None:
    async with engine.begin() as connection:
        await connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        if create:
            await connection.execute(sa.text(f"CREATE SCHEMA {schema}"))


async def insert_rows(engine: AsyncEngine, table: str, rows: list[dict[str, Any]]) -> None:
    """Rows written as an old version of Northstar would have, JSON columns included."""
    columns = [
        sa.column(name, sa.JSON() if isinstance(value, dict | list) else None)
        for name, value in rows[0].items()
    ]
    async with engine.begin() as connection:
        await connection.execute(sa.insert(sa.table(table, *columns)), rows)
