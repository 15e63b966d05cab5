"""What every benchmark shares: settings, the database, SQL statement counting, percentiles.

The database is migrated and seeded in a separate process (``prepare_database``), so that the
memory the benchmark process reports is the memory of the work measured, not of the seeding.
"""

from __future__ import annotations

import asyncio
import base64
import multiprocessing
import os
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.anonymity import quiet_payload_loggers
from bot.core.collector import tune_collector
from bot.core.config import Settings
from storage.db import create_engine

# Who the benchmarks act as: the seeded workspace, its admin and one member.
TEAM_ID = "T0001"
ADMIN_ID = "UADMIN01"
MEMBER_ID = "UMEMBER1"
# fakeslack.app_requests.DEFAULT_SIGNING_SECRET, repeated so that a server process of a
# benchmark does not load the fake Slack's web server (tests/perf checks they agree)
SIGNING_SECRET = "fake-slack-signing-secret-0123456789"

T = TypeVar("T")
Seeder = Callable[[AsyncEngine], Awaitable[T]]
SPAWN = multiprocessing.get_context("spawn")


def bench_settings(database_url: str, api_url: str) -> Settings:
    return Settings(
        _env_file=None,
        slack_bot_token="xoxb-bench",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=api_url,
        slack_response_url_prefix=api_url.removesuffix("api/") + "response/",  # the fake's
        database_url=database_url,
        # a Fernet key (what Fernet.generate_key makes), without loading cryptography here
        northstar_secret_key=base64.urlsafe_b64encode(os.urandom(32)).decode(),
    )


class StatementCounter:
    """Counts the SQL statements an engine sends, from the moment it is made."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.count = 0
        sa.event.listen(engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: Any) -> None:
        self.count += 1


@contextmanager
def database_url() -> Iterator[str]:
    """DATABASE_URL when set (PostgreSQL: a database named ``*bench*``), else a fresh SQLite
    file that is deleted afterwards."""
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: with 20 values, p95 and p99 are both the largest."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def reset_postgres(engine: AsyncEngine) -> None:
    name = engine.url.database or ""
    if "bench" not in name:
        raise SystemExit(
            f"refusing to empty PostgreSQL database {name!r}: point DATABASE_URL at a "
            "throwaway database whose name contains 'bench' (createdb bench)"
        )
    async with engine.begin() as connection:
        await connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        await connection.execute(sa.text("CREATE SCHEMA public"))


async def _prepare(url: str, seed: Seeder[T] | None) -> T | None:
    # Alembic (about 10 MiB) only in the seeding child: a benchmark's memory is the app's.
    from storage.migrate import upgrade

    engine = create_engine(url)
    try:
        if engine.dialect.name == "postgresql":
            await reset_postgres(engine)
        await upgrade(engine)
        return await seed(engine) if seed is not None else None
    finally:
        await engine.dispose()


def _prepare_here(url: str, seed: Seeder[T] | None) -> T | None:
    return asyncio.run(_prepare(url, seed))


def prepare_database(url: str, seed: Seeder[T] | None = None) -> T | None:
    """Empty (PostgreSQL), migrate and seed the database in a child process; returns what
    ``seed`` returned. ``seed`` must be picklable: a module-level function or a partial."""
    with ProcessPoolExecutor(max_workers=1, mp_context=SPAWN) as pool:
        return pool.submit(_prepare_here, url, seed).result()


def start_as_northstar_does() -> None:
    """What ``northstar`` does at start-up (``bot.cli``) that bears on its speed: the
    collector's thresholds, and the libraries' payload loggers held at INFO."""
    tune_collector()
    quiet_payload_loggers()


async def gather_statistics(engine: AsyncEngine) -> None:
    """On PostgreSQL, ANALYZE what was just seeded, as autovacuum would in a while: without
    statistics it plans a freshly loaded table as if it were empty, and a plan it then keeps
    for a prepared statement can scan a whole table per row (the fan-out's member lookup took
    150-250 ms instead of 2). Committed: an ANALYZE that is rolled back keeps nothing."""
    if engine.dialect.name == "postgresql":
        async with engine.begin() as connection:
            await connection.execute(sa.text("ANALYZE"))
