"""The goal lists of the digest (done this week, biggest moves, needing attention, stale),
sorted once for the whole workspace; the company digest shows them whole and a team digest
keeps its own goals' entries, in the same order.

Every list's order is total (the goal number breaks ties), so a team's entries taken in the
workspace's order are the team's list sorted on its own: the 21 digests of a week share one
sort and one ``GoalLine`` per goal instead of building their own.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Generic, TypeVar

from bot.digest.goal_views import GoalTally, RatedGoal
from bot.digest.model import GoalLine, GoalSection, Mover
from bot.goals.progress import STALE_AFTER, Status
from storage.states import GoalState

T = TypeVar("T")


@dataclass(frozen=True)
class Ranked(Generic[T]):
    """One list in reading order, and each goal's place in it by the goal's id."""

    items: Sequence[T]
    places: Mapping[int, int]  # goal id -> index in ``items``

    def every(self) -> tuple[T, ...]:
        return tuple(self.items)

    def of(self, goal_ids: AbstractSet[int] | None) -> tuple[T, ...]:
        """The entries of these goals (None: of every goal), in the list's order."""
        if goal_ids is None:
            return self.every()
        places = self.places
        common = places.keys() & goal_ids  # a set operation: walks the smaller side
        items = self.items
        return tuple(items[place] for place in sorted(map(places.__getitem__, common)))


def _ranked(entries: Iterable[tuple[int, T]]) -> Ranked[T]:
    items: list[T] = []
    places: dict[int, int] = {}
    for goal_id, item in entries:
        places[goal_id] = len(items)
        items.append(item)
    return Ranked(items, places)


@dataclass(frozen=True)
class GoalLists:
    completed: Ranked[GoalLine]  # closed as done in the week, in number order
    movers: Ranked[Mover]  # largest change first
    needs_attention: Ranked[GoalLine]  # off track, then at risk
    stale: Ranked[GoalLine]  # longest without an update first

    def section(self, tally: GoalTally, goal_ids: AbstractSet[int] | None) -> GoalSection:
        """The goal section of a digest whose goals are counted in ``tally`` and are
        ``goal_ids``; None: every goal of the workspace (the company digest), so no entry
        needs picking."""
        return GoalSection(
            on_track=tally.on_track,
            at_risk=tally.at_risk,
            off_track=tally.off_track,
            completed=self.completed.of(goal_ids),
            movers=self.movers.of(goal_ids),
            needs_attention=self.needs_attention.of(goal_ids),
            stale=self.stale.of(goal_ids),
        )


def goal_lists(
    views: Collection[RatedGoal],
    *,
    tz: tzinfo,
    window: tuple[datetime, datetime],
    starts: Mapping[int, float],
) -> GoalLists:
    """The workspace's goal lists for the week ``window`` (start, end); ``starts``: where
    each goal updated in the week started it (``DigestSource.progress_before``)."""
    lines: dict[int, GoalLine] = {}

    def line(view: RatedGoal) -> GoalLine:
        found = lines.get(view.goal.id)
        if found is None:
            found = lines[view.goal.id] = _line(view, tz)
        return found

    start, end = window
    opened = [view for view in views if view.goal.state == GoalState.OPEN]
    completed = [
        view
        for view in views
        if view.goal.state == GoalState.DONE
        and view.goal.closed_at is not None
        and start <= view.goal.closed_at < end
    ]
    attention = sorted(
        (view for view in opened if view.status in (Status.OFF_TRACK, Status.AT_RISK)),
        key=lambda view: (view.status != Status.OFF_TRACK, view.goal.number),
    )
    stale_before = end - STALE_AFTER
    stale = sorted(
        (view for view in opened if view.goal.progress_at < stale_before),
        key=lambda view: (view.goal.progress_at, view.goal.number),
    )
    movers = [
        (view.goal.id, Mover(line(view), before=starts[view.goal.id], after=view.progress))
        for view in views
        if view.goal.id in starts and starts[view.goal.id] != view.progress
    ]
    movers.sort(key=lambda entry: (-abs(entry[1].change), entry[1].goal.number))
    return GoalLists(
        completed=_ranked((view.goal.id, line(view)) for view in completed),
        movers=_ranked(movers),
        needs_attention=_ranked((view.goal.id, line(view)) for view in attention),
        stale=_ranked((view.goal.id, line(view)) for view in stale),
    )


def _line(view: RatedGoal, tz: tzinfo) -> GoalLine:
    goal = view.goal
    return GoalLine(
        number=goal.number,
        title=goal.title,
        owner_id=goal.owner_id,
        level=goal.level,
        status=view.status,
        progress=view.progress,
        due_date=goal.due_date,
        last_update=goal.progress_at.astimezone(tz).date(),
    )
