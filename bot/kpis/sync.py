"""Fetching KPI values from their sources: the "Sync now" button and the ``kpi-sync`` job.

Each fetch happens outside any database transaction; its result is then written in one
short transaction. A failing source stores its error on the KPI and tells the owner once
(``Kpi.error_reported``, cleared by the next success); it never stops other KPIs.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.errors import UserInputError
from bot.core.request import RequestContext
from bot.core.runtime import Runtime
from bot.kpis import texts
from bot.kpis.access import require_active, require_change, source_text
from bot.kpis.blocks.messages import build_owner_sync_warning
from bot.kpis.health import format_value, kpi_health
from bot.kpis.service import kpi_changed
from bot.kpis.source_data import source_from_data
from bot.kpis.sources import FetchPolicy, SourceError, fetch_value
from bot.okrs.kpi_follow import follow_kpi
from bot.slack.messages import build_notice
from bot.slack.outcome import Outcome
from storage.db import transaction
from storage.models import Kpi
from storage.repositories.kpis import (
    get_kpi,
    list_kpis,
    record_sync_failure,
    record_sync_success,
    record_value,
    release_error_report,
)

logger = logging.getLogger(__name__)

CADENCE_INTERVALS = {
    "hourly": timedelta(hours=1),
    "daily": timedelta(days=1),
    "weekly": timedelta(days=7),
}
# The hourly job never fires at exactly the same second; without this slack, a KPI synced at
# 10:00:05 would not be due at 11:00:02 and would wait an extra hour.
DUE_TOLERANCE = timedelta(minutes=5)
SYNC_CONCURRENCY = 4
KPI_ID = re.compile(r"^[0-9]{1,12}$")  # the Sync now button's value


def sync_is_due(kpi: Kpi, now: datetime) -> bool:
    """A KPI with a source is due when it was never synced, or its cadence has passed since
    the last attempt (successful or not)."""
    if kpi.archived or not kpi.source:
        return False
    if kpi.last_synced_at is None:
        return True
    interval = CADENCE_INTERVALS.get(kpi.cadence, CADENCE_INTERVALS["weekly"])
    return now - kpi.last_synced_at >= interval - DUE_TOLERANCE


def fetch_policy(runtime: Runtime) -> FetchPolicy:
    return FetchPolicy(allow_private=runtime.settings.northstar_allow_private_urls)


@dataclass(frozen=True)
class SyncResult:
    kpi: Kpi
    value: float | None = None
    error: str | None = None
    owner_told: bool = False


async def sync_kpi(
    kpi: Kpi,
    *,
    runtime: Runtime,
    client: AsyncWebClient,
    now: datetime,
    told_user: str | None = None,
) -> SyncResult:
    """Fetch one KPI's source and record the value or the error.

    ``told_user`` already saw the outcome (they pressed Sync now); if they own the KPI,
    they are not sent a direct message about a failure as well.
    """
    assert kpi.id is not None
    value: float | None = None
    try:
        source = source_from_data(kpi.source)
        if source is None:
            raise SourceError(texts.no_source(kpi.number))
        value = await fetch_value(source, policy=fetch_policy(runtime), secrets=runtime.kpi_secrets)
        error = None
    except SourceError as problem:
        error = problem.message
    except Exception:  # a fault in Northstar itself: keep it off the other KPIs
        logger.exception("fetching the source of KPI %s failed", kpi.id)
        error = texts.SYNC_UNEXPECTED
    async with transaction(runtime.sessions) as session:
        current = await get_kpi(session=session, team_id=kpi.team_id, kpi_id=kpi.id)
        if current is None or current.archived:
            return SyncResult(kpi)
        if value is not None:
            await record_value(
                session=session,
                kpi=current,
                value=value,
                recorded_on=now.astimezone(UTC).date(),
                author_id=None,
            )
            await record_sync_success(
                session=session, team_id=kpi.team_id, kpi_id=kpi.id, synced_at=now
            )
            await follow_kpi(session=session, kpi=current, now=now)
            return SyncResult(current, value=value)
        assert error is not None
        claimed = await record_sync_failure(
            session=session, team_id=kpi.team_id, kpi_id=kpi.id, synced_at=now, error=error
        )
    if not claimed or current.owner_id == told_user:
        return SyncResult(current, error=error)
    told = await _tell_owner(current, error, runtime=runtime, client=client)
    return SyncResult(current, error=error, owner_told=told)


async def _tell_owner(kpi: Kpi, error: str, *, runtime: Runtime, client: AsyncWebClient) -> bool:
    assert kpi.id is not None
    reply = build_owner_sync_warning(kpi, error, source_text(kpi) or "")
    try:
        await client.chat_postMessage(channel=kpi.owner_id, **reply)
    except Exception:
        logger.exception("could not tell the owner of KPI %s that its source failed", kpi.id)
        async with transaction(runtime.sessions) as session:
            await release_error_report(session=session, team_id=kpi.team_id, kpi_id=kpi.id)
        return False
    return True


async def sync_now(request: RequestContext, kpi_ref: str) -> Outcome:
    """What the "Sync now" button (whose value is ``kpi_ref``, the KPI's id) does: fetch at
    once, whatever the cadence."""
    if not KPI_ID.match(kpi_ref):
        raise UserInputError(texts.KPI_GONE)
    async with request.runtime.sessions() as session:
        kpi = await get_kpi(session=session, team_id=request.team_id, kpi_id=int(kpi_ref))
        if kpi is None:
            return Outcome.replying(build_notice(texts.KPI_GONE))
        require_active(kpi)
        await require_change(session=session, user_id=request.user_id, kpi=kpi, action="sync")
    if not kpi.source:
        return Outcome.replying(build_notice(texts.no_source(kpi.number)))
    result = await sync_kpi(
        kpi,
        runtime=request.runtime,
        client=request.client,
        now=request.runtime.clock(),
        told_user=request.user_id,
    )
    if result.value is None:
        return Outcome.replying(
            build_notice(texts.sync_failed(kpi.number, kpi.name, result.error or ""))
        )
    health = kpi_health(
        result.value,
        higher_is_better=kpi.higher_is_better,
        green=kpi.green_threshold,
        red=kpi.red_threshold,
    )
    shown = format_value(result.value, kpi.unit)
    reply = build_notice(texts.synced(kpi.number, kpi.name, shown, health.value))
    return kpi_changed(request, reply, kpi.owner_id)


@dataclass(frozen=True)
class SyncReport:
    synced: int
    failed: int
    owners_told: int
    not_due: int

    def detail(self) -> str:
        return (
            f"{self.synced} synced, {self.failed} failed, {self.owners_told} owners told, "
            f"{self.not_due} not due"
        )


async def sync_due_kpis(
    *,
    runtime: Runtime,
    client: AsyncWebClient,
    team_id: str,
    now: datetime,
) -> SyncReport:
    """The ``kpi-sync`` job for one workspace: fetch every KPI whose cadence is due."""
    async with runtime.sessions() as session:
        kpis = [kpi for kpi in await list_kpis(session=session, team_id=team_id) if kpi.source]
    due = [kpi for kpi in kpis if sync_is_due(kpi, now)]
    limit = asyncio.Semaphore(SYNC_CONCURRENCY)

    async def one(kpi: Kpi) -> SyncResult:
        async with limit:
            try:
                return await sync_kpi(kpi, runtime=runtime, client=client, now=now)
            except Exception:
                logger.exception("syncing KPI %s failed", kpi.id)
                return SyncResult(kpi, error=texts.SYNC_UNEXPECTED)

    results = await asyncio.gather(*(one(kpi) for kpi in due))
    return SyncReport(
        synced=sum(result.value is not None for result in results),
        failed=sum(result.error is not None for result in results),
        owners_told=sum(result.owner_told for result in results),
        not_due=len(kpis) - len(due),
    )
