"""Per-workspace sequences for the short numbers people type (``G-12``, ``K-3``)."""

from __future__ import annotations

from sqlmodel import col, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Counter
from storage.upsert import insert_ignoring_conflict


async def next_number(*, session: AsyncSession, team_id: str, name: str) -> int:
    """The next number of sequence ``name`` in the workspace, inside the caller's transaction.

    The increment is one ``UPDATE … RETURNING``, so concurrent callers get distinct numbers; a
    rolled-back transaction gives its number back.
    """
    await insert_ignoring_conflict(
        session, Counter, {"team_id": team_id, "name": name, "value": 0}, ["team_id", "name"]
    )
    statement = (
        update(Counter)
        .where(col(Counter.team_id) == team_id, col(Counter.name) == name)
        .values(value=col(Counter.value) + 1)
        .returning(col(Counter.value))
    )
    result = await session.exec(statement)
    return int(result.scalar_one())
