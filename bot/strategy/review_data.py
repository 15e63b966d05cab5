"""Load one period's review pack from storage: goals by priority with their key results, KPI
trends, pulse surveys closed in the period (through the pulse room's results gate), and the
recurring themes of check-in blocker answers (never survey text, never who wrote them)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.quarters import Quarter
from bot.core.refs import format_ref
from bot.goals.progress import evaluate
from bot.kpis.health import kpi_health
from bot.pulse.reports import survey_label, survey_results, survey_trend
from bot.pulse.results import EnpsResult, ScaleResult, SurveyResults
from bot.strategy.review_pack import (
    GoalLine,
    KeyResultLine,
    KpiTrend,
    PrioritySection,
    PulseLine,
    ReviewPack,
    blocker_themes,
    key_result_progress,
    kpi_direction,
)
from bot.strategy.review_questions import meeting_questions
from storage.models import CheckinAnswer, CheckinRound, Goal, KeyResult, Kpi, KpiValue, Survey
from storage.repositories.priorities import list_priorities
from storage.states import GoalState

PULSES_MAX = 6


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


async def build_review_pack(*, session: AsyncSession, team_id: str, quarter: Quarter) -> ReviewPack:
    themes, answered = blocker_themes(await _blocker_answers(session, team_id, quarter))
    pack = ReviewPack(
        period=quarter.key,
        label=quarter.label,
        priorities=await _priority_sections(session, team_id, quarter),
        kpis=await _kpi_trends(session, team_id, quarter),
        pulses=await _pulses(session, team_id, quarter),
        blockers=themes,
        blocker_answers=answered,
    )
    return ReviewPack(**{**pack.__dict__, "questions": meeting_questions(pack)})


async def _period_goals(session: AsyncSession, team_id: str, quarter: Quarter) -> list[Goal]:
    """Goals of the quarter; a goal with no period yet counts when its dates overlap it."""
    statement = select(Goal).where(
        Goal.team_id == team_id,
        or_(
            col(Goal.period) == quarter.key,
            (col(Goal.period) == "")
            & (col(Goal.start_date) <= quarter.end)
            & (col(Goal.due_date) >= quarter.start),
        ),
    )
    return list((await session.exec(statement.order_by(col(Goal.number)))).all())


async def _priority_sections(
    session: AsyncSession, team_id: str, quarter: Quarter
) -> tuple[PrioritySection, ...]:
    goals = [goal for goal in await _period_goals(session, team_id, quarter)]
    views = evaluate(goals, quarter.end)
    key_results = await _key_results(session, [g.id for g in goals if g.id is not None])
    by_priority: dict[int | None, list[GoalLine]] = defaultdict(list)
    served = served_priorities(goals)
    for goal in goals:
        if goal.id is None or goal.state == GoalState.DROPPED:
            continue
        view = views[goal.id]
        by_priority[served.get(goal.id)].append(
            GoalLine(
                ref=format_ref("G", goal.number),
                title=goal.title,
                progress=view.progress,
                status=str(view.status),
                key_results=tuple(key_results.get(goal.id, [])),
            )
        )
    priorities = await list_priorities(session=session, team_id=team_id, include_archived=True)
    sections = [
        PrioritySection(priority.title, tuple(by_priority.pop(priority.id, [])))
        for priority in priorities
        if priority.archived_at is None or priority.id in by_priority
    ]
    rest = [line for lines in by_priority.values() for line in lines]
    if rest:
        sections.append(PrioritySection(None, tuple(rest)))
    return tuple(sections)


def served_priorities(goals: list[Goal]) -> dict[int, int | None]:
    """The priority each goal serves: its own, else the nearest goal above it in the cascade
    that names one (a team goal serves its company goal's priority)."""
    by_id = {goal.id: goal for goal in goals if goal.id is not None}
    served: dict[int, int | None] = {}
    for goal_id, goal in by_id.items():
        seen: set[int] = set()
        current: Goal | None = goal
        while current is not None and current.priority_id is None and current.id not in seen:
            seen.add(current.id or 0)
            current = by_id.get(current.parent_id) if current.parent_id is not None else None
        served[goal_id] = current.priority_id if current is not None else None
    return served


async def _key_results(
    session: AsyncSession, goal_ids: list[int]
) -> dict[int, list[KeyResultLine]]:
    if not goal_ids:
        return {}
    statement = (
        select(KeyResult)
        .where(col(KeyResult.goal_id).in_(goal_ids))
        .order_by(col(KeyResult.goal_id), col(KeyResult.position), col(KeyResult.id))
    )
    found: dict[int, list[KeyResultLine]] = defaultdict(list)
    for kr in (await session.exec(statement)).all():
        progress = key_result_progress(kr.start_value, kr.target_value, kr.current_value)
        line = KeyResultLine(kr.title, progress, kr.unit, kr.current_value, kr.target_value)
        found[kr.goal_id].append(line)
    return found


async def _kpi_trends(
    session: AsyncSession, team_id: str, quarter: Quarter
) -> tuple[KpiTrend, ...]:
    kpis = (
        await session.exec(select(Kpi).where(Kpi.team_id == team_id, col(Kpi.archived).is_(False)))
    ).all()
    values = await session.exec(
        select(KpiValue)
        .where(
            KpiValue.team_id == team_id,
            col(KpiValue.recorded_on) >= quarter.start,
            col(KpiValue.recorded_on) <= quarter.end,
        )
        .order_by(col(KpiValue.kpi_id), col(KpiValue.recorded_on), col(KpiValue.id))
    )
    series: dict[int, list[float]] = defaultdict(list)
    for value in values.all():
        series[value.kpi_id].append(value.value)
    trends = []
    for kpi in sorted(kpis, key=lambda item: item.number):
        points = series.get(kpi.id or 0, [])
        if not points:
            continue
        health = kpi_health(
            points[-1],
            higher_is_better=kpi.higher_is_better,
            green=kpi.green_threshold,
            red=kpi.red_threshold,
        )
        trends.append(
            KpiTrend(
                ref=format_ref("K", kpi.number),
                name=kpi.name,
                unit=kpi.unit,
                first=points[0],
                last=points[-1],
                direction=kpi_direction(points),
                health=health,
                higher_is_better=kpi.higher_is_better,
            )
        )
    return tuple(trends)


async def _pulses(session: AsyncSession, team_id: str, quarter: Quarter) -> tuple[PulseLine, ...]:
    statement = (
        select(Survey)
        .where(
            Survey.team_id == team_id,
            Survey.state == "closed",
            col(Survey.closes_at) >= _moment(quarter.start),
            col(Survey.closes_at) < _moment(quarter.end + timedelta(days=1)),
        )
        .order_by(col(Survey.closes_at), col(Survey.number))
        .limit(PULSES_MAX)
    )
    return tuple(
        [await _pulse(session, survey) for survey in (await session.exec(statement)).all()]
    )


async def _pulse(session: AsyncSession, survey: Survey) -> PulseLine:
    """Only what the results gate releases: a withheld survey shows its label and nothing."""
    results = await survey_results(session=session, survey=survey)
    if not isinstance(results, SurveyResults):
        return PulseLine(survey_label(survey), withheld=True, responses=0)
    scores = []
    for result in results.questions:
        if isinstance(result, ScaleResult) and result.mean is not None:
            scores.append((result.text, f"{result.mean:.2f} / 5"))
        elif isinstance(result, EnpsResult) and result.score is not None:
            scores.append((result.text, f"eNPS {result.score:+d}"))
    trend = await survey_trend(session=session, survey=survey)
    keys = [question.key for question in trend.questions]
    key = "enps" if "enps" in keys else (keys[0] if keys else None)
    earlier = [
        f"P-{point.number}: {point.scores.get(key)}"
        for point in trend.points
        if key is not None and point.number != survey.number and point.scores.get(key) is not None
    ]
    return PulseLine(
        survey_label(survey), False, results.responses, tuple(scores), tuple(earlier[-4:])
    )


def _weeks_of(quarter: Quarter) -> list[str]:
    weeks, day = set(), quarter.start
    while day <= quarter.end:
        year, week, _ = day.isocalendar()
        weeks.add(f"{year}-W{week:02d}")
        day += timedelta(days=1)
    return sorted(weeks)


async def _blocker_answers(
    session: AsyncSession, team_id: str, quarter: Quarter
) -> list[tuple[str, str]]:
    """The blockers answers of check-in rounds in the quarter, with their authors only to
    count how many people share a theme (never shown)."""
    statement = (
        select(CheckinAnswer.user_id, CheckinAnswer.answers)
        .join(CheckinRound, col(CheckinRound.id) == col(CheckinAnswer.round_id))
        .where(CheckinAnswer.team_id == team_id, col(CheckinRound.week).in_(_weeks_of(quarter)))
    )
    rows = (await session.exec(statement)).all()
    return [
        (user_id, str(answers.get("blockers") or ""))
        for user_id, answers in rows
        if isinstance(answers, dict)
    ]
