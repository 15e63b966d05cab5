"""The digest's goals with their rolled-up progress and status, worked out once per source and
indexed by team, so the company digest and every team digest pick their goals without going
over the whole workspace again.

The goals are plain rows (``storage.repositories.digest.DigestGoal``), not ORM entities; they
carry the columns the goal rules read under ``Goal``'s names, so ``bot.goals.progress`` stays
the one place where progress and status are decided (the ``cast`` says so to the type checker).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import cast

from bot.goals.progress import Status, own_progress, status_of
from storage.models import Goal
from storage.repositories.digest import DigestGoal
from storage.states import GoalLevel, GoalState


@dataclass(frozen=True, slots=True)
class RatedGoal:
    """A goal with its rolled-up progress and its status on the digest day."""

    goal: DigestGoal
    progress: float
    status: Status


def rate_goals(goals: Sequence[DigestGoal], as_of: date) -> dict[int, RatedGoal]:
    """Every goal's progress (rolled up through sub-goals, as stored on the row: progress
    does not depend on the day) and its status on ``as_of``, by id, in the order of
    ``goals``."""
    return {
        goal.id: RatedGoal(goal, goal.progress, status_of(cast("Goal", goal), goal.progress, as_of))
        for goal in goals
    }


@dataclass
class GoalTally:
    """What a digest counts of its goals: its open goals by status, and its open goals below
    the company level, of which how many are linked to a parent goal."""

    on_track: int = 0
    at_risk: int = 0
    off_track: int = 0
    below: int = 0
    linked: int = 0

    def count(self, rated: RatedGoal) -> None:
        goal = rated.goal
        if goal.state != GoalState.OPEN:
            return
        if rated.status == Status.ON_TRACK:
            self.on_track += 1
        elif rated.status == Status.AT_RISK:
            self.at_risk += 1
        elif rated.status == Status.OFF_TRACK:
            self.off_track += 1
        if goal.level != GoalLevel.COMPANY:
            self.below += 1
            self.linked += goal.parent_id is not None

    def __add__(self, other: GoalTally) -> GoalTally:
        return GoalTally(
            self.on_track + other.on_track,
            self.at_risk + other.at_risk,
            self.off_track + other.off_track,
            self.below + other.below,
            self.linked + other.linked,
        )


@dataclass(frozen=True)
class GoalIndex:
    """The goals' ids grouped the way a team digest chooses them: the team's own goals, and
    the personal goals of its members that name no team; each group counted once
    (``GoalTally``), so that no digest goes over the workspace's goals to pick or count its
    own."""

    whole: GoalTally  # every goal of the workspace: the company digest's
    team_goals: Mapping[int, tuple[list[int], GoalTally]]
    personal_goals: Mapping[str, tuple[list[int], GoalTally]]  # those that name no team

    def of_team(self, team_ref: int, people: Collection[str]) -> tuple[set[int], GoalTally]:
        """The ids of a team's goals, and their counts."""
        ids, tally = self.team_goals.get(team_ref, ([], GoalTally()))
        chosen = set(ids)
        for person in people:
            if person in self.personal_goals:
                owned, counted = self.personal_goals[person]
                chosen.update(owned)
                tally = tally + counted
        return chosen, tally


def index_goals(rated: Iterable[RatedGoal]) -> GoalIndex:
    whole = GoalTally()
    team_goals: dict[int, tuple[list[int], GoalTally]] = {}
    personal_goals: dict[str, tuple[list[int], GoalTally]] = {}
    for item in rated:
        goal = item.goal
        whole.count(item)
        if goal.team_ref is not None:
            group = team_goals.setdefault(goal.team_ref, ([], GoalTally()))
        elif goal.level == GoalLevel.PERSONAL:
            group = personal_goals.setdefault(goal.owner_id, ([], GoalTally()))
        else:
            continue
        group[0].append(goal.id)
        group[1].count(item)
    return GoalIndex(whole, team_goals, personal_goals)


def progress_before(goal: DigestGoal, earlier: float | None) -> float:
    """The goal's own progress at its value before the week (its start value when it had no
    earlier update), as an open goal: where a mover started from."""
    value = goal.start_value if earlier is None else earlier
    before = goal._replace(current_value=value, state=GoalState.OPEN)
    return own_progress(cast(Goal, before))
