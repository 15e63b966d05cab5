"""Check-in rounds and the per-person delivery rows that make the fan-out exactly-once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import and_, col, delete, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    CheckinAnswer,
    CheckinDelivery,
    CheckinPause,
    CheckinRound,
    Holiday,
    utc_now,
)
from storage.upsert import insert_ignoring_conflict, upsert_rows

PENDING, SENDING, SENT, ANSWERED, SKIPPED, FAILED = (
    "pending",
    "sending",
    "sent",
    "answered",
    "skipped",
    "failed",
)
SENDING_STALE_AFTER = timedelta(minutes=10)


# --- holidays and pauses ---------------------------------------------------------------------


async def add_holiday(*, session: AsyncSession, team_id: str, day: date) -> bool:
    return await insert_ignoring_conflict(
        session, Holiday, {"team_id": team_id, "day": day}, ["team_id", "day"]
    )


async def remove_holiday(*, session: AsyncSession, team_id: str, day: date) -> bool:
    result = await session.exec(
        delete(Holiday).where(col(Holiday.team_id) == team_id, col(Holiday.day) == day)
    )
    return bool(getattr(result, "rowcount", 0))


async def list_holidays(
    *, session: AsyncSession, team_id: str, since: date | None = None
) -> list[date]:
    statement = select(Holiday).where(Holiday.team_id == team_id).order_by(col(Holiday.day))
    if since is not None:
        statement = statement.where(col(Holiday.day) >= since)
    return [holiday.day for holiday in (await session.exec(statement)).all()]


async def set_pause(*, session: AsyncSession, team_id: str, user_id: str, until: date) -> None:
    await upsert_rows(
        session,
        CheckinPause,
        [{"team_id": team_id, "user_id": user_id, "until": until}],
        conflict_columns=["team_id", "user_id"],
        update_columns=["until"],
    )


async def clear_pause(*, session: AsyncSession, team_id: str, user_id: str) -> bool:
    result = await session.exec(
        delete(CheckinPause).where(
            col(CheckinPause.team_id) == team_id, col(CheckinPause.user_id) == user_id
        )
    )
    return bool(getattr(result, "rowcount", 0))


async def pauses(*, session: AsyncSession, team_id: str) -> dict[str, date]:
    statement = select(CheckinPause).where(CheckinPause.team_id == team_id)
    return {row.user_id: row.until for row in (await session.exec(statement)).all()}


# --- rounds and deliveries -------------------------------------------------------------------


async def get_round(*, session: AsyncSession, team_id: str, week: str) -> CheckinRound | None:
    statement = select(CheckinRound).where(
        CheckinRound.team_id == team_id, CheckinRound.week == week
    )
    return (await session.exec(statement)).first()


async def get_round_by_id(
    *, session: AsyncSession, team_id: str, round_id: int
) -> CheckinRound | None:
    found = await session.get(CheckinRound, round_id)
    return found if found is not None and found.team_id == team_id else None


async def latest_round(*, session: AsyncSession, team_id: str) -> CheckinRound | None:
    statement = (
        select(CheckinRound)
        .where(CheckinRound.team_id == team_id)
        .order_by(col(CheckinRound.week).desc())
        .limit(1)
    )
    return (await session.exec(statement)).first()


async def create_round(
    *,
    session: AsyncSession,
    team_id: str,
    week: str,
    questions: list[dict[str, Any]],
    deliveries: Sequence[dict[str, Any]],
) -> CheckinRound | None:
    """Create the week's round with its invitations, unless another process already did.

    Returns the new round, or None when it existed: the invitations are written only by the
    creator, in the same transaction, so nobody is invited twice or joins a round mid-week.
    """
    values = {"team_id": team_id, "week": week, "questions": questions, "created_at": utc_now()}
    if not await insert_ignoring_conflict(session, CheckinRound, values, ["team_id", "week"]):
        return None
    created = await get_round(session=session, team_id=team_id, week=week)
    assert created is not None and created.id is not None
    rows = [
        {**row, "round_id": created.id, "team_id": team_id, "state": PENDING, "error": ""}
        for row in deliveries
    ]
    if rows:
        connection = await session.connection()
        await connection.execute(sa.insert(CheckinDelivery), rows)
    return created


async def due_deliveries(
    *, session: AsyncSession, team_id: str, now: datetime, limit: int = 500
) -> list[CheckinDelivery]:
    """Invitations whose prompt time has come and that nobody is sending (or whose sender
    died): the candidates a fan-out run tries to claim."""
    statement = (
        select(CheckinDelivery)
        .where(
            CheckinDelivery.team_id == team_id,
            col(CheckinDelivery.prompt_at) <= now,
            col(CheckinDelivery.closes_at) > now,
            or_(
                col(CheckinDelivery.state) == PENDING,
                and_(
                    col(CheckinDelivery.state) == SENDING,
                    col(CheckinDelivery.claimed_at) < now - SENDING_STALE_AFTER,
                ),
            ),
        )
        .order_by(col(CheckinDelivery.prompt_at), col(CheckinDelivery.id))
        .limit(limit)
    )
    return list((await session.exec(statement)).all())


async def claim_delivery(
    *, session: AsyncSession, delivery: CheckinDelivery, now: datetime
) -> bool:
    """Take the right to send this one DM; exactly one caller gets True."""
    statement = (
        update(CheckinDelivery)
        .where(
            col(CheckinDelivery.id) == delivery.id,
            or_(
                col(CheckinDelivery.state) == PENDING,
                and_(
                    col(CheckinDelivery.state) == SENDING,
                    col(CheckinDelivery.claimed_at) < now - SENDING_STALE_AFTER,
                ),
            ),
        )
        .values(state=SENDING, claimed_at=now)
    )
    result = await session.exec(statement)
    return int(getattr(result, "rowcount", 0) or 0) == 1


async def finish_delivery(
    *, session: AsyncSession, delivery_id: int, state: str, **fields: Any
) -> None:
    statement = (
        update(CheckinDelivery)
        .where(col(CheckinDelivery.id) == delivery_id, col(CheckinDelivery.state) == SENDING)
        .values(state=state, **fields)
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
            col(CheckinDelivery.reminded_at).is_(None),
            col(CheckinDelivery.closes_at) > now,
        )
        .order_by(col(CheckinDelivery.remind_at), col(CheckinDelivery.id))
        .limit(limit)
    )
    return list((await session.exec(statement)).all())


async def claim_reminder(*, session: AsyncSession, delivery_id: int, now: datetime) -> bool:
    """Take the right to send the one reminder of this invitation."""
    statement = (
        update(CheckinDelivery)
        .where(
            col(CheckinDelivery.id) == delivery_id,
            col(CheckinDelivery.state) == SENT,
            col(CheckinDelivery.reminded_at).is_(None),
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


async def get_answer(*, session: AsyncSession, delivery_id: int) -> CheckinAnswer | None:
    statement = select(CheckinAnswer).where(CheckinAnswer.delivery_id == delivery_id)
    return (await session.exec(statement)).first()


async def answers_of_user(
    *, session: AsyncSession, team_id: str, user_id: str, limit: int = 5
) -> list[tuple[CheckinAnswer, CheckinRound]]:
    statement = (
        select(CheckinAnswer, CheckinRound)
        .join(CheckinRound, col(CheckinRound.id) == col(CheckinAnswer.round_id))
        .where(CheckinAnswer.team_id == team_id, CheckinAnswer.user_id == user_id)
        .order_by(col(CheckinRound.week).desc())
        .limit(limit)
    )
    return [(answer, round_) for answer, round_ in (await session.exec(statement)).all()]
