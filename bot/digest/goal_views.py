"""The digest's goals with their rolled-up progress and status, worked out once per source and
indexed by team, so the company digest and every team digest pick their goals without going
over the whole workspace again.

The goals are plain rows (``storage.repositories.digest.DigestGoal``), not ORM entities; they
carry the columns the goal rules read under ``Goal``'s names, so ``bot.goals.progress`` stays
the one place where progress and status are decided (the ``cast`` says so to the type checker).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple, cast

from bot.goals.progress import Status, progress_at, status_of
from storage.models import Goal
from storage.repositories.digest import DigestGoal
from storage.states import GoalLevel, GoalState


class RatedGoal(NamedTuple):
    """A goal with its rolled-up progress and its status on the digest day: a named tuple,
    as ``GoalLine`` is (a digest at 10,000 people rates some 50,000 goals, and a frozen
    dataclass took three times as long to create)."""

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


TallyKey = tuple[Status, bool, bool] | None
"""What a goal adds to a ``GoalTally``: (status, below the company level, linked to a parent)
of an open goal, None for a goal that is not open."""


@dataclass(frozen=True)
class GoalTally:
    """What a digest counts of its goals: its open goals by status, and its open goals below
    the company level, of which how many are linked to a parent goal."""

    on_track: int = 0
    at_risk: int = 0
    off_track: int = 0
    below: int = 0
    linked: int = 0

    @classmethod
    def of(cls, keys: Iterable[TallyKey]) -> GoalTally:
        """The tally of the goals whose ``TallyKey`` are ``keys``: counted by ``Counter`` (in
        C), then a dozen kinds of goal added up."""
        by_status: Counter[Status] = Counter()
        below = linked = 0
        for key, count in Counter(keys).items():
            if key is None:
                continue
            status, is_below, is_linked = key
            by_status[status] += count
            below += count if is_below else 0
            linked += count if is_below and is_linked else 0
        return cls(
            by_status[Status.ON_TRACK],
            by_status[Status.AT_RISK],
            by_status[Status.OFF_TRACK],
            below,
            linked,
        )


@dataclass
class GoalGroup:
    """The goals a team digest takes together: a team's goals, or a person's personal goals
    that name no team."""

    ids: list[int] = field(default_factory=list)
    keys: list[TallyKey] = field(default_factory=list)


@dataclass(frozen=True)
class GoalIndex:
    """The goals grouped the way a team digest chooses them: the team's own goals, and the
    personal goals of its members that name no team; each group counted once, so that no
    digest goes over the workspace's goals to pick or count its own."""

    whole: GoalTally  # every goal of the workspace: the company digest's
    team_goals: Mapping[int, GoalGroup]
    personal_goals: Mapping[str, GoalGroup]  # personal goals that name no team, by owner

    def of_team(self, team_ref: int, people: Collection[str]) -> tuple[set[int], GoalTally]:
        """The ids of a team's goals, and their counts."""
        team = self.team_goals.get(team_ref, GoalGroup())
        chosen, keys = set(team.ids), list(team.keys)
        for person in people:
            if person in self.personal_goals:
                owned = self.personal_goals[person]
                chosen.update(owned.ids)
                keys += owned.keys
        return chosen, GoalTally.of(keys)


def index_goals(rated: Iterable[RatedGoal]) -> GoalIndex:
    keys: list[TallyKey] = []
    team_goals: defaultdict[int, GoalGroup] = defaultdict(GoalGroup)
    personal_goals: defaultdict[str, GoalGroup] = defaultdict(GoalGroup)
    for item in rated:
        goal = item.goal
        key: TallyKey = None
        if goal.state == GoalState.OPEN:
            key = (item.status, goal.level != GoalLevel.COMPANY, goal.parent_id is not None)
        keys.append(key)
        if goal.team_ref is not None:
            group = team_goals[goal.team_ref]
        elif goal.level == GoalLevel.PERSONAL:
            group = personal_goals[goal.owner_id]
        else:
            continue
        group.ids.append(goal.id)
        group.keys.append(key)
    return GoalIndex(GoalTally.of(keys), dict(team_goals), dict(personal_goals))


def progress_before(goal: DigestGoal, earlier: float | None) -> float:
    """The goal's own progress at its value before the week (its start value when it had no
    earlier update), as an open goal: where a mover started from."""
    return progress_at(cast(Goal, goal), goal.start_value if earlier is None else earlier)
