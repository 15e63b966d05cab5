"""The goal modals: new / edit, and the progress update form (read with ``SubmittedForm``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    DatePickerElement,
    InputBlock,
    Option,
    OptionGroup,
    PlainTextInputElement,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.core.quarters import CUSTOM, Quarter
from bot.goals import texts_periods
from bot.goals.progress import OVERRIDABLE, STATUS_LABELS
from bot.slack.messages import truncate
from storage.models import GOAL_TEXT_MAX_CHARS, GOAL_TITLE_MAX_CHARS, Goal, Priority, Team
from storage.states import GoalLevel

GOAL_FORM_CALLBACK = "goal_form"
GOAL_UPDATE_CALLBACK = "goal_update_form"

TITLE = "title"
DESCRIPTION = "description"
LEVEL = "level"
TEAM = "team"
OWNER = "owner"
PARENT = "parent"
MEASURE = "measure"
START = "start_value"
TARGET = "target_value"
UNIT = "unit"
DUE = "due_date"
PERIOD = "period"
PRIORITY = "priority"
CONFIDENCE = "confidence"
VALUE = "value"
OVERRIDE = "status_override"
NOTE = "note"

LEVELS: dict[str, str] = {
    GoalLevel.COMPANY: "Company",
    GoalLevel.TEAM: "Team",
    GoalLevel.PERSONAL: "Personal",
}
MEASURES = {
    "number": "A number, from a start value to a target",
    "milestone": "A milestone: done or not done",
    "children": "Its sub-goals (average of their progress)",
    "key_results": "Its key results (set them with /goal kr)",
}
AUTOMATIC = "auto"


def _measures(goal: Goal | None) -> dict[str, str]:
    """Key results are set with ``/goal kr``; the form offers them only to keep them."""
    if goal is not None and goal.measure == "key_results":
        return MEASURES
    return {key: text for key, text in MEASURES.items() if key != "key_results"}


OPTION_TEXT_MAX = 75
OPTIONS_MAX = 100


def _option(value: str, text: str) -> Option:
    return Option(value=value, text=truncate(text, OPTION_TEXT_MAX))


def _select(options: dict[str, str], initial: str | None, placeholder: str) -> StaticSelectElement:
    choices = [_option(value, text) for value, text in options.items()]
    chosen = next((option for option in choices if option.value == initial), None)
    return StaticSelectElement(
        action_id="select", placeholder=placeholder, options=choices, initial_option=chosen
    )


def _text(
    initial: str | None, *, max_length: int, multiline: bool = False
) -> PlainTextInputElement:
    return PlainTextInputElement(
        action_id="text",
        initial_value=initial or None,
        max_length=max_length,
        multiline=multiline,
    )


def _input(
    block_id: str, label: str, element: Any, *, optional: bool = False, hint: str = ""
) -> InputBlock:
    return InputBlock(
        block_id=block_id, label=label, element=element, optional=optional, hint=hint or None
    )


def _number_text(value: float | None) -> str | None:
    if value is None:
        return None
    return f"{value:g}"


def parent_options(
    candidates: Sequence[Goal], current_id: int | None = None
) -> tuple[list[OptionGroup], int]:
    """Open company and team goals as two searchable groups of at most 100 (the current parent
    always among them); and how many could not be offered."""
    groups = []
    hidden = 0
    for level, label in ((GoalLevel.COMPANY, "Company goals"), (GoalLevel.TEAM, "Team goals")):
        goals = [goal for goal in candidates if goal.level == level]
        shown = goals[:OPTIONS_MAX]
        current = next((goal for goal in goals if goal.id == current_id), None)
        if current is not None and current not in shown:
            shown = [current, *shown[: OPTIONS_MAX - 1]]
        hidden += len(goals) - len(shown)
        options = [_option(str(goal.id), f"G-{goal.number} {goal.title}") for goal in shown]
        if options:
            groups.append(OptionGroup(label=label, options=options))
    return groups, hidden


def period_options(this: Quarter, following: Quarter, goal: Goal | None) -> dict[str, str]:
    """This quarter, the next, the goal's own quarter when it is another, and custom."""
    options = {
        this.key: texts_periods.this_quarter_option(this.label),
        following.key: texts_periods.next_quarter_option(following.label),
    }
    if goal is not None and goal.period and goal.period not in options and goal.period != CUSTOM:
        options[goal.period] = texts_periods.other_quarter_option(goal.period)
    options[CUSTOM] = texts_periods.CUSTOM_OPTION
    return options


def _priority_block(priorities: Sequence[Priority], goal: Goal | None) -> InputBlock | None:
    """The priority a company goal serves; no block when the workspace has no priorities."""
    if not priorities:
        return None
    options = {
        str(priority.id): f"{priority.rank}. {priority.title}"
        for priority in priorities[:OPTIONS_MAX]
    }
    current = str(goal.priority_id) if goal and goal.priority_id else None
    return _input(
        PRIORITY,
        texts_periods.PRIORITY_LABEL,
        _select(options, current, "Choose a priority"),
        optional=True,
        hint=texts_periods.PRIORITY_HINT,
    )


