"""Strategic priorities of a workspace, in rank order, and the changes made to them.

Titles, whys and change summaries are stored as people typed them (plain text, not
escaped): escape them with ``bot.core.text_input.escape_mrkdwn`` wherever they are shown.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Priority, PriorityChange, Workspace


async def list_priorities(
    *, session: AsyncSession, team_id: str, include_archived: bool = False
) -> list[Priority]:
    """The workspace's priorities, highest rank (1) first (archived ones, when included,
    after the current ones)."""
    statement = select(Priority).where(Priority.team_id == team_id)
    if not include_archived:
        statement = statement.where(col(Priority.archived_at).is_(None))
    statement = statement.order_by(
        col(Priority.archived_at).is_not(None), col(Priority.rank), col(Priority.id)
    )
    return list((await session.exec(statement)).all())


async def get_priority(*, session: AsyncSession, team_id: str, priority_id: int) -> Priority | None:
    found = await session.get(Priority, priority_id)
    return found if found is not None and found.team_id == team_id else None


async def lock_priorities(*, session: AsyncSession, team_id: str) -> list[Priority]:
    """Every priority of the workspace, archived ones included, with the workspace row locked
    first, so two admins saving the priorities at once are done one after the other."""
    await session.get(Workspace, team_id, with_for_update=True)
    statement = (
        select(Priority)
        .where(Priority.team_id == team_id)
        .order_by(col(Priority.rank), col(Priority.id))
        .execution_options(populate_existing=True)
    )
    return list((await session.exec(statement)).all())


async def save_priority(*, session: AsyncSession, priority: Priority) -> Priority:
    """Insert or update one priority; its id is set once this returns."""
    session.add(priority)
    await session.flush()
    return priority


async def record_priority_changes(
    *, session: AsyncSession, team_id: str, author_id: str, summaries: list[str], at: datetime
) -> None:
    for summary in summaries:
        session.add(
            PriorityChange(team_id=team_id, author_id=author_id, summary=summary, created_at=at)
        )
    await session.flush()


async def priority_changes_between(
    *, session: AsyncSession, team_id: str, since: datetime, until: datetime, limit: int = 50
) -> list[PriorityChange]:
    """The changes made in ``[since, until)``, oldest first, at most ``limit``."""
    statement = (
        select(PriorityChange)
        .where(
            PriorityChange.team_id == team_id,
            col(PriorityChange.created_at) >= since,
            col(PriorityChange.created_at) < until,
        )
        .order_by(col(PriorityChange.created_at), col(PriorityChange.id))
        .limit(limit)
    )
    return list((await session.exec(statement)).all())
