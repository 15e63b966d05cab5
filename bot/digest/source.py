"""Everything one workspace's digests are built from, loaded in a fixed number of queries.

The company digest and every team digest of a week are built from one ``DigestSource``, so
the number of SQL statements does not grow with people, goals, KPIs or teams.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.checkins.setups import default_settings
from bot.core.runtime import Runtime
from bot.core.weeks import iso_week, week_monday
from bot.digest.goal_lists import GoalLists, goal_lists
from bot.digest.goal_views import GoalIndex, RatedGoal, index_goals, progress_before, rate_goals
from bot.digest.kpi_lines import kpi_line
from bot.digest.model import KpiLine
from bot.digest.settings import read_digest_settings
from bot.goals.alignment import PULSE_LOOKBACK_WEEKS
from bot.pulse.questions import load_questions
from bot.pulse.reports import load_answers
from bot.pulse.results import SurveyResults, Withheld, release
from storage.models import Kpi, Priority, PriorityChange, Survey, Team
from storage.repositories import digest as repo
from storage.repositories.checkins import ANSWERED, SENT, rounds_of_weeks
from storage.repositories.kpis import ValuePoint, list_kpis, recent_points
from storage.repositories.members import member_names
from storage.repositories.priorities import list_priorities, priority_changes_between
from storage.repositories.teams import list_teams
from storage.repositories.wins import WeekKudos, kudos_between
from storage.repositories.workspaces import get_workspace

BLOCKERS_KEY = "blockers"  # the check-in question whose answers the digest reads
# Answers to "What is blocking you?" that mean "nothing".
NO_BLOCKER = {"", "-", "--", "n/a", "na", "no", "none", "nope", "nothing", "nil", "all good"}
TREND_WEEKS = 4  # this week and the three before
KPI_HISTORY_POINTS = 12
LATEST_SURVEY_CANDIDATES = 5
KUDOS_LOADED = 200  # the newest kudos of the week, for the highlights and team counts


@dataclass(frozen=True)
class DigestWeek:
    """The week a digest covers, in the digest's time zone, and the moment it is taken."""

    week: str
    tz: ZoneInfo
    now: datetime

    @property
    def start(self) -> date:
        return week_monday(self.week)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def window_start(self) -> datetime:
        return datetime.combine(self.start, time(0), tzinfo=self.tz)

    @property
    def window_end(self) -> datetime:
        """The end of the week, or now when the week is not over yet."""
        end = datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=self.tz)
        return min(end, self.now)

    @property
    def as_of(self) -> date:
        return (self.window_end - timedelta(microseconds=1)).astimezone(self.tz).date()

    @property
    def previous(self) -> str:
        return iso_week(self.start - timedelta(days=7))


@dataclass(frozen=True)
class SurveyOutcome:
    survey: Survey
    results: SurveyResults | Withheld


