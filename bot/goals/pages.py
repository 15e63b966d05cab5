"""Read side of goals for what Slack shows: one page of goals, never the whole workspace.

Every goal row carries its rolled-up progress (``goal.progress``, kept on write by
``bot/goals/rollups.py``), so a shown goal's status is computed from its own row and today,
and a list, a tree or one goal reads only the rows it can show, plus exact counts in SQL for
its "(N)" and "…and N more". The number of statements does not depend on the workspace's
size.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.quarters import CUSTOM
from bot.goals.period_choice import PeriodFilter
from bot.goals.progress import GoalView, status_of
from storage.models import Goal
from storage.repositories import goal_pages
from storage.states import GoalLevel, GoalState

LIST_PAGE = 30  # build_goal_list shows at most 30 goals (max_sections)
SHOWN_CHILDREN = 10  # /goal show lists this many sub-goals


def view_of(goal: Goal, today: date) -> GoalView:
    """A goal as the blocks show it, from its row alone."""
    aligned = goal.level == GoalLevel.COMPANY or goal.parent_id is not None
    return GoalView(goal, goal.progress, status_of(goal, goal.progress, today), aligned)


@dataclass
class GoalPage:
    """What the blocks need beside the shown goals: team names, sub-goal counts and, for one
    goal in full, the chain above it and its first sub-goals."""

    today: date
    team_names: dict[int, str] = field(default_factory=dict)
    child_counts: dict[int, int] = field(default_factory=dict)
    chains: dict[int, list[Goal]] = field(default_factory=dict)
    children: dict[int, list[GoalView]] = field(default_factory=dict)

    def team_name(self, goal: Goal) -> str:
        return self.team_names.get(goal.team_ref, "") if goal.team_ref else ""

    def child_count(self, goal: Goal) -> int:
        return self.child_counts.get(goal.id or 0, 0)

    def chain(self, goal: Goal) -> list[Goal]:
        """The goals above ``goal``, nearest first, up to the top."""
        return self.chains.get(goal.id or 0, [])

    def child_views(self, goal: Goal) -> list[GoalView]:
        """The first sub-goals of ``goal`` (any state), in number order."""
        return self.children.get(goal.id or 0, [])


def is_open(goal: Any = Goal) -> ColumnElement[bool]:
    """Open goals (of ``goal``: the ``Goal`` table or an alias of it)."""
    return col(goal.state) == GoalState.OPEN


def shown_in(period: PeriodFilter, goal: Any = Goal) -> list[ColumnElement[bool]]:
    """``PeriodFilter.shows`` as SQL: the goals of the quarter, plus custom goals (and goals
    from before periods) whose span includes today (current quarter) or overlaps it."""
    quarter = period.quarter
    if quarter is None:
        return []
    start = sa.func.coalesce(col(goal.period_start), col(goal.start_date))
    end = sa.func.coalesce(col(goal.period_end), col(goal.due_date))
    if period.is_current:
        in_span = sa.and_(start <= period.today, end >= period.today)
    else:
        in_span = sa.and_(start <= quarter.end, end >= quarter.start)
    own_span = sa.or_(col(goal.period).is_(None), col(goal.period).in_(("", CUSTOM)))
    return [sa.or_(col(goal.period) == quarter.key, sa.and_(own_span, in_span))]


async def page_of(
    session: AsyncSession, team_id: str, goals: Sequence[Goal], today: date
) -> GoalPage:
    """Team names and sub-goal counts of the shown ``goals``: two queries."""
    if not goals:
        return GoalPage(today)
    names = await goal_pages.team_names(
        session=session, team_id=team_id, team_refs=(goal.team_ref for goal in goals)
    )
    counts = await goal_pages.child_counts(
        session=session, team_id=team_id, goal_ids=(goal.id for goal in goals if goal.id)
    )
    return GoalPage(today, team_names=names, child_counts=counts)


@dataclass(frozen=True)
class ListPage:
    """The first goals of a list, and how many goals the whole list holds."""

    views: list[GoalView]
    total: int
    page: GoalPage


async def open_goals_page(
    session: AsyncSession,
    *,
    team_id: str,
    today: date,
    where: Iterable[ColumnElement[bool]],
    limit: int = LIST_PAGE,
) -> ListPage:
    """The open goals matching ``where`` in number order: the first ``limit`` and the count."""
    conditions = [is_open(), *where]
    goals = await goal_pages.goal_page(
        session=session, team_id=team_id, where=conditions, limit=limit
    )
    total = await goal_pages.count_goals(session=session, team_id=team_id, where=conditions)
    page = await page_of(session, team_id, goals, today)
    return ListPage([view_of(goal, today) for goal in goals], total, page)


async def one_goal_page(
    session: AsyncSession, *, team_id: str, number: int, today: date
) -> tuple[GoalView, GoalPage] | None:
    """``G-number`` with its team, sub-goal count, chain and first sub-goals."""
    found = await goal_pages.goal_page(
        session=session, team_id=team_id, where=[col(Goal.number) == number], limit=1
    )
    if not found or found[0].id is None:
        return None
    goal = found[0]
    page = await page_of(session, team_id, [goal], today)
    page.chains[goal.id or 0] = await goal_pages.goal_chain(
        session=session, team_id=team_id, goal=goal
    )
    children = await goal_pages.goal_page(
        session=session,
        team_id=team_id,
        where=[col(Goal.parent_id) == goal.id],
        limit=SHOWN_CHILDREN,
    )
    page.children[goal.id or 0] = [view_of(child, today) for child in children]
    return view_of(goal, today), page
