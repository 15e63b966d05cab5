"""A setup's own channel in summary mode: one summary per round, once its window has closed
for everyone (the latest ``closes_at`` of its invitations), posted by the scheduler's
``checkin-summaries`` job.

Exactly once per round, crash-safe as the digest is: the round's ``checkin_thread`` row is
claimed (``summary_ts`` set to a claim, a conditional update) before posting, and gets
Slack's ts after. A claim left by a process that died, or by a channel that refused, is
taken again after ``RETRY_AFTER``; a post whose answer from Slack was lost is marked
unconfirmed and never posted again (a second summary is worse than none). A round that
closed more than ``CATCH_UP_FOR`` ago is not summarised any more: turning summaries on does
not flood the channel with old rounds.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.checkins.answer_form import round_questions
from bot.checkins.blocks.summary import build_round_summary
from bot.checkins.round_stats import round_stats
from bot.checkins.setup_channel_alerts import forget_channel_failures, report_channel_failure
from bot.checkins.setups import Setup, active_setups
from bot.core.runtime import Runtime
from bot.slack.errors import error_code
from bot.slack.messages import Reply
from storage.db import transaction
from storage.models import CheckinRound
from storage.repositories import checkin_answers as answers_repo
from storage.repositories import checkin_threads as repo
from storage.repositories import checkins as rounds_repo

logger = logging.getLogger(__name__)

CATCH_UP_FOR = timedelta(days=2)
RETRY_AFTER = timedelta(minutes=15)


@dataclass
class SummaryReport:
    posted: list[str] = field(default_factory=list)  # the rounds' periods
    failed: list[tuple[str, str]] = field(default_factory=list)  # (period, why)

    def detail(self) -> str:
        if not self.posted and not self.failed:
            return "no summary due"
        parts = [f"{len(self.posted)} summaries posted"]
        if self.failed:
            parts.append("failed " + ", ".join(f"{period} ({why})" for period, why in self.failed))
        return "; ".join(parts)


def posts_summaries(setup: Setup) -> bool:
    settings = setup.settings
    return bool(settings.channel_id) and settings.channel_mode == "summary"


async def post_due_summaries(
    *, runtime: Runtime, client: AsyncWebClient, team_id: str, now: datetime
) -> SummaryReport:
    """Post the summary of every round that has closed and has none yet."""
    report = SummaryReport()
    async with runtime.sessions() as session:
        setups = {s.id: s for s in await active_setups(session, team_id) if posts_summaries(s)}
        rounds = await repo.rounds_closed_between(
            session=session,
            team_id=team_id,
            setup_ids=list(setups),
            since=now - CATCH_UP_FOR,
            until=now,
        )
    for round_ in rounds:
        await _summarise(runtime, client, round_, setups[round_.setup_id], now, report)
    return report


async def _summarise(
    runtime: Runtime,
    client: AsyncWebClient,
    round_: CheckinRound,
    setup: Setup,
    now: datetime,
    report: SummaryReport,
) -> None:
    assert round_.id is not None and setup.settings.channel_id is not None
    channel_id, team_id = setup.settings.channel_id, round_.team_id
    async with transaction(runtime.sessions) as session:
        if not await repo.claim_summary(
            session=session,
            team_id=team_id,
            round_id=round_.id,
            channel_id=channel_id,
            now=now,
            retry_after=RETRY_AFTER,
        ):
            return
    try:
        summary = await _summary_of(runtime, round_, setup)
        response = await client.chat_postMessage(
            channel=channel_id, unfurl_links=False, unfurl_media=False, **summary
        )
    except SlackApiError as error:
        code = error_code(error)
        logger.warning("a check-in summary was not posted in %s: %s", channel_id, code)
        report.failed.append((round_.period, code))
        await _keep_error(runtime, round_.id, code)
        await report_channel_failure(
            runtime,
            client,
            team_id=team_id,
            setup=setup,
            channel_id=channel_id,
            period=round_.period,
            error=code,
            summary=True,
        )
        return
    except (TimeoutError, aiohttp.ServerTimeoutError):
        logger.warning("a check-in summary in %s timed out; not posted again", channel_id)
        report.failed.append((round_.period, repo.SUMMARY_UNCONFIRMED))
        async with transaction(runtime.sessions) as session:
            await repo.set_summary_ts(
                session=session, round_id=round_.id, summary_ts=repo.SUMMARY_UNCONFIRMED
            )
        return
    except Exception as error:
        logger.exception("a check-in summary failed in %s", channel_id)
        report.failed.append((round_.period, type(error).__name__))
        await _keep_error(runtime, round_.id, "unexpected error")
        return
    async with transaction(runtime.sessions) as session:
        await repo.set_summary_ts(
            session=session, round_id=round_.id, summary_ts=str(response.get("ts") or "")
        )
        await forget_channel_failures(session, team_id=team_id, setup_id=setup.id)
    report.posted.append(round_.period)


async def _summary_of(runtime: Runtime, round_: CheckinRound, setup: Setup) -> Reply:
    """The summary message of a closed round: its counts, never what anyone wrote."""
    assert round_.id is not None
    async with runtime.sessions() as session:
        deliveries = await rounds_repo.round_deliveries(
            session=session, team_id=round_.team_id, round_id=round_.id
        )
        answers = await answers_repo.round_answers(
            session=session, team_id=round_.team_id, round_id=round_.id
        )
    stats = round_stats(round_questions(round_.questions), deliveries, answers)
    return build_round_summary(setup_name=setup.name, period=round_.period, stats=stats)


async def _keep_error(runtime: Runtime, round_id: int, error: str) -> None:
    """The claim stays, so the summary is tried again once it is ``RETRY_AFTER`` old."""
    async with transaction(runtime.sessions) as session:
        await repo.record_error(session=session, round_id=round_id, error=error)
