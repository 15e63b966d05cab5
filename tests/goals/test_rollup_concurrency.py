"""Sibling goals changed at the same moment both count in their parent's rollup: the second
change re-rolls the parent after the first has committed (the parent is locked for it)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.core.runtime import Runtime
from bot.goals.changes import record_progress
from tests.goals.rollup_checks import goal_tree, rollup_differences
from tests.slack_requests import ADMIN_ID, TEAM_ID

SIBLINGS = (6, 7, 8, 9)  # personal goals under the same team goal, G-2


async def test_concurrent_updates_of_sibling_goals_leave_their_parents_right(
    runtime: Runtime,
) -> None:
    runtime.clock = lambda: datetime(2026, 11, 27, 12, tzinfo=UTC)
    await goal_tree(runtime, TEAM_ID, personal_per_team=len(SIBLINGS))

    for value in (100.0, 30.0):
        await asyncio.gather(
            *(
                record_progress(
                    runtime=runtime, team_id=TEAM_ID, actor=ADMIN_ID, number=number, value=value
                )
                for number in SIBLINGS
            )
        )

        assert await rollup_differences(runtime) == []
