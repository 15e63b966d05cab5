"""Counting the SQL statements a piece of code sends: how tests show that a read does not
grow with the data (speed itself is measured in ``bench/``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from bot.core.runtime import Runtime


@contextmanager
def recorded_statements(runtime: Runtime) -> Iterator[list[str]]:
    """The statements the runtime's engine sends inside the ``with`` block, in order."""
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    sa.event.listen(runtime.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(runtime.engine.sync_engine, "before_cursor_execute", record)
