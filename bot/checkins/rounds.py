"""Opening a week's round and sending its prompts and reminders, exactly once per person.

Correctness rests on the rows, not on the scheduler: the round is created with all of its
invitations in one transaction by whichever process inserts it first; every DM is sent only by
the process that moved its row from ``pending`` to ``sending`` with a conditional UPDATE, and
the row records the outcome. A run that stops half-way leaves the rest ``pending`` for the
next run. The one window left is a process dying after Slack accepted a DM and before its row
says ``sent``: after ``SENDING_STALE_AFTER`` that person is prompted again.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.checkins.blocks.prompts import build_checkin_reminder
from bot.checkins.calendar import WorkCalendar, read_calendar
from bot.checkins.claimed_rows import Claimed, claim_prompts, record_prompts, reread
from bot.checkins.periods import due_periods, period_week
from bot.checkins.run_context import RunContext, read_run_context
from bot.checkins.schedule import person_schedule
from bot.checkins.settings import CheckinSettings
from bot.checkins.setups import Setup, active_setups, ensure_default_setup
from bot.core.local_time import zone
from bot.core.runtime import Runtime
from bot.slack.fanout import (
    SEND_CONCURRENCY,
    TAKEN,
    Attempt,
    Delivery,
    FanOutReport,
    Sent,
    deliver,
    fan_out,
)
from bot.slack.fanout_groups import Batch, ClaimedGroup, GroupSteps, fan_out_batches
from bot.slack.messages import Reply
from storage.db import transaction
from storage.models import CheckinDelivery, Member
from storage.repositories import checkin_setups as setups_repo
from storage.repositories import checkins as repo
from storage.repositories.checkin_claims import DueInvitation, due_deliveries
from storage.repositories.members import active_members
from storage.repositories.teams import members_by_team
from storage.repositories.workspaces import get_workspace

logger = logging.getLogger(__name__)

DUE_BATCH = 500  # the most invitations listed at a time by a fan-out run
FIRST_BATCH = 2 * SEND_CONCURRENCY  # a run's first listing: two groups, so the first DM is soon
BATCH_GROWTH = 4  # each listing of a run this many times the one before, up to DUE_BATCH


async def open_rounds(*, runtime: Runtime, team_id: str, now: datetime) -> list[str]:
    """Create every setup's rounds that should exist at ``now`` and do not (this week's and,
    once near, next week's; a stand-up's days from yesterday to two days ahead); returns
    what was created, as "Setup name period". People who join later wait for the next
    round. One read finds the missing rounds; each is created in its own transaction."""
    async with transaction(runtime.sessions) as session:
        workspace = await get_workspace(session=session, team_id=team_id)
        if workspace is None:
            return []
        await ensure_default_setup(session, team_id)
        setups = [
            setup for setup in await active_setups(session, team_id) if setup.settings.enabled
        ]
        wanted = [
            (setup, period) for setup in setups for period in due_periods(setup.settings, now)
        ]
        existing = await setups_repo.existing_periods(
            session=session, team_id=team_id, periods=[period for _, period in wanted]
        )
        calendar = await read_calendar(session, team_id, workspace.settings)
    created: list[str] = []
    for setup, period in wanted:
        if (setup.id, period) in existing:
            continue
        async with transaction(runtime.sessions) as session:
            opened = await open_round(
                session,
                team_id=team_id,
                setup=setup,
                period=period,
                tz=workspace.timezone,
                calendar=calendar,
                now=now,
            )
        if opened:
            created.append(period if setup.is_default else f"{setup.name} {period}")
    return created


async def open_round(
    session: AsyncSession,
    *,
    team_id: str,
    setup: Setup,
    period: str,
    tz: str,
    calendar: WorkCalendar,
    now: datetime,
) -> bool:
    """Create the setup's round of ``period`` with its invitations in the caller's
    transaction, unless the setup is off or the round exists; True when this call created
    it. A stand-up's day that is a holiday gets a round with nobody in it, so it is never
    tried again; a stand-up invites nobody whose day has already closed."""
    settings = setup.settings
    if not settings.enabled or await repo.get_round(
        session=session, team_id=team_id, week=period, setup_id=setup.id
    ):
        return False
    invitations = await _invitations(session, team_id, period, settings, tz, calendar)
    if settings.is_stand_up:
        invitations = [row for row in invitations if row["closes_at"] > now]  # type: ignore[operator]
    created = await repo.create_round(
        session=session,
        team_id=team_id,
        setup_id=setup.id,
        period=period,
        week=period_week(period),
        questions=[question.model_dump() for question in settings.questions],
        deliveries=invitations,
    )
    return created is not None


async def taking_part(
    session: AsyncSession, team_id: str, settings: CheckinSettings
) -> list[Member]:
    """The active members the settings invite: everyone, or the chosen teams' members and
    the chosen people."""
    people = await active_members(session=session, team_id=team_id)
    if settings.everyone:
        return people
    chosen = set(settings.user_ids)
    if settings.team_refs:
        teams = await members_by_team(session=session, team_id=team_id)
        chosen |= {user for ref in settings.team_refs for user in teams.get(ref, [])}
    return [person for person in people if person.user_id in chosen]


async def _invitations(
    session: AsyncSession,
    team_id: str,
    period: str,
    settings: CheckinSettings,
    workspace_tz: str,
    calendar: WorkCalendar,
) -> list[dict[str, object]]:
    people = await taking_part(session, team_id, settings)
    rows: list[dict[str, object]] = []
    for person in people:
        schedule = person_schedule(period, settings, zone(person.tz, workspace_tz), calendar)
        if schedule is None:
            continue  # a stand-up's holiday
        rows.append(
            {
                "user_id": person.user_id,
                "prompt_at": schedule.prompt_at,
                "remind_at": schedule.remind_at,
                "closes_at": schedule.closes_at,
            }
        )
    return rows


async def send_due_prompts(
    *,
    runtime: Runtime,
    client: AsyncWebClient,
    team_id: str,
    now: datetime,
    batch_size: int = DUE_BATCH,
) -> FanOutReport:
    """DM everyone whose local prompt time has come and who has not been sent one: claimed
    and recorded a group at a time, the next batch listed while the last groups of the one
    before go out (``fan_out_batches``); a row that must wait for a later run is not tried
    twice in one. Batches are listed page after page by ``(prompt_at, id)``: a row not yet
    claimed or still being sent when the next batch is listed, or one set back to pending to
    retry later, never stops the run before the rows after it. The first batch is small
    (``FIRST_BATCH``), so the first DM leaves after a short read, and each one after it
    ``BATCH_GROWTH`` times the one before, up to ``batch_size``, so that no listing is much
    larger than the last: each has only the last few groups' send time to finish in."""
    tried: set[int] = set()
    listed_up_to: list[tuple[datetime, int]] = []  # the last row listed, where paging goes on

    async def next_batch() -> Batch[DueInvitation, tuple[int, datetime]] | None:
        async with runtime.sessions() as session:
            due: list[DueInvitation] = []
            while not due:  # a page of rows already tried in this run is skipped, not the end
                listed = await due_deliveries(
                    session=session,
                    team_id=team_id,
                    now=now,
                    limit=batch_limit(len(listed_up_to), batch_size),
                    after=listed_up_to[-1] if listed_up_to else None,
                )
                if not listed:
                    return None
                listed_up_to.append((listed[-1].prompt_at, listed[-1].id))
                due = [delivery for delivery in listed if delivery.id not in tried]
            context = await read_run_context(session, team_id, due)
        tried.update(delivery.id for delivery in due)
        return due, prompt_steps(runtime, team_id, now, context)

    return await fan_out_batches(client, next_batch)


