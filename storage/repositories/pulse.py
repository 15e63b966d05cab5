"""Anonymous survey answers, the reply tokens of comments, and the threshold rule.

``survey_invite`` knows who was invited and whether they answered; ``survey_answer``,
``survey_comment`` and ``reply_token`` know what was answered, and the team counts how many
of each team answered what. Nothing joins any two of them, and ``record_answer`` writes them
all in one transaction so that it takes an answer exactly once per person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import case, col, func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    SURVEY_MIN_RESPONSES_FLOOR,
    ReplyToken,
    Survey,
    SurveyAnswer,
    SurveyComment,
    SurveyInvite,
)
from storage.repositories.survey_rows import read_survey_rows, write_survey_rows
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
    answers: Mapping[str, Any],
    comments: Mapping[str, str] | None = None,
    team_refs: Sequence[int] = (),
    sealed_authors: Mapping[str, str] | None = None,
) -> None:
    """Take one person's answer, once: all of it or nothing, in the caller's transaction.

    ``answers`` are the scale, eNPS and choice answers, ``comments`` the free-text ones (kept
    apart from the rest, each on its own), ``team_refs`` the answerer's teams that a breakdown
    could show (counted, never stored with the answer), and ``sealed_authors`` maps a comment's
    question to its author's sealed id, only when they asked for replies: that comment then
    lives in a reply token and nowhere else. ``user_id`` only marks the invitation answered.

    Raises ``AlreadyAnswered`` or ``NotInvited`` (nothing written). Every row of the survey's
    invitations is updated by one statement, so on PostgreSQL the marked one neither moves
    to the end of the table nor keeps a transaction id of its own; the answer rows are
    rewritten in a random order (``storage.repositories.survey_rows``).
    """
    await lock_survey(session=session, team_id=team_id, survey_id=survey_id)
    invitation = select(SurveyInvite.answered).where(
        SurveyInvite.team_id == team_id,
        SurveyInvite.survey_id == survey_id,
        SurveyInvite.user_id == user_id,
    )
    answered = (await session.exec(invitation)).first()
    if answered is None:
        raise NotInvited()
    if answered:
        raise AlreadyAnswered()
    is_answerer = col(SurveyInvite.user_id) == user_id
    await session.exec(
        update(SurveyInvite)
        .where(col(SurveyInvite.team_id) == team_id, col(SurveyInvite.survey_id) == survey_id)
        .values(answered=case((is_answerer, True), else_=col(SurveyInvite.answered)))
    )
    rows = await read_survey_rows(session=session, survey_id=survey_id)
    rows.add(
        answers=answers,
        comments=comments or {},
        sealed_authors=sealed_authors or {},
        team_refs=team_refs,
    )
    await write_survey_rows(session=session, team_id=team_id, survey_id=survey_id, rows=rows)


async def answer_count(*, session: AsyncSession, team_id: str, survey_id: int) -> int:
    statement = select(func.count()).where(
        SurveyAnswer.team_id == team_id, SurveyAnswer.survey_id == survey_id
    )
    return int((await session.exec(statement)).one())


async def survey_answers(
    *, session: AsyncSession, team_id: str, survey_id: int
) -> list[dict[str, Any]]:
    """The survey's answers (no comments), each person's as a question key -> answer dict,
    in the order of their random keys: one column read, not thousands of ORM rows."""
    statement = (
        select(col(SurveyAnswer.answers))
        .where(SurveyAnswer.team_id == team_id, SurveyAnswer.survey_id == survey_id)
        .order_by(col(SurveyAnswer.id))
    )
    return list((await session.exec(statement)).all())


@dataclass(frozen=True)
class StoredComment:
    question_key: str
    text: str
    reply_token: str | None  # set when the author asked for replies


async def survey_comments(
    *, session: AsyncSession, team_id: str, survey_id: int
) -> list[StoredComment]:
    """The survey's comments, those open to replies with their token, in no useful order."""
    plain = select(SurveyComment.question_key, SurveyComment.text).where(
        SurveyComment.team_id == team_id, SurveyComment.survey_id == survey_id
    )
    tokens = select(ReplyToken.question_key, ReplyToken.text, ReplyToken.id).where(
        ReplyToken.team_id == team_id, ReplyToken.survey_id == survey_id
    )
    found = [StoredComment(key, text, None) for key, text in (await session.exec(plain)).all()]
    found += [StoredComment(*row) for row in (await session.exec(tokens)).all()]
    return found


async def reply_tokens_of_survey(
    *, session: AsyncSession, team_id: str, survey_id: int
) -> dict[str, str]:
    """Token ids of the survey's comments open to replies, with the comment they hold."""
    statement = select(ReplyToken.id, ReplyToken.text).where(
        ReplyToken.team_id == team_id, ReplyToken.survey_id == survey_id
    )
    return {token_id: text for token_id, text in (await session.exec(statement)).all()}


async def get_reply_token(
    *, session: AsyncSession, team_id: str, token_id: str
) -> ReplyToken | None:
    found = await session.get(ReplyToken, token_id)
    return found if found is not None and found.team_id == team_id else None
