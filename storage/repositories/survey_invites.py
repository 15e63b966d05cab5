"""Who was invited to a survey, the exactly-once sending of invitations, and counts.

This table knows who answered (a yes or no per person) but never what, nor when.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import and_, col, func, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Survey, SurveyInvite
from storage.states import DeliveryState, SurveyState
from storage.upsert import insert_rows_ignoring_conflict

PENDING, SENDING, SENT, FAILED = (
    DeliveryState.PENDING,
    DeliveryState.SENDING,
    DeliveryState.SENT,
    DeliveryState.FAILED,
)
SENDING_STALE_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class InviteCounts:
    """Counts only: nobody, admins included, can list who has or has not answered."""

    invited: int
    answered: int
    pending: int
    sent: int
    failed: int


async def invite_people(
    *, session: AsyncSession, team_id: str, survey_id: int, user_ids: Sequence[str]
) -> int:
    """Invite people (once each; inviting again does nothing). Returns how many are new."""
    rows = [
        {
            "survey_id": survey_id,
            "user_id": user_id,
            "team_id": team_id,
            "state": PENDING,
            "answered": False,
        }
        for user_id in sorted(set(user_ids))
    ]
    return await insert_rows_ignoring_conflict(
        session, SurveyInvite, rows, conflict_columns=["survey_id", "user_id"]
    )


async def get_invite(
    *, session: AsyncSession, team_id: str, survey_id: int, user_id: str
) -> SurveyInvite | None:
    """One person's own invitation (to tell them whether they can still answer)."""
    found = await session.get(SurveyInvite, (survey_id, user_id), populate_existing=True)
    return found if found is not None and found.team_id == team_id else None


async def open_surveys_to_answer(
    *, session: AsyncSession, team_id: str, user_id: str, now: datetime
) -> list[Survey]:
    """The open surveys this person was invited to and has not answered, soonest closing
    first, in one query: their own to-do, nobody else's state."""
    statement = (
        select(Survey)
        .join(SurveyInvite, col(SurveyInvite.survey_id) == col(Survey.id))
        .where(
            SurveyInvite.team_id == team_id,
            SurveyInvite.user_id == user_id,
            col(SurveyInvite.answered).is_(False),
            Survey.team_id == team_id,
            Survey.state == SurveyState.OPEN,
            col(Survey.opens_at) <= now,
            col(Survey.closes_at) > now,
        )
        .order_by(col(Survey.closes_at), col(Survey.id))
    )
    return list((await session.exec(statement)).all())


async def invite_counts(*, session: AsyncSession, team_id: str, survey_id: int) -> InviteCounts:
    statement = (
        select(SurveyInvite.state, SurveyInvite.answered, func.count())
        .where(SurveyInvite.team_id == team_id, SurveyInvite.survey_id == survey_id)
        .group_by(col(SurveyInvite.state), col(SurveyInvite.answered))
    )
    by_state: dict[str, int] = {}
    answered = 0
    for state, is_answered, count in (await session.exec(statement)).all():
        by_state[state] = by_state.get(state, 0) + count
        answered += count if is_answered else 0
    return InviteCounts(
        invited=sum(by_state.values()),
        answered=answered,
        pending=by_state.get(PENDING, 0) + by_state.get(SENDING, 0),
        sent=by_state.get(SENT, 0),
        failed=by_state.get(FAILED, 0),
    )


def _sendable(now: datetime) -> Any:
    return and_(
        col(SurveyInvite.answered).is_(False),
        or_(
            col(SurveyInvite.state) == PENDING,
            and_(
                col(SurveyInvite.state) == SENDING,
                col(SurveyInvite.claimed_at) < now - SENDING_STALE_AFTER,
            ),
        ),
    )


async def invites_to_send(
    *, session: AsyncSession, team_id: str, survey_id: int, now: datetime, limit: int = 500
) -> list[str]:
    """People whose invitation nobody is sending (or whose sender died) and who have not
    answered yet (they may have answered through ``/pulse``): the bot's to-do list, never a
    list to show anyone."""
    statement = (
        select(SurveyInvite.user_id)
        .where(SurveyInvite.team_id == team_id, SurveyInvite.survey_id == survey_id, _sendable(now))
        .order_by(col(SurveyInvite.user_id))
        .limit(limit)
    )
    return list((await session.exec(statement)).all())


