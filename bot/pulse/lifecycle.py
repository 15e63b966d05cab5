"""Pulse surveys over time: create them, open them for their audience, close them, repeat.

Every function works in the caller's transaction (``storage.db.transaction``) and is safe
to run twice: each change of state is a conditional update that only one run wins.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.errors import UserInputError
from bot.people.admins import require_admin
from bot.pulse import texts
from bot.pulse.questions import Repeat, SurveyDraft, validate_draft
from bot.pulse.schedule import next_round_times
from bot.pulse.settle import settle_closed_survey
from storage.models import Survey
from storage.repositories import surveys
from storage.repositories.members import active_members
from storage.repositories.survey_invites import invite_people
from storage.repositories.surveys import CLOSED, OPEN, SCHEDULED
from storage.repositories.teams import get_teams, members_by_team

logger = logging.getLogger(__name__)


class SurveyNotOpen(UserInputError):
    """The survey does not exist, has not opened yet or has closed."""


class AudienceTooSmall(UserInputError):
    """Too few people besides its creator would be asked (``minimum_audience``)."""


def minimum_audience(min_responses: int) -> int:
    """How many people besides its creator a survey with this threshold must go to.

    The threshold alone falls to a few accomplices: the creator knows their own answer, so
    with ``min_responses - 2`` accomplices and a target (one accomplice at the floor of 3) the
    released results are known answers plus the target's. Asking at least twice the
    threshold, not counting the creator, means that even with those accomplices the one
    unknown answer comes from at least ``min_responses + 2`` people who could each have
    stayed silent; singling one person out takes ``2 * min_responses - 1`` accomplices
    (5 at the floor instead of 1). ``min_responses + 2`` is the smaller bound only below the
    floor, and stays here so the rule never falls under it.
    """
    return max(min_responses + 2, 2 * min_responses)


@dataclass(frozen=True)
class NotOpened:
    """A survey whose audience shrank below ``minimum_audience`` before it opened: it was
    closed unopened, nobody invited, and its creator must be told."""

    survey: Survey
    audience: int  # people besides the creator it would have gone to
    needed: int


@dataclass(frozen=True)
class SurveyChanges:
    """What one run of the surveys job did: surveys opened (whose invitations to send),
    surveys closed (whose results may now be shown) and surveys not opened (whose creators
    to tell)."""

    opened: tuple[Survey, ...]
    closed: tuple[Survey, ...]
    not_opened: tuple[NotOpened, ...] = ()


async def create_survey(
    *, session: AsyncSession, team_id: str, actor: str, draft: SurveyDraft, now: datetime
) -> Survey:
    """A scheduled survey from an admin's draft; raises ``UserInputError`` naming problems."""
    await require_admin(session=session, team_id=team_id, user_id=actor, action="create surveys")
    draft = validate_draft(draft, now=now)
    found = await get_teams(session=session, team_id=team_id, team_refs=draft.team_refs)
    missing = [ref for ref in draft.team_refs if ref not in found]
    if missing:
        raise UserInputError(texts.no_such_teams(missing))
    asked = await people_asked(session=session, team_id=team_id, team_refs=draft.team_refs)
    audience, needed = len(set(asked) - {actor}), minimum_audience(draft.min_responses)
    if audience < needed:
        raise AudienceTooSmall(texts.audience_too_small(audience, needed, draft.min_responses))
    survey = await surveys.create_survey(
        session=session,
        team_id=team_id,
        title=draft.title,
        questions=[question.model_dump(mode="json") for question in draft.questions],
        team_refs=draft.team_refs,
        min_responses=draft.min_responses,
        opens_at=draft.opens_at,
        closes_at=draft.closes_at,
        repeat=draft.repeat,
        created_by=actor,
        now=now,
    )
    logger.info("survey P-%s created in %s", survey.number, team_id)
    return survey


async def advance_surveys(*, session: AsyncSession, team_id: str, now: datetime) -> SurveyChanges:
    """Close the surveys whose time is up (scheduling a repeating one's next round), then
    open those whose time has come and invite their audience, or close unopened those whose
    audience has shrunk below ``minimum_audience`` (people left or changed teams)."""
    closed = []
    for state in (OPEN, SCHEDULED):
        due = await surveys.surveys_due(
            session=session, team_id=team_id, state=state, time_column="closes_at", now=now
        )
        for survey in due:
            if await _close(session=session, survey=survey, from_state=state, now=now):
                closed.append(survey)
    opened: list[Survey] = []
    not_opened: list[NotOpened] = []
    due = await surveys.surveys_due(
        session=session, team_id=team_id, state=SCHEDULED, time_column="opens_at", now=now
    )
    for survey in due:
        outcome = await _open(session=session, survey=survey, now=now)
        if isinstance(outcome, NotOpened):
            not_opened.append(outcome)
        elif outcome:
            opened.append(survey)
    return SurveyChanges(opened=tuple(opened), closed=tuple(closed), not_opened=tuple(not_opened))


