"""Check-in rounds and the per-person delivery rows that make the fan-out exactly-once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import and_, col, delete, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    CheckinAnswer,
    CheckinDelivery,
    CheckinPause,
    CheckinRound,
    CheckinShare,
    Goal,
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


# --- answering -------------------------------------------------------------------------------


async def get_delivery_by_id(
    *, session: AsyncSession, team_id: str, delivery_id: int
) -> CheckinDelivery | None:
    found = await session.get(CheckinDelivery, delivery_id)
    return found if found is not None and found.team_id == team_id else None


async def next_round(*, session: AsyncSession, team_id: str, week: str) -> CheckinRound | None:
    """The first round after ``week``: the one that ends the time answers to ``week`` count."""
    statement = (
        select(CheckinRound)
        .where(CheckinRound.team_id == team_id, col(CheckinRound.week) > week)
        .order_by(col(CheckinRound.week))
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
        .order_by(col(CheckinRound.week).desc())
        .limit(limit)
    )
    return [(delivery, round_) for delivery, round_ in (await session.exec(statement)).all()]


async def checkin_goals(*, session: AsyncSession, team_id: str, user_id: str) -> list[Goal]:
    """The person's open goals that a check-in asks about: those measured by a number or a
    milestone (a goal measured by its sub-goals has no value of its own)."""
    statement = (
        select(Goal)
        .where(
            Goal.team_id == team_id,
            Goal.owner_id == user_id,
            Goal.state == "open",
            col(Goal.measure).in_(["number", "milestone"]),
        )
        .order_by(col(Goal.number))
    )
    return list((await session.exec(statement)).all())


async def save_answer(
    *,
    session: AsyncSession,
    delivery: CheckinDelivery,
    answers: dict[str, str],
    mood: int | None,
    late: bool,
    now: datetime,
) -> CheckinAnswer:
    """Insert the person's answers, or replace those of an earlier submission.

    ``late`` is kept from the first submission: an answer given in time and corrected later
    still counts as given in time.
    """
    assert delivery.id is not None
    row = {
        "delivery_id": delivery.id,
        "round_id": delivery.round_id,
        "team_id": delivery.team_id,
        "user_id": delivery.user_id,
        "answers": answers,
        "mood": mood,
        "late": late,
        "created_at": now,
        "updated_at": now,
    }
    await upsert_rows(
        session,
        CheckinAnswer,
        [row],
        conflict_columns=["delivery_id"],
        update_columns=["answers", "mood", "updated_at"],
    )
    saved = await get_answer(session=session, delivery_id=delivery.id)
    assert saved is not None
    await session.refresh(saved)
    return saved


async def mark_answered(
    *, session: AsyncSession, team_id: str, delivery_id: int, now: datetime
) -> None:
    """From any state: a person may answer after a failed DM, a skip, or a second time.
    ``answered_at`` keeps the first answer's time."""
    row = (col(CheckinDelivery.id) == delivery_id, col(CheckinDelivery.team_id) == team_id)
    await session.exec(update(CheckinDelivery).where(*row).values(state=ANSWERED))
    await session.exec(
        update(CheckinDelivery)
        .where(*row, col(CheckinDelivery.answered_at).is_(None))
        .values(answered_at=now)
    )


async def mark_skipped(*, session: AsyncSession, team_id: str, delivery_id: int) -> bool:
    """Skip this week unless it is answered; True when the row is (now) skipped."""
    statement = (
        update(CheckinDelivery)
        .where(
            col(CheckinDelivery.id) == delivery_id,
            col(CheckinDelivery.team_id) == team_id,
            col(CheckinDelivery.state) != ANSWERED,
        )
        .values(state=SKIPPED)
    )
    result = await session.exec(statement)
    return int(getattr(result, "rowcount", 0) or 0) == 1


# --- sharing in team channels ----------------------------------------------------------------

# While a process posts a team's weekly parent message, ``error`` holds this and the time, so
# others wait for the thread instead of posting a second parent, and a process that died
# mid-way is taken over once the time is old enough.
POSTING_PARENT = "posting since "


def _posting_marker(moment: datetime) -> str:
    return POSTING_PARENT + moment.astimezone(UTC).isoformat(timespec="seconds")


async def get_share(*, session: AsyncSession, round_id: int, team_ref: int) -> CheckinShare | None:
    return await session.get(CheckinShare, (round_id, team_ref))


