"""The Home's goal sections read as pages: each section's first goals and its count, the
admins' counts and strategy flags, in a fixed number of queries whatever the workspace's size.
Counts stop at ``COUNT_CAP`` ("1,000+") and each reads through an index that holds what it
counts (``Viewer.count_parts``), so none reads every open goal of the workspace.

A goal appears once per Home, in the first section that claims it (mine, then my teams',
then the company's, then attention): each section's SQL condition excludes what the sections
before it claim. "Needs attention" (behind, not aligned, or no update for two weeks) is
``needs_attention`` written in SQL, from the row's rolled-up progress and today.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import partial

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.goals.pages import GoalPage, is_open, page_of, shown_in, view_of
from bot.goals.period_choice import PeriodFilter
from bot.goals.progress import (
    AT_RISK_GAP,
    MILESTONE_AT_RISK_AT,
    OVERRIDABLE,
    STALE_AFTER,
    GoalView,
    Status,
)
from bot.strategy import texts as strategy_texts
from bot.strategy.priorities import FLAGGED_REFS_SHOWN
from storage.models import Goal, Priority, Team
from storage.repositories import goal_pages
from storage.repositories.goal_pages import COUNT_CAP, day_number
from storage.states import GoalLevel

MY_GOALS_SHOWN = 10
OTHER_GOALS_SHOWN = 8
KPIS_SHOWN = 8  # the Home's own KPIs (not goals, but paged the same way)

Part = tuple[list[ColumnElement[bool]], list[ColumnElement[bool]]]
"""What finds a count's goals through an index, and what is checked on each (``count_each``)."""


def behind(today: date) -> ColumnElement[bool]:
    """``status_of`` is at risk or off track, for an open goal: the owner's override, else
    the status computed from progress and the share of time gone."""
    override = sa.func.coalesce(col(Goal.status_override), "")
    start, due = day_number(col(Goal.start_date)), day_number(col(Goal.due_date))
    now = day_number(sa.literal(today, sa.Date()))
    total = due - start
    elapsed = sa.case(
        (total <= 0, sa.case((due <= now, 1.0), else_=0.0)),
        (now < start, 0.0),
        else_=(now - start) / total,
    )
    milestone = col(Goal.measure) == "milestone"
    computed = sa.and_(
        col(Goal.progress) < 1.0,
        sa.or_(
            due < now,
            sa.and_(milestone, elapsed >= MILESTONE_AT_RISK_AT),
            sa.and_(~milestone, elapsed - col(Goal.progress) > AT_RISK_GAP),
        ),
    )
    return sa.or_(
        override.in_((Status.AT_RISK.value, Status.OFF_TRACK.value)),
        sa.and_(override.not_in([status.value for status in OVERRIDABLE]), computed),
    )


def not_aligned() -> ColumnElement[bool]:
    return sa.and_(col(Goal.level) != GoalLevel.COMPANY, col(Goal.parent_id).is_(None))


def stale(today: date) -> ColumnElement[bool]:
    """No progress update for two weeks (before the day ``STALE_AFTER`` ago, in UTC)."""
    return col(Goal.progress_at) < datetime.combine(today - STALE_AFTER, time(), UTC)


def needs_attention_now(today: date) -> ColumnElement[bool]:
    """``needs_attention``: behind, not aligned, or no update for two weeks."""
    return sa.or_(behind(today), not_aligned(), stale(today))


@dataclass
class GoalSections:
    """The Home's goal sections: the first goals of each, and how many each holds."""

    page: GoalPage
    mine: list[GoalView] = field(default_factory=list)
    team: list[GoalView] = field(default_factory=list)
    company: list[GoalView] = field(default_factory=list)
    attention: list[GoalView] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    not_aligned: int = 0
    stale: int = 0
    strategy_flags: str = ""


