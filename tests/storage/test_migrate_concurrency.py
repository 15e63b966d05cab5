"""Replicas starting together on one PostgreSQL migrate one after the other, not at once."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from storage.db import create_engine
from storage.migrate import upgrade
from tests.conftest import POSTGRES_URL

SCRATCH_DATABASE = "northstar_migrate_race"


async def scratch_url() -> str:
    """A database of its own beside the test database, emptied, so the race starts fresh."""
    url = make_url(POSTGRES_URL)
    server = await asyncpg.connect(
        host=url.host, port=url.port or 5432, user=url.username, database="postgres"
    )
    try:
        await server.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DATABASE}" WITH (FORCE)')
        await server.execute(f'CREATE DATABASE "{SCRATCH_DATABASE}"')
    finally:
        await server.close()
    return url.set(database=SCRATCH_DATABASE).render_as_string(hide_password=False)


@pytest.mark.skipif(not POSTGRES_URL, reason="TEST_DATABASE_URL is not set")
async def test_replicas_starting_together_both_come_up_on_one_schema() -> None:
    url = await scratch_url()
    engines = [create_engine(url) for _ in range(3)]
    try:
        # Without the migration lock they deadlock or collide on CREATE TABLE.
        await asyncio.wait_for(asyncio.gather(*(upgrade(engine) for engine in engines)), 60)
        async with engines[0].connect() as connection:
            version = (
                await connection.execute(sa.text("SELECT version_num FROM alembic_version"))
            ).all()
        assert len(version) == 1
    finally:
        for engine in engines:
            await engine.dispose()
