"""A change re-rolls its goal's ancestors only: the statements it sends and the goal rows it
loads do not grow with the workspace. The same changes run in a workspace of 35 goals and in
one ten times larger (company goal <- team goals <- personal goals, each parent measured by
its sub-goals)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import sqlalchemy as sa

from bot.core.runtime import Runtime
from bot.goals.changes import close_goal, link_goal, record_progress, reopen_goal
from storage.models import Goal
from tests.goals.rollup_checks import goal_tree, rollup_differences
from tests.slack_requests import ADMIN_ID
from tests.statements import recorded_statements

SMALL, LARGE = "TSMALL", "TLARGE"
PERSONAL_PER_TEAM = {SMALL: 10, LARGE: 100}


Change = Callable[[Runtime, str], Awaitable[object]]
CHANGES: dict[str, Change] = {
    "update": lambda runtime, team_id: record_progress(
        runtime=runtime, team_id=team_id, actor=ADMIN_ID, number=6, value=97.0
    ),
    "close": lambda runtime, team_id: close_goal(
        runtime=runtime, team_id=team_id, actor=ADMIN_ID, number=6, outcome="dropped", note=""
    ),
    "reopen": lambda runtime, team_id: reopen_goal(
        runtime=runtime, team_id=team_id, actor=ADMIN_ID, number=6
    ),
    "move": lambda runtime, team_id: link_goal(
        runtime=runtime, team_id=team_id, actor=ADMIN_ID, number=2, parent_number=5
    ),
}


@contextmanager
def loaded_goals() -> Iterator[list[int]]:
    """How many goal rows the ORM builds inside the ``with`` block (one count in a list)."""
    count = [0]

    def load(_goal: Goal, _context: object) -> None:
        count[0] += 1

    sa.event.listen(Goal, "load", load)
    try:
        yield count
    finally:
        sa.event.remove(Goal, "load", load)


async def _costs(runtime: Runtime, team_id: str) -> dict[str, tuple[int, int]]:
    """Statements sent and goal rows loaded by each change, which must leave rollups right."""
    costs = {}
    for name, change in CHANGES.items():
        with recorded_statements(runtime) as statements, loaded_goals() as loaded:
            await change(runtime, team_id)
        costs[name] = (len(statements), loaded[0])
        assert await rollup_differences(runtime, team_id) == [], name
    return costs


async def test_a_change_costs_the_same_in_a_workspace_ten_times_larger(runtime: Runtime) -> None:
    runtime.clock = lambda: datetime(2026, 11, 27, 12, tzinfo=UTC)
    await goal_tree(runtime, SMALL, PERSONAL_PER_TEAM[SMALL])
    await goal_tree(runtime, LARGE, PERSONAL_PER_TEAM[LARGE])
    small = await _costs(runtime, SMALL)
    assert await _costs(runtime, LARGE) == small
