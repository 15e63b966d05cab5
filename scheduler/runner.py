"""APScheduler (in-memory store) triggers; the run ledger, not the scheduler, makes runs unique."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from scheduler.jobs import JobContext, run_job

logger = logging.getLogger(__name__)

DAILY_MISFIRE_GRACE_SECONDS = 6 * 3600
DAILY_SCHEDULE = {
    "member-sync": CronTrigger(hour=4, minute=0, timezone=UTC),
    "prune-events": CronTrigger(hour=4, minute=30, timezone=UTC),
    "retention": CronTrigger(hour=4, minute=45, timezone=UTC),
    "review": CronTrigger(hour=9, minute=15, timezone=UTC),
}
HOURLY_MISFIRE_GRACE_SECONDS = 30 * 60
HOURLY_SCHEDULE = {
    "kpi-sync": CronTrigger(minute=5, timezone=UTC),
}
FREQUENT_MISFIRE_GRACE_SECONDS = 4 * 60
DEFAULT_FREQUENT_SECONDS = 300
FREQUENT_SCHEDULE = {
    "checkins": CronTrigger(minute="*/5", timezone=UTC),
    "reminders": CronTrigger(minute="2-59/5", timezone=UTC),
    "surveys": CronTrigger(minute="4-59/5", timezone=UTC),
    "digest": CronTrigger(minute="*/5", second=30, timezone=UTC),
    "checkin-summaries": CronTrigger(minute="3-59/5", timezone=UTC),
}
STARTUP_JOBS = ("member-sync", "kpi-sync", "checkins", "surveys", "digest")


async def trigger(name: str, context: JobContext) -> None:
    """What the scheduler calls: run the job, never let an error kill the scheduler.

    Failures inside a workspace's run are recorded by ``run_job``; this catches what fails
    before (for example, Slack not answering ``auth.test``).
    """
    task = asyncio.current_task()
    if task is not None:
        context.running.add(task)
    try:
        await run_job(name, context)
    except Exception:
        logger.exception("scheduled job %s could not start; the next trigger will try again", name)
    finally:
        if task is not None:
            context.running.discard(task)


def frequent_schedule(seconds: int) -> dict[str, BaseTrigger]:
    """The frequent jobs on the five-minute clock marks, or every ``seconds`` when changed."""
    if seconds == DEFAULT_FREQUENT_SECONDS:
        return dict(FREQUENT_SCHEDULE)
    return {name: IntervalTrigger(seconds=seconds, timezone=UTC) for name in FREQUENT_SCHEDULE}


def build_scheduler(context: JobContext) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=UTC)
    frequent = frequent_schedule(context.runtime.settings.northstar_frequent_seconds)
    for schedules, grace in (
        (DAILY_SCHEDULE, DAILY_MISFIRE_GRACE_SECONDS),
        (HOURLY_SCHEDULE, HOURLY_MISFIRE_GRACE_SECONDS),
        (frequent, FREQUENT_MISFIRE_GRACE_SECONDS),
    ):
        for name, schedule in schedules.items():
            scheduler.add_job(
                trigger,
                schedule,
                args=[name, context],
                id=name,
                name=name,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=grace,
            )
    return scheduler


async def catch_up(context: JobContext) -> None:
    """On start-up, run what is due today and has not run yet (the ledger decides)."""
    for name in STARTUP_JOBS:
        await trigger(name, context)
