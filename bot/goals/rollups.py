"""Rolled-up progress kept on the goal row (``goal.progress``), so readers fetch one page.

The rule is ``bot.goals.progress``'s: a goal's own progress, or for a goal measured by its
sub-goals the mean of its open and done sub-goals' progress. ``rebuild_rollups`` computes it
from scratch for a whole workspace (seeding, repairs, the consistency test);
``refresh_rollups`` keeps it current on every write, in the writer's transaction, reading only
the changed goal's ancestors and their sub-goals (``storage.repositories.goal_rollups``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy.orm import configure_mappers
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.goals.progress import evaluate, own_progress
from storage.models import Goal
from storage.repositories.goal_rollups import children_progress, rolls_up_children, store_progress
from storage.repositories.goals import workspace_goals

ANY_DAY = date(2000, 1, 1)  # progress does not depend on the day; evaluate() asks for one


def rolled_up_progress(goals: Iterable[Goal]) -> dict[int, float]:
    """Every goal's rolled-up progress by id, computed in memory from the goals' facts: what
    ``refresh_rollups`` keeps on the rows (seeds write it, tests compare with it)."""
    return {goal_id: view.progress for goal_id, view in evaluate(goals, ANY_DAY).items()}


def with_rolled_up_progress(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Goal rows about to be inserted in bulk (the benchmarks' seeds, which bypass the app),
    each given its ``progress`` by the rule the app keeps on write."""
    configure_mappers()  # model_construct (no validation: 5x faster) needs mapped classes
    progress = rolled_up_progress(Goal.model_construct(**row) for row in rows)
    return [{**row, "progress": progress[row["id"]]} for row in rows]


async def rebuild_rollups(*, session: AsyncSession, team_id: str) -> int:
    """Recompute every goal's rolled-up progress in ``team_id``; returns how many changed.
    The caller commits."""
    goals = await workspace_goals(session=session, team_id=team_id)
    progress = rolled_up_progress(goals)
    changed = 0
    for goal in goals:
        assert goal.id is not None
        if goal.progress != progress[goal.id]:
            goal.progress = progress[goal.id]
            session.add(goal)
            changed += 1
    await session.flush()
    return changed


async def refresh_rollups(
    *, session: AsyncSession, goal: Goal, moved_from: Iterable[int | None] = ()
) -> None:
    """After a change to ``goal`` (its value, start or target, measure, state, parent, or its
    creation), store its progress and re-roll every ancestor measured by its sub-goals, in the
    caller's transaction; ``moved_from``: the parent it left, whose chain changes too."""
    await session.flush()
    if rolls_up_children(goal):
        progress = await children_progress(session=session, goal=goal)
    else:
        progress = own_progress(goal)
    await store_progress(session=session, goal=goal, progress=progress, moved_from=moved_from)
