"""The digest's goals with their rolled-up progress and status, worked out once per source and
indexed by team, so the company digest and every team digest pick their goals without going
over the whole workspace again.

The goals are plain rows (``storage.repositories.digest.DigestGoal``), not ORM entities; they
carry the columns the goal rules read under ``Goal``'s names, so ``bot.goals.progress`` stays
the one place where progress and status are decided (the ``cast`` says so to the type checker).
"""

from __future__ import annotations

from collections import defaultdict
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


@dataclass(frozen=True)
class GoalIndex:
    """Rated goals grouped the way a team digest chooses them: the team's own goals, and the
    personal goals of its members that name no team."""

    by_team: Mapping[int, list[RatedGoal]]
    personal_by_owner: Mapping[str, list[RatedGoal]]  # personal goals that name no team

    def of_team(self, team_ref: int, people: Collection[str]) -> list[RatedGoal]:
        """The team's goals, in goal number order (as the company digest lists them)."""
        chosen = list(self.by_team.get(team_ref, ()))
        for person in people:
            chosen += self.personal_by_owner.get(person, ())
        chosen.sort(key=lambda rated: rated.goal.number)
        return chosen


def index_goals(rated: Iterable[RatedGoal]) -> GoalIndex:
    by_team: dict[int, list[RatedGoal]] = defaultdict(list)
    personal: dict[str, list[RatedGoal]] = defaultdict(list)
    for item in rated:
        goal = item.goal
        if goal.team_ref is not None:
            by_team[goal.team_ref].append(item)
        elif goal.level == GoalLevel.PERSONAL:
            personal[goal.owner_id].append(item)
    return GoalIndex(dict(by_team), dict(personal))


def progress_before(goal: DigestGoal, earlier: float | None) -> float:
    """The goal's own progress at its value before the week (its start value when it had no
    earlier update), as an open goal: where a mover started from."""
    value = goal.start_value if earlier is None else earlier
    before = goal._replace(current_value=value, state=GoalState.OPEN)
    return own_progress(cast(Goal, before))