async def claim_invite(
    *, session: AsyncSession, team_id: str, survey_id: int, user_id: str, now: datetime
) -> bool:
    """Take the right to send this invitation; exactly one caller gets True."""
    statement = (
        update(SurveyInvite)
        .where(
            col(SurveyInvite.team_id) == team_id,
            col(SurveyInvite.survey_id) == survey_id,
            col(SurveyInvite.user_id) == user_id,
            _sendable(now),
        )
        .values(state=SENDING, claimed_at=now)
    )
    result = await session.exec(statement)
    return int(getattr(result, "rowcount", 0) or 0) == 1


async def finish_invite(
    *,
    session: AsyncSession,
    team_id: str,
    survey_id: int,
    user_id: str,
    claimed_at: datetime,
    state: str,
) -> bool:
    """Record how sending went (``sent`` or ``failed``) and forget when it was claimed.

    Only the claim made at ``claimed_at`` can finish: a sender whose stale claim was taken
    over by another process changes nothing. True if this call recorded it.
    """
    statement = (
        update(SurveyInvite)
        .where(
            col(SurveyInvite.team_id) == team_id,
            col(SurveyInvite.survey_id) == survey_id,
            col(SurveyInvite.user_id) == user_id,
            col(SurveyInvite.state) == SENDING,
            col(SurveyInvite.claimed_at) == claimed_at,
        )
        .values(state=state, claimed_at=None)
    )
    result = await session.exec(statement)
    return int(getattr(result, "rowcount", 0) or 0) == 1


def _remindable() -> Any:
    return and_(
        col(SurveyInvite.state) == SENT,
        col(SurveyInvite.answered).is_(False),
        col(SurveyInvite.reminded).is_(False),
    )


async def invites_to_remind(
    *, session: AsyncSession, team_id: str, survey_id: int, limit: int = 500
) -> list[str]:
    """People sent an invitation who have not answered and not been reminded: the bot's
    to-do list for the one reminder, never a list to show anyone."""
    statement = (
        select(SurveyInvite.user_id)
        .where(SurveyInvite.team_id == team_id, SurveyInvite.survey_id == survey_id, _remindable())
        .order_by(col(SurveyInvite.user_id))
        .limit(limit)
    )
    return list((await session.exec(statement)).all())


async def claim_reminder(
    *, session: AsyncSession, team_id: str, survey_id: int, user_id: str
) -> bool:
    """Take the right to send this person's one reminder; exactly one caller gets True."""
    statement = (
        update(SurveyInvite)
        .where(
            col(SurveyInvite.team_id) == team_id,
            col(SurveyInvite.survey_id) == survey_id,
            col(SurveyInvite.user_id) == user_id,
            _remindable(),
        )
        .values(reminded=True)
    )
    result = await session.exec(statement)
    return int(getattr(result, "rowcount", 0) or 0) == 1


async def release_reminder(
    *, session: AsyncSession, team_id: str, survey_id: int, user_id: str
) -> None:
    """A reminder Slack did not take: let the next run try it again."""
    await session.exec(
        update(SurveyInvite)
        .where(
            col(SurveyInvite.team_id) == team_id,
            col(SurveyInvite.survey_id) == survey_id,
            col(SurveyInvite.user_id) == user_id,
        )
        .values(reminded=False)
    )


async def forget_reminders(*, session: AsyncSession, team_id: str, survey_id: int) -> None:
    """Clear who was reminded, once the survey has closed and no reminder can follow: with
    ``answered`` it would say who answered only after their reminder."""
    await session.exec(
        update(SurveyInvite)
        .where(col(SurveyInvite.team_id) == team_id, col(SurveyInvite.survey_id) == survey_id)
        .values(reminded=False)
    )


async def invited_people(*, session: AsyncSession, team_id: str, survey_id: int) -> set[str]:
    """Everyone invited to the survey: the audience a team's size is measured against."""
    statement = select(SurveyInvite.user_id).where(
        SurveyInvite.team_id == team_id, SurveyInvite.survey_id == survey_id
    )
    return set((await session.exec(statement)).all())
