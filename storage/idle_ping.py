"""PostgreSQL connections are tested before use only when they have sat idle in the pool.

SQLAlchemy's ``pool_pre_ping`` pings a connection at every checkout: one more round trip to
the server for each transaction. In a burst (acks, a fan-out's claims and records) the same
connections come back within milliseconds, and a ping of each made the database's share of a
transaction larger than its statements. A connection idle for less than
``PING_AFTER_IDLE_SECONDS`` was answering a moment ago, so only one idle for longer is pinged.

A connection whose ping finds it disconnected is replaced, and every connection pooled before
it is dropped too (a server restart ends them all), as ``pool_pre_ping`` does; any other error
of the ping is raised as it is. A server restart within the idle window of a connection
surfaces on that connection's first statement instead: each unit of work that takes such a
connection fails and rolls back, until the first failure has made SQLAlchemy drop the pool.
The pool hands out the connection returned last (``pool_use_lifo``), so under a light load the
same few connections stay in use and stay inside the window.
"""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

PING_AFTER_IDLE_SECONDS = 1.0
_RETURNED_AT = "northstar_returned_at"  # in each pooled connection's ``info``: when it came back


def ping_idle_connections(engine: AsyncEngine) -> None:
    """Ping each connection checked out of ``engine``'s pool after an idle spell longer than
    ``PING_AFTER_IDLE_SECONDS``; a fresh or recently returned one goes out unpinged."""
    dialect = engine.sync_engine.dialect
    driver_error = dialect.loaded_dbapi.Error  # what a ping that failed in the driver raises

    def returned(_dbapi_connection: Any, record: Any) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    def checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned_at = record.info.pop(_RETURNED_AT, None)
        if returned_at is None or time.monotonic() - returned_at < PING_AFTER_IDLE_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except driver_error as error:
            if not dialect.is_disconnect(error, dbapi_connection, None):
                raise
            # replace this connection and every one pooled before it; the pool tries again
            raise sa.exc.InvalidatePoolError(
                f"a pooled connection failed its ping: {error}"
            ) from error

    sa.event.listen(engine.sync_engine.pool, "checkin", returned)
    sa.event.listen(engine.sync_engine.pool, "checkout", checked_out)
