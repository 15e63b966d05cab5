"""Check-in rounds and the per-person delivery rows that make the fan-out exactly-once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import and_, col, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    DEFAULT_SETUP_KEY,
    CheckinDelivery,
    CheckinRound,
    CheckinSetup,
    utc_now,
)
from storage.states import CheckinState
from storage.upsert import insert_ignoring_conflict

# The states, by the short names this module's callers use (``repo.SENT``).
PENDING, SENDING, SENT, ANSWERED, SKIPPED, FAILED = (
    CheckinState.PENDING,
    CheckinState.SENDING,
    CheckinState.SENT,
    CheckinState.ANSWERED,
    CheckinState.SKIPPED,
    CheckinState.FAILED,
)
SENDING_STALE_AFTER = timedelta(minutes=10)


def due_at(moment: Any) -> list[Any]:
    """An invitation's prompt time has come at ``moment`` and its answers are still taken:
    ``prompt_at <= moment < closes_at`` (``moment`` a time or a bind parameter)."""
    return [col(CheckinDelivery.prompt_at) <= moment, col(CheckinDelivery.closes_at) > moment]


def free_to_claim(stale_before: Any) -> Any:
    """Nobody is sending the invitation, or whoever claimed it did so before ``stale_before``
    and died: the one rule of every listing and claim of a DM to send."""
    return or_(
        col(CheckinDelivery.state) == PENDING,
        and_(
            col(CheckinDelivery.state) == SENDING,
            col(CheckinDelivery.claimed_at) < stale_before,
        ),
    )


# --- holidays and pauses ---------------------------------------------------------------------


# --- rounds and deliveries -------------------------------------------------------------------


def of_setup(team_id: str, setup_id: int | None) -> Any:
    """Rounds of setup ``setup_id``, or (None) of the workspace's default setup."""
    if setup_id is not None:
        return and_(col(CheckinRound.team_id) == team_id, col(CheckinRound.setup_id) == setup_id)
    default = (
        select(CheckinSetup.id)
        .where(CheckinSetup.team_id == team_id, CheckinSetup.default_key == DEFAULT_SETUP_KEY)
        .scalar_subquery()
    )
    return and_(col(CheckinRound.team_id) == team_id, col(CheckinRound.setup_id) == default)


async def get_round(
    *, session: AsyncSession, team_id: str, week: str, setup_id: int | None = None
) -> CheckinRound | None:
    """The round of period ``week`` (an ISO week, or a stand-up's day) of a setup (None: the
    default setup)."""
    statement = select(CheckinRound).where(of_setup(team_id, setup_id), CheckinRound.period == week)
    return (await session.exec(statement)).first()


async def get_round_by_id(
    *, session: AsyncSession, team_id: str, round_id: int
) -> CheckinRound | None:
    found = await session.get(CheckinRound, round_id)
    return found if found is not None and found.team_id == team_id else None


async def latest_round(
    *, session: AsyncSession, team_id: str, setup_id: int | None = None
) -> CheckinRound | None:
    statement = (
        select(CheckinRound)
        .where(of_setup(team_id, setup_id))
        .order_by(col(CheckinRound.week).desc(), col(CheckinRound.period).desc())
        .limit(1)
    )
    return (await session.exec(statement)).first()


async def create_round(
    *,
    session: AsyncSession,
    team_id: str,
    setup_id: int,
    period: str,
    week: str,
    questions: list[dict[str, Any]],
    deliveries: Sequence[dict[str, Any]],
) -> CheckinRound | None:
    """Create a setup's round of ``period`` with its invitations, unless another process
    already did.

    Returns the new round, or None when it existed: the invitations are written only by the
    creator, in the same transaction, so nobody is invited twice or joins a round mid-period.
    """
    values = {
        "team_id": team_id,
        "setup_id": setup_id,
        "period": period,
        "week": week,
        "questions": questions,
        "created_at": utc_now(),
    }
    if not await insert_ignoring_conflict(session, CheckinRound, values, ["setup_id", "period"]):
        return None
    created = await get_round(session=session, team_id=team_id, week=period, setup_id=setup_id)
    assert created is not None and created.id is not None
    rows = [
        {**row, "round_id": created.id, "team_id": team_id, "state": PENDING, "error": ""}
        for row in deliveries
    ]
    if rows:
        connection = await session.connection()
        await connection.execute(sa.insert(CheckinDelivery), rows)
    return created


