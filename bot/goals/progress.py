"""Progress, status and rollups of goals: the one place where these rules live.

Progress is how far a goal has come from its start value to its target, 0 to 1. A goal
measured by its sub-goals takes the average progress of its open and done children. Status
compares progress with the share of time elapsed between the start and the due date:

- *on track*: progress is behind the elapsed time by at most ``AT_RISK_GAP`` (10 points);
- *at risk*: behind by more than that, up to ``OFF_TRACK_GAP`` (25 points);
- *off track*: behind by more, or past the due date and not done.

A milestone (done / not done) counts as on track until ``MILESTONE_AT_RISK_AT`` (75 %) of its
time has gone, at risk after that, and off track once due. An owner's status override wins
over the computed status while the goal is open.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.core.numbers import progress_bar as progress_bar  # drawn here for the goals room
from storage.models import Goal
from storage.states import GoalLevel, GoalState

AT_RISK_GAP = 0.10
OFF_TRACK_GAP = 0.25
MILESTONE_AT_RISK_AT = 0.75
STALE_AFTER_DAYS = 14  # an open goal with no progress update for this long is stale
STALE_AFTER = timedelta(days=STALE_AFTER_DAYS)


class Status(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    DONE = "done"
    DROPPED = "dropped"


STATUS_LABELS = {
    Status.ON_TRACK: "On track",
    Status.AT_RISK: "At risk",
    Status.OFF_TRACK: "Off track",
    Status.DONE: "Done",
    Status.DROPPED: "Dropped",
}
STATUS_ICONS = {
    Status.ON_TRACK: ":large_green_circle:",
    Status.AT_RISK: ":large_yellow_circle:",
    Status.OFF_TRACK: ":red_circle:",
    Status.DONE: ":white_check_mark:",
    Status.DROPPED: ":heavy_minus_sign:",
}
OVERRIDABLE = (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK)
OVERRIDABLE_VALUES = frozenset(status.value for status in OVERRIDABLE)


def own_progress(goal: Goal) -> float:
    """Progress from the goal's own measure, 0 to 1 (sub-goal measures are rolled up apart)."""
    if goal.state == GoalState.DONE:
        return 1.0
    return progress_at(goal, goal.current_value)


def progress_at(goal: Goal, value: float) -> float:
    """The goal's own progress, 0 to 1, were its current value ``value`` and the goal open."""
    if goal.measure == "milestone":
        return 1.0 if value >= 1 else 0.0
    span = goal.target_value - goal.start_value
    if span == 0:
        return 1.0 if value == goal.target_value else 0.0
    return min(1.0, max(0.0, (value - goal.start_value) / span))


def elapsed_share(goal: Goal, today: date) -> float:
    total = (goal.due_date - goal.start_date).days
    if total <= 0:
        return 1.0 if today >= goal.due_date else 0.0
    return min(1.0, max(0.0, (today - goal.start_date).days / total))


def computed_status(goal: Goal, progress: float, today: date) -> Status:
    if goal.state == GoalState.DONE:
        return Status.DONE
    if goal.state == GoalState.DROPPED:
        return Status.DROPPED
    if progress >= 1.0:
        return Status.ON_TRACK
    if today > goal.due_date:
        return Status.OFF_TRACK
    elapsed = elapsed_share(goal, today)
    if goal.measure == "milestone":
        return Status.ON_TRACK if elapsed < MILESTONE_AT_RISK_AT else Status.AT_RISK
    gap = elapsed - progress
    if gap <= AT_RISK_GAP:
        return Status.ON_TRACK
    if gap <= OFF_TRACK_GAP:
        return Status.AT_RISK
    return Status.OFF_TRACK


def status_of(goal: Goal, progress: float, today: date) -> Status:
    if goal.state == GoalState.OPEN and goal.status_override in OVERRIDABLE_VALUES:
        return Status(goal.status_override)
    return computed_status(goal, progress, today)


@dataclass(frozen=True)
class GoalView:
    """A goal with what is derived from the whole workspace: rolled-up progress and status."""

    goal: Goal
    progress: float
    status: Status
    aligned: bool


def evaluate(goals: Iterable[Goal], today: date) -> dict[int, GoalView]:
    """Progress and status of every goal, rolling sub-goal measures up, in memory."""
    by_id: dict[int, Goal] = {goal.id: goal for goal in goals if goal.id is not None}
    children: dict[int, list[int]] = defaultdict(list)
    for goal_id, goal in by_id.items():
        if goal.parent_id is not None and goal.parent_id in by_id:
            children[goal.parent_id].append(goal_id)
    progress: dict[int, float] = {}

    def progress_of(goal_id: int, seen: frozenset[int]) -> float:
        if goal_id in progress:
            return progress[goal_id]
        goal = by_id[goal_id]
        if goal.measure == "children" and goal.state != GoalState.DONE:
            counted = [
                child
                for child in children.get(goal_id, [])
                if by_id[child].state != GoalState.DROPPED and child not in seen
            ]
            values = [progress_of(child, seen | {goal_id}) for child in counted]
            result = sum(values) / len(values) if values else 0.0
        else:
            result = own_progress(goal)
        progress[goal_id] = result
        return result

    views = {}
    for goal_id, goal in by_id.items():
        value = progress_of(goal_id, frozenset())
        aligned = goal.level == GoalLevel.COMPANY or goal.parent_id is not None
        views[goal_id] = GoalView(goal, value, status_of(goal, value, today), aligned)
    return views