def batch_limit(listed_before: int, most: int) -> int:
    """How many invitations a run's listing takes, after ``listed_before`` listings."""
    limit = FIRST_BATCH
    for _ in range(listed_before):
        if limit >= most:
            break
        limit *= BATCH_GROWTH
    return min(most, limit)


def prompt_steps(
    runtime: Runtime, team_id: str, now: datetime, context: RunContext
) -> GroupSteps[DueInvitation, tuple[int, datetime]]:
    """How a group of listed prompts is claimed (as due at ``now``) and recorded."""

    async def claim(group: list[DueInvitation]) -> ClaimedGroup[tuple[int, datetime]]:
        return await claim_prompts(runtime, team_id, group, now, context.prompt_or_skip)

    async def record(attempts: list[tuple[tuple[int, datetime], Attempt]]) -> None:
        await record_prompts(runtime, attempts)

    return GroupSteps("a check-in DM", "sent", claim, record)


async def send_due_reminders(
    *, runtime: Runtime, client: AsyncWebClient, team_id: str, now: datetime
) -> FanOutReport:
    """The one reminder of each invitation that is sent but not answered, at its time."""

    async def send(due: list[CheckinDelivery], context: RunContext) -> FanOutReport:
        return await fan_out(
            due, lambda delivery: _deliver_reminder(runtime, client, delivery, now, context)
        )

    return await _in_batches(runtime, team_id, now, repo.reminders_due, send)


Finder = Callable[..., Awaitable[list[CheckinDelivery]]]
BatchSender = Callable[[list[CheckinDelivery], "RunContext"], Awaitable[FanOutReport]]


async def _in_batches(
    runtime: Runtime, team_id: str, now: datetime, find: Finder, send: BatchSender
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
            context = await read_run_context(session, team_id, due)
        tried.update(delivery.id for delivery in due if delivery.id is not None)
        sent = await send(due, context)
        report.outcomes.update(sent.outcomes)


async def _deliver_reminder(
    runtime: Runtime,
    client: AsyncWebClient,
    delivery: CheckinDelivery,
    now: datetime,
    context: RunContext,
) -> str:
    delivery_id = delivery.id
    assert delivery_id is not None
    if context.should_skip(delivery):
        return "not reminded (paused or gone)"
    if not context.enabled(delivery):
        return "not reminded (its check-in is off or removed)"
    claimed: Claimed | None = None

    async def claim() -> str | None:
        nonlocal claimed
        async with transaction(runtime.sessions) as session:
            if not await repo.claim_reminder(session=session, delivery_id=delivery_id, now=now):
                return TAKEN  # reminded, answered, or snoozed since the batch was listed
            claimed = await reread(session, delivery_id, delivery.team_id)
        return None

    def message() -> Reply:
        assert claimed is not None  # deliver() builds the message only after a won claim
        return build_checkin_reminder(
            week=claimed.period,
            setup_name=context.setup_name(delivery),
            delivery_id=delivery_id,
            closes_local=claimed.row.closes_at.astimezone(context.tz_of(delivery.user_id)),
        )

    async def record(attempt: Attempt) -> None:
        if attempt.sent is Sent.RETRY:  # one reminder at most: only a sure failure frees it
            async with transaction(runtime.sessions) as session:
                await repo.release_reminder(session=session, delivery_id=delivery_id)

    steps = Delivery(delivery.user_id, "a check-in reminder", "reminded", claim, message, record)
    return await deliver(client, steps)