async def claim_delivery(
    *,
    session: AsyncSession,
    delivery: CheckinDelivery,
    now: datetime,
    due_by: datetime | None = None,
) -> bool:
    """Take the right to send this one DM; exactly one caller gets True.

    ``now`` is the claim's clock, written as ``claimed_at``. A fan-out also passes ``due_by``,
    the time of its run: the row must still be due then (``prompt_at <= due_by < closes_at``)
    as it stands now, not as the batch read it, so an invitation that settings saved mid-run
    moved later is left for the run at its new time.
    """
    statement = (
        update(CheckinDelivery)
        .where(
            col(CheckinDelivery.id) == delivery.id,
            *([] if due_by is None else due_at(due_by)),
            free_to_claim(now - SENDING_STALE_AFTER),
        )
        .values(state=SENDING, claimed_at=now)
    )
    result = await session.exec(statement)
    return int(getattr(result, "rowcount", 0) or 0) == 1


async def finish_delivery(
    *,
    session: AsyncSession,
    delivery_id: int,
    claimed_at: datetime,
    state: str,
    release: bool = False,
    **fields: Any,
) -> None:
    """Record the outcome, only if the row is still this caller's claim (``claimed_at``);
    ``release`` also forgets the claim (for a row going back to ``pending``)."""
    values = {**fields, "state": state}
    if release:
        values["claimed_at"] = None
    statement = (
        update(CheckinDelivery)
        .where(
            col(CheckinDelivery.id) == delivery_id,
            col(CheckinDelivery.state) == SENDING,
            col(CheckinDelivery.claimed_at) == claimed_at,
        )
        .values(**values)
    )
    await session.exec(statement)


async def reminders_due(
    *, session: AsyncSession, team_id: str, now: datetime, limit: int = 500
) -> list[CheckinDelivery]:
    statement = (
        select(CheckinDelivery)
        .where(
            CheckinDelivery.team_id == team_id,
            col(CheckinDelivery.state) == SENT,
            col(CheckinDelivery.remind_at) <= now,
            # a prompt that went out late (after its reminder time) gets no reminder on top
            col(CheckinDelivery.sent_at) < col(CheckinDelivery.remind_at),
            col(CheckinDelivery.reminded_at).is_(None),
            col(CheckinDelivery.closes_at) > now,
        )
        .order_by(col(CheckinDelivery.remind_at), col(CheckinDelivery.id))
        .limit(limit)
    )
    return list((await session.exec(statement)).all())


async def claim_reminder(*, session: AsyncSession, delivery_id: int, now: datetime) -> bool:
    """Take the right to send the one reminder of this invitation, only while it is due at
    ``now``: a snooze since the run listed it (a later ``remind_at``) leaves it for later."""
    statement = (
        update(CheckinDelivery)
        .where(
            col(CheckinDelivery.id) == delivery_id,
            col(CheckinDelivery.state) == SENT,
            col(CheckinDelivery.reminded_at).is_(None),
            col(CheckinDelivery.remind_at) <= now,
            col(CheckinDelivery.sent_at) < col(CheckinDelivery.remind_at),
            col(CheckinDelivery.closes_at) > now,
        )
        .values(reminded_at=now)
    )
    result = await session.exec(statement)
    return int(getattr(result, "rowcount", 0) or 0) == 1


async def release_reminder(*, session: AsyncSession, delivery_id: int) -> None:
    """A reminder Slack did not take: let the next run try it again."""
    await session.exec(
        update(CheckinDelivery)
        .where(col(CheckinDelivery.id) == delivery_id)
        .values(reminded_at=None)
    )


async def get_delivery(
    *, session: AsyncSession, team_id: str, round_id: int, user_id: str
) -> CheckinDelivery | None:
    statement = select(CheckinDelivery).where(
        CheckinDelivery.team_id == team_id,
        CheckinDelivery.round_id == round_id,
        CheckinDelivery.user_id == user_id,
    )
    return (await session.exec(statement)).first()


