"""Reading every goal's stored rollup back and comparing it with a rebuild from the facts;
a tree of goals measured by their sub-goals to change."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

from sqlmodel import col, select

from bot.core.runtime import Runtime
from bot.goals.rollups import rebuild_rollups, rolled_up_progress
from storage.db import transaction
from storage.models import Goal, GoalUpdate, KeyResult
from storage.repositories.goals import workspace_goals
from storage.repositories.workspaces import ensure_workspace
from tests.slack_requests import ADMIN_ID, TEAM_ID

PROGRESS_KINDS = ("create", "update")  # the history entries that move ``progress_at``
TODAY = date(2026, 11, 27)


async def rollup_differences(runtime: Runtime, team_id: str = TEAM_ID) -> list[str]:
    """Each goal whose stored ``progress`` differs from the rollup rebuilt from scratch."""
    async with runtime.sessions() as session:
        goals = await workspace_goals(session=session, team_id=team_id)
    rebuilt = rolled_up_progress(goals)
    return [
        f"G-{goal.number} ({goal.measure}, {goal.state}): stored {goal.progress!r}, "
        f"rebuilt {rebuilt[goal.id]!r}"
        for goal in goals
        if goal.id is not None and not math.isclose(goal.progress, rebuilt[goal.id], abs_tol=1e-9)
    ]


async def progress_at_differences(runtime: Runtime, team_id: str = TEAM_ID) -> list[str]:
    """Each goal whose ``progress_at`` is not its newest create or update entry's time. A
    goal with key results also moves it when they are re-rolled without a new value, so
    there it may only be later."""
    async with runtime.sessions() as session:
        goals = await workspace_goals(session=session, team_id=team_id)
        statement = select(GoalUpdate).where(
            col(GoalUpdate.team_id) == team_id, col(GoalUpdate.kind).in_(PROGRESS_KINDS)
        )
        history = (await session.exec(statement)).all()
        objectives = set(
            (
                await session.exec(select(KeyResult.goal_id).where(KeyResult.team_id == team_id))
            ).all()
        )
    newest: dict[int, datetime] = {}
    for entry in history:
        newest[entry.goal_id] = max(entry.created_at, newest.get(entry.goal_id, entry.created_at))
    return [
        f"G-{goal.number}: progress_at {goal.progress_at}, newest update {newest.get(goal.id)}"
        for goal in goals
        if goal.id is not None
        and not _progress_at_fits(goal, newest.get(goal.id), objective=goal.id in objectives)
    ]


def _progress_at_fits(goal: Goal, newest: datetime | None, *, objective: bool) -> bool:
    if newest is None:
        return False
    if objective:
        return goal.progress_at >= newest
    return goal.progress_at == newest


def _goal(team_id: str, number: int, level: str, parent: Goal | None, measure: str) -> Goal:
    return Goal(
        team_id=team_id,
        number=number,
        title=f"Goal {number}",
        level=level,
        owner_id=ADMIN_ID,
        parent_id=parent.id if parent else None,
        measure=measure,
        start_value=0.0,
        target_value=100.0,
        current_value=float(number % 90),
        start_date=TODAY,
        due_date=TODAY + timedelta(days=90),
        created_by=ADMIN_ID,
    )


async def goal_tree(runtime: Runtime, team_id: str, personal_per_team: int) -> None:
    """G-1 (company) <- G-2..G-4 (team) <- personal number goals from G-6 on; G-5 is a second
    company goal, where a move takes G-2."""
    async with transaction(runtime.sessions) as session:
        await ensure_workspace(session=session, team_id=team_id)
        company = _goal(team_id, 1, "company", None, "children")
        session.add_all([company, _goal(team_id, 5, "company", None, "children")])
        await session.flush()
        teams = [_goal(team_id, number, "team", company, "children") for number in (2, 3, 4)]
        session.add_all(teams)
        await session.flush()
        number = 6
        for team in teams:
            for _ in range(personal_per_team):
                session.add(_goal(team_id, number, "personal", team, "number"))
                number += 1
        await rebuild_rollups(session=session, team_id=team_id)
