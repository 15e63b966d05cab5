"""What Northstar says about goal periods: lists of one period, the form's period and
priority, and ``/goal carry``."""

from __future__ import annotations

from storage.models import Goal

ALL_PERIODS_LABEL = "all periods"
CARRY_USAGE = "`/goal carry G-12`"

PERIOD_LABEL = "Period"
PERIOD_HINT = (
    "A quarter, or custom: the goal runs from its start to its due date. Leave the due date "
    "empty for the quarter's last day."
)
CUSTOM_OPTION = "Custom: from today (its start) to the due date"
CUSTOM_NEEDS_DUE = "A custom period runs to the due date: pick one."
CHOOSE_PERIOD = "Choose a quarter or custom."
DUE_HINT = "Leave it empty for the last day of the chosen quarter."
PRIORITY_LABEL = "Priority it serves"
PRIORITY_HINT = "Required for company goals: the strategic priority this goal moves forward."
PRIORITY_REQUIRED = "A company goal names the priority it serves: choose one."
PRIORITY_GONE = "That priority no longer exists; choose another."


def this_quarter_option(label: str) -> str:
    return f"This quarter: {label}"


def next_quarter_option(label: str) -> str:
    return f"Next quarter: {label}"


def other_quarter_option(label: str) -> str:
    return f"Its quarter: {label}"


def list_title(title: str, period_label: str) -> str:
    return f"{title} · {period_label}"


def other_periods_footer(example: str) -> str:
    return f"Another period: `{example} period 2026-Q3` or `{example} period all`."


def empty_period(period_label: str) -> str:
    return (
        f"No open goals here in {period_label}. Other periods: add `period all` or "
        "`period 2026-Q3`; create one with `/goal new`."
    )


def which_period(usage: str) -> str:
    return f"Which period? Add a quarter such as `period 2026-Q3`, or `period all`: {usage}"


def bad_period(echoed: str, usage: str) -> str:
    return (
        f"{echoed} is not a period. Name a quarter like `2026-Q3` (fiscal year, quarter) or "
        f"`all`: {usage}"
    )


def carry_note(old_key: str, new_key: str) -> str:
    return f"Carried from {old_key} to {new_key}"


def carried(goal: Goal, new_label: str) -> str:
    return (
        f":arrow_right: *G-{goal.number}* {goal.title} is carried to {new_label}, due "
        f"{goal.due_date.isoformat()}; its history stays with it (`/goal show G-{goal.number}`)."
    )


def carry_refused_closed(number: int, state: str) -> str:
    return (
        f"G-{number} is {state}; only open goals are carried. Reopen it first with "
        f"`/goal reopen G-{number}`."
    )


def carry_refused_custom(number: int) -> str:
    return (
        f"G-{number} has a custom period (its own dates), so there is no next quarter to move it "
        f"to. Change its due date or period with `/goal edit G-{number}`."
    )


def carry_refused_future(number: int, label: str) -> str:
    return (
        f"G-{number} belongs to {label}, which has not started yet; only goals of a past or the "
        f"current quarter are carried. Change its period with `/goal edit G-{number}`."
    )
