"""Surveys over time and what may be shown of them, loaded from the real databases."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.pulse.breakdown import TeamBreakdown
from bot.pulse.chart import Chart
from bot.pulse.lifecycle import advance_surveys, close_survey_now, stop_repeating
from bot.pulse.reports import (
    survey_breakdown,
    survey_chart,
    survey_export,
    survey_export_csv,
    survey_results,
    survey_trend,
)
from bot.pulse.results import EnpsResult, ScaleResult, SurveyResults, TextResult, Withheld
from bot.pulse.schedule import add_months, next_round_times
from storage.db import transaction
from storage.models import Survey
from storage.repositories import surveys
from tests.pulse.helpers import (
    ADMIN,
    COMMENT,
    ENGINEERING,
    NOW,
    OPEN_FOR,
    PEOPLE,
    SALES,
    TEAM_ID,
    PulseWorld,
    answer,
    close,
    make_world,
    open_survey,
    scale_answers,
)


@pytest.fixture
async def world(engine: AsyncEngine) -> PulseWorld:
    return await make_world(engine)


async def _reload(world: PulseWorld, survey: Survey) -> Survey:
    async with world.sessions() as session:
        found = await surveys.get_survey_by_number(
            session=session, team_id=TEAM_ID, number=survey.number
        )
    assert found is not None
    return found


async def _everything(world: PulseWorld, survey: Survey) -> list[object]:
    async with world.sessions() as session:
        return [
            await survey_results(session=session, survey=survey),
            await survey_breakdown(session=session, survey=survey),
            await survey_chart(session=session, survey=survey),
            await survey_export(session=session, survey=survey),
            await survey_export_csv(session=session, survey=survey),
        ]


async def test_nothing_is_shown_while_open_or_below_the_threshold(world: PulseWorld) -> None:
    survey = await open_survey(world, min_responses=5)
    for user in PEOPLE[:4]:
        await answer(world, survey, user, scale_answers(4))
    assert await _everything(world, survey) == [Withheld(4, 5, survey_open=True)] * 5
    await close(world, survey)
    closed = await _reload(world, survey)
    assert await _everything(world, closed) == [Withheld(4, 5)] * 5
    async with world.sessions() as session:
        trend = await survey_trend(session=session, survey=closed)
    assert (trend.points, trend.withheld_rounds) == ((), 1)


async def test_a_closed_survey_at_its_threshold_shows_hand_computed_results(
    world: PulseWorld,
) -> None:
    survey = await open_survey(world)
    values = [(5, 10), (4, 9), (4, 8), (2, 6), (1, 0)]  # mean 16/5 = 3.2; eNPS 40 - 40 = 0
    for user, (scale, score) in zip(PEOPLE, values, strict=False):
        await answer(
            world, survey, user, scale_answers(scale, enps=score) | {COMMENT.key: user[-3:]}
        )
    await close(world, survey)
    closed = await _reload(world, survey)
    async with world.sessions() as session:
        results = await survey_results(session=session, survey=closed, rng=random.Random(3))
        chart = await survey_chart(session=session, survey=closed)
        export = await survey_export(session=session, survey=closed)
    assert isinstance(results, SurveyResults)
    direction, enps = results.questions[0], results.questions[5]
    assert isinstance(direction, ScaleResult) and direction.mean == 3.2
    assert isinstance(enps, EnpsResult) and (enps.score, enps.promoters, enps.detractors) == (
        0,
        2,
        2,
    )
    comments = results.questions[6]
    assert isinstance(comments, TextResult)
    assert sorted(comment.text for comment in comments.comments) == [
        "001",
        "002",
        "003",
        "004",
        "005",
    ]
    assert isinstance(chart, Chart) and "mean 3.20 of 5" in chart.alt_text
    assert chart.alt_text.startswith("P-1 Alignment pulse: 5 responses.")
    assert not isinstance(export, Withheld) and export[0].value == 5


async def test_the_breakdown_shows_teams_that_pass_and_never_their_comments(
    world: PulseWorld,
) -> None:
    survey = await open_survey(world)
    for user in SALES:
        await answer(world, survey, user, scale_answers(5) | {COMMENT.key: "sales says"})
    for user in ENGINEERING:
        await answer(world, survey, user, scale_answers(1))
    await close(world, survey)
    async with world.sessions() as session:
        breakdown = await survey_breakdown(session=session, survey=await _reload(world, survey))
    assert isinstance(breakdown, TeamBreakdown)
    means = {}
    for team in breakdown.teams:
        first = team.results.questions[0]
        assert isinstance(first, ScaleResult)
        means[team.name] = first.mean
    assert means == {"Engineering": 1.0, "Sales": 5.0}
    assert "sales says" not in repr(breakdown)


async def test_closing_a_weekly_survey_schedules_its_next_round(world: PulseWorld) -> None:
    survey = await open_survey(world, repeat="weekly")
    await close(world, survey)
    async with world.sessions() as session:
        rounds = await surveys.series_rounds(
            session=session, team_id=TEAM_ID, series_number=survey.number
        )
    assert [(item.number, item.state) for item in rounds] == [(1, "closed"), (2, "scheduled")]
    assert rounds[1].opens_at == NOW + timedelta(days=7)
    assert rounds[1].closes_at == NOW + timedelta(days=7) + OPEN_FOR
    assert rounds[1].questions == survey.questions
    async with transaction(world.sessions) as session:
        changes = await advance_surveys(session=session, team_id=TEAM_ID, now=rounds[1].opens_at)
    assert [opened.number for opened in changes.opened] == [2]


async def test_the_trend_follows_the_rounds_that_met_their_threshold(world: PulseWorld) -> None:
    first = await open_survey(world, repeat="weekly")
    for user in PEOPLE[:5]:
        await answer(world, first, user, scale_answers(2, enps=0))
    await close(world, first)
    async with world.sessions() as session:
        second = await surveys.get_survey_by_number(session=session, team_id=TEAM_ID, number=2)
    assert second is not None
    async with transaction(world.sessions) as session:
        await advance_surveys(session=session, team_id=TEAM_ID, now=second.opens_at)
    for user in PEOPLE[:6]:
        await answer(world, second, user, scale_answers(4, enps=10), now=second.opens_at)
    async with transaction(world.sessions) as session:
        await close_survey_now(
            session=session, team_id=TEAM_ID, actor=ADMIN, number=2, now=second.opens_at
        )
        await stop_repeating(session=session, team_id=TEAM_ID, actor=ADMIN, number=3)
    async with world.sessions() as session:
        trend = await survey_trend(session=session, survey=second)
    assert [(point.number, point.responses) for point in trend.points] == [(1, 5), (2, 6)]
    assert [point.scores["direction"] for point in trend.points] == [2.0, 4.0]
    assert [point.scores["enps"] for point in trend.points] == [-100, 100]
    assert trend.withheld_rounds == 0  # round 3 is scheduled, not counted


def test_monthly_rounds_keep_the_first_round_s_day_of_the_month() -> None:
    first = datetime(2026, 1, 31, 9, 0, tzinfo=UTC)
    assert add_months(first, 1) == datetime(2026, 2, 28, 9, 0, tzinfo=UTC)
    feb = datetime(2026, 2, 28, 9, 0, tzinfo=UTC)
    opens, closes = next_round_times(
        first_opens_at=first,
        opens_at=feb,
        closes_at=feb + timedelta(days=2),
        repeat="monthly",
        now=feb + timedelta(days=2),
    )
    assert (opens, closes) == (
        datetime(2026, 3, 31, 9, 0, tzinfo=UTC),
        datetime(2026, 4, 2, 9, 0, tzinfo=UTC),
    )


def test_rounds_missed_while_northstar_was_down_are_skipped() -> None:
    opens, _ = next_round_times(
        first_opens_at=NOW,
        opens_at=NOW,
        closes_at=NOW + timedelta(days=2),
        repeat="biweekly",
        now=NOW + timedelta(days=40),
    )
    assert opens == NOW + timedelta(days=42)
