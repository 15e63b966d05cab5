"""Answering pulse surveys anonymously, and the one setting that guards anonymity.

Every function works in the caller's transaction (``storage.db.transaction``). Taking an
answer logs nothing at all: a log line would keep the moment an answer was written, which
the answer row itself is not allowed to keep.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.anonymity import seal
from bot.core.errors import UserInputError
from bot.core.key_ring import SecretKeys
from bot.people.admins import require_admin
from bot.pulse import texts
from bot.pulse.answer_checks import check_answers
from bot.pulse.lifecycle import SurveyNotOpen
from bot.pulse.questions import MIN_RESPONSES_FLOOR, QuestionKind, load_questions
from storage.models import Survey
from storage.repositories import pulse, surveys
from storage.repositories.survey_invites import (
    InviteCounts,
    get_invite,
    invite_counts,
    invited_people,
)
from storage.repositories.surveys import OPEN
from storage.repositories.teams import list_teams, members_by_team


class SurveyAlreadyAnswered(UserInputError):
    """The person answered before; nobody can see or change that answer, them included."""


class NotInvitedToSurvey(UserInputError):
    """The survey was not sent to this person."""


async def ensure_can_answer(
    *, session: AsyncSession, team_id: str, survey_id: int, user_id: str, now: datetime
) -> Survey:
    """The survey ``user_id`` may answer now, or the reason they may not (before a form)."""
    survey = await surveys.get_survey(session=session, team_id=team_id, survey_id=survey_id)
    if survey is None or survey.id is None or not is_open(survey, now):
        raise SurveyNotOpen(texts.SURVEY_NOT_OPEN)
    invite = await get_invite(
        session=session, team_id=team_id, survey_id=survey.id, user_id=user_id
    )
    if invite is None:
        raise NotInvitedToSurvey(texts.NOT_INVITED)
    if invite.answered:
        raise SurveyAlreadyAnswered(texts.ALREADY_ANSWERED)
    return survey


async def submit_answer(
    *,
    session: AsyncSession,
    team_id: str,
    survey_id: int,
    user_id: str,
    submitted: Mapping[str, object],
    allow_replies: bool,
    secret_key: SecretKeys,
    now: datetime,
) -> None:
    """Take one person's answers, once, anonymously.

    ``allow_replies`` is the "let leaders reply to me anonymously" box: only when it is ticked
    is the author's id kept, sealed, with each free-text answer they wrote, and with nothing
    else of their answer. Raises
    ``SurveyNotOpen``, ``NotInvitedToSurvey``, ``SurveyAlreadyAnswered`` (nothing written) or
    ``UserInputError`` for answers that do not fit the questions.
    """
    survey = await surveys.lock_survey(session=session, team_id=team_id, survey_id=survey_id)
    if survey is None or not is_open(survey, now):
        raise SurveyNotOpen(texts.SURVEY_NOT_OPEN)
    questions = load_questions(survey.questions)
    checked = check_answers(questions, submitted)
    texts_of = {question.key for question in questions if question.kind is QuestionKind.TEXT}
    comments = {key: str(value) for key, value in checked.items() if key in texts_of}
    answers = {key: value for key, value in checked.items() if key not in texts_of}
    sealed = {key: seal(user_id, secret_key) for key in comments} if allow_replies else {}
    team_refs = await answerer_teams(session=session, survey=survey, user_id=user_id)
    try:
        await pulse.record_answer(
            session=session,
            team_id=team_id,
            survey_id=survey_id,
            user_id=user_id,
            answers=answers,
            comments=comments,
            team_refs=team_refs,
            sealed_authors=sealed,
        )
    except pulse.AlreadyAnswered:
        raise SurveyAlreadyAnswered(texts.ALREADY_ANSWERED) from None
    except pulse.NotInvited:
        raise NotInvitedToSurvey(texts.NOT_INVITED) from None


async def answerer_teams(*, session: AsyncSession, survey: Survey, user_id: str) -> list[int]:
    """The answerer's teams that a breakdown could ever show, and no others.

    Only teams of the survey's audience (any team when it goes to everyone) are counted, and
    only those with at least the threshold of the people invited in them and outside them: a
    team with fewer could never be shown, and counting it would only narrow down its people.
    """
    assert survey.id is not None
    invited = await invited_people(session=session, team_id=survey.team_id, survey_id=survey.id)
    members = await members_by_team(session=session, team_id=survey.team_id)
    threshold = max(survey.min_responses, MIN_RESPONSES_FLOOR)
    refs = []
    for team in await list_teams(session=session, team_id=survey.team_id):
        if team.id is None or (survey.team_refs and team.id not in survey.team_refs):
            continue
        people = set(members.get(team.id, []))
        if team.lead_user_id:
            people.add(team.lead_user_id)
        inside = len(people & invited)
        if user_id in people and inside >= threshold and len(invited) - inside >= threshold:
            refs.append(team.id)
    return refs


def is_open(survey: Survey, now: datetime) -> bool:
    return survey.state == OPEN and survey.opens_at <= now < survey.closes_at


async def change_threshold(
    *, session: AsyncSession, team_id: str, actor: str, number: int, min_responses: int
) -> Survey:
    """Set the minimum number of responses: up at any time, down only before any answer."""
    await require_admin(session=session, team_id=team_id, user_id=actor, action="change surveys")
    survey = await surveys.get_survey_by_number(session=session, team_id=team_id, number=number)
    if survey is None or survey.id is None:
        raise SurveyNotOpen(texts.SURVEY_NOT_OPEN)
    try:
        return await pulse.change_min_responses(
            session=session, team_id=team_id, survey_id=survey.id, min_responses=min_responses
        )
    except pulse.ThresholdRefused as refused:
        if min_responses < MIN_RESPONSES_FLOOR:
            raise UserInputError(texts.threshold_too_low(MIN_RESPONSES_FLOOR)) from None
        raise UserInputError(texts.threshold_not_lowered(refused.current)) from None


async def survey_counts(*, session: AsyncSession, team_id: str, survey_id: int) -> InviteCounts:
    """How many were invited, reached and answered: counts only, never names."""
    return await invite_counts(session=session, team_id=team_id, survey_id=survey_id)
