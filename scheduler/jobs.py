"""Job functions and the one place that runs them under the run ledger."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.checkins.rounds import open_rounds, send_due_prompts, send_due_reminders
from bot.checkins.setup_summaries import post_due_summaries
from bot.core.runtime import Runtime
from bot.digest.delivery import post_due_digests
from bot.kpis.sync import sync_due_kpis
from bot.people.members import sync_members
from bot.pulse.delivery import advance, send_invitations, tell_not_opened
from bot.pulse.reminders import send_survey_reminders
from bot.slack.client import WorkspaceClients
from bot.strategy.review_job import post_due_review
from bot.workspace_data.retention import remove_old_text
from storage.db import transaction
from storage.repositories.events import forget_events_before
from storage.repositories.ledger import claim_run, finish_run
from storage.repositories.seen_requests import forget_requests_expired_by
from storage.repositories.workspaces import ensure_workspace
from storage.states import RunStatus

logger = logging.getLogger(__name__)

EVENT_MEMORY = timedelta(days=2)


@dataclass(frozen=True)
class JobContext:
    runtime: Runtime
    clients: WorkspaceClients
    # Job runs in flight, so a graceful shutdown can let them finish (see bot/app/background.py).
    running: set[asyncio.Task[object]] = field(default_factory=set)


JobFunction = Callable[[JobContext, str, datetime], Awaitable[str]]


@dataclass(frozen=True)
class Job:
    name: str
    run: JobFunction
    description: str
    hourly: bool = False
    ledger: bool = True  # False: the job's own rows make it safe to run at any time

    def period(self, now: datetime) -> str:
        """Daily jobs: one run per UTC date; hourly jobs: one per UTC date and hour."""
        if self.hourly:
            moment = now.astimezone(UTC)
            return f"{moment.date().isoformat()}T{moment.hour:02d}"
        return now.date().isoformat()


async def _member_sync(context: JobContext, team_id: str, now: datetime) -> str:
    client = await context.clients.client_for(team_id)
    report = await sync_members(client=client, sessions=context.runtime.sessions, team_id=team_id)
    return (
        f"{report.active} members, {report.deleted} deleted, {report.skipped_bots} bots skipped, "
        f"{report.pages} pages"
    )


async def _prune_events(context: JobContext, team_id: str, now: datetime) -> str:
    async with transaction(context.runtime.sessions) as session:
        removed = await forget_events_before(
            session=session, team_id=team_id, cutoff=now - EVENT_MEMORY
        )
        expired = await forget_requests_expired_by(session=session, team_id=team_id, now=now)
    return f"{removed} old event ids and {expired} expired request signatures forgotten"


async def _checkins(context: JobContext, team_id: str, now: datetime) -> str:
    opened = await open_rounds(runtime=context.runtime, team_id=team_id, now=now)
    client = await context.clients.client_for(team_id)
    report = await send_due_prompts(
        runtime=context.runtime, client=client, team_id=team_id, now=now
    )
    rounds = f"opened {', '.join(opened)}; " if opened else ""
    return rounds + report.detail()


async def _reminders(context: JobContext, team_id: str, now: datetime) -> str:
    client = await context.clients.client_for(team_id)
    report = await send_due_reminders(
        runtime=context.runtime, client=client, team_id=team_id, now=now
    )
    return report.detail()


async def _checkin_summaries(context: JobContext, team_id: str, now: datetime) -> str:
    # Each round's summary is claimed on its checkin_thread row (bot/checkins/setup_summaries.py).
    client = await context.clients.client_for(team_id)
    report = await post_due_summaries(
        runtime=context.runtime, client=client, team_id=team_id, now=now
    )
    return report.detail()


async def _surveys(context: JobContext, team_id: str, now: datetime) -> str:
    # Opening and closing happen even when Slack cannot be reached; sending waits for it.
    changes = await advance(runtime=context.runtime, team_id=team_id, now=now)
    client = await context.clients.client_for(team_id)
    await tell_not_opened(client=client, not_opened=changes.not_opened)
    report = await send_invitations(
        runtime=context.runtime, client=client, team_id=team_id, now=now
    )
    reminders = await send_survey_reminders(
        runtime=context.runtime, client=client, team_id=team_id, now=now
    )
    detail = report.record(changes).detail()
    return detail + (f"; reminders: {reminders.detail()}" if reminders.outcomes else "")


async def _kpi_sync(context: JobContext, team_id: str, now: datetime) -> str:
    client = await context.clients.client_for(team_id)
    report = await sync_due_kpis(runtime=context.runtime, client=client, team_id=team_id, now=now)
    return report.detail()


async def _digest(context: JobContext, team_id: str, now: datetime) -> str:
    # Each channel's period is claimed in the run ledger inside (bot/digest/delivery.py).
    client = await context.clients.client_for(team_id)
    report = await post_due_digests(
        runtime=context.runtime, client=client, team_id=team_id, now=now
    )
    return report.detail()


async def _review(context: JobContext, team_id: str, now: datetime) -> str:
    # The period's Review row is the claim (bot/strategy/review_post.py): no ledger needed.
    client = await context.clients.client_for(team_id)
    return await post_due_review(runtime=context.runtime, client=client, team_id=team_id)


async def _retention(context: JobContext, team_id: str, now: datetime) -> str:
    report = await remove_old_text(runtime=context.runtime, team_id=team_id, now=now)
    return report.detail()


JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job("member-sync", _member_sync, "mirror the workspace's people from Slack"),
        Job(
            "prune-events",
            _prune_events,
            "forget processed Slack event ids after two days, and expired request signatures",
        ),
        Job("kpi-sync", _kpi_sync, "fetch KPI values whose source is due", hourly=True),
        Job("checkins", _checkins, "open the week's round; send due prompts", ledger=False),
        Job("reminders", _reminders, "send due check-in reminders", ledger=False),
        Job(
            "checkin-summaries",
            _checkin_summaries,
            "post the summary of each closed round in its setup's channel",
            ledger=False,
        ),
        Job("surveys", _surveys, "open and close pulse surveys; send invitations", ledger=False),
        Job("digest", _digest, "post the weekly alignment digest when due", ledger=False),
        Job(
            "review",
            _review,
            "post the quarterly review the day after a quarter ends",
            ledger=False,
        ),
        Job("retention", _retention, "remove free text older than the workspace's retention"),
    )
}


@dataclass(frozen=True)
class JobOutcome:
    job: str
    team_id: str
    period: str
    status: RunStatus  # DONE, FAILED, or SKIPPED when another run already has the period
    detail: str

    @property
    def ran(self) -> bool:
        return self.status != RunStatus.SKIPPED

    @property
    def failed(self) -> bool:
        return self.status == RunStatus.FAILED


async def run_job(
    name: str, context: JobContext, *, team_id: str | None = None
) -> list[JobOutcome]:
    """Run ``name`` for one workspace or all, each (job, team, period) at most once.

    A failure in one workspace is recorded and logged and does not stop the others.
    """
    job = JOBS[name]
    now = context.runtime.clock()
    period = job.period(now)
    team_ids = [team_id] if team_id else await context.clients.team_ids()
    return [await _run_once(job, context, team, period, now) for team in team_ids]


async def _run_once(
    job: Job, context: JobContext, team_id: str, period: str, now: datetime
) -> JobOutcome:
    sessions = context.runtime.sessions
    async with transaction(sessions) as session:
        await ensure_workspace(session=session, team_id=team_id)
        claimed = not job.ledger or await claim_run(
            session=session, job=job.name, team_id=team_id, period=period
        )
    if not claimed:
        return JobOutcome(
            job.name, team_id, period, RunStatus.SKIPPED, "already run for this period"
        )
    try:
        status, detail = RunStatus.DONE, await job.run(context, team_id, now)
        logger.info("job %s for %s (%s): %s", job.name, team_id, period, detail)
    except Exception as error:
        logger.exception("job %s for %s (%s) failed", job.name, team_id, period)
        status, detail = RunStatus.FAILED, f"{type(error).__name__}: {error}"
    if not job.ledger:
        return JobOutcome(job.name, team_id, period, status, detail)
    async with transaction(sessions) as session:
        await finish_run(
            session=session,
            job=job.name,
            team_id=team_id,
            period=period,
            status=status,
            detail=detail,
        )
    return JobOutcome(job.name, team_id, period, status, detail)
