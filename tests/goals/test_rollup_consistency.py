"""Rollups kept on write match a rebuild from scratch, whatever sequence of changes made them.

A seeded random sequence of creations, progress updates, closes (done and dropped), reopens,
links and moves, edits of the measure, start or target, and key result changes runs through
the real change functions (key results are first made through the real app); then every
goal's stored ``progress`` is compared with ``evaluate()`` over the facts, and its
``progress_at`` with its history.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.errors import FormErrors, UserInputError
from bot.core.runtime import Runtime
from bot.goals.changes import (
    LEVEL_RANK,
    close_goal,
    link_goal,
    record_progress,
    reopen_goal,
    save_goal,
)
from bot.goals.forms import GoalDraft
from bot.okrs.commands import KeyResultChange
from bot.okrs.service import set_key_result
from fakeslack import FakeSlack
from storage.models import Goal
from storage.repositories.goals import workspace_goals
from storage.states import GoalState
from tests.goals.helpers import TODAY
from tests.goals.rollup_checks import progress_at_differences, rollup_differences
from tests.okrs.helpers import create_goal, submit_key_results
from tests.slack_requests import ADMIN_ID, TEAM_ID, SlackSender

SEEDS = (1, 2, 3, 4, 5)
STEPS = 100
MEASURES = ("number", "milestone", "children")
LEVELS = ("company", "team", "personal")
KEY_RESULT = {"title": "Revenue", "start": "0", "target": "100"}
OTHER_KEY_RESULT = {"title": "Churn", "start": "10", "target": "2", "weight": "2"}


@dataclass
class Sequence:
    """One random sequence of changes, on one workspace, with a clock that ticks per change."""

    runtime: Runtime
    chance: random.Random
    ticks: int = 0

    def tick(self) -> None:
        self.ticks += 1
        moment = datetime(2026, 11, 27, 9, tzinfo=UTC) + timedelta(minutes=self.ticks)
        self.runtime.clock = lambda: moment

    async def goals(self) -> list[Goal]:
        async with self.runtime.sessions() as session:
            return await workspace_goals(session=session, team_id=TEAM_ID)

    def parent_for(self, goals: list[Goal], level: str, goal: Goal | None) -> int | None:
        """A random open goal of a higher level (or none), as the form lets people choose."""
        above = [
            other.id
            for other in goals
            if other.state == GoalState.OPEN
            and LEVEL_RANK[other.level] > LEVEL_RANK[level]
            and (goal is None or other.id != goal.id)
        ]
        if not above or self.chance.random() < 0.15:
            return None
        return self.chance.choice(above)

    def measure_for(self, level: str) -> str:
        """Goals that can have sub-goals are mostly measured by them, so rollups run deep."""
        if level == "personal":
            return self.chance.choice(["number", "number", "milestone"])
        return "children" if self.chance.random() < 0.6 else self.chance.choice(MEASURES)

    def draft(self, goals: list[Goal], goal: Goal | None) -> GoalDraft:
        level = goal.level if goal else self.chance.choice(LEVELS)
        start = float(self.chance.choice([0, 0, 10]))
        return GoalDraft(
            title=goal.title if goal else f"Goal {len(goals) + 1}",
            description="",
            level=level,
            team_ref=None,
            owner_id=ADMIN_ID,
            parent_id=self.parent_for(goals, level, goal),
            measure=self.measure_for(level),
            start_value=start,
            target_value=start + self.chance.choice([0, 40, 100, 100]),
            unit="",
            due_date=TODAY + timedelta(days=60),
            confidence=7,
        )


async def _new_goal(run: Sequence, goals: list[Goal]) -> None:
    await save_goal(
        runtime=run.runtime,
        team_id=TEAM_ID,
        actor=ADMIN_ID,
        draft=run.draft(goals, None),
        goal_id=None,
        today=TODAY,
    )


async def _edit(run: Sequence, goals: list[Goal]) -> None:
    goal = run.chance.choice(goals)
    draft = run.draft(goals, goal)
    if goal.measure == "key_results":
        draft = replace(draft, measure=run.chance.choice(["key_results", "number"]))
    await save_goal(
        runtime=run.runtime,
        team_id=TEAM_ID,
        actor=ADMIN_ID,
        draft=draft,
        goal_id=goal.id,
        today=TODAY,
    )


def _open(goals: list[Goal]) -> list[Goal]:
    """The open goals whose value a person sets (or all of them, so that refusals run too)."""
    return [
        goal for goal in goals if goal.state == GoalState.OPEN and goal.measure != "key_results"
    ] or goals


async def _update(run: Sequence, goals: list[Goal]) -> None:
    goal = run.chance.choice(_open(goals))
    share = run.chance.choice([0.0, 0.25, 0.5, 0.8, 1.0, 1.2])
    value = goal.start_value + share * (goal.target_value - goal.start_value)
    if goal.measure == "milestone":
        value = float(share >= 1)
    await record_progress(
        runtime=run.runtime, team_id=TEAM_ID, actor=ADMIN_ID, number=goal.number, value=value
    )


async def _close(run: Sequence, goals: list[Goal]) -> None:
    outcome = run.chance.choice([GoalState.DONE, GoalState.DROPPED])
    await close_goal(
        runtime=run.runtime,
        team_id=TEAM_ID,
        actor=ADMIN_ID,
        number=run.chance.choice(_open(goals)).number,
        outcome=outcome,
        note="",
    )


async def _reopen(run: Sequence, goals: list[Goal]) -> None:
    closed = [goal for goal in goals if goal.state != GoalState.OPEN] or goals
    await reopen_goal(
        runtime=run.runtime,
        team_id=TEAM_ID,
        actor=ADMIN_ID,
        number=run.chance.choice(closed).number,
    )


async def _link(run: Sequence, goals: list[Goal]) -> None:
    goal = run.chance.choice(goals)
    parent_id = run.parent_for(goals, goal.level, goal)
    parent = next((other.number for other in goals if other.id == parent_id), None)
    await link_goal(
        runtime=run.runtime,
        team_id=TEAM_ID,
        actor=ADMIN_ID,
        number=goal.number,
        parent_number=parent,
    )


async def _key_result(run: Sequence, goals: list[Goal]) -> None:
    objectives = [goal for goal in goals if goal.measure == "key_results"] or goals
    change = KeyResultChange(
        position=run.chance.choice([1, 2]),
        value=float(run.chance.choice([0, 4, 30, 60, 100])),
        confidence=run.chance.choice([None, 3, 8]),
    )
    await set_key_result(
        runtime=run.runtime,
        team_id=TEAM_ID,
        actor=ADMIN_ID,
        number=run.chance.choice(objectives).number,
        change=change,
    )


CHANGES: tuple[Callable[[Sequence, list[Goal]], Awaitable[None]], ...] = (
    _new_goal,
    _new_goal,
    _edit,
    _update,
    _update,
    _update,
    _close,
    _reopen,
    _link,
    _link,
    _key_result,
    _key_result,
)


async def _objectives(slack: SlackSender, fake_slack: FakeSlack) -> None:
    """Two objectives with key results, made through the app as a person makes them."""
    for number in (1, 2):
        await create_goal(slack, fake_slack, title=f"Objective {number}", level="company")
        _, response = await submit_key_results(
            slack, fake_slack, number, KEY_RESULT, OTHER_KEY_RESULT
        )
        assert response.status_code == 200 and response.text == "", response.text


@pytest.mark.parametrize("seed", SEEDS)
async def test_stored_rollups_match_a_rebuild_after_random_changes(
    runtime: Runtime, slack: SlackSender, fake_slack: FakeSlack, seed: int
) -> None:
    run = Sequence(runtime, random.Random(seed))
    run.tick()
    await _objectives(slack, fake_slack)
    applied = 0
    for step in range(STEPS):
        run.tick()
        change = run.chance.choice(CHANGES)
        try:
            await change(run, await run.goals())
            applied += 1
        except (UserInputError, FormErrors):
            pass  # a change the app refuses (a closed goal, a level below a child …)
        assert await rollup_differences(runtime) == [], f"after step {step}: {change.__name__}"
    assert applied >= STEPS // 2  # the sequence exercised the code, not just its refusals
    assert await rollup_differences(runtime) == []
    assert await progress_at_differences(runtime) == []
