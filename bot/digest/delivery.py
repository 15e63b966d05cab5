"""Posting the weekly digest exactly once per channel and week.

Who posts is decided by the run ledger: job ``digest``, period ``<week>:<scope>:<channel>``,
claimed by inserting first. The schedule, ``/align digest now``, a start-up catch-up and a
second replica all go through ``deliver_week``, so whichever comes first posts and the others
find the period taken. A run that stopped half-way (its claim goes stale after an hour, or
it failed) resumes from the ``digest_post`` row: the main message is never posted twice, and
the thread and chart pick up where they stopped.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.runtime import Runtime
from bot.core.weeks import iso_week
from bot.digest import texts_delivery as texts
from bot.digest.blocks.post import build_digest_post
from bot.digest.build import build_digest, team_scopes
from bot.digest.model import COMPANY_SCOPE, Digest
from bot.digest.settings import DigestSettings, load_digest_settings
from bot.digest.source import DigestSource, DigestWeek, load_source
from bot.digest.thread_posting import post_thread
from bot.people.admins import list_admin_ids
from bot.slack.errors import error_code
from bot.slack.messages import build_notice
from storage.db import transaction
from storage.models import DigestPost
from storage.repositories import digest as repo
from storage.repositories.ledger import (
    STATUS_DONE,
    STATUS_FAILED,
    claim_run,
    finish_run,
    forget_runs,
)
from storage.repositories.teams import list_teams

logger = logging.getLogger(__name__)

JOB = "digest"
ALERT_JOB = "digest-alert"
LATE_AFTER = timedelta(hours=1)
CATCH_UP_FOR = timedelta(days=1)  # after its week ends, a missed digest is still posted
CHANNEL_PROBLEMS = ("not_in_channel", "channel_not_found", "is_archived")
UNCONFIRMED = "timeout: posted or not, unconfirmed; not posted again"


@dataclass(frozen=True)
class DueWeek:
    week: str
    due_at: datetime
    late: bool


def due_week(settings: DigestSettings, now: datetime) -> DueWeek | None:
    """The newest week whose digest moment has come and is still worth posting.

    This week's digest is due from its day and time on; last week's, missed while Northstar
    was down, is still posted (marked late) until a day after that week ended. A moment
    before the admin set the schedule up does not count.
    """
    if not settings.enabled:
        return None
    tz = settings.zone
    today = now.astimezone(tz).date()
    this_monday = today - timedelta(days=today.weekday())
    for monday in (this_monday, this_monday - timedelta(days=7)):
        due_day = monday + timedelta(days=settings.weekday)
        due_at = datetime.combine(due_day, settings.local_time, tzinfo=tz)
        week_over = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=tz)
        if due_at > now or now >= week_over + CATCH_UP_FOR:
            continue
        if settings.configured_at is not None and due_at < settings.configured_at:
            continue
        return DueWeek(iso_week(monday), due_at, late=now - due_at > LATE_AFTER)
    return None


@dataclass(frozen=True)
class Target:
    scope: str
    channel_id: str

    def period(self, week: str) -> str:
        return f"{week}:{self.scope}:{self.channel_id}"


@dataclass
class DeliveryReport:
    week: str = ""
    posted: list[Target] = field(default_factory=list)
    resumed: list[Target] = field(default_factory=list)
    taken: list[Target] = field(default_factory=list)  # another run has (or had) the period
    failed: list[tuple[Target, str]] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)  # channel -> message ts

    def detail(self) -> str:
        if not self.week:
            return "no digest due"
        parts = [f"{self.week}: {len(self.posted)} posted"]
        if self.resumed:
            parts.append(f"{len(self.resumed)} resumed")
        if self.taken:
            parts.append(f"{len(self.taken)} already taken")
        if self.failed:
            parts.append("failed " + ", ".join(f"{t.channel_id} ({why})" for t, why in self.failed))
        return ", ".join(parts)


async def post_due_digests(
    *, runtime: Runtime, client: AsyncWebClient, team_id: str, now: datetime
) -> DeliveryReport:
    """What the scheduler runs every few minutes: post the due week's digests, once."""
    async with runtime.sessions() as session:
        settings = await load_digest_settings(session=session, team_id=team_id)
    due = due_week(settings, now)
    if due is None:
        return DeliveryReport()
    return await deliver_week(
        runtime=runtime,
        client=client,
        team_id=team_id,
        settings=settings,
        week=due.week,
        late=due.late,
        now=now,
    )


