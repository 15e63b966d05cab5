"""Check-in answers, and the invitation states answering and skipping set."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    CheckinAnswer,
    CheckinDelivery,
    CheckinRound,
    Goal,
)
from storage.repositories.checkins import ANSWERED, SKIPPED
from storage.states import GoalState
from storage.upsert import upsert_rows


async def get_answer(*, session: AsyncSession, delivery_id: int) -> CheckinAnswer | None:
    statement = select(CheckinAnswer).where(CheckinAnswer.delivery_id == delivery_id)
    return (await session.exec(statement)).first()


async def answers_of_user(
    *,
    session: AsyncSession,
    team_id: str,
    user_id: str,
    limit: int = 5,
    setup_id: int | None = None,
) -> list[tuple[CheckinAnswer, CheckinRound]]:
    """The person's latest answers, newest period first; of one setup, or (None) of all."""
    statement = (
        select(CheckinAnswer, CheckinRound)
        .join(CheckinRound, col(CheckinRound.id) == col(CheckinAnswer.round_id))
        .where(CheckinAnswer.team_id == team_id, CheckinAnswer.user_id == user_id)
        .order_by(col(CheckinRound.week).desc(), col(CheckinAnswer.created_at).desc())
        .limit(limit)
    )
    if setup_id is not None:
        statement = statement.where(col(CheckinRound.setup_id) == setup_id)
    return [(answer, round_) for answer, round_ in (await session.exec(statement)).all()]


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


async def round_answers(
    *, session: AsyncSession, team_id: str, round_id: int
) -> list[CheckinAnswer]:
    statement = select(CheckinAnswer).where(
        CheckinAnswer.team_id == team_id, CheckinAnswer.round_id == round_id
    )
    return list((await session.exec(statement)).all())


async def checkin_goals(*, session: AsyncSession, team_id: str, user_id: str) -> list[Goal]:
    """The person's open goals that a check-in asks about: those measured by a number or a
    milestone (a goal measured by its sub-goals has no value of its own)."""
    statement = (
        select(Goal)
        .where(
            Goal.team_id == team_id,
            Goal.owner_id == user_id,
            Goal.state == GoalState.OPEN,
            col(Goal.measure).in_(["number", "milestone"]),
        )
        .order_by(col(Goal.number))
    )
    return list((await session.exec(statement)).all())