@dataclass
class DigestSource:
    team_id: str
    period: DigestWeek
    workspace_name: str
    vision: str
    goals: list[repo.DigestGoal]  # in number order (the goal lists rely on it)
    values_before: dict[int, float | None]
    kpis: list[Kpi]
    kpi_values: dict[int, list[ValuePoint]]  # the recent values, oldest first
    teams: list[Team]
    team_members: dict[int, list[str]]
    share_answers: bool
    round_weeks: list[str]  # weeks with a round, oldest first, this week last if it had one
    round_states: dict[str, list[tuple[str, str]]]  # week -> (user id, delivery state)
    answers: list[tuple[str, str | None]]  # this week's answers: (user id, blockers answer)
    closed_this_week: list[SurveyOutcome]
    latest_released: list[SurveyOutcome]  # recent closed surveys, newest first
    previous_scores: dict[str, int | None] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # user id -> name
    mentions: bool = True  # the digest setting: @-mention people, or plain names only
    kudos: WeekKudos = field(default_factory=lambda: WeekKudos(newest=[], total=0))
    priorities: list[Priority] = field(default_factory=list)
    priority_changes: list[PriorityChange] = field(default_factory=list)  # in the week

    @cached_property
    def goal_views(self) -> dict[int, RatedGoal]:
        """Every goal's rolled-up progress and status on the digest day, by id in number
        order, computed once for the company digest and all team digests."""
        return rate_goals(self.goals, self.period.as_of)

    @cached_property
    def goal_index(self) -> GoalIndex:
        """The rated goals by team, so each team digest picks its own without a pass over
        every goal of the workspace."""
        return index_goals(self.goal_views.values())

    @cached_property
    def goal_lists(self) -> GoalLists:
        """The week's goal lists for the whole workspace, sorted once for every digest."""
        period = self.period
        return goal_lists(
            self.goal_views,
            tz=period.tz,
            window=(period.window_start, period.window_end),
            starts=self.progress_before,
        )

    @cached_property
    def asked_by_week(self) -> dict[str, dict[str, bool]]:
        """Week -> the people actually sent that week's prompt -> whether they answered it.
        A delivery still pending, being sent, refused by Slack (failed) or skipped does not
        count as asked; a person sent several (a stand-up's days) is asked if sent one and
        answered if they answered one."""
        asked: dict[str, dict[str, bool]] = {}
        for week, states in self.round_states.items():
            people = asked.setdefault(week, {})
            for user, state in states:
                if state in (SENT, ANSWERED):
                    people[user] = people.get(user, False) or state == ANSWERED
        return asked

    @cached_property
    def kpi_lines(self) -> dict[int | None, KpiLine]:
        """Every KPI as the digests show it (not charted), by id: the company digest and the
        team digests share them."""
        return {kpi.id: kpi_line(kpi, self.kpi_values.get(kpi.id or 0, [])) for kpi in self.kpis}

    @cached_property
    def kpis_by_team(self) -> dict[int | None, list[Kpi]]:
        """The KPIs (in number order) by team, None for company-wide ones."""
        by_team: dict[int | None, list[Kpi]] = {}
        for kpi in self.kpis:
            by_team.setdefault(kpi.team_ref, []).append(kpi)
        return by_team

    @cached_property
    def blockers(self) -> list[tuple[str, str]]:
        """(user id, blocker) of this week's answers that name one, in the answers' order:
        sorted out once for the company digest and every team digest."""
        return [
            (user_id, text)
            for user_id, answer in self.answers
            if (text := blocker_text(answer)) is not None
        ]

    @cached_property
    def blockers_by_person(self) -> dict[str, list[tuple[int, str]]]:
        """User id -> (place in ``blockers``, blocker) of each of the person's blockers."""
        by_person: dict[str, list[tuple[int, str]]] = {}
        for place, (user_id, text) in enumerate(self.blockers):
            by_person.setdefault(user_id, []).append((place, text))
        return by_person

    def blockers_of(self, people: Iterable[str]) -> list[tuple[str, str]]:
        """(user id, blocker) of these people's blockers, in ``blockers``' order, without a
        pass over everyone's."""
        by_person = self.blockers_by_person
        found = [
            (place, user_id, text)
            for user_id in people
            for place, text in by_person.get(user_id, ())
        ]
        found.sort()
        return [(user_id, text) for _, user_id, text in found]

    @cached_property
    def goal_numbers(self) -> dict[int, int]:
        """Goal id -> number."""
        return {goal.id: goal.number for goal in self.goals}

    @cached_property
    def progress_before(self) -> dict[int, float]:
        """Where each goal updated this week started the week (own progress, as open), for
        the movers; goals measured by their sub-goals are left out (they do not move alone)."""
        return {
            goal.id: progress_before(goal, self.values_before[goal.id])
            for goal in self.goals
            if goal.id in self.values_before and goal.measure != "children"
        }


def blocker_text(answer: str | None) -> str | None:
    """The person's answer to the blockers question, unless it says "nothing"."""
    text = (answer or "").strip()
    if text.lower().rstrip(".!") in NO_BLOCKER:
        return None
    return text


@dataclass(frozen=True)
class _Checkins:
    """What the digest reads of the weekly check-in: the workspace's default setup."""

    share_answers: bool
    round_weeks: list[str]
    round_states: dict[str, list[tuple[str, str]]]
    answers: list[tuple[str, str | None]]


async def _load_checkins(session: AsyncSession, team_id: str, period: DigestWeek) -> _Checkins:
    weeks = [iso_week(period.start - timedelta(days=7 * back)) for back in range(TREND_WEEKS)]
    rounds = await rounds_of_weeks(session=session, team_id=team_id, weeks=weeks)
    # a week's rounds: one for a weekly check-in, one a day if the default is a stand-up
    week_of = {found.id: found.week for found in rounds.values() if found.id is not None}
    states = await repo.delivery_states(session=session, team_id=team_id, round_ids=list(week_of))
    round_states: dict[str, list[tuple[str, str]]] = {}
    for round_id, rows in states.items():
        round_states.setdefault(week_of[round_id], []).extend(rows)
    answers: list[tuple[str, str | None]] = []
    for round_id, week in week_of.items():
        if round_id is not None and week == period.week:
            answers += await repo.round_answers_to(
                session=session, team_id=team_id, round_id=round_id, key=BLOCKERS_KEY
            )
    settings = await default_settings(session, team_id)
    return _Checkins(
        share_answers=settings.share_in_team_channels,
        round_weeks=sorted(set(week_of.values())),
        round_states=round_states,
        answers=answers,
    )


