"""PostgreSQL connections are pinged when they leave the pool after an idle spell, and only
then (``storage.idle_ping``): on the real server, with connections the server really ends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import idle_ping
from storage.db import create_engine


@pytest.fixture
async def postgres(postgres_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(postgres_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def pings(postgres: AsyncEngine, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Each ping the dialect sends, as it sends it."""
    dialect = postgres.sync_engine.dialect
    sent: list[object] = []
    real_ping = dialect.do_ping

    def counted(dbapi_connection: Any) -> bool:
        sent.append(dbapi_connection)
        return real_ping(dbapi_connection)

    monkeypatch.setattr(dialect, "do_ping", counted)
    return sent


async def backend_pid(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(sa.text("SELECT pg_backend_pid()"))).scalar_one())


async def end_backend(postgres_url: str, pid: int) -> None:
    """End a server process from outside the pool, as a server restart would."""
    other = create_engine(postgres_url)
    try:
        async with other.connect() as connection:
            statement = sa.text("SELECT pg_terminate_backend(:pid)")
            assert (await connection.execute(statement, {"pid": pid})).scalar_one()
    finally:
        await other.dispose()


async def test_a_connection_back_within_the_idle_window_is_not_pinged(
    postgres: AsyncEngine, pings: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(idle_ping, "PING_AFTER_IDLE_SECONDS", 3600.0)  # however slow the machine
    first = await backend_pid(postgres)
    for _ in range(20):  # a burst: the same connection comes back within milliseconds
        assert await backend_pid(postgres) == first
    assert pings == []


async def test_a_connection_back_after_the_idle_window_is_pinged(
    postgres: AsyncEngine, pings: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(idle_ping, "PING_AFTER_IDLE_SECONDS", 0.0)  # every spell is long enough
    for _ in range(5):
        await backend_pid(postgres)
    assert len(pings) == 4  # the first checkout was of a fresh connection


async def test_a_connection_the_server_ended_while_idle_is_replaced_unseen(
    postgres: AsyncEngine, postgres_url: str, pings: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(idle_ping, "PING_AFTER_IDLE_SECONDS", 0.0)
    ended = await backend_pid(postgres)
    await end_backend(postgres_url, ended)
    assert await backend_pid(postgres) != ended  # the ping failed; a new connection answered
    assert len(pings) == 1


async def test_inside_the_idle_window_an_ended_connection_fails_one_unit_of_work(
    postgres: AsyncEngine, postgres_url: str, pings: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The price of not pinging a connection that answered a moment ago: when the server ends
    it in that moment, its next unit of work fails (and rolls back); the pool is then
    dropped, and the one after it gets a new connection."""
    monkeypatch.setattr(idle_ping, "PING_AFTER_IDLE_SECONDS", 3600.0)  # however slow the machine
    ended = await backend_pid(postgres)
    await end_backend(postgres_url, ended)
    with pytest.raises(sa.exc.DBAPIError) as failure:
        await backend_pid(postgres)
    assert failure.value.connection_invalidated
    assert await backend_pid(postgres) != ended
    assert pings == []


async def pooled_pids(engine: AsyncEngine, count: int) -> list[int]:
    """The server processes of ``count`` connections held at once, then all returned."""
    held = [await engine.connect() for _ in range(count)]
    pids = [
        int((await connection.execute(sa.text("SELECT pg_backend_pid()"))).scalar_one())
        for connection in held
    ]
    for connection in held:
        await connection.close()
    return pids


async def test_the_connection_returned_last_goes_out_first(postgres: AsyncEngine) -> None:
    """After a burst has opened several connections, a light load keeps reusing the one
    returned last, which stays inside the idle window, rather than cycling through them all."""
    pids = await pooled_pids(postgres, 3)
    assert [await backend_pid(postgres) for _ in range(3)] == [pids[-1]] * 3


async def test_a_ping_that_fails_without_a_disconnect_is_raised_and_keeps_the_pool(
    postgres: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a ping that finds the connection gone drops the pool: any other error reaches
    the caller, and only the connection it came from is replaced, as with ``pool_pre_ping``."""
    kept, failed = await pooled_pids(postgres, 2)
    monkeypatch.setattr(idle_ping, "PING_AFTER_IDLE_SECONDS", 0.0)

    def failing(_dbapi_connection: Any) -> bool:
        raise RuntimeError("not a disconnect")

    monkeypatch.setattr(postgres.sync_engine.dialect, "do_ping", failing)
    with pytest.raises(RuntimeError, match="not a disconnect"):
        await backend_pid(postgres)  # takes the connection returned last: ``failed``
    monkeypatch.undo()
    now_pooled = await pooled_pids(postgres, 2)
    assert kept in now_pooled and failed not in now_pooled
