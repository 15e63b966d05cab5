"""Property tests: any text after ``/goal`` parses or gets a clear answer within Slack's limits,
and the pure rules (values, progress, status) hold for any input."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.errors import UserInputError
from bot.goals.commands import GoalAction, parse_goal
from bot.goals.forms import parse_goal_value
from bot.goals.progress import Status, computed_status, own_progress, progress_bar
from bot.slack.messages import build_notice
from fakeslack import validate_message
from storage.models import Goal

SUBCOMMANDS = ["new", "list", "show", "update", "close", "reopen", "edit", "link", "tree", "export"]
GOAL_TEXT = st.one_of(
    st.text(max_size=400),
    st.sampled_from(SUBCOMMANDS).flatmap(
        lambda word: st.text(max_size=300).map(lambda rest: f"{word} {rest}")
    ),
    st.sampled_from(["update G-1 ", "close G-2 ", "link G-3 to ", "list team ", "tree "]).flatmap(
        lambda prefix: st.text(max_size=200).map(lambda rest: prefix + rest)
    ),
)


@settings(max_examples=400, deadline=None)
@given(GOAL_TEXT)
def test_any_goal_text_parses_or_is_explained(text: str) -> None:
    try:
        command = parse_goal(text)
    except UserInputError as error:
        assert "/goal" in error.message
        assert validate_message(dict(build_notice(error.message))) == []
        return
    assert command.action in GoalAction
    if command.action in (GoalAction.SHOW, GoalAction.EDIT, GoalAction.REOPEN):
        assert command.number is not None and command.number >= 0


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.sampled_from(["number", "milestone"]))
def test_goal_values_are_numbers_or_clear_refusals(text: str, measure: str) -> None:
    try:
        value = parse_goal_value(text, measure=measure)
    except UserInputError as error:
        assert "/goal update G-12" in error.message
        return
    assert value == value  # never NaN
    if measure == "milestone":
        assert value in (0.0, 1.0)


def make_goal(start: float, target: float, current: float, days: int, measure: str) -> Goal:
    today = date(2026, 11, 27)
    return Goal(
        team_id="T",
        number=1,
        title="t",
        level="personal",
        owner_id="U",
        created_by="U",
        start_date=today,
        due_date=today + timedelta(days=days),
        start_value=start,
        target_value=target,
        current_value=current,
        measure=measure,
    )


NUMBERS = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(
    NUMBERS,
    NUMBERS,
    NUMBERS,
    st.integers(1, 730),
    st.integers(-30, 800),
    st.sampled_from(["number", "milestone"]),
)
def test_progress_is_bounded_and_status_follows_time(
    start: float, target: float, current: float, days: int, elapsed: int, measure: str
) -> None:
    goal = make_goal(start, target, current, days, measure)
    progress = own_progress(goal)
    assert 0.0 <= progress <= 1.0
    assert progress_bar(progress).endswith(f"{round(progress * 100)}%")
    status = computed_status(goal, progress, goal.start_date + timedelta(days=elapsed))
    if progress >= 1.0:
        assert status is Status.ON_TRACK
    elif elapsed > days:
        assert status is Status.OFF_TRACK
    elif elapsed <= 0:
        assert status is Status.ON_TRACK


def test_status_thresholds_by_hand() -> None:
    goal = make_goal(0, 100, 40, 100, "number")
    today = goal.start_date
    assert computed_status(goal, 0.40, today + timedelta(days=50)) is Status.ON_TRACK  # gap .10
    assert computed_status(goal, 0.40, today + timedelta(days=51)) is Status.AT_RISK  # gap .11
    assert computed_status(goal, 0.40, today + timedelta(days=65)) is Status.AT_RISK  # gap .25
    assert computed_status(goal, 0.40, today + timedelta(days=66)) is Status.OFF_TRACK
    assert computed_status(goal, 0.40, today + timedelta(days=101)) is Status.OFF_TRACK
    milestone = make_goal(0, 1, 0, 100, "milestone")
    assert computed_status(milestone, 0.0, today + timedelta(days=74)) is Status.ON_TRACK
    assert computed_status(milestone, 0.0, today + timedelta(days=75)) is Status.AT_RISK