@dataclass(frozen=True)
class Viewer:
    user_id: str
    is_admin: bool
    teams: list[Team]

    @property
    def led(self) -> list[int]:
        """The ids of the viewer's teams that the viewer leads."""
        return [team.id for team in self.teams if team.lead_user_id == self.user_id and team.id]

    @property
    def mine(self) -> ColumnElement[bool]:
        return col(Goal.owner_id) == self.user_id

    @property
    def my_teams_goals(self) -> ColumnElement[bool]:
        my_team_ids = [team.id for team in self.teams if team.id is not None]
        return sa.and_(col(Goal.level) == GoalLevel.TEAM, col(Goal.team_ref).in_(my_team_ids))

    def conditions(self, today: date) -> dict[str, ColumnElement[bool]]:
        """Each section's condition, in the order the sections claim goals."""
        led, mine, team = self.led, self.mine, self.my_teams_goals
        company = col(Goal.level) == GoalLevel.COMPANY
        in_care: ColumnElement[bool] = col(Goal.team_ref).in_(led)
        if self.is_admin:
            in_care = sa.or_(col(Goal.level) != GoalLevel.PERSONAL, in_care)
        attention = sa.and_(in_care, needs_attention_now(today))
        claimed: list[ColumnElement[bool]] = []
        found: dict[str, ColumnElement[bool]] = {}
        for name, condition in (("mine", mine), ("team", team), ("company", company)):
            found[name] = sa.and_(condition, *(~before for before in claimed))
            claimed.append(condition)
        if self.is_admin or led:
            found["attention"] = sa.and_(attention, *(~before for before in claimed))
        return found

    def count_parts(
        self, team_id: str, today: date, period: list[ColumnElement[bool]]
    ) -> dict[str, list[Part]]:
        """``conditions`` again, each as parts to count through an index
        (``goal_pages.count_each``) and add up: the goals a section holds are found by
        owner, level, team or parent, never by reading every open goal of the workspace."""
        led, mine, team = self.led, self.mine, self.my_teams_goals
        base = [is_open(), *period]
        level_is = partial(_of_level, team_id)
        parts: dict[str, list[Part]] = {
            "mine": [([mine], base)],
            "team": [(level_is(GoalLevel.TEAM), [*period, team, ~mine])],
            "company": [(level_is(GoalLevel.COMPANY), [*period, ~mine, ~team])],
        }
        if not (self.is_admin or led):
            return parts
        needs = [needs_attention_now(today), ~mine, ~team]
        led_goals: list[ColumnElement[bool]] = [col(Goal.level) != GoalLevel.COMPANY]
        parts["attention"] = []
        if self.is_admin:  # every team goal, and the personal goals of the teams led
            parts["attention"].append((level_is(GoalLevel.TEAM), [*period, *needs]))
            led_goals = [col(Goal.level) == GoalLevel.PERSONAL]
        if led:
            found_by: list[ColumnElement[bool]] = [col(Goal.team_ref).in_(led)]
            parts["attention"].append((found_by, [*base, *led_goals, *needs]))
        return parts


async def load_goal_sections(
    session: AsyncSession,
    *,
    team_id: str,
    viewer: Viewer,
    period: PeriodFilter,
    priorities: list[Priority],
) -> GoalSections:
    today = period.today
    base = [is_open(), *shown_in(period)]
    conditions = viewer.conditions(today)
    totals = await count_goal_sections(
        session, team_id=team_id, viewer=viewer, period=period, priorities=priorities
    )
    rows: dict[str, list[Goal]] = {}
    for name, condition in conditions.items():
        shown = MY_GOALS_SHOWN if name == "mine" else OTHER_GOALS_SHOWN
        rows[name] = await goal_pages.goal_page(
            session=session, team_id=team_id, where=[*base, condition], limit=shown
        )
    everything = [goal for goals in rows.values() for goal in goals]
    sections = GoalSections(
        page=await page_of(session, team_id, everything, today),
        totals=totals,
        not_aligned=totals.get("not_aligned", 0),
        stale=totals.get("stale", 0),
    )
    for name, goals in rows.items():
        setattr(sections, name, [view_of(goal, today) for goal in goals])
    if "unlinked" in totals:
        sections.strategy_flags = await _flags(session, team_id, base, priorities, totals)
    return sections


