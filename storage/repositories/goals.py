"""Goals and their history. Lists load whole workspaces in one query: rollups are computed in
memory, so no listing issues a query per goal."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Goal, GoalUpdate
from storage.repositories.counters import next_number
from storage.states import GoalState

GOAL_SEQUENCE = "goal"


async def add_goal(*, session: AsyncSession, goal: Goal) -> Goal:
    """Give ``goal`` the workspace's next number and insert it."""
    goal.number = await next_number(session=session, team_id=goal.team_id, name=GOAL_SEQUENCE)
    session.add(goal)
    await session.flush()
    return goal


async def get_goal_by_number(
    *, session: AsyncSession, team_id: str, number: int, for_update: bool = False
) -> Goal | None:
    where = (col(Goal.team_id) == team_id, col(Goal.number) == number)
    statement = select(Goal).where(*where)
    if for_update:
        # A no-op UPDATE takes the lock, as ``lock_survey`` does: on PostgreSQL it locks the
        # row like ``SELECT … FOR UPDATE``; on SQLite (which ignores FOR UPDATE and starts no
        # transaction before the first write) it takes the write lock now, so a concurrent
        # change of the same goal waits here and then reads what the first one wrote.
        await session.exec(update(Goal).where(*where).values(number=col(Goal.number)))
        # populate_existing: after waiting for the lock, read the row as it is now, even if
        # this session already holds an older copy of it.
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return (await session.exec(statement)).first()


async def get_goal(*, session: AsyncSession, team_id: str, goal_id: int) -> Goal | None:
    goal = await session.get(Goal, goal_id)
    return goal if goal is not None and goal.team_id == team_id else None


async def workspace_goals(
    *, session: AsyncSession, team_id: str, include_closed: bool = True
) -> list[Goal]:
    """Every goal of the workspace, ordered by number, in one query."""
    statement = select(Goal).where(Goal.team_id == team_id).order_by(col(Goal.number))
    if not include_closed:
        statement = statement.where(Goal.state == GoalState.OPEN)
    return list((await session.exec(statement)).all())


async def add_goal_update(*, session: AsyncSession, update: GoalUpdate) -> GoalUpdate:
    session.add(update)
    await session.flush()
    return update


async def recent_updates(
    *, session: AsyncSession, team_id: str, goal_id: int, limit: int = 5
) -> list[GoalUpdate]:
    statement = (
        select(GoalUpdate)
        .where(GoalUpdate.team_id == team_id, GoalUpdate.goal_id == goal_id)
        .order_by(col(GoalUpdate.created_at).desc(), col(GoalUpdate.id).desc())
        .limit(limit)
    )
    return list((await session.exec(statement)).all())


def index_by_id(goals: Iterable[Goal]) -> dict[int, Goal]:
    return {goal.id: goal for goal in goals if goal.id is not None}
