"""KPIs and their values; a workspace's latest values come back in one query."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import aliased
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
    *,
    session: AsyncSession,
    team_id: str,
    include_archived: bool = False,
    owner_id: str | None = None,
) -> list[Kpi]:
    statement = select(Kpi).where(*_listed(team_id, include_archived, owner_id))
    return list((await session.exec(statement.order_by(col(Kpi.number)))).all())


@dataclass(frozen=True)
class KpiPage:
    """The first KPIs of a list in number order, and how many the whole list holds."""

    kpis: list[Kpi]
    total: int


async def kpi_page(
    *, session: AsyncSession, team_id: str, limit: int, owner_id: str | None = None
) -> KpiPage:
    """The first ``limit`` active KPIs (only ``owner_id``'s, when given) and their count, in
    one statement: the count is an uncorrelated subquery the database computes once, from the
    ``(team_id, archived, number)`` index, so neither part reads the rows past the page."""
    listed = _listed(team_id, False, owner_id)
    total = select(sa.func.count()).select_from(Kpi).where(*listed).scalar_subquery()
    statement = select(Kpi, total).where(*listed).order_by(col(Kpi.number)).limit(limit)
    rows = (await session.exec(statement)).all()
    if not rows:
        return KpiPage(kpis=[], total=0)
    return KpiPage(kpis=[kpi for kpi, _ in rows], total=int(rows[0][1]))


def _listed(team_id: str, include_archived: bool, owner_id: str | None) -> list[Any]:
    """The conditions of a KPI list: the workspace's, active unless asked, one owner's."""
    conditions: list[Any] = [Kpi.team_id == team_id]
    if not include_archived:
        conditions.append(col(Kpi.archived).is_(False))
    if owner_id is not None:
        conditions.append(Kpi.owner_id == owner_id)
    return conditions


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
    oldest first, in one query.

    Each KPI's values are read backwards from the ``(kpi_id, recorded_on)`` unique index and
    the reading stops after ``per_kpi`` of them, so the work grows with the KPIs asked for,
    not with the length of their histories nor with the KPIs of the workspace (a window
    function used to rank every value of every KPI asked for)."""
    if not kpi_ids or per_kpi < 1:
        return {}
    asked = list(dict.fromkeys(kpi_ids))  # one row per KPI even if an id is repeated
    window = _ValueWindow(team_id=team_id, kpi_ids=asked, per_kpi=per_kpi, until=until)
    if session.get_bind().dialect.name == "postgresql":
        statement = window.lateral_statement()
    else:
        statement = window.bounded_statement()
    values: dict[int, list[KpiValue]] = defaultdict(list)
    for row in (await session.exec(statement)).all():
        values[row.kpi_id].append(row)
    return dict(values)


class ValuePoint(NamedTuple):
    """A KPI value as a plain tuple: the day and the number, for readers that only draw or
    judge the history (no ORM row, which costs more than the value it carries)."""

    recorded_on: date
    value: float


async def recent_points(
    *,
    session: AsyncSession,
    team_id: str,
    kpi_ids: Sequence[int],
    per_kpi: int = 12,
    until: date | None = None,
) -> dict[int, list[ValuePoint]]:
    """``recent_values`` as plain (day, value) tuples: the same values, read the same way."""
    if not kpi_ids or per_kpi < 1:
        return {}
    asked = list(dict.fromkeys(kpi_ids))
    window = _ValueWindow(team_id=team_id, kpi_ids=asked, per_kpi=per_kpi, until=until, plain=True)
    if session.get_bind().dialect.name == "postgresql":
        statement = window.lateral_statement()
    else:
        statement = window.bounded_statement()
    points: dict[int, list[ValuePoint]] = defaultdict(list)
    for kpi_id, recorded_on, value in (await session.execute(statement)).all():
        points[kpi_id].append(ValuePoint(recorded_on, value))
    return dict(points)


@dataclass(frozen=True)
class _ValueWindow:
    """The last ``per_kpi`` values of some KPIs, as a statement each database runs well."""

    team_id: str
    kpi_ids: list[int]
    per_kpi: int
    until: date | None
    plain: bool = False  # select (kpi_id, recorded_on, value), not the rows

    def _picked(self, value: Any) -> Any:
        if self.plain:
            return select(col(value.kpi_id), col(value.recorded_on), col(value.value))
        return select(value)

    def _recorded(self, value: Any) -> list[Any]:
        return [col(value.recorded_on) <= self.until] if self.until is not None else []

    def lateral_statement(self) -> Any:
        """PostgreSQL: for each id of the array, a ``LATERAL`` subquery with ``LIMIT``; the
        planner has no other way to run it than one short backward index scan per KPI, with
        or without statistics."""
        ids = sa.bindparam("kpi_ids", self.kpi_ids, type_=postgresql.ARRAY(sa.Integer))
        asked = sa.func.unnest(ids).table_valued("kpi_id").render_derived(name="asked")
        picked = (
            select(KpiValue)
            .where(
                KpiValue.kpi_id == asked.c.kpi_id,
                KpiValue.team_id == self.team_id,
                *self._recorded(KpiValue),
            )
            .order_by(col(KpiValue.recorded_on).desc())
            .limit(self.per_kpi)
            .lateral("picked")
        )
        value = aliased(KpiValue, picked)
        return (
            self._picked(value)
            .select_from(asked)
            .join(picked, sa.true())
            .order_by(col(value.kpi_id), col(value.recorded_on))
        )

    def bounded_statement(self) -> Any:
        """SQLite (no ``LATERAL``): the ids come from ``json_each``, which leaves the planner
        no other way than to drive the join from them; for each KPI a correlated subquery
        finds the day of its ``per_kpi``-th latest value in the index, and the KPI's values
        from that day on are one index range (``kpi_id = ? AND recorded_on >= ?``)."""
        asked = sa.func.json_each(json.dumps(self.kpi_ids)).table_valued("value").alias("asked")
        older = aliased(KpiValue)
        first_day = (
            select(col(older.recorded_on))
            .where(older.kpi_id == asked.c.value, *self._recorded(older))
            .order_by(col(older.recorded_on).desc())
            .limit(1)
            .offset(self.per_kpi - 1)
            .correlate(asked)
            .scalar_subquery()
        )
        return (
            self._picked(KpiValue)
            .select_from(asked)
            .join(KpiValue, col(KpiValue.kpi_id) == asked.c.value)
            .where(
                KpiValue.team_id == self.team_id,
                col(KpiValue.recorded_on) >= sa.func.coalesce(first_day, date.min),
                *self._recorded(KpiValue),
            )
            .order_by(col(KpiValue.kpi_id), col(KpiValue.recorded_on))
        )


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
