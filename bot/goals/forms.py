"""Read and check a submitted goal modal: the SMART checks, each tied to its field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.errors import UserInputError
from bot.core.numbers import parse_number
from bot.core.quarters import CUSTOM, Quarter, quarter_by_key
from bot.core.text_input import (
    check_name,
    echo,
    escape_modal_text,
    normalize,
    reject_control_characters,
    small_int,
)
from bot.goals import texts_periods
from bot.goals.blocks import modal
from bot.slack.forms import FieldErrors, SubmittedForm
from storage.models import GOAL_TEXT_MAX_CHARS, GOAL_TITLE_MAX_CHARS
from storage.states import GoalLevel

TITLE_MIN_CHARS = 3
MAX_HORIZON = timedelta(days=2 * 365)


@dataclass
class GoalDraft:
    title: str
    description: str
    level: str
    team_ref: int | None
    owner_id: str
    parent_id: int | None
    measure: str
    start_value: float
    target_value: float
    unit: str
    due_date: date
    confidence: int
    quarter: Quarter | None = None  # None: a custom period, from its start to its due date
    priority_id: int | None = None
    priority_offered: bool = False  # the form asked for a priority


def read_goal_form(submitted: SubmittedForm, *, today: date, fiscal_start: int = 1) -> GoalDraft:
    """The draft, or ``FormErrors`` naming every field that fails a check."""
    errors = FieldErrors()
    title = _field(errors, modal.TITLE, lambda: _title(submitted.value(modal.TITLE)))
    description = _field(
        errors, modal.DESCRIPTION, lambda: _free_text(submitted.value(modal.DESCRIPTION))
    )
    level = submitted.value(modal.LEVEL) or ""
    if level not in modal.LEVELS:
        errors.add(modal.LEVEL, "Choose company, team or personal.")
    team_ref = small_int(submitted.value(modal.TEAM))
    if level == GoalLevel.TEAM and team_ref is None:
        errors.add(modal.TEAM, "A team goal needs its team.")
    owner_id = submitted.value(modal.OWNER) or ""
    if not owner_id:
        errors.add(modal.OWNER, "Every goal needs an owner.")
    parent_id = small_int(submitted.value(modal.PARENT))
    measure = submitted.value(modal.MEASURE) or ""
    if measure not in modal.MEASURES:
        errors.add(modal.MEASURE, "Choose how progress is measured.")
    start, target = _measure_values(submitted, measure, errors)
    unit = _field(errors, modal.UNIT, lambda: _unit(submitted.value(modal.UNIT)))
    period = submitted.value(modal.PERIOD) or ""
    quarter = quarter_by_key(period, fiscal_start)
    if quarter is None and period != CUSTOM:
        errors.add(modal.PERIOD, texts_periods.CHOOSE_PERIOD)
    due = _due_date(submitted, today, errors, quarter=quarter)
    priority_id = small_int(submitted.value(modal.PRIORITY))
    confidence = small_int(submitted.value(modal.CONFIDENCE), digits=2) or 0
    if not 1 <= confidence <= 10:
        errors.add(modal.CONFIDENCE, "Choose a confidence from 1 to 10.")
    errors.raise_if_any()
    assert due is not None
    return GoalDraft(
        title=title or "",
        description=description or "",
        level=level,
        team_ref=team_ref,
        owner_id=owner_id,
        parent_id=parent_id,
        measure=measure,
        start_value=start,
        target_value=target,
        unit=unit or "",
        due_date=due,
        confidence=confidence,
        quarter=quarter,
        priority_id=priority_id if level == GoalLevel.COMPANY else None,
        priority_offered=submitted.has(modal.PRIORITY),
    )


def _due_date(
    submitted: SubmittedForm, today: date, errors: FieldErrors, *, quarter: Quarter | None
) -> date | None:
    """The picked due date: after today, and within two years of it; none picked, the last
    day of the goal's quarter (a custom period needs one)."""
    due = modal.parse_date(submitted.value(modal.DUE))
    if due is None and quarter is not None:
        return quarter.end
    if due is None:
        errors.add(modal.DUE, texts_periods.CUSTOM_NEEDS_DUE)
    elif due <= today:
        errors.add(modal.DUE, "The due date must be in the future.")
    elif due > today + MAX_HORIZON:
        errors.add(modal.DUE, "Pick a due date within two years; split longer goals into stages.")
    return due


def _field(errors: FieldErrors, block_id: str, read: Callable[[], str]) -> str | None:
    try:
        return read()
    except UserInputError as error:
        errors.add(block_id, error.message)
        return None


def _title(text: str | None) -> str:
    title = " ".join(normalize(text).split())
    if len(title) < TITLE_MIN_CHARS:
        raise UserInputError(
            f"Give the goal a specific title of {TITLE_MIN_CHARS} characters or more."
        )
    return check_name(
        title, what="title", max_chars=GOAL_TITLE_MAX_CHARS, usage="shorten or rephrase it."
    )


def _free_text(text: str | None) -> str:
    cleaned = escape_modal_text(normalize(text))
    reject_control_characters(cleaned, usage="retype it.")
    if len(cleaned) > GOAL_TEXT_MAX_CHARS:
        raise UserInputError(f"Keep it to {GOAL_TEXT_MAX_CHARS:,} characters.")
    return cleaned


def _unit(text: str | None) -> str:
    cleaned = " ".join(normalize(text).split())
    if not cleaned:
        return ""
    return check_name(cleaned, what="unit", max_chars=24, usage="for example USD, %, customers.")


def _measure_values(
    submitted: SubmittedForm, measure: str, errors: FieldErrors
) -> tuple[float, float]:
    if measure == "milestone":
        return 0.0, 1.0
    if measure != "number":
        return 0.0, 0.0
    start_text = (submitted.value(modal.START) or "0").strip()
    start = parse_number(start_text)
    if start is None:
        errors.add(
            modal.START,
            f"{echo(start_text)} is not a number. Examples: 0, 1200, $3,000, 45%, 1.2k.",
        )
    target_text = submitted.text(modal.TARGET)
    target = parse_number(target_text) if target_text else None
    if not target_text:
        errors.add(modal.TARGET, "A number goal needs a target value: where should it get to?")
    elif target is None:
        errors.add(modal.TARGET, f"{echo(target_text)} is not a number. Examples: 2M, 45%, 12,500.")
    elif start is not None and target == start:
        errors.add(modal.TARGET, "The target must differ from the start value.")
    return start or 0.0, target or 0.0


def parse_goal_value(text: str, *, measure: str) -> float:
    """A progress value typed in ``/goal update``: a number, or done / not done."""
    lowered = text.strip().lower()
    if measure == "milestone":
        if lowered in ("done", "yes", "1", "100%", "complete", "completed"):
            return 1.0
        if lowered in ("not done", "no", "0", "0%", "open", "undone"):
            return 0.0
        raise UserInputError(
            "This goal is a milestone: update it with `done` or `0`, e.g. `/goal update G-12 done`."
        )
    value = parse_number(text)
    if value is None:
        raise UserInputError(
            f"{echo(text)} is not a number. Values look like 45, 45%, 12,500, $3,000 or 1.2k: "
            "`/goal update G-12 45 [note]`"
        )
    return value
