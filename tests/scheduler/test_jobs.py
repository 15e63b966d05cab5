"""Scheduled jobs run once per period under the ledger; the scheduler's triggers are right."""

from __future__ import annotations

from datetime import UTC, datetime

from apscheduler.triggers.cron import CronTrigger

from bot.core.runtime import Runtime
from bot.slack.client import SingleWorkspaceClients, build_web_client
from bot.workspace_data.texts import RETENTION_RUNS_AT
from fakeslack import FakeSlack
from scheduler.jobs import JOBS, JobContext, run_job
from scheduler.runner import build_scheduler
from storage.repositories.ledger import get_run
from tests.factories import member_row
from tests.slack_requests import ADMIN_ID, TEAM_ID


def job_context(runtime: Runtime, fake_slack: FakeSlack) -> JobContext:
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    return JobContext(runtime, SingleWorkspaceClients(client))


async def test_member_sync_job_runs_once_a_day(runtime: Runtime, fake_slack: FakeSlack) -> None:
    runtime.clock = lambda: datetime(2026, 11, 27, 4, 0, tzinfo=UTC)
    context = job_context(runtime, fake_slack)
    first = await run_job("member-sync", context)
    second = await run_job("member-sync", context)
    assert [(o.team_id, o.period, o.ran) for o in first] == [(TEAM_ID, "2026-11-27", True)]
    assert [o.ran for o in second] == [False]
    assert len(fake_slack.calls_to("users.list")) == 1
    assert await member_row(runtime, ADMIN_ID) is not None
    runtime.clock = lambda: datetime(2026, 11, 28, 4, 0, tzinfo=UTC)
    assert [o.ran for o in await run_job("member-sync", context)] == [True]


async def test_a_failed_job_is_recorded_and_retried_by_the_next_trigger(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    runtime.clock = lambda: datetime(2026, 11, 27, 4, 0, tzinfo=UTC)
    context = job_context(runtime, fake_slack)
    fake_slack.inject("users.list", error="fatal_error")
    [failed] = await run_job("member-sync", context)
    assert failed.status == "failed" and "fatal_error" in failed.detail
    async with runtime.sessions() as session:
        run = await get_run(
            session=session, job="member-sync", team_id=TEAM_ID, period="2026-11-27"
        )
    assert run is not None and run.status == "failed" and "fatal_error" in run.detail
    assert [o.ran for o in await run_job("member-sync", context)] == [True]


async def test_scheduler_triggers_daily_jobs_in_utc(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    scheduler = build_scheduler(job_context(runtime, fake_slack))
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {
        "member-sync",
        "prune-events",
        "kpi-sync",
        "checkins",
        "reminders",
        "checkin-summaries",
        "review",
        "surveys",
        "digest",
        "retention",
    }
    trigger = jobs["member-sync"].trigger
    assert isinstance(trigger, CronTrigger)
    after = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)
    assert trigger.get_next_fire_time(None, after) == datetime(2026, 11, 28, 4, 0, tzinfo=UTC)
    assert jobs["member-sync"].misfire_grace_time == 6 * 3600
    assert jobs["member-sync"].coalesce is True


async def test_retention_runs_nightly_once_a_day_under_the_ledger(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    assert JOBS["retention"].ledger and not JOBS["retention"].hourly
    scheduler = build_scheduler(job_context(runtime, fake_slack))
    job = scheduler.get_job("retention")
    assert job is not None and job.misfire_grace_time == 6 * 3600
    after = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)
    fires = job.trigger.get_next_fire_time(None, after)
    assert fires == datetime(2026, 11, 28, 4, 45, tzinfo=UTC)
    assert f"{fires:%H:%M} UTC" == RETENTION_RUNS_AT  # what /align retention tells people
    runtime.clock = lambda: datetime(2026, 11, 28, 4, 45, tzinfo=UTC)
    context = job_context(runtime, fake_slack)
    [first] = await run_job("retention", context)
    [second] = await run_job("retention", context)
    assert (first.status, first.detail) == ("done", "retention is off")
    assert not second.ran