async def load_source(*, runtime: Runtime, team_id: str, period: DigestWeek) -> DigestSource:
    async with runtime.sessions() as session:
        workspace = await get_workspace(session=session, team_id=team_id)
        goals = await repo.digest_goals(session=session, team_id=team_id)
        before = await repo.values_before(
            session=session,
            team_id=team_id,
            since=period.window_start,
            until=period.window_end,
        )
        kpis = await list_kpis(session=session, team_id=team_id)
        values = await recent_points(
            session=session,
            team_id=team_id,
            kpi_ids=[kpi.id for kpi in kpis if kpi.id is not None],
            per_kpi=KPI_HISTORY_POINTS,
            until=period.as_of,
        )
        teams = await list_teams(session=session, team_id=team_id)
        members = await repo.team_member_ids(session=session, team_id=team_id)
        checkins = await _load_checkins(session, team_id, period)
        recent, outcomes = await _recent_surveys(session, team_id, period)
        previous = await repo.snapshots(session=session, team_id=team_id, week=period.previous)
        names = await member_names(session=session, team_id=team_id)
        kudos = await kudos_between(
            session=session,
            team_id=team_id,
            since=period.window_start,
            until=period.window_end,
            limit=KUDOS_LOADED,
        )
        priorities, changes = await _load_priorities(session, team_id, period)
    return DigestSource(
        team_id=team_id,
        period=period,
        workspace_name=workspace.name if workspace else "",
        vision=workspace.vision if workspace else "",
        goals=goals,
        values_before=before,
        kpis=[kpi for kpi in kpis if not kpi.archived],
        kpi_values=values,
        teams=teams,
        team_members=members,
        share_answers=checkins.share_answers,
        round_weeks=checkins.round_weeks,
        round_states=checkins.round_states,
        answers=checkins.answers,
        closed_this_week=[
            outcomes[s.id]
            for s in recent
            if s.id is not None and s.id in outcomes and s.closes_at >= period.window_start
        ],
        latest_released=[outcomes[s.id] for s in recent if s.id is not None and s.id in outcomes],
        previous_scores={scope: row.score for scope, row in previous.items()},
        names=names,
        mentions=read_digest_settings(workspace.settings if workspace else None).mentions,
        kudos=kudos,
        priorities=priorities,
        priority_changes=changes,
    )


async def _load_priorities(
    session: AsyncSession, team_id: str, period: DigestWeek
) -> tuple[list[Priority], list[PriorityChange]]:
    """The current priorities, and the changes made to them in the digest's week."""
    priorities = await list_priorities(session=session, team_id=team_id)
    changes = await priority_changes_between(
        session=session, team_id=team_id, since=period.window_start, until=period.window_end
    )
    return priorities, changes


async def _recent_surveys(
    session: AsyncSession, team_id: str, period: DigestWeek
) -> tuple[list[Survey], dict[int, SurveyOutcome]]:
    """Surveys closed in the look-back, and the outcome of each one the digest may
    show: the latest few, and every one that closed this week."""
    recent = await repo.surveys_closed_since(
        session=session,
        team_id=team_id,
        since=period.window_end - timedelta(weeks=PULSE_LOOKBACK_WEEKS),
        until=period.window_end,
    )
    outcomes: dict[int, SurveyOutcome] = {}
    for survey in recent[:LATEST_SURVEY_CANDIDATES] + [
        s for s in recent if s.closes_at >= period.window_start
    ]:
        if survey.id is not None and survey.id not in outcomes:
            outcomes[survey.id] = await _outcome(session, survey)
    return recent, outcomes


async def _outcome(session: AsyncSession, survey: Survey) -> SurveyOutcome:
    answers = await load_answers(session=session, survey=survey)
    results = release(
        load_questions(survey.questions),
        answers,
        threshold=survey.min_responses,
        survey_open=False,
        with_comments=False,
    )
    return SurveyOutcome(survey, results)