async def round_deliveries(
    *, session: AsyncSession, team_id: str, round_id: int
) -> list[CheckinDelivery]:
    statement = (
        select(CheckinDelivery)
        .where(CheckinDelivery.team_id == team_id, CheckinDelivery.round_id == round_id)
        .order_by(col(CheckinDelivery.user_id))
    )
    return list((await session.exec(statement)).all())


# --- answering -------------------------------------------------------------------------------


async def get_delivery_by_id(
    *, session: AsyncSession, team_id: str, delivery_id: int
) -> CheckinDelivery | None:
    found = await session.get(CheckinDelivery, delivery_id)
    return found if found is not None and found.team_id == team_id else None


async def next_round(*, session: AsyncSession, after: CheckinRound) -> CheckinRound | None:
    """The setup's first round after ``after``: the one that ends the time answers to
    ``after`` count."""
    statement = (
        select(CheckinRound)
        .where(
            of_setup(after.team_id, after.setup_id),
            or_(
                col(CheckinRound.week) > after.week,
                and_(
                    col(CheckinRound.week) == after.week,
                    col(CheckinRound.period) > after.period,
                ),
            ),
        )
        .order_by(col(CheckinRound.week), col(CheckinRound.period))
        .limit(1)
    )
    return (await session.exec(statement)).first()


async def recent_invitations(
    *, session: AsyncSession, team_id: str, user_id: str, limit: int = 3
) -> list[tuple[CheckinDelivery, CheckinRound]]:
    """The person's latest invitations with their rounds, newest week first."""
    statement = (
        select(CheckinDelivery, CheckinRound)
        .join(CheckinRound, col(CheckinRound.id) == col(CheckinDelivery.round_id))
        .where(CheckinDelivery.team_id == team_id, CheckinDelivery.user_id == user_id)
        .order_by(col(CheckinRound.week).desc(), col(CheckinDelivery.prompt_at).desc())
        .limit(limit)
    )
    return [(delivery, round_) for delivery, round_ in (await session.exec(statement)).all()]


# --- what /checkin reads and changes ---------------------------------------------------------


async def rounds_of_weeks(
    *, session: AsyncSession, team_id: str, weeks: Sequence[str], setup_id: int | None = None
) -> dict[str, CheckinRound]:
    """A setup's rounds (None: the default setup's) of ``weeks``, by period; for a weekly
    setup the period is the week."""
    if not weeks:
        return {}
    statement = select(CheckinRound).where(
        of_setup(team_id, setup_id), col(CheckinRound.week).in_(list(weeks))
    )
    return {found.period: found for found in (await session.exec(statement)).all()}


async def round_until(
    *, session: AsyncSession, team_id: str, period: str, setup_id: int | None = None
) -> CheckinRound | None:
    """The setup's latest round of ``period`` or before: "this round" for status, ignoring
    the round opened ahead of time."""
    statement = (
        select(CheckinRound)
        .where(of_setup(team_id, setup_id), col(CheckinRound.period) <= period)
        .order_by(col(CheckinRound.period).desc())
        .limit(1)
    )
    return (await session.exec(statement)).first()


async def deliveries_of_user(
    *, session: AsyncSession, team_id: str, user_id: str, round_ids: Sequence[int]
) -> dict[int, CheckinDelivery]:
    """The person's invitation in each of ``round_ids`` that has one, by round id."""
    if not round_ids:
        return {}
    statement = select(CheckinDelivery).where(
        CheckinDelivery.team_id == team_id,
        CheckinDelivery.user_id == user_id,
        col(CheckinDelivery.round_id).in_(list(round_ids)),
    )
    return {row.round_id: row for row in (await session.exec(statement)).all()}


async def open_deliveries_of_user(
    *, session: AsyncSession, team_id: str, user_id: str, now: datetime
) -> list[tuple[CheckinDelivery, CheckinRound]]:
    """The person's invitations still taking answers (or not yet sent), earliest prompt first."""
    statement = (
        select(CheckinDelivery, CheckinRound)
        .join(CheckinRound, col(CheckinRound.id) == col(CheckinDelivery.round_id))
        .where(
            CheckinDelivery.team_id == team_id,
            CheckinDelivery.user_id == user_id,
            col(CheckinDelivery.closes_at) > now,
        )
        .order_by(col(CheckinDelivery.prompt_at), col(CheckinDelivery.id))
    )
    return [(delivery, round_) for delivery, round_ in (await session.exec(statement)).all()]
