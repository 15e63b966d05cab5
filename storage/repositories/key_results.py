"""Key results of objectives and their history (values and confidences)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Goal, KeyResult, KeyResultUpdate
from storage.states import GoalState


async def goal_key_results(*, session: AsyncSession, team_id: str, goal_id: int) -> list[KeyResult]:
    """The key results of one objective, by position."""
    statement = (
        select(KeyResult)
        .where(KeyResult.team_id == team_id, KeyResult.goal_id == goal_id)
        .order_by(col(KeyResult.position), col(KeyResult.id))
    )
    return list((await session.exec(statement)).all())


async def key_results_by_goal(
    *, session: AsyncSession, team_id: str, goal_ids: Iterable[int] | None = None
) -> dict[int, list[KeyResult]]:
    """The key results of the workspace's objectives (of ``goal_ids`` when given), in one
    query, each goal's by position."""
    statement = select(KeyResult).where(KeyResult.team_id == team_id)
    if goal_ids is not None:
        statement = statement.where(col(KeyResult.goal_id).in_(list(goal_ids)))
    statement = statement.order_by(col(KeyResult.goal_id), col(KeyResult.position))
    found: dict[int, list[KeyResult]] = defaultdict(list)
    for row in (await session.exec(statement)).all():
        found[row.goal_id].append(row)
    return dict(found)


async def key_results_bound_to(
    *, session: AsyncSession, team_id: str, kpi_id: int
) -> list[KeyResult]:
    """The key results that follow KPI ``kpi_id``."""
    statement = (
        select(KeyResult)
        .where(KeyResult.team_id == team_id, KeyResult.kpi_id == kpi_id)
        .order_by(col(KeyResult.id))
    )
    return list((await session.exec(statement)).all())


async def owned_open_key_results(
    *, session: AsyncSession, team_id: str, user_id: str
) -> list[tuple[Goal, KeyResult]]:
    """The key results of the person's open objectives, by goal number then position."""
    statement = (
        select(Goal, KeyResult)
        .join(KeyResult, col(KeyResult.goal_id) == col(Goal.id))
        .where(
            Goal.team_id == team_id,
            Goal.owner_id == user_id,
            Goal.state == GoalState.OPEN,
            KeyResult.team_id == team_id,
        )
        .order_by(col(Goal.number), col(KeyResult.position))
    )
    return [(goal, key_result) for goal, key_result in (await session.exec(statement)).all()]


async def add_key_result_update(*, session: AsyncSession, update: KeyResultUpdate) -> None:
    session.add(update)
    await session.flush()


async def recent_confidences(
    *, session: AsyncSession, team_id: str, key_result_ids: Sequence[int], per_key_result: int = 5
) -> dict[int, list[int]]:
    """The last ``per_key_result`` confidences given to each key result, oldest first."""
    if not key_result_ids:
        return {}
    position = (
        sa.func.row_number()
        .over(
            partition_by=col(KeyResultUpdate.key_result_id),
            order_by=(col(KeyResultUpdate.created_at).desc(), col(KeyResultUpdate.id).desc()),
        )
        .label("position")
    )
    ranked = (
        select(KeyResultUpdate.id, position)
        .where(
            KeyResultUpdate.team_id == team_id,
            col(KeyResultUpdate.key_result_id).in_(list(key_result_ids)),
            col(KeyResultUpdate.confidence).is_not(None),
        )
        .subquery()
    )
    statement = (
        select(KeyResultUpdate)
        .join(ranked, col(KeyResultUpdate.id) == ranked.c.id)
        .where(ranked.c.position <= per_key_result)
        .order_by(col(KeyResultUpdate.created_at), col(KeyResultUpdate.id))
    )
    found: dict[int, list[int]] = defaultdict(list)
    for row in (await session.exec(statement)).all():
        if row.confidence is not None:
            found[row.key_result_id].append(row.confidence)
    return dict(found)