async def _open(*, session: AsyncSession, survey: Survey, now: datetime) -> bool | NotOpened:
    """Open a due survey and invite its audience (True), or, when too few people besides its
    creator are left to ask, close it unopened (``NotOpened``); False if another run did."""
    assert survey.id is not None
    audience = await audience_of(session=session, team_id=survey.team_id, survey=survey)
    counted = len(set(audience) - {survey.created_by})
    needed = minimum_audience(survey.min_responses)
    if counted < needed:
        if not await _close(session=session, survey=survey, from_state=SCHEDULED, now=now):
            return False
        logger.info("survey P-%s not opened in %s: too few people", survey.number, survey.team_id)
        return NotOpened(survey=survey, audience=counted, needed=needed)
    if not await surveys.move_survey(
        session=session,
        team_id=survey.team_id,
        survey_id=survey.id,
        from_state=SCHEDULED,
        to_state=OPEN,
    ):
        return False
    survey.state = OPEN
    await invite_people(
        session=session, team_id=survey.team_id, survey_id=survey.id, user_ids=audience
    )
    logger.info(
        "survey P-%s opened for %d people in %s", survey.number, len(audience), survey.team_id
    )
    return True


async def close_survey_now(
    *, session: AsyncSession, team_id: str, actor: str, number: int, now: datetime
) -> Survey:
    """An admin ends an open survey early; a repeating one still gets its next round."""
    await require_admin(session=session, team_id=team_id, user_id=actor, action="close surveys")
    survey = await surveys.get_survey_by_number(session=session, team_id=team_id, number=number)
    if survey is None or not await _close(session=session, survey=survey, from_state=OPEN, now=now):
        raise SurveyNotOpen(texts.SURVEY_NOT_OPEN)
    return survey


async def stop_repeating(*, session: AsyncSession, team_id: str, actor: str, number: int) -> Survey:
    """No more rounds after survey ``number``."""
    await require_admin(session=session, team_id=team_id, user_id=actor, action="change surveys")
    survey = await surveys.get_survey_by_number(session=session, team_id=team_id, number=number)
    if survey is None:
        raise SurveyNotOpen(texts.SURVEY_NOT_OPEN)
    survey.repeat = Repeat.NONE
    session.add(survey)
    await session.flush()
    return survey


async def audience_of(*, session: AsyncSession, team_id: str, survey: Survey) -> list[str]:
    """Current people the survey goes to: everyone, or the chosen teams' members and leads."""
    return await people_asked(session=session, team_id=team_id, team_refs=survey.team_refs)


async def people_asked(
    *, session: AsyncSession, team_id: str, team_refs: Sequence[int]
) -> list[str]:
    """Current people of the workspace, or of teams ``team_refs`` (members and leads)."""
    people = {member.user_id for member in await active_members(session=session, team_id=team_id)}
    if not team_refs:
        return sorted(people)
    members = await members_by_team(session=session, team_id=team_id)
    teams = await get_teams(session=session, team_id=team_id, team_refs=team_refs)
    chosen = {user for ref in team_refs for user in members.get(ref, [])}
    chosen |= {team.lead_user_id for team in teams.values() if team.lead_user_id}
    return sorted(chosen & people)


async def _close(*, session: AsyncSession, survey: Survey, from_state: str, now: datetime) -> bool:
    assert survey.id is not None
    if not await surveys.move_survey(
        session=session,
        team_id=survey.team_id,
        survey_id=survey.id,
        from_state=from_state,
        to_state=CLOSED,
    ):
        return False
    survey.state = CLOSED
    await settle_closed_survey(session=session, survey=survey)
    logger.info("survey P-%s closed in %s", survey.number, survey.team_id)
    if survey.repeat != Repeat.NONE:
        await _schedule_next_round(session=session, survey=survey, now=now)
    return True


async def _schedule_next_round(*, session: AsyncSession, survey: Survey, now: datetime) -> Survey:
    rounds = await surveys.series_rounds(
        session=session, team_id=survey.team_id, series_number=survey.series_number
    )
    opens_at, closes_at = next_round_times(
        first_opens_at=rounds[0].opens_at,
        opens_at=survey.opens_at,
        closes_at=survey.closes_at,
        repeat=survey.repeat,
        now=now,
    )
    return await surveys.create_survey(
        session=session,
        team_id=survey.team_id,
        title=survey.title,
        questions=survey.questions,
        team_refs=survey.team_refs,
        min_responses=survey.min_responses,
        opens_at=opens_at,
        closes_at=closes_at,
        repeat=survey.repeat,
        created_by=survey.created_by,
        now=now,
        series_number=survey.series_number,
    )
