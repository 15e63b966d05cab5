"""Key results bound to a KPI take its latest value whenever a value is recorded, in the
transaction that records it."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.okrs import texts
from bot.okrs.writes import record_key_result_update, reroll_by_id
from storage.models import Kpi
from storage.repositories.goals import get_goal
from storage.repositories.key_results import key_results_bound_to
from storage.repositories.kpis import recent_values
from storage.states import GoalState


async def follow_kpi(
    *, session: AsyncSession, kpi: Kpi, now: datetime, author_id: str | None = None
) -> int:
    """Give every key result bound to ``kpi`` the KPI's latest value (by day), write its
    history row and re-roll its objective; returns how many changed."""
    assert kpi.id is not None
    bound = await key_results_bound_to(session=session, team_id=kpi.team_id, kpi_id=kpi.id)
    if not bound:
        return 0
    values = await recent_values(session=session, team_id=kpi.team_id, kpi_ids=[kpi.id], per_kpi=1)
    latest = values.get(kpi.id) or []
    if not latest:
        return 0
    value = latest[-1].value
    goals: set[int] = set()
    for key_result in bound:
        goal = await get_goal(session=session, team_id=kpi.team_id, goal_id=key_result.goal_id)
        if goal is None or goal.state != GoalState.OPEN or key_result.current_value == value:
            continue  # a closed objective keeps its final score
        key_result.current_value = value
        key_result.updated_at = now
        session.add(key_result)
        await record_key_result_update(
            session=session,
            key_result=key_result,
            author_id=author_id or "",
            source="kpi-sync",
            now=now,
            value=value,
        )
        goals.add(key_result.goal_id)
    for goal_id in sorted(goals):
        await reroll_by_id(
            session=session,
            team_id=kpi.team_id,
            goal_id=goal_id,
            now=now,
            author_id=author_id or "",
            note=texts.rolled_from_kpi(kpi.number),
        )
    return len(goals)
