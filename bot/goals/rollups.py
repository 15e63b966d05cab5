"""Rolled-up progress kept on the goal row (``goal.progress``), so readers fetch one page.

The rule is ``bot.goals.progress``'s: a goal's own progress, or for a goal measured by its
sub-goals the mean of its open and done sub-goals' progress. ``rebuild_rollups`` computes it
from scratch for a whole workspace (seeding, repairs, the consistency test); changes keep it
current as they write (see ``refresh_rollups``).
"""

from __future__ import annotations

from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.goals.progress import evaluate
from storage.repositories.goals import workspace_goals

ANY_DAY = date(2000, 1, 1)  # progress does not depend on the day; evaluate() asks for one


async def rebuild_rollups(*, session: AsyncSession, team_id: str) -> int:
    """Recompute every goal's rolled-up progress in ``team_id``; returns how many changed.
    The caller commits."""
    goals = await workspace_goals(session=session, team_id=team_id)
    changed = 0
    for goal_id, view in evaluate(goals, ANY_DAY).items():
        goal = view.goal
        if goal.progress != view.progress:
            goal.progress = view.progress
            session.add(goal)
            changed += 1
    await session.flush()
    return changed