async def deliver_week(
    *,
    runtime: Runtime,
    client: AsyncWebClient,
    team_id: str,
    settings: DigestSettings,
    week: str,
    late: bool,
    now: datetime,
) -> DeliveryReport:
    """Post ``week``'s digests to every target not yet taken; each target on its own, so a
    refusing channel does not hold up the others."""
    report = DeliveryReport(week=week)
    claimed = await _claim_targets(runtime, team_id, settings, week, report)
    if not claimed:
        return report
    try:
        source = await load_source(
            runtime=runtime,
            team_id=team_id,
            period=DigestWeek(week=week, tz=settings.zone, now=now),
        )
    except Exception:
        for target in claimed:
            await _finish(runtime, team_id, target.period(week), STATUS_FAILED, "not built")
        raise
    for target in claimed:
        await _deliver_target(runtime, client, source, target, late=late, report=report)
    return report


async def _claim_targets(
    runtime: Runtime, team_id: str, settings: DigestSettings, week: str, report: DeliveryReport
) -> list[Target]:
    assert settings.channel_id is not None
    targets = [Target(COMPANY_SCOPE, settings.channel_id)]
    async with runtime.sessions() as session:
        teams = await list_teams(session=session, team_id=team_id) if settings.team_digests else []
    targets += [Target(*scoped) for scoped in team_scopes(teams, settings.channel_id)]
    claimed: list[Target] = []
    for target in targets:
        async with transaction(runtime.sessions) as session:
            won = await claim_run(
                session=session, job=JOB, team_id=team_id, period=target.period(week)
            )
        (claimed if won else report.taken).append(target)
    return claimed


async def _deliver_target(
    runtime: Runtime,
    client: AsyncWebClient,
    source: DigestSource,
    target: Target,
    *,
    late: bool,
    report: DeliveryReport,
) -> None:
    week, team_id = source.period.week, source.team_id
    try:
        # CPU-bound at a large workspace's size: off the event loop, so acks are not held up
        digest = await asyncio.to_thread(build_digest, source, scope=target.scope, late=late)
        post = await _main_post(runtime, client, digest, target, report)
        if post is not None:
            await post_thread(runtime, client, digest, post)
            report.links[target.channel_id] = post.message_ts
    except SlackApiError as error:
        code = error_code(error)
        logger.warning("digest %s for %s not posted in %s: %s", week, team_id, target, code)
        report.failed.append((target, code))
        await _finish(runtime, team_id, target.period(week), STATUS_FAILED, code)
        return
    except Exception as error:
        logger.exception("digest %s for %s failed in %s", week, team_id, target)
        report.failed.append((target, type(error).__name__))
        await _finish(runtime, team_id, target.period(week), STATUS_FAILED, type(error).__name__)
        return
    if post is None:
        return
    await _finish(runtime, team_id, target.period(week), STATUS_DONE, f"ts {post.message_ts}")


async def _main_post(
    runtime: Runtime,
    client: AsyncWebClient,
    digest: Digest,
    target: Target,
    report: DeliveryReport,
) -> DigestPost | None:
    """The digest's main message: the one already posted for this period, or a new one.
    None when the channel refused it (admins are told once)."""
    team_id, week = digest.team_id, digest.week
    async with runtime.sessions() as session:
        existing = await repo.get_post(
            session=session,
            team_id=team_id,
            week=week,
            scope=target.scope,
            channel_id=target.channel_id,
        )
    if existing is not None:
        report.resumed.append(target)
        return existing
    reply = build_digest_post(digest)
    try:
        response = await client.chat_postMessage(
            channel=target.channel_id, unfurl_links=False, unfurl_media=False, **reply
        )
    except SlackApiError as error:
        code = error_code(error)
        if code not in CHANNEL_PROBLEMS:
            raise
        await _channel_problem(runtime, client, digest, target, code)
        report.failed.append((target, code))
        await _finish(runtime, team_id, target.period(week), STATUS_FAILED, code)
        return None
    except (TimeoutError, aiohttp.ServerTimeoutError):
        # Slack may have posted it before the answer was lost. A second main post is worse
        # than a digest without its thread, so the period is done (as check-in DMs do).
        logger.warning("digest %s main post in %s timed out; not posted again", week, target)
        report.failed.append((target, UNCONFIRMED))
        await _finish(runtime, team_id, target.period(week), STATUS_DONE, UNCONFIRMED)
        return None
    post = await _record_post(runtime, digest, target, str(response["ts"]))
    report.posted.append(target)
    return post


