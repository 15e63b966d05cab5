"""Anonymous survey answers, the reply tokens of comments, and the threshold rule.

``survey_invite`` knows who was invited and whether they answered; ``survey_answer`` knows
what was answered. Nothing joins the two, and ``record_answer`` writes both in one
transaction so that it takes an answer exactly once per person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlmodel import and_, col, func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    SURVEY_MIN_RESPONSES_FLOOR,
    ReplyToken,
    Survey,
    SurveyAnswer,
    SurveyInvite,
)
from storage.repositories.surveys import lock_survey


class AlreadyAnswered(Exception):
    """The person's invitation is already marked answered; nothing was written."""


class NotInvited(Exception):
    """The person has no invitation to this survey; nothing was written."""


class ThresholdRefused(ValueError):
    """The minimum number of responses may not become this value; nothing was changed."""

    def __init__(self, current: int, requested: int) -> None:
        super().__init__(f"minimum responses cannot go from {current} to {requested}")
        self.current = current
        self.requested = requested


async def change_min_responses(
    *, session: AsyncSession, team_id: str, survey_id: int, min_responses: int
) -> Survey:
    """Set the threshold: never below the floor, and never lower once an answer exists.

    Raises ``ThresholdRefused`` (nothing changed) or ``LookupError`` for an unknown survey.
    """
    survey = await lock_survey(session=session, team_id=team_id, survey_id=survey_id)
    if survey is None or survey.id is None:
        raise LookupError(f"survey {survey_id} of {team_id} does not exist")
    lowering = min_responses < survey.min_responses
    if min_responses < SURVEY_MIN_RESPONSES_FLOOR or (
        lowering and await answer_count(session=session, team_id=team_id, survey_id=survey.id)
    ):
        raise ThresholdRefused(survey.min_responses, min_responses)
    survey.min_responses = min_responses
    session.add(survey)
    await session.flush()
    return survey


# --- answers ---------------------------------------------------------------------------------


async def record_answer(
    *,
    session: AsyncSession,
    team_id: str,
    survey_id: int,
    user_id: str,
    answered_on: date,
    answers: Mapping[str, Any],
    team_refs: Sequence[int],
    sealed_authors: Mapping[str, str] | None = None,
) -> SurveyAnswer:
    """Take one person's answer, once: all of it or nothing, in the caller's transaction.

    The invitation is marked answered by a conditional UPDATE; if that changes no row the
    person already answered (``AlreadyAnswered``) or was not invited (``NotInvited``), and
    nothing is written. The answer row gets a random key and ``user_id`` goes nowhere near
    it. ``sealed_authors`` maps a text question to its author's sealed id, only when they
    asked for replies. Finally every row of the survey in the three tables is rewritten, so on
    PostgreSQL all of them carry this transaction's id (``xmin``) and it cannot pair the
    invitation just marked with the answer just added.
    """
    await lock_survey(session=session, team_id=team_id, survey_id=survey_id)
    invitation = and_(
        col(SurveyInvite.team_id) == team_id,
        col(SurveyInvite.survey_id) == survey_id,
        col(SurveyInvite.user_id) == user_id,
    )
    marked = await session.exec(
        update(SurveyInvite)
        .where(invitation, col(SurveyInvite.answered).is_(False))
        .values(answered=True)
    )
    if int(getattr(marked, "rowcount", 0) or 0) != 1:
        exists = (await session.exec(select(SurveyInvite.user_id).where(invitation))).first()
        raise AlreadyAnswered() if exists is not None else NotInvited()
    answer = SurveyAnswer(
        survey_id=survey_id,
        team_id=team_id,
        answered_on=answered_on,
        answers=dict(answers),
        team_refs=sorted(set(team_refs)),
    )
    session.add(answer)
    await session.flush()  # the answer row first: reply tokens refer to it
    for question_key, sealed in (sealed_authors or {}).items():
        session.add(
            ReplyToken(
                answer_id=answer.id,
                team_id=team_id,
                question_key=question_key,
                sealed_author=sealed,
            )
        )
    await session.flush()
    await _rewrite_survey_rows(session, survey_id)
    return answer


async def _rewrite_survey_rows(session: AsyncSession, survey_id: int) -> None:
    answer_ids = select(SurveyAnswer.id).where(SurveyAnswer.survey_id == survey_id)
    await session.exec(
        update(SurveyInvite)
        .where(col(SurveyInvite.survey_id) == survey_id)
        .values(answered=col(SurveyInvite.answered))
    )
    await session.exec(
        update(SurveyAnswer)
        .where(col(SurveyAnswer.survey_id) == survey_id)
        .values(answered_on=col(SurveyAnswer.answered_on))
    )
    await session.exec(
        update(ReplyToken)
        .where(col(ReplyToken.answer_id).in_(answer_ids))
        .values(question_key=col(ReplyToken.question_key))
    )


async def answer_count(*, session: AsyncSession, team_id: str, survey_id: int) -> int:
    statement = select(func.count()).where(
        SurveyAnswer.team_id == team_id, SurveyAnswer.survey_id == survey_id
    )
    return int((await session.exec(statement)).one())


async def survey_answers(
    *, session: AsyncSession, team_id: str, survey_id: int
) -> list[SurveyAnswer]:
    """The survey's answers, in the order of their random keys (which means nothing)."""
    statement = (
        select(SurveyAnswer)
        .where(SurveyAnswer.team_id == team_id, SurveyAnswer.survey_id == survey_id)
        .order_by(col(SurveyAnswer.id))
    )
    return list((await session.exec(statement)).all())


async def get_answer(*, session: AsyncSession, team_id: str, answer_id: str) -> SurveyAnswer | None:
    found = await session.get(SurveyAnswer, answer_id)
    return found if found is not None and found.team_id == team_id else None


async def reply_tokens_of_survey(
    *, session: AsyncSession, team_id: str, survey_id: int
) -> dict[tuple[str, str], str]:
    """Token ids of the comments open to replies, by (answer id, question key)."""
    statement = (
        select(ReplyToken.answer_id, ReplyToken.question_key, ReplyToken.id)
        .join(SurveyAnswer, col(SurveyAnswer.id) == col(ReplyToken.answer_id))
        .where(ReplyToken.team_id == team_id, SurveyAnswer.survey_id == survey_id)
    )
    rows = (await session.exec(statement)).all()
    return {(answer_id, key): token_id for answer_id, key, token_id in rows}


async def get_reply_token(
    *, session: AsyncSession, team_id: str, token_id: str
) -> ReplyToken | None:
    found = await session.get(ReplyToken, token_id)
    return found if found is not None and found.team_id == team_id else None
