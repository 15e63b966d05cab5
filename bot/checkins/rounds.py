"""Opening a week's round and sending its prompts and reminders, exactly once per person.

Correctness rests on the rows, not on the scheduler: the round is created with all of its
invitations in one transaction by whichever process inserts it first; every DM is sent only by
the process that moved its row from ``pending`` to ``sending`` with a conditional UPDATE, and
the row records the outcome. A run that stops half-way leaves the rest ``pending`` for the
next run. The one window left is a process dying after Slack accepted a DM and before its row
says ``sent``: after ``SENDING_STALE_AFTER`` that person is prompted again.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.checkins.blocks.prompts import build_checkin_prompt, build_checkin_reminder
from bot.checkins.schedule import iso_week, person_schedule
from bot.checkins.settings import CheckinSettings, read_settings
from bot.core.local_time import zone
from bot.core.runtime import Runtime
from bot.slack.errors import error_code
from storage.db import transaction
from storage.models import CheckinDelivery
from storage.repositories import checkin_calendar as calendar_repo
from storage.repositories import checkins as repo
from storage.repositories.members import active_members
from storage.repositories.teams import members_by_team
from storage.repositories.workspaces import get_workspace

logger = logging.getLogger(__name__)

SEND_CONCURRENCY = 8
LOOKAHEAD = timedelta(days=2)
# Slack errors that mean this person cannot get a DM; anything else is retried next run.
PERMANENT_ERRORS = {
    "account_inactive",
    "user_not_found",
    "user_disabled",
    "cannot_dm_bot",
    "not_allowed",
    "channel_not_found",
    "is_archived",
    "invalid_channel",
    "restricted_action",
}


@dataclass
class FanOutReport:
    outcomes: Counter[str] = field(default_factory=Counter)

    def detail(self) -> str:
        if not self.outcomes:
            return "nothing due"
        return ", ".join(f"{count} {outcome}" for outcome, count in sorted(self.outcomes.items()))


async def open_rounds(*, runtime: Runtime, team_id: str, now: datetime) -> list[str]:
    """Create this week's round (and next week's once it is near) if missing; returns the weeks
    created. People who join later wait for the next round."""
    created: list[str] = []
    for moment in (now, now + LOOKAHEAD):
        week = iso_week(moment.date())
        async with transaction(runtime.sessions) as session:
            workspace = await get_workspace(session=session, team_id=team_id)
            if workspace is None:
                return created
            settings = read_settings(workspace.settings)
            if not settings.enabled or await repo.get_round(
                session=session, team_id=team_id, week=week
            ):
                continue
            invitations = await _invitations(session, team_id, week, settings, workspace.timezone)
            if await repo.create_round(
                session=session,
                team_id=team_id,
                week=week,
                questions=[question.model_dump() for question in settings.questions],
                deliveries=invitations,
            ):
                created.append(week)
    return sorted(set(created))


async def _invitations(
    session: AsyncSession, team_id: str, week: str, settings: CheckinSettings, workspace_tz: str
) -> list[dict[str, object]]:
    people = await active_members(session=session, team_id=team_id)
    if settings.team_refs:
        teams = await members_by_team(session=session, team_id=team_id)
        chosen = {user for ref in settings.team_refs for user in teams.get(ref, [])}
        people = [person for person in people if person.user_id in chosen]
    holidays = set(await calendar_repo.list_holidays(session=session, team_id=team_id))
    rows = []
    for person in people:
        schedule = person_schedule(week, settings, zone(person.tz, workspace_tz), holidays)
        rows.append(
            {
                "user_id": person.user_id,
                "prompt_at": schedule.prompt_at,
                "remind_at": schedule.remind_at,
                "closes_at": schedule.closes_at,
            }
        )
    return rows


@dataclass(frozen=True)
class _Context:
    """What a fan-out run reads once, before sending."""

    weeks: dict[int, str]
    question_counts: dict[int, int]
    time_zones: dict[str, str]
    workspace_tz: str
    paused_until: dict[str, date]

    def tz_of(self, user_id: str) -> ZoneInfo:
        return zone(self.time_zones.get(user_id), self.workspace_tz)

    def should_skip(self, delivery: CheckinDelivery) -> bool:
        if delivery.user_id not in self.time_zones:
            return True  # deleted in Slack since the invitation
        paused = self.paused_until.get(delivery.user_id)
        local_prompt_day = delivery.prompt_at.astimezone(self.tz_of(delivery.user_id)).date()
        return paused is not None and paused >= local_prompt_day  # "until" is a local day


async def _read_context(
    session: AsyncSession, team_id: str, deliveries: list[CheckinDelivery]
) -> _Context:
    workspace = await get_workspace(session=session, team_id=team_id)
    people = sorted({delivery.user_id for delivery in deliveries})
    members = await active_members(session=session, team_id=team_id, user_ids=people)
    weeks: dict[int, str] = {}
    question_counts: dict[int, int] = {}
    for round_id in {delivery.round_id for delivery in deliveries}:
        found = await repo.get_round_by_id(session=session, team_id=team_id, round_id=round_id)
        weeks[round_id] = found.week if found else ""
        question_counts[round_id] = len(found.questions) if found else 0
    return _Context(
        weeks=weeks,
        question_counts=question_counts,
        time_zones={member.user_id: member.tz or "" for member in members},
        workspace_tz=workspace.timezone if workspace else "UTC",
        paused_until=await calendar_repo.pauses(session=session, team_id=team_id, user_ids=people),
    )


async def send_due_prompts(
    *, runtime: Runtime, client: AsyncWebClient, team_id: str, now: datetime
) -> FanOutReport:
    """DM everyone whose local prompt time has come and who has not been sent one."""
    return await _in_batches(
        runtime,
        team_id,
        now,
        repo.due_deliveries,
        lambda delivery, context: _deliver_prompt(runtime, client, delivery, now, context),
    )


async def send_due_reminders(
    *, runtime: Runtime, client: AsyncWebClient, team_id: str, now: datetime
) -> FanOutReport:
    """The one reminder of each invitation that is sent but not answered, at its time."""
    return await _in_batches(
        runtime,
        team_id,
        now,
        repo.reminders_due,
        lambda delivery, context: _deliver_reminder(runtime, client, delivery, now, context),
    )


Finder = Callable[..., Awaitable[list[CheckinDelivery]]]
Sender = Callable[[CheckinDelivery, "_Context"], Awaitable[str]]


async def _in_batches(
    runtime: Runtime, team_id: str, now: datetime, find: Finder, send: Sender
) -> FanOutReport:
    """Work through everything due, a batch at a time; a row that must wait for a later run
    (Slack was unavailable) is not tried twice in one run."""
    report = FanOutReport()
    tried: set[int] = set()
    while True:
        async with runtime.sessions() as session:
            due = [
                delivery
                for delivery in await find(session=session, team_id=team_id, now=now)
                if delivery.id not in tried
            ]
            if not due:
                return report
            context = await _read_context(session, team_id, due)
        tried.update(delivery.id for delivery in due if delivery.id is not None)
        report.outcomes.update((await _fan_out(due, send, context)).outcomes)


async def _fan_out(due: list[CheckinDelivery], send: Sender, context: _Context) -> FanOutReport:
    report = FanOutReport()
    gate = asyncio.Semaphore(SEND_CONCURRENCY)

    async def one(delivery: CheckinDelivery) -> None:
        async with gate:
            report.outcomes[await send(delivery, context)] += 1

    await asyncio.gather(*(one(delivery) for delivery in due))
    return report


def _error_code(error: SlackApiError) -> str:
    return error_code(error)


async def _deliver_prompt(
    runtime: Runtime,
    client: AsyncWebClient,
    delivery: CheckinDelivery,
    now: datetime,
    context: _Context,
) -> str:
    # Claiming, sending and recording the outcome run to the end even if this run is
    # cancelled (a graceful shutdown): no row is left "sending" and every DM Slack accepted
    # is recorded as sent.
    return await asyncio.shield(_claim_and_send(runtime, client, delivery, now, context))


async def _claim_and_send(
    runtime: Runtime,
    client: AsyncWebClient,
    delivery: CheckinDelivery,
    now: datetime,
    context: _Context,
) -> str:
    assert delivery.id is not None
    # The claim's time is read now, not at the start of the run: a long run must not write
    # claims that already look abandoned to another process.
    claimed_at = runtime.clock()
    async with transaction(runtime.sessions) as session:
        if not await repo.claim_delivery(session=session, delivery=delivery, now=claimed_at):
            return "taken by another run"
    claim = _Claim(delivery.id, claimed_at)
    if context.should_skip(delivery):
        await _finish(runtime, claim, repo.SKIPPED, error="paused or no longer a member")
        return "skipped"
    return await _send_prompt(runtime, client, delivery, claim, context)


async def _send_prompt(
    runtime: Runtime,
    client: AsyncWebClient,
    delivery: CheckinDelivery,
    claim: _Claim,
    context: _Context,
) -> str:
    message = build_checkin_prompt(
        week=context.weeks[delivery.round_id],
        delivery_id=claim.delivery_id,
        questions=context.question_counts[delivery.round_id],
        closes_local=delivery.closes_at.astimezone(context.tz_of(delivery.user_id)),
    )
    try:
        response = await client.chat_postMessage(channel=delivery.user_id, **message)
    except SlackApiError as error:
        code = _error_code(error)
        if code in PERMANENT_ERRORS:
            await _finish(runtime, claim, repo.FAILED, error=code)
            return f"failed ({code})"
        await _finish(runtime, claim, repo.PENDING, release=True)
        logger.warning("a check-in DM was not sent (%s); the next run retries it", code)
        return "retry later"
    except (TimeoutError, aiohttp.ServerTimeoutError):
        # Slack may have posted it before the answer was lost: never risk a second prompt.
        await _finish(runtime, claim, repo.SENT, sent_at=claim.claimed_at, error="unconfirmed")
        logger.warning("a check-in DM timed out; recorded as sent, unconfirmed")
        return "sent (unconfirmed)"
    except Exception:
        await _finish(runtime, claim, repo.PENDING, release=True)
        logger.exception("a check-in DM was not sent; the next run retries it")
        return "retry later"
    await _finish(
        runtime,
        claim,
        repo.SENT,
        sent_at=claim.claimed_at,
        channel_id=str(response.get("channel") or ""),
        message_ts=str(response.get("ts") or ""),
    )
    return "sent"


async def _deliver_reminder(
    runtime: Runtime,
    client: AsyncWebClient,
    delivery: CheckinDelivery,
    now: datetime,
    context: _Context,
) -> str:
    assert delivery.id is not None
    if context.should_skip(delivery):
        return "not reminded (paused or gone)"
    async with transaction(runtime.sessions) as session:
        if not await repo.claim_reminder(session=session, delivery_id=delivery.id, now=now):
            return "taken by another run"
    message = build_checkin_reminder(
        week=context.weeks[delivery.round_id],
        delivery_id=delivery.id,
        closes_local=delivery.closes_at.astimezone(context.tz_of(delivery.user_id)),
    )
    try:
        await client.chat_postMessage(channel=delivery.user_id, **message)
    except SlackApiError as error:
        code = _error_code(error)
        if code in PERMANENT_ERRORS:
            return f"failed ({code})"
        await _release_reminder(runtime, delivery.id)
        return "retry later"
    except (TimeoutError, aiohttp.ServerTimeoutError):
        return "reminded (unconfirmed)"  # it may have arrived; one reminder at most
    except Exception:
        logger.exception("a check-in reminder was not sent; the next run retries it")
        await _release_reminder(runtime, delivery.id)
        return "retry later"
    return "reminded"


async def _release_reminder(runtime: Runtime, delivery_id: int) -> None:
    async with transaction(runtime.sessions) as session:
        await repo.release_reminder(session=session, delivery_id=delivery_id)


@dataclass(frozen=True)
class _Claim:
    delivery_id: int
    claimed_at: datetime


async def _finish(
    runtime: Runtime, claim: _Claim, state: str, *, release: bool = False, **fields: object
) -> None:
    async with transaction(runtime.sessions) as session:
        await repo.finish_delivery(
            session=session,
            delivery_id=claim.delivery_id,
            claimed_at=claim.claimed_at,
            state=state,
            release=release,
            **fields,
        )
