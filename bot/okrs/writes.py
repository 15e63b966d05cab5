"""The writes every key result change shares: its history row and its objective's rollup,
both in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.okrs.rollup import KEY_RESULTS_MEASURE, apply_rollup, objective_row_progress
from storage.models import Goal, GoalUpdate, KeyResult, KeyResultUpdate
from storage.repositories.goal_rollups import store_progress
from storage.repositories.goals import add_goal_update, get_goal
from storage.repositories.key_results import add_key_result_update, goal_key_results


async def record_key_result_update(
    *,
    session: AsyncSession,
    key_result: KeyResult,
    author_id: str,
    source: str,
    now: datetime,
    value: float | None = None,
    confidence: int | None = None,
) -> None:
    assert key_result.id is not None
    await add_key_result_update(
        session=session,
        update=KeyResultUpdate(
            team_id=key_result.team_id,
            key_result_id=key_result.id,
            author_id=author_id,
            source=source,
            value=value,
            confidence=confidence,
            created_at=now,
        ),
    )


async def reroll(
    *,
    session: AsyncSession,
    goal: Goal,
    now: datetime,
    author_id: str,
    note: str,
    make_objective: bool = False,
) -> Goal:
    """Recompute ``goal``'s value from its key results as they are in the session now; a new
    value also goes in the goal's history, as ``/goal update`` writes it, so the digest sees
    the objective move. A goal its owner has since measured otherwise keeps its measure and
    value (its key results wait, unused) unless ``make_objective`` (the key results form)."""
    assert goal.id is not None
    await session.flush()
    if goal.measure != KEY_RESULTS_MEASURE and not make_objective:
        return goal
    key_results = await goal_key_results(session=session, team_id=goal.team_id, goal_id=goal.id)
    before = (goal.measure, goal.current_value)
    apply_rollup(goal, key_results, now)
    session.add(goal)
    if before != (goal.measure, goal.current_value):
        await add_goal_update(
            session=session,
            update=GoalUpdate(
                team_id=goal.team_id,
                goal_id=goal.id,
                author_id=author_id or goal.owner_id,
                kind="update",
                value=goal.current_value,
                note=note,
                created_at=now,
            ),
        )
    await store_progress(session=session, goal=goal, progress=objective_row_progress(goal))
    return goal


async def reroll_by_id(
    *, session: AsyncSession, team_id: str, goal_id: int, now: datetime, author_id: str, note: str
) -> None:
    goal = await get_goal(session=session, team_id=team_id, goal_id=goal_id)
    if goal is not None:
        await reroll(session=session, goal=goal, now=now, author_id=author_id, note=note)
