"""Writing a goal's rolled-up progress (``goal.progress``) and re-rolling the goals above it.

A goal measured by its sub-goals (``measure == "children"``, not done) shows the mean
progress of its sub-goals that are not dropped (``bot.goals.progress.evaluate`` is the same
rule in memory). A write stores the changed goal's progress, then walks up its parent
chain, a statement or two a level, stopping at the first goal whose progress does not change
or that is not measured by its sub-goals. Nothing here reads the whole workspace, nor all of
a goal's sub-goals: their mean comes back as one number.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import col, func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Goal
from storage.states import GoalState

CHILDREN_MEASURE = "children"


def rolls_up_children(goal: Goal) -> bool:
    """Whether ``goal``'s progress is the mean of its sub-goals' (a done goal is complete)."""
    return goal.measure == CHILDREN_MEASURE and goal.state != GoalState.DONE


def _mean_of_children(team_id: str, goal_id: int | None) -> Any:
    """The mean stored progress of goal ``goal_id``'s sub-goals that are not dropped (0 with
    none), as a scalar subquery: one row back, however many sub-goals there are."""
    child = aliased(Goal)
    return (
        select(func.coalesce(func.avg(child.progress), 0.0))
        .where(
            col(child.team_id) == team_id,
            col(child.parent_id) == goal_id,
            col(child.id) != goal_id,
            col(child.state) != GoalState.DROPPED,
        )
        .scalar_subquery()
    )


async def children_progress(*, session: AsyncSession, goal: Goal) -> float:
    """The mean stored progress of ``goal``'s sub-goals that are not dropped (0 with none)."""
    result = await session.exec(select(_mean_of_children(goal.team_id, goal.id)))
    return float(result.one())


async def store_progress(
    *, session: AsyncSession, goal: Goal, progress: float, moved_from: Iterable[int | None] = ()
) -> None:
    """Store ``goal``'s own rolled-up ``progress`` and re-roll its ancestors, and those of
    the parents it left (``moved_from``), in the caller's transaction. Call it after any
    change to what the goal's progress or its place in its parent's mean depend on: value,
    start or target, measure, state, parent, creation."""
    if goal.progress != progress:
        goal.progress = progress
        session.add(goal)
    await session.flush()
    # In id order: two moves crossing between the same parents lock them in the same order.
    parents = {parent for parent in (goal.parent_id, *moved_from) if parent is not None}
    for parent_id in sorted(parents):
        await _reroll_ancestors(session, goal.team_id, parent_id)


async def _reroll_ancestors(session: AsyncSession, team_id: str, goal_id: int) -> None:
    """Re-roll ``goal_id`` from its sub-goals, then its parent, and so on while the progress
    changes. A level costs one statement when the goal is not measured by its sub-goals, two
    when it is (lock it, then read it with its sub-goals' mean). A parent loop, which the app
    never makes, ends the walk when it comes round."""
    seen: set[int] = set()
    current: int | None = goal_id
    while current is not None and current not in seen:
        seen.add(current)
        if not await _lock_if_rolled_from_children(session, team_id, current):
            return  # gone, or its progress does not depend on its sub-goals
        statement = (
            select(Goal, _mean_of_children(team_id, current))
            .where(col(Goal.id) == current)
            .execution_options(populate_existing=True)
        )
        found, mean = (await session.exec(statement)).one()
        progress = float(mean)
        if progress == found.progress:
            return
        found.progress = progress
        session.add(found)
        await session.flush()
        current = found.parent_id


async def _lock_if_rolled_from_children(session: AsyncSession, team_id: str, goal_id: int) -> bool:
    """Lock goal ``goal_id`` if it is measured by its sub-goals (and say whether it is), so
    that two changes of sibling goals re-roll their parent one after the other: the second
    reads the first's sub-goal once it has committed. A no-op UPDATE, as ``get_goal_by_number``
    locks, on PostgreSQL and SQLite alike."""
    statement = (
        update(Goal)
        .where(
            col(Goal.team_id) == team_id,
            col(Goal.id) == goal_id,
            col(Goal.measure) == CHILDREN_MEASURE,
            col(Goal.state) != GoalState.DONE,
        )
        .values(number=col(Goal.number))
        .execution_options(synchronize_session=False)
    )
    result = await session.exec(statement)
    return bool(result.rowcount)
