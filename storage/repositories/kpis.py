"""KPIs and their values; a workspace's latest values come back in one query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Kpi, KpiValue, utc_now
from storage.repositories.counters import next_number
from storage.upsert import upsert_rows

KPI_SEQUENCE = "kpi"
KPI_ERROR_MAX_CHARS = 500  # the length of Kpi.last_error


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
        # populate_existing: after waiting for the lock, read the row as it is now, even if
        # this session already holds an older copy of it.
        statement = statement.with_for_update().execution_options(populate_existing=True)
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
    *,
    session: AsyncSession,
    team_id: str,
    kpi_ids: Sequence[int],
    per_kpi: int = 12,
    until: date | None = None,
) -> dict[int, list[KpiValue]]:
    """The last ``per_kpi`` values of each KPI (recorded on ``until`` or before, when given),
    oldest first, in one query."""
    if not kpi_ids:
        return {}
    recorded = [col(KpiValue.recorded_on) <= until] if until is not None else []
    position = (
        sa.func.row_number()
        .over(partition_by=col(KpiValue.kpi_id), order_by=col(KpiValue.recorded_on).desc())
        .label("position")
    )
    ranked = (
        select(KpiValue.id, position)
        .where(KpiValue.team_id == team_id, col(KpiValue.kpi_id).in_(list(kpi_ids)), *recorded)
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


async def get_kpi(
    *, session: AsyncSession, team_id: str, kpi_id: int, for_update: bool = False
) -> Kpi | None:
    """The KPI with row id ``kpi_id``, if it belongs to the workspace."""
    statement = select(Kpi).where(Kpi.team_id == team_id, Kpi.id == kpi_id)
    if for_update:
        # populate_existing: after waiting for the lock, read the row as it is now, even if
        # this session already holds an older copy of it.
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return (await session.exec(statement)).first()


async def save_kpi(*, session: AsyncSession, kpi: Kpi) -> Kpi:
    """Write an edited KPI, keeping its name key in step with its name."""
    kpi.name_key = kpi_key(kpi.name)
    session.add(kpi)
    await session.flush()
    return kpi


async def value_on(
    *, session: AsyncSession, team_id: str, kpi_id: int, recorded_on: date
) -> float | None:
    """The value recorded for that day, as a plain number (no row is loaded into the session,
    so a later ``record_value`` upsert cannot leave a stale copy behind)."""
    statement = select(KpiValue.value).where(
        KpiValue.team_id == team_id,
        KpiValue.kpi_id == kpi_id,
        KpiValue.recorded_on == recorded_on,
    )
    return (await session.exec(statement)).first()


async def record_sync_success(
    *, session: AsyncSession, team_id: str, kpi_id: int, synced_at: datetime
) -> None:
    """A fetch worked: clear the error, and allow the owner to be told about the next one."""
    statement = (
        update(Kpi)
        .where(col(Kpi.team_id) == team_id, col(Kpi.id) == kpi_id)
        .values(last_synced_at=synced_at, last_error="", error_reported=False)
    )
    await session.exec(statement)


async def record_sync_failure(
    *, session: AsyncSession, team_id: str, kpi_id: int, synced_at: datetime, error: str
) -> bool:
    """Store the error; True when this caller claimed telling the owner (first failure since
    the last success). The claim is one conditional ``UPDATE``, so of two concurrent syncs
    exactly one tells the owner."""
    await session.exec(
        update(Kpi)
        .where(col(Kpi.team_id) == team_id, col(Kpi.id) == kpi_id)
        .values(last_synced_at=synced_at, last_error=error[:KPI_ERROR_MAX_CHARS])
    )
    claim = (
        update(Kpi)
        .where(
            col(Kpi.team_id) == team_id,
            col(Kpi.id) == kpi_id,
            col(Kpi.error_reported).is_(False),
        )
        .values(error_reported=True)
    )
    result = await session.exec(claim)
    return int(getattr(result, "rowcount", 0) or 0) == 1


async def release_error_report(*, session: AsyncSession, team_id: str, kpi_id: int) -> None:
    """Telling the owner failed: let the next failed sync try again."""
    statement = (
        update(Kpi)
        .where(col(Kpi.team_id) == team_id, col(Kpi.id) == kpi_id)
        .values(error_reported=False)
    )
    await session.exec(statement)
