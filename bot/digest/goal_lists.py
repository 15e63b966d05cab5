"""The goal lists of the digest (done this week, biggest moves, needing attention, stale),
sorted once for the whole workspace; the company digest shows them whole and a team digest
keeps its own goals' entries, in the same order.

Every list's order is total (the goal number breaks ties), so a team's entries taken in the
workspace's order are the team's list sorted on its own: the 21 digests of a week share one
sort and one ``GoalLine`` per goal instead of building their own.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Generic, TypeVar, overload

from bot.digest.goal_views import GoalTally, RatedGoal
from bot.digest.model import GoalLine, GoalSection, Mover
from bot.goals.progress import STALE_AFTER, Status
from storage.states import GoalState

T = TypeVar("T")


class Entries(Sequence[T]):
    """A list's entries, each drawn from its goal when it is read: at 10,000 people a
    workspace has tens of thousands of goals needing attention or without an update, of which
    a digest shows a few in its post and some hundreds in its thread. Equal to a sequence of
    the same entries (a tuple, a list or another ``Entries``), and written as the tuple of them."""

    __slots__ = ("_draw", "_views")

    def __init__(self, views: Sequence[RatedGoal], draw: Callable[[RatedGoal], T]) -> None:
        self._views = views
        self._draw = draw

    def __len__(self) -> int:
        return len(self._views)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        if isinstance(index, slice):
            return tuple(map(self._draw, self._views[index]))
        return self._draw(self._views[index])

    def __iter__(self) -> Iterator[T]:
        return map(self._draw, self._views)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, tuple | list | Entries):
            return NotImplemented
        return len(other) == len(self) and all(map(operator.eq, self, other))

    __hash__ = None  # type: ignore[assignment]  # equal to tuples, so not hashable like one

    def __repr__(self) -> str:
        return repr(tuple(self))

    def owner_ids(self, start: int = 0) -> Iterator[str]:
        """The owners of the entries from ``start`` on, without drawing them."""
        return (view.goal.owner_id for view in self._views[start:])


@dataclass(frozen=True)
class Ranked(Generic[T]):
    """One list's goals in reading order, each goal's place in it by the goal's id, and how an
    entry is drawn from its goal."""

    views: Sequence[RatedGoal]
    places: Mapping[int, int]  # goal id -> index in ``views``
    draw: Callable[[RatedGoal], T]

    def of(self, goal_ids: AbstractSet[int] | None) -> Entries[T]:
        """The entries of these goals (None: of every goal), in the list's order."""
        if goal_ids is None:
            return Entries(self.views, self.draw)
        places = self.places
        common = places.keys() & goal_ids  # a set operation: walks the smaller side
        views = self.views
        chosen = [views[place] for place in sorted(map(places.__getitem__, common))]
        return Entries(chosen, self.draw)


def _ranked(views: Sequence[RatedGoal], draw: Callable[[RatedGoal], T]) -> Ranked[T]:
    return Ranked(views, {view.goal.id: place for place, view in enumerate(views)}, draw)


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
    views: Mapping[int, RatedGoal],
    *,
    tz: tzinfo,
    window: tuple[datetime, datetime],
    starts: Mapping[int, float],
) -> GoalLists:
    """The workspace's goal lists for the week ``window`` (start, end), from every goal's view
    by id in number order (``DigestSource.goal_views``); ``starts``: where each goal updated in
    the week started it (``DigestSource.progress_before``). Entries are drawn when a digest
    reads them, each goal's ``GoalLine`` once for every list and digest.

    One pass sorts the goals out: taken in number order, off-track goals then at-risk ones
    need no sort, and the stale ones need one only by their last update (Python's sort keeps
    number order among equals); the movers are found from the goals updated in the week."""
    lines: dict[int, GoalLine] = {}

    def line(view: RatedGoal) -> GoalLine:
        found = lines.get(view.goal.id)
        if found is None:
            found = lines[view.goal.id] = _line(view, tz)
        return found

    def mover(view: RatedGoal) -> Mover:
        return Mover(line(view), before=starts[view.goal.id], after=view.progress)

    start, end = window
    stale_before = end - STALE_AFTER
    completed: list[RatedGoal] = []
    off_track: list[RatedGoal] = []
    at_risk: list[RatedGoal] = []
    stale: list[RatedGoal] = []
    for view in views.values():
        goal = view.goal
        if goal.state == GoalState.OPEN:
            if view.status == Status.OFF_TRACK:
                off_track.append(view)
            elif view.status == Status.AT_RISK:
                at_risk.append(view)
            if goal.progress_at < stale_before:
                stale.append(view)
        elif goal.state == GoalState.DONE and goal.closed_at and start <= goal.closed_at < end:
            completed.append(view)
    stale.sort(key=lambda view: view.goal.progress_at)
    moved = [
        views[goal_id]
        for goal_id, before in starts.items()
        if goal_id in views and before != views[goal_id].progress
    ]
    moved.sort(key=lambda view: (-abs(view.progress - starts[view.goal.id]), view.goal.number))
    return GoalLists(
        completed=_ranked(completed, line),
        movers=_ranked(moved, mover),
        needs_attention=_ranked(off_track + at_risk, line),
        stale=_ranked(stale, line),
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