async def count_goal_sections(
    session: AsyncSession,
    *,
    team_id: str,
    viewer: Viewer,
    period: PeriodFilter,
    priorities: list[Priority],
) -> dict[str, int]:
    """How many goals each of the viewer's sections holds (``Viewer.conditions``), and for
    admins how many are not aligned, stale, or serve no current priority; each up to
    ``COUNT_CAP``, in one query."""
    today = period.today
    period_terms = shown_in(period)
    parts = viewer.count_parts(team_id, today, period_terms)
    if viewer.is_admin:
        # not aligned: found among the workspace's goals without a parent; stale: by update
        without_parent = [*_of_workspace_open(team_id), col(Goal.parent_id).is_(None)]
        above = col(Goal.level) != GoalLevel.COMPANY
        parts["not_aligned"] = [(without_parent, [*period_terms, above])]
        parts["stale"] = [([*_of_workspace_open(team_id), stale(today)], period_terms)]
        if priorities:
            unlinked = [*period_terms, _unlinked(priorities)]
            parts["unlinked"] = [(_of_level(team_id, GoalLevel.COMPANY), unlinked)]
    return await _count(session, team_id, parts)


def _of_workspace_open(team_id: str) -> list[ColumnElement[bool]]:
    return [col(Goal.team_id) == team_id, is_open()]


def _of_level(team_id: str, level: GoalLevel) -> list[ColumnElement[bool]]:
    """The workspace's open goals of one level: ``(team_id, level, state, number)``."""
    return [*_of_workspace_open(team_id), col(Goal.level) == level]


async def _count(
    session: AsyncSession, team_id: str, parts: dict[str, list[Part]]
) -> dict[str, int]:
    """Each name's parts counted (up to ``COUNT_CAP``) and added up, in one query."""
    flat = [part for name in parts for part in parts[name]]
    counts = iter(await goal_pages.count_each(session=session, team_id=team_id, parts=flat))
    return {name: min(COUNT_CAP, sum(next(counts) for _ in named)) for name, named in parts.items()}


def _unlinked(priorities: list[Priority]) -> ColumnElement[bool]:
    """Open company goals serving no current priority (none, or a retired one)."""
    current = [p.id for p in priorities if p.id is not None]
    return sa.and_(
        col(Goal.level) == GoalLevel.COMPANY,
        sa.or_(col(Goal.priority_id).is_(None), col(Goal.priority_id).not_in(current)),
    )


async def _flags(
    session: AsyncSession,
    team_id: str,
    base: list[ColumnElement[bool]],
    priorities: list[Priority],
    totals: dict[str, int],
) -> str:
    """``StrategyFlags.line`` from two small queries: which priorities an open company goal
    of the period serves, and the first company goals serving none."""
    company = [*base, col(Goal.level) == GoalLevel.COMPANY]
    served = await goal_pages.priorities_served(session=session, team_id=team_id, where=company)
    parts: list[str] = []
    unserved = [p.title for p in priorities if p.id not in served]
    if unserved:
        parts.append(strategy_texts.flag_unserved(unserved[:FLAGGED_REFS_SHOWN], len(unserved)))
    if totals["unlinked"]:
        first = await goal_pages.goal_page(
            session=session,
            team_id=team_id,
            where=[*base, _unlinked(priorities)],
            limit=FLAGGED_REFS_SHOWN,
        )
        refs = [f"G-{goal.number}" for goal in first]
        parts.append(strategy_texts.flag_unlinked(refs, totals["unlinked"]))
    return strategy_texts.flags_line(parts) if parts else ""
