"""Every column that holds a value encrypted with the secret keys, read and rewritten in batches.

``northstar rekey`` (``bot.app.rekey``) walks these to encrypt every value again with the current
``NORTHSTAR_SECRET_KEY``. Columns are named here, not found by type: a new encrypted column
must be added to ``SEALED_COLUMNS`` (``tests/app/test_rekey.py`` checks that none is missed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.repositories.installations import SECRET_COLUMNS, slack_bots, slack_installations

SEALED_AUTHOR = "sealed_author"


@dataclass(frozen=True)
class SealedColumns:
    """The encrypted columns of one table, read in the order of its one-column primary key."""

    table: sa.Table
    columns: tuple[str, ...]

    @property
    def key(self) -> sa.Column[Any]:
        (key,) = self.table.primary_key.columns
        return key


def _secrets_of(table: sa.Table) -> SealedColumns:
    return SealedColumns(table, tuple(name for name in SECRET_COLUMNS if name in table.c))


def sealed_columns() -> tuple[SealedColumns, ...]:
    tables = SQLModel.metadata.tables
    return (
        SealedColumns(tables["reply_token"], (SEALED_AUTHOR,)),
        SealedColumns(tables["feedback_thread"], (SEALED_AUTHOR,)),
        _secrets_of(slack_installations),
        _secrets_of(slack_bots),
    )


@dataclass(frozen=True)
class SealedRow:
    key: Any
    values: dict[str, str | None]


async def sealed_batch(
    session: AsyncSession, sealed: SealedColumns, *, after: Any | None, limit: int
) -> list[SealedRow]:
    """Up to ``limit`` rows whose key comes after ``after`` (all rows from the first when
    ``None``), with their encrypted values."""
    columns = [sealed.table.c[name] for name in sealed.columns]
    statement = sa.select(sealed.key, *columns).order_by(sealed.key).limit(limit)
    if after is not None:
        statement = statement.where(sealed.key > after)
    connection = await session.connection()
    rows = (await connection.execute(statement)).all()
    return [SealedRow(row[0], dict(zip(sealed.columns, row[1:], strict=True))) for row in rows]


async def replace_sealed(
    session: AsyncSession, sealed: SealedColumns, *, key: Any, column: str, old: str, new: str
) -> bool:
    """Write ``new`` where the row still holds ``old`` (so a value that Northstar rewrote in the
    meantime is left as it is); True when it was written."""
    target = sealed.table.c[column]
    statement = (
        sa.update(sealed.table).where(sealed.key == key, target == old).values({column: new})
    )
    result = await session.exec(statement)
    return int(getattr(result, "rowcount", 0) or 0) == 1