def build_goal_form(
    *,
    metadata: dict[str, Any],
    owner_id: str,
    teams: Sequence[Team],
    candidates: Sequence[Goal],
    quarters: tuple[Quarter, Quarter],
    priorities: Sequence[Priority] = (),
    goal: Goal | None = None,
    title: str = "",
) -> dict[str, Any]:
    """The new-goal modal, or the edit modal when ``goal`` is given; ``quarters`` are this
    quarter and the next, ``priorities`` those a company goal may serve."""
    team_options = {str(team.id): team.name for team in teams[:OPTIONS_MAX]}
    groups, hidden = parent_options(
        [c for c in candidates if goal is None or c.id != goal.id],
        goal.parent_id if goal else None,
    )
    parent_hint = "A goal one level up. Without one, the goal shows as not aligned."
    if hidden:
        parent_hint += f" {hidden} older goals are not listed: use /goal link G-… to G-… for those."
    current_parent = next(
        (
            _option(str(c.id), f"G-{c.number} {c.title}")
            for c in candidates
            if goal is not None and c.id == goal.parent_id
        ),
        None,
    )
    blocks: list[Any] = [
        _input(
            TITLE,
            "Title",
            _text(goal.title if goal else title, max_length=GOAL_TITLE_MAX_CHARS),
            hint="Specific and short: what will be true when it is done.",
        ),
        _input(
            DESCRIPTION,
            "Description",
            _text(goal.description if goal else "", max_length=GOAL_TEXT_MAX_CHARS, multiline=True),
            optional=True,
        ),
        _input(
            LEVEL,
            "Level",
            _select(LEVELS, goal.level if goal else GoalLevel.PERSONAL, "Choose a level"),
        ),
        _input(
            TEAM,
            "Team",
            _select(team_options, str(goal.team_ref) if goal else None, "Choose a team"),
            optional=True,
            hint="Required for team goals.",
        )
        if team_options
        else None,
        _priority_block(priorities, goal),
        _input(
            OWNER,
            "Owner",
            UserSelectElement(action_id="user", initial_user=goal.owner_id if goal else owner_id),
        ),
        _input(
            PARENT,
            "Contributes to",
            StaticSelectElement(
                action_id="select",
                placeholder="Choose the goal this one serves",
                option_groups=groups or None,
                options=None if groups else [_option("none", "No open company or team goals yet")],
                initial_option=current_parent,
            ),
            optional=True,
            hint=parent_hint,
        ),
        _input(
            MEASURE,
            "Measured by",
            _select(_measures(goal), goal.measure if goal else "number", "Choose how"),
        ),
        _input(
            START,
            "Start value",
            _text(_number_text(goal.start_value) if goal else "0", max_length=30),
            optional=True,
            hint="For a number: where it starts, e.g. 0 or $1,200,000.",
        ),
        _input(
            TARGET,
            "Target value",
            _text(
                _number_text(goal.target_value) if goal and goal.measure == "number" else None,
                max_length=30,
            ),
            optional=True,
            hint="For a number: where it should get to, e.g. 2M or 45%.",
        ),
        _input(
            UNIT,
            "Unit",
            _text(goal.unit if goal else None, max_length=24),
            optional=True,
            hint="Shown after values, e.g. USD, %, customers.",
        ),
        _input(
            PERIOD,
            texts_periods.PERIOD_LABEL,
            _select(
                period_options(*quarters, goal),
                (goal.period or None) if goal else quarters[0].key,
                "Choose a period",
            ),
            hint=texts_periods.PERIOD_HINT,
        ),
        _input(
            DUE,
            "Due date",
            DatePickerElement(
                action_id="date", initial_date=goal.due_date.isoformat() if goal else None
            ),
            optional=True,
            hint=texts_periods.DUE_HINT,
        ),
        _input(
            CONFIDENCE,
            "Confidence (1-10)",
            _select(
                {str(n): str(n) for n in range(1, 11)},
                str(goal.confidence) if goal else "7",
                "How sure are you?",
            ),
        ),
    ]
    view = View(
        type="modal",
        callback_id=GOAL_FORM_CALLBACK,
        title=f"Edit G-{goal.number}" if goal else "New goal",
        submit="Save" if goal else "Create",
        close="Cancel",
        private_metadata=json.dumps(metadata),
        blocks=[block for block in blocks if block is not None],
    )
    return view.to_dict()


def build_update_form(*, metadata: dict[str, Any], goal: Goal) -> dict[str, Any]:
    blocks: list[Any] = []
    if goal.measure == "number":
        unit = f" ({goal.unit})" if goal.unit else ""
        blocks.append(
            _input(
                VALUE,
                f"New value{unit}",
                _text(_number_text(goal.current_value), max_length=30),
                hint=f"Now {goal.current_value:g}; target {goal.target_value:g}.",
            )
        )
    elif goal.measure == "milestone":
        blocks.append(
            _input(
                VALUE,
                "Milestone",
                _select(
                    {"1": "Done", "0": "Not done yet"},
                    "1" if goal.current_value >= 1 else "0",
                    "Done?",
                ),
            )
        )
    overrides = {AUTOMATIC: "Automatic (from progress and time)"}
    overrides.update({status.value: STATUS_LABELS[status] for status in OVERRIDABLE})
    blocks += [
        _input(
            CONFIDENCE,
            "Confidence (1-10)",
            _select(
                {str(n): str(n) for n in range(1, 11)}, str(goal.confidence), "How sure are you?"
            ),
        ),
        _input(OVERRIDE, "Status", _select(overrides, goal.status_override or AUTOMATIC, "Status")),
        _input(
            NOTE, "Note", _text(None, max_length=GOAL_TEXT_MAX_CHARS, multiline=True), optional=True
        ),
    ]
    view = View(
        type="modal",
        callback_id=GOAL_UPDATE_CALLBACK,
        title=truncate(f"Update G-{goal.number}", 24),
        submit="Update",
        close="Cancel",
        private_metadata=json.dumps(metadata),
        blocks=blocks,
    )
    return view.to_dict()


def parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
