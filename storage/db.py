"""Async engine and session factory for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.idle_ping import ping_idle_connections

SQLITE_BUSY_TIMEOUT_MS = 5000
POSTGRES_POOL_SIZE = 10
POSTGRES_POOL_OVERFLOW = 10
DEFAULT_STEADY_CONNECTIONS = 5  # SQLAlchemy's QueuePool default, as SQLite files get

SessionFactory = async_sessionmaker[AsyncSession]


def is_sqlite(url: str | sa.URL) -> bool:
    return sa.make_url(url).get_backend_name() == "sqlite"


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_engine(url: str) -> AsyncEngine:
    """Build the async engine; SQLite connections get WAL, foreign keys and a busy timeout,
    PostgreSQL ones a ping when they come out of the pool after an idle spell
    (``storage.idle_ping``).

    Statement parameters never reach logs or error messages (``hide_parameters``), and the
    SQLite driver's DEBUG log, which prints every statement with its parameters, is kept
    off: an anonymous survey answer is written in the same transaction that marks its
    author's invitation answered, so logged parameters would tie the two together.
    """
    if is_sqlite(url):
        logging.getLogger("aiosqlite").setLevel(logging.INFO)
        engine = create_async_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            hide_parameters=True,
        )
        sa.event.listen(engine.sync_engine, "connect", _set_sqlite_pragmas)
        return engine
    engine = create_async_engine(
        url,
        pool_size=POSTGRES_POOL_SIZE,
        max_overflow=POSTGRES_POOL_OVERFLOW,
        pool_use_lifo=True,  # the last returned goes out first: it needs no ping
        hide_parameters=True,
    )
    ping_idle_connections(engine)  # not ``pool_pre_ping``: a round trip for every checkout
    return engine


def steady_connections(engine: AsyncEngine) -> int:
    """The connections the engine's pool keeps (``pool_size``, overflow not counted).

    The app lets at most this many requests work after their ack at once
    (``bot.core.runtime.AdmissionGate``), so the overflow stays free for what must not wait:
    the replay guard before an ack, modal saves, scheduled jobs. A pool without a fixed size
    (SQLite in memory shares one connection) counts as SQLAlchemy's default of 5."""
    pool = engine.pool
    if isinstance(pool, sa.pool.QueuePool):
        return max(1, pool.size())
    return DEFAULT_STEADY_CONNECTIONS


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


@asynccontextmanager
async def transaction(factory: SessionFactory) -> AsyncIterator[AsyncSession]:
    """One unit of work: commits when the block ends normally, rolls back on any exception."""
    async with factory() as session, session.begin():
        yield session


async def database_answers(engine: AsyncEngine) -> bool:
    """True when a trivial query succeeds; used by ``/healthz``."""
    try:
        async with engine.connect() as connection:
            await connection.execute(sa.text("SELECT 1"))
    except Exception:  # any driver or network failure means "not healthy"
        return False
    return True
