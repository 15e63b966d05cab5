"""Everything shown from a survey, loaded from storage and passed through the results gate.

Each function returns ``Withheld`` instead of anything a person could read until the survey
has closed with at least its threshold of answers (``bot.pulse.results.withheld``).
"""

from __future__ import annotations

import asyncio
import random

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.refs import format_ref
from bot.pulse.breakdown import TeamBreakdown, TeamCounts, team_breakdown
from bot.pulse.chart import Chart, render_chart
from bot.pulse.export import ExportRow, export_csv, export_rows
from bot.pulse.questions import load_questions
from bot.pulse.results import AnswerRecord, Comment, SurveyResults, Withheld, release
from bot.pulse.trend import SeriesRound, SeriesTrend, series_trend
from storage.models import Survey
from storage.repositories import pulse, surveys
from storage.repositories.survey_rows import read_team_counts
from storage.repositories.teams import get_teams, list_teams

SURVEY_PREFIX = "P"


def survey_label(survey: Survey) -> str:
    return f"{format_ref(SURVEY_PREFIX, survey.number)} {survey.title}"


async def load_answers(*, session: AsyncSession, survey: Survey) -> list[AnswerRecord]:
    """The survey's anonymous answers to its scale, eNPS and choice questions."""
    assert survey.id is not None
    answers = await pulse.survey_answers(
        session=session, team_id=survey.team_id, survey_id=survey.id
    )
    return [AnswerRecord(answers=each) for each in answers]


async def load_comments(*, session: AsyncSession, survey: Survey) -> dict[str, list[Comment]]:
    """The survey's comments by question, those open to replies with their reply token."""
    assert survey.id is not None
    found: dict[str, list[Comment]] = {}
    for stored in await pulse.survey_comments(
        session=session, team_id=survey.team_id, survey_id=survey.id
    ):
        comment = Comment(text=stored.text, reply_token=stored.reply_token)
        found.setdefault(stored.question_key, []).append(comment)
    return found


async def load_team_counts(*, session: AsyncSession, survey: Survey) -> TeamCounts:
    assert survey.id is not None
    groups, tallies = await read_team_counts(session=session, survey_id=survey.id)
    return TeamCounts(groups=dict(groups), tallies=dict(tallies))


def _is_final(survey: Survey) -> bool:
    return survey.state == surveys.CLOSED


async def survey_results(
    *, session: AsyncSession, survey: Survey, rng: random.Random | None = None
) -> SurveyResults | Withheld:
    """Scores, distributions and shuffled comments, or ``Withheld``."""
    answers = await load_answers(session=session, survey=survey)
    return release(
        load_questions(survey.questions),
        answers,
        threshold=survey.min_responses,
        survey_open=not _is_final(survey),
        rng=rng,
        comments=await load_comments(session=session, survey=survey),
    )


async def survey_breakdown(*, session: AsyncSession, survey: Survey) -> TeamBreakdown | Withheld:
    """Results by team, for the audience's teams (every team when it went to everyone)."""
    if survey.team_refs:
        found = await get_teams(session=session, team_id=survey.team_id, team_refs=survey.team_refs)
        teams = {ref: team.name for ref, team in found.items()}
    else:
        listed = await list_teams(session=session, team_id=survey.team_id)
        teams = {team.id: team.name for team in listed if team.id is not None}
    assert survey.id is not None
    return team_breakdown(
        load_questions(survey.questions),
        await load_team_counts(session=session, survey=survey),
        total=await pulse.answer_count(
            session=session, team_id=survey.team_id, survey_id=survey.id
        ),
        threshold=survey.min_responses,
        survey_open=not _is_final(survey),
        teams=teams,
    )


async def survey_trend(*, session: AsyncSession, survey: Survey) -> SeriesTrend:
    """Scores of every round of ``survey``'s series that was released (rounds not yet open
    are left out)."""
    rounds = await surveys.series_rounds(
        session=session, team_id=survey.team_id, series_number=survey.series_number
    )
    loaded = [
        SeriesRound(
            number=item.number,
            opens_on=item.opens_at.date(),
            questions=load_questions(item.questions),
            answers=tuple(await load_answers(session=session, survey=item)),
            threshold=item.min_responses,
            survey_open=not _is_final(item),
        )
        for item in rounds
        if item.state != surveys.SCHEDULED
    ]
    return series_trend(loaded)


async def survey_export(*, session: AsyncSession, survey: Survey) -> list[ExportRow] | Withheld:
    return export_rows(await survey_results(session=session, survey=survey))


async def survey_export_csv(*, session: AsyncSession, survey: Survey) -> str | Withheld:
    return export_csv(await survey_results(session=session, survey=survey))


async def survey_chart(*, session: AsyncSession, survey: Survey) -> Chart | Withheld:
    """Drawn in a worker thread: a chart is CPU-heavy and the event loop keeps acknowledging."""
    results = await survey_results(session=session, survey=survey)
    return await asyncio.to_thread(render_chart, results, title=survey_label(survey))
