"""Strategic priorities of a workspace, in rank order."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Priority


async def list_priorities(
    *, session: AsyncSession, team_id: str, include_archived: bool = False
) -> list[Priority]:
    """The workspace's priorities, highest rank (1) first."""
    statement = select(Priority).where(Priority.team_id == team_id)
    if not include_archived:
        statement = statement.where(col(Priority.archived_at).is_(None))
    statement = statement.order_by(col(Priority.rank), col(Priority.id))
    return list((await session.exec(statement)).all())


async def get_priority(*, session: AsyncSession, team_id: str, priority_id: int) -> Priority | None:
    found = await session.get(Priority, priority_id)
    return found if found is not None and found.team_id == team_id else None