async def _record_post(
    runtime: Runtime, digest: Digest, target: Target, message_ts: str
) -> DigestPost:
    """The posted main message, this week's alignment snapshot, and the channel's alerts
    forgotten (it takes posts again), in one transaction."""
    team_id, week = digest.team_id, digest.week
    async with transaction(runtime.sessions) as session:
        post = await repo.record_post(
            session=session,
            post=DigestPost(
                team_id=team_id,
                week=week,
                scope=target.scope,
                channel_id=target.channel_id,
                message_ts=message_ts,
                late=digest.late,
            ),
        )
        await repo.keep_snapshot(
            session=session,
            team_id=team_id,
            week=week,
            scope=target.scope,
            score=digest.score.score,
            parts={part.key: part.value for part in digest.score.parts},
        )
        await forget_runs(
            session=session, job=ALERT_JOB, team_id=team_id, period_prefix=f"{target.channel_id}:"
        )
    return post


async def _channel_problem(
    runtime: Runtime, client: AsyncWebClient, digest: Digest, target: Target, code: str
) -> None:
    """Tell the admins once per channel and problem; a later successful post resets it."""
    alert = f"{target.channel_id}:{code}"
    async with transaction(runtime.sessions) as session:
        first = await claim_run(
            session=session, job=ALERT_JOB, team_id=digest.team_id, period=alert
        )
        admins = await list_admin_ids(session=session, team_id=digest.team_id) if first else []
    if not first:
        return
    notice = build_notice(
        texts.channel_problem(
            what=texts.where(digest.scope_name, digest.scope),
            channel_id=target.channel_id,
            week=digest.week,
            error=code,
        )
    )
    for user_id in admins:
        try:
            await client.chat_postMessage(channel=user_id, **notice)
        except SlackApiError as error:
            logger.warning("could not tell an admin about a digest channel: %s", error)
    await _finish(runtime, digest.team_id, alert, STATUS_DONE, "admins told", job=ALERT_JOB)


async def _finish(
    runtime: Runtime, team_id: str, period: str, status: str, detail: str, *, job: str = JOB
) -> None:
    async with transaction(runtime.sessions) as session:
        await finish_run(
            session=session, job=job, team_id=team_id, period=period, status=status, detail=detail
        )


async def post_now(
    *, runtime: Runtime, client: AsyncWebClient, team_id: str, now: datetime
) -> DeliveryReport | None:
    """``/align digest now``: this week's digests, unless this week's were already posted
    (whoever posted them). None when no digest channel is set."""
    async with runtime.sessions() as session:
        settings = await load_digest_settings(session=session, team_id=team_id)
    if not settings.enabled:
        return None
    return await deliver_week(
        runtime=runtime,
        client=client,
        team_id=team_id,
        settings=settings,
        week=settings.week_at(now),
        late=False,
        now=now,
    )


async def preview(*, runtime: Runtime, team_id: str, now: datetime) -> Digest:
    """The company digest as it would be posted now (nothing is recorded)."""
    async with runtime.sessions() as session:
        settings = await load_digest_settings(session=session, team_id=team_id)
    period = DigestWeek(week=settings.week_at(now), tz=settings.zone, now=now)
    source = await load_source(runtime=runtime, team_id=team_id, period=period)
    return await asyncio.to_thread(build_digest, source)
