"""The run ledger: insert first, then work, so each (job, team, period) runs once."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import and_, col, delete, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import RunLedger, utc_now
from storage.states import RunStatus
from storage.upsert import insert_ignoring_conflict

STATUS_RUNNING = RunStatus.RUNNING
STATUS_DONE = RunStatus.DONE
STATUS_FAILED = RunStatus.FAILED
DEFAULT_STALE_AFTER = timedelta(hours=1)


async def claim_run(
    *,
    session: AsyncSession,
    job: str,
    team_id: str,
    period: str,
    stale_after: timedelta = DEFAULT_STALE_AFTER,
) -> bool:
    """True when this caller must do the work of the period.

    The first caller claims it by inserting the row. A period whose earlier run failed, or
    whose run has been "running" longer than ``stale_after`` (its process died), can be
    claimed again, atomically, by exactly one caller.
    """
    now = utc_now()
    values = {
        "job": job,
        "team_id": team_id,
        "period": period,
        "status": STATUS_RUNNING,
        "started_at": now,
        "detail": "",
    }
    if await insert_ignoring_conflict(session, RunLedger, values, ["job", "team_id", "period"]):
        return True
    retry = (
        update(RunLedger)
        .where(
            col(RunLedger.job) == job,
            col(RunLedger.team_id) == team_id,
            col(RunLedger.period) == period,
            or_(
                col(RunLedger.status) == STATUS_FAILED,
                and_(
                    col(RunLedger.status) == STATUS_RUNNING,
                    col(RunLedger.started_at) < now - stale_after,
                ),
            ),
        )
        .values(status=STATUS_RUNNING, started_at=now, finished_at=None)
    )
    result = await session.exec(retry)
    return int(getattr(result, "rowcount", 0) or 0) == 1


async def finish_run(
    *,
    session: AsyncSession,
    job: str,
    team_id: str,
    period: str,
    status: str = STATUS_DONE,
    detail: str = "",
) -> None:
    run = await get_run(session=session, job=job, team_id=team_id, period=period)
    if run is None:
        raise LookupError(f"no ledger row for {job}:{team_id}:{period}")
    run.status = status
    run.detail = detail[:2000]
    run.finished_at = utc_now()
    session.add(run)
    await session.flush()


async def get_run(
    *, session: AsyncSession, job: str, team_id: str, period: str
) -> RunLedger | None:
    statement = select(RunLedger).where(
        RunLedger.job == job, RunLedger.team_id == team_id, RunLedger.period == period
    )
    return (await session.exec(statement)).first()


async def forget_runs(*, session: AsyncSession, job: str, team_id: str, period_prefix: str) -> int:
    """Delete the runs of ``job`` whose period starts with ``period_prefix`` (so they can
    happen again); how many were deleted."""
    statement = delete(RunLedger).where(
        col(RunLedger.job) == job,
        col(RunLedger.team_id) == team_id,
        col(RunLedger.period).startswith(period_prefix, autoescape=True),
    )
    result = await session.exec(statement)
    return int(getattr(result, "rowcount", 0) or 0)
