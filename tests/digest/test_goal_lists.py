"""The week's goal lists, sorted out in one pass over the goals in number order, are the
lists their definitions give: every goal sorted by its own key, the number breaking ties."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bot.digest.goal_lists import GoalLists, goal_lists
from bot.digest.goal_views import RatedGoal
from bot.goals.progress import STALE_AFTER, Status
from storage.repositories.digest import DigestGoal

WEEK_START = datetime(2026, 11, 23, tzinfo=UTC)
WEEK_END = WEEK_START + timedelta(days=7)
STATUSES = {
    "open": [Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK],
    "done": [Status.DONE],
}


@st.composite
def goals(draw: st.DrawFn) -> tuple[dict[int, RatedGoal], dict[int, float]]:
    count = draw(st.integers(min_value=0, max_value=40))
    numbers = sorted(draw(st.sets(st.integers(1, 500), min_size=count, max_size=count)))
    ids = draw(st.permutations(range(1, count + 1)))  # ids need not follow numbers
    views: dict[int, RatedGoal] = {}
    starts: dict[int, float] = {}
    for goal_id, number in zip(ids, numbers, strict=True):
        state = draw(st.sampled_from(["open", "done"]))
        progress = draw(st.sampled_from([0.0, 0.25, 0.5, 1.0]))
        updated = WEEK_END - timedelta(days=draw(st.integers(0, 30)))  # ties on purpose
        closed = updated if state == "done" else None
        goal = DigestGoal(
            id=goal_id,
            number=number,
            title=f"Goal {number}",
            level="team",
            team_ref=1,
            owner_id="U1",
            parent_id=None,
            measure="number",
            start_value=0.0,
            target_value=1.0,
            current_value=progress,
            start_date=date(2026, 10, 1),
            due_date=date(2026, 12, 31),
            status_override=None,
            state=state,
            progress_at=updated,
            closed_at=closed,
            priority_id=None,
            progress=progress,
        )
        views[goal.id] = RatedGoal(goal, progress, draw(st.sampled_from(STATUSES[state])))
        if draw(st.booleans()):
            starts[goal.id] = draw(st.sampled_from([0.0, 0.25, 0.5, 1.0]))
    return views, starts


def numbers(lists: GoalLists) -> dict[str, list[int]]:
    return {
        "completed": [view.goal.number for view in lists.completed.views],
        "movers": [view.goal.number for view in lists.movers.views],
        "needs_attention": [view.goal.number for view in lists.needs_attention.views],
        "stale": [view.goal.number for view in lists.stale.views],
    }


def by_definition(views: dict[int, RatedGoal], starts: dict[int, float]) -> dict[str, list[int]]:
    every = list(views.values())
    opened = [view for view in every if view.goal.state == "open"]
    stale_before = WEEK_END - STALE_AFTER

    def ordered(chosen: list[RatedGoal], key: Callable[[RatedGoal], Any]) -> list[int]:
        return [view.goal.number for view in sorted(chosen, key=key)]

    return {
        "completed": ordered(
            [
                view
                for view in every
                if view.goal.state == "done"
                and view.goal.closed_at is not None
                and WEEK_START <= view.goal.closed_at < WEEK_END
            ],
            lambda view: view.goal.number,
        ),
        "movers": ordered(
            [
                view
                for view in every
                if view.goal.id in starts and starts[view.goal.id] != view.progress
            ],
            lambda view: (-abs(view.progress - starts[view.goal.id]), view.goal.number),
        ),
        "needs_attention": ordered(
            [view for view in opened if view.status in (Status.OFF_TRACK, Status.AT_RISK)],
            lambda view: (view.status != Status.OFF_TRACK, view.goal.number),
        ),
        "stale": ordered(
            [view for view in opened if view.goal.progress_at < stale_before],
            lambda view: (view.goal.progress_at, view.goal.number),
        ),
    }


@given(goals())
def test_the_lists_are_their_definitions(
    workspace: tuple[dict[int, RatedGoal], dict[int, float]],
) -> None:
    views, starts = workspace
    lists = goal_lists(views, tz=UTC, window=(WEEK_START, WEEK_END), starts=starts)
    assert numbers(lists) == by_definition(views, starts)
