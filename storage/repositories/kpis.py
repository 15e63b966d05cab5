"""KPIs and their values; a workspace's latest values come back in one query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Kpi, KpiValue, utc_now
from storage.repositories.counters import next_number
from storage.upsert import upsert_rows

KPI_SEQUENCE = "kpi"


def kpi_key(name: str) -> str:
    return " ".join(name.split()).casefold()


async def add_kpi(*, session: AsyncSession, kpi: Kpi) -> Kpi:
    """Give ``kpi`` the workspace's next number and insert it."""
    kpi.number = await next_number(session=session, team_id=kpi.team_id, name=KPI_SEQUENCE)
    kpi.name_key = kpi_key(kpi.name)
    session.add(kpi)
    await session.flush()
    return kpi


async def get_kpi_by_number(
    *, session: AsyncSession, team_id: str, number: int, for_update: bool = False
) -> Kpi | None:
    statement = select(Kpi).where(Kpi.team_id == team_id, Kpi.number == number)
    if for_update:
        statement = statement.with_for_update()
    return (await session.exec(statement)).first()


async def find_kpis_by_name(*, session: AsyncSession, team_id: str, name: str) -> list[Kpi]:
    """Active KPIs whose name is ``name`` (any case and spacing)."""
    statement = select(Kpi).where(
        Kpi.team_id == team_id, Kpi.name_key == kpi_key(name), col(Kpi.archived).is_(False)
    )
    return list((await session.exec(statement)).all())


async def list_kpis(
    *, session: AsyncSession, team_id: str, include_archived: bool = False
) -> list[Kpi]:
    statement = select(Kpi).where(Kpi.team_id == team_id).order_by(col(Kpi.number))
    if not include_archived:
        statement = statement.where(col(Kpi.archived).is_(False))
    return list((await session.exec(statement)).all())


async def record_value(
    *,
    session: AsyncSession,
    kpi: Kpi,
    value: float,
    recorded_on: date,
    author_id: str | None,
) -> None:
    """Store the KPI's value for a day, replacing an earlier value of that same day."""
    row = {
        "team_id": kpi.team_id,
        "kpi_id": kpi.id,
        "recorded_on": recorded_on,
        "value": value,
        "author_id": author_id,
        "created_at": utc_now(),
    }
    await upsert_rows(
        session,
        KpiValue,
        [row],
        conflict_columns=["kpi_id", "recorded_on"],
        update_columns=["value", "author_id", "created_at"],
    )


async def recent_values(
    *, session: AsyncSession, team_id: str, kpi_ids: Sequence[int], per_kpi: int = 12
) -> dict[int, list[KpiValue]]:
    """The last ``per_kpi`` values of each KPI, oldest first, in one query."""
    if not kpi_ids:
        return {}
    position = (
        sa.func.row_number()
        .over(partition_by=col(KpiValue.kpi_id), order_by=col(KpiValue.recorded_on).desc())
        .label("position")
    )
    ranked = (
        select(KpiValue.id, position)
        .where(KpiValue.team_id == team_id, col(KpiValue.kpi_id).in_(list(kpi_ids)))
        .subquery()
    )
    statement = (
        select(KpiValue)
        .join(ranked, col(KpiValue.id) == ranked.c.id)
        .where(ranked.c.position <= per_kpi)
        .order_by(col(KpiValue.kpi_id), col(KpiValue.recorded_on))
    )
    values: dict[int, list[KpiValue]] = defaultdict(list)
    for row in (await session.exec(statement)).all():
        values[row.kpi_id].append(row)
    return dict(values)
