"""Pulse surveys: the survey rows, their numbers, states and series."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Survey
from storage.repositories.counters import next_number
from storage.states import SurveyState

SURVEY_COUNTER = "survey"
SCHEDULED, OPEN, CLOSED = SurveyState.SCHEDULED, SurveyState.OPEN, SurveyState.CLOSED


async def create_survey(
    *,
    session: AsyncSession,
    team_id: str,
    title: str,
    questions: list[dict[str, Any]],
    team_refs: Sequence[int],
    min_responses: int,
    opens_at: datetime,
    closes_at: datetime,
    repeat: str,
    created_by: str,
    now: datetime,
    series_number: int | None = None,
) -> Survey:
    """A scheduled survey with the next ``P-`` number; it starts a series unless given one."""
    number = await next_number(session=session, team_id=team_id, name=SURVEY_COUNTER)
    survey = Survey(
        team_id=team_id,
        number=number,
        title=title,
        questions=questions,
        team_refs=list(team_refs),
        min_responses=min_responses,
        opens_at=opens_at,
        closes_at=closes_at,
        repeat=repeat,
        series_number=number if series_number is None else series_number,
        state=SCHEDULED,
        created_by=created_by,
        created_at=now,
    )
    session.add(survey)
    await session.flush()
    return survey


async def get_survey(*, session: AsyncSession, team_id: str, survey_id: int) -> Survey | None:
    found = await session.get(Survey, survey_id)
    return found if found is not None and found.team_id == team_id else None


async def get_survey_by_number(
    *, session: AsyncSession, team_id: str, number: int
) -> Survey | None:
    statement = select(Survey).where(Survey.team_id == team_id, Survey.number == number)
    return (await session.exec(statement)).first()


async def lock_survey(*, session: AsyncSession, team_id: str, survey_id: int) -> Survey | None:
    """The survey, locked for writing until the transaction ends.

    Answers and threshold changes of one survey take this lock first, so they happen one
    after the other and each sees the ones before. The lock is a no-op UPDATE rather than
    ``SELECT … FOR UPDATE``: on PostgreSQL it locks the row all the same, and on SQLite it
    takes the write lock at once (waiting out the busy timeout) instead of starting a read
    that could not later turn into a write once another answer has committed.
    """
    where = (col(Survey.id) == survey_id, col(Survey.team_id) == team_id)
    await session.exec(update(Survey).where(*where).values(state=col(Survey.state)))
    statement = select(Survey).where(*where).execution_options(populate_existing=True)
    return (await session.exec(statement)).first()


async def list_surveys(
    *, session: AsyncSession, team_id: str, states: Sequence[str] = (), limit: int = 50
) -> list[Survey]:
    """The workspace's surveys, newest number first."""
    statement = select(Survey).where(Survey.team_id == team_id)
    if states:
        statement = statement.where(col(Survey.state).in_(list(states)))
    statement = statement.order_by(col(Survey.number).desc()).limit(limit)
    return list((await session.exec(statement)).all())


async def series_rounds(*, session: AsyncSession, team_id: str, series_number: int) -> list[Survey]:
    """Every round of a repeating survey, oldest first."""
    statement = (
        select(Survey)
        .where(Survey.team_id == team_id, Survey.series_number == series_number)
        .order_by(col(Survey.opens_at), col(Survey.number))
    )
    return list((await session.exec(statement)).all())


async def surveys_due(
    *,
    session: AsyncSession,
    team_id: str,
    state: str,
    time_column: Literal["opens_at", "closes_at"],
    now: datetime,
) -> list[Survey]:
    """Surveys in ``state`` whose ``opens_at`` or ``closes_at`` (``time_column``) has come."""
    moment = col(getattr(Survey, time_column))
    statement = (
        select(Survey)
        .where(Survey.team_id == team_id, Survey.state == state, moment <= now)
        .order_by(col(Survey.number))
    )
    return list((await session.exec(statement)).all())


async def move_survey(
    *, session: AsyncSession, team_id: str, survey_id: int, from_state: str, to_state: str
) -> bool:
    """Change the survey's state if it is still ``from_state``; exactly one caller gets True."""
    statement = (
        update(Survey)
        .where(
            col(Survey.id) == survey_id,
            col(Survey.team_id) == team_id,
            col(Survey.state) == from_state,
        )
        .values(state=to_state)
    )
    result = await session.exec(statement)
    return int(getattr(result, "rowcount", 0) or 0) == 1