async def claim_share_thread(
    *,
    session: AsyncSession,
    team_id: str,
    round_id: int,
    team_ref: int,
    channel_id: str,
    now: datetime,
    stale_after: timedelta,
) -> bool:
    """Take the right to post the weekly parent message of a team; exactly one caller at a
    time gets True. A team whose channel changed since gets a new thread there."""
    values = {
        "round_id": round_id,
        "team_ref": team_ref,
        "team_id": team_id,
        "channel_id": channel_id,
        "thread_ts": None,
        "error": _posting_marker(now),
        "error_reported": False,
    }
    if await insert_ignoring_conflict(session, CheckinShare, values, ["round_id", "team_ref"]):
        return True
    key = (col(CheckinShare.round_id) == round_id, col(CheckinShare.team_ref) == team_ref)
    await session.exec(
        update(CheckinShare)
        .where(*key, col(CheckinShare.channel_id) != channel_id)
        .values(channel_id=channel_id, thread_ts=None, error="", error_reported=False)
    )
    result = await session.exec(
        update(CheckinShare)
        .where(
            *key,
            col(CheckinShare.thread_ts).is_(None),
            or_(
                col(CheckinShare.error).not_like(POSTING_PARENT + "%"),
                col(CheckinShare.error) < _posting_marker(now - stale_after),
            ),
        )
        .values(error=_posting_marker(now))
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


async def set_share_thread(
    *, session: AsyncSession, round_id: int, team_ref: int, thread_ts: str
) -> None:
    """The parent message is posted: its thread takes the week's answers from now on."""
    await session.exec(
        update(CheckinShare)
        .where(col(CheckinShare.round_id) == round_id, col(CheckinShare.team_ref) == team_ref)
        .values(thread_ts=thread_ts, error="", error_reported=False)
    )


async def record_share_error(
    *, session: AsyncSession, round_id: int, team_ref: int, error: str
) -> None:
    """Slack refused a post in the team's channel; this also releases a parent claim."""
    await session.exec(
        update(CheckinShare)
        .where(col(CheckinShare.round_id) == round_id, col(CheckinShare.team_ref) == team_ref)
        .values(error=error[:200])
    )


async def clear_share_error(*, session: AsyncSession, round_id: int, team_ref: int) -> None:
    """A post worked again: a later failure is reported anew."""
    await session.exec(
        update(CheckinShare)
        .where(col(CheckinShare.round_id) == round_id, col(CheckinShare.team_ref) == team_ref)
        .values(error="", error_reported=False)
    )


async def claim_share_error_report(*, session: AsyncSession, round_id: int, team_ref: int) -> bool:
    """Take the right to tell the team's lead about the failure; exactly one caller gets True
    until the failure is cleared or the report released."""
    result = await session.exec(
        update(CheckinShare)
        .where(
            col(CheckinShare.round_id) == round_id,
            col(CheckinShare.team_ref) == team_ref,
            col(CheckinShare.error_reported).is_(False),
        )
        .values(error_reported=True)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


async def release_share_error_report(
    *, session: AsyncSession, round_id: int, team_ref: int
) -> None:
    """The lead could not be told: let the next failure try again."""
    await session.exec(
        update(CheckinShare)
        .where(col(CheckinShare.round_id) == round_id, col(CheckinShare.team_ref) == team_ref)
        .values(error_reported=False)
    )


# --- what /checkin reads and changes ---------------------------------------------------------


async def get_pause(*, session: AsyncSession, team_id: str, user_id: str) -> date | None:
    found = await session.get(CheckinPause, (team_id, user_id))
    return found.until if found is not None else None


async def rounds_of_weeks(
    *, session: AsyncSession, team_id: str, weeks: Sequence[str]
) -> dict[str, CheckinRound]:
    if not weeks:
        return {}
    statement = select(CheckinRound).where(
        CheckinRound.team_id == team_id, col(CheckinRound.week).in_(list(weeks))
    )
    return {found.week: found for found in (await session.exec(statement)).all()}


async def round_until(*, session: AsyncSession, team_id: str, week: str) -> CheckinRound | None:
    """The latest round of ``week`` or before: "this round" for status, ignoring next week's
    round that is opened ahead of time."""
    statement = (
        select(CheckinRound)
        .where(CheckinRound.team_id == team_id, col(CheckinRound.week) <= week)
        .order_by(col(CheckinRound.week).desc())
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


async def round_answers(
    *, session: AsyncSession, team_id: str, round_id: int
) -> list[CheckinAnswer]:
    statement = select(CheckinAnswer).where(
        CheckinAnswer.team_id == team_id, CheckinAnswer.round_id == round_id
    )
    return list((await session.exec(statement)).all())


async def weeks_still_open(
    *, session: AsyncSession, team_id: str, weeks: Sequence[str], now: datetime
) -> list[str]:
    """Which of ``weeks`` have a round with an invitation not yet closed."""
    if not weeks:
        return []
    statement = (
        select(CheckinRound.week)
        .join(CheckinDelivery, col(CheckinDelivery.round_id) == col(CheckinRound.id))
        .where(
            CheckinRound.team_id == team_id,
            col(CheckinRound.week).in_(list(weeks)),
            col(CheckinDelivery.closes_at) > now,
        )
        .distinct()
        .order_by(col(CheckinRound.week))
    )
    return list((await session.exec(statement)).all())
