"""What the digest's "Wins" section reads: the kudos of a week, newest first, in one statement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Kudos


@dataclass(frozen=True)
class WeekKudos:
    """The newest kudos of a window (at most the limit asked for) and how many there were."""

    newest: list[Kudos]
    total: int

    @property
    def complete(self) -> bool:
        """Every kudos of the window was loaded."""
        return len(self.newest) >= self.total


async def kudos_between(
    *, session: AsyncSession, team_id: str, since: datetime, until: datetime, limit: int
) -> WeekKudos:
    """Kudos given in ``[since, until)``: the newest ``limit`` of them and the count of all.

    One statement whatever the number: the count is a window over the whole match, taken
    before the limit applies (SQLite 3.25+ and PostgreSQL both have window functions).
    """
    total = func.count().over().label("total")
    statement = (
        select(Kudos, total)
        .where(
            Kudos.team_id == team_id,
            col(Kudos.created_at) >= since,
            col(Kudos.created_at) < until,
        )
        .order_by(col(Kudos.created_at).desc(), col(Kudos.id).desc())
        .limit(limit)
    )
    rows = (await session.exec(statement)).all()
    return WeekKudos(newest=[kudos for kudos, _ in rows], total=int(rows[0][1]) if rows else 0)
