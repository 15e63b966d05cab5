"""How key results roll up into their objective: kept on write, so every reader of goals
(progress, digest, Home) sees an objective as a number goal from 0 to 1."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from storage.models import Goal, KeyResult
from storage.states import GoalState

KEY_RESULTS_MEASURE = "key_results"
MAX_KEY_RESULTS = 5


def key_result_progress(key_result: KeyResult) -> float:
    """(current - start) / (target - start), 0 to 1; a target below the start (lower is
    better) works the same way."""
    span = key_result.target_value - key_result.start_value
    if span == 0:
        return 1.0 if key_result.current_value == key_result.target_value else 0.0
    return min(1.0, max(0.0, (key_result.current_value - key_result.start_value) / span))


def objective_progress(key_results: Sequence[KeyResult]) -> float:
    """The weighted mean of the key results' progress (0 with none)."""
    total = sum(key_result.weight for key_result in key_results if key_result.weight > 0)
    if total <= 0:
        return 0.0
    weighted = sum(
        key_result_progress(key_result) * key_result.weight
        for key_result in key_results
        if key_result.weight > 0
    )
    return weighted / total


def objective_row_progress(goal: Goal) -> float:
    """An objective's progress as its row keeps it (``goal.progress``): its rolled-up value,
    from 0 to 1, or complete once done (``bot.goals.progress.own_progress`` for a goal whose
    start is 0 and target 1, which ``apply_rollup`` makes every objective)."""
    if goal.state == GoalState.DONE:
        return 1.0
    return min(1.0, max(0.0, goal.current_value))


def apply_rollup(goal: Goal, key_results: Sequence[KeyResult], now: datetime) -> None:
    """Make ``goal`` an objective whose value is its key results' rollup (the caller adds it
    to the session, in the transaction of the key result change)."""
    goal.measure = KEY_RESULTS_MEASURE
    goal.start_value = 0.0
    goal.target_value = 1.0
    goal.unit = ""
    goal.current_value = round(objective_progress(key_results), 6)
    goal.progress_at = goal.updated_at = now
