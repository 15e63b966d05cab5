"""Read and check a submitted goal modal: the SMART checks, each tied to its field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.errors import FormErrors, UserInputError
from bot.core.numbers import parse_number
from bot.core.text_input import (
    check_name,
    echo,
    escape_modal_text,
    normalize,
    reject_control_characters,
    small_int,
)
from bot.goals.blocks import modal as form
from storage.models import GOAL_TEXT_MAX_CHARS, GOAL_TITLE_MAX_CHARS

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


def read_goal_form(values: form.FormValues, *, today: date) -> GoalDraft:
    """The draft, or ``FormErrors`` naming every field that fails a check."""
    errors: dict[str, str] = {}
    title = _field(errors, form.TITLE, lambda: _title(values.get(form.TITLE)))
    description = _field(errors, form.DESCRIPTION, lambda: _free_text(values.get(form.DESCRIPTION)))
    level = values.get(form.LEVEL) or ""
    if level not in form.LEVELS:
        errors[form.LEVEL] = "Choose company, team or personal."
    team_text = values.get(form.TEAM)
    team_ref = small_int(team_text)
    if level == "team" and team_ref is None:
        errors[form.TEAM] = "A team goal needs its team."
    owner_id = values.get(form.OWNER) or ""
    if not owner_id:
        errors[form.OWNER] = "Every goal needs an owner."
    parent_text = values.get(form.PARENT)
    parent_id = small_int(parent_text)
    measure = values.get(form.MEASURE) or ""
    if measure not in form.MEASURES:
        errors[form.MEASURE] = "Choose how progress is measured."
    start, target = _measure_values(values, measure, errors)
    unit = _field(errors, form.UNIT, lambda: _unit(values.get(form.UNIT)))
    due = form.parse_date(values.get(form.DUE))
    if due is None:
        errors[form.DUE] = "Pick a due date."
    elif due <= today:
        errors[form.DUE] = "The due date must be in the future."
    elif due > today + MAX_HORIZON:
        errors[form.DUE] = "Pick a due date within two years; split longer goals into stages."
    confidence = small_int(values.get(form.CONFIDENCE), digits=2) or 0
    if not 1 <= confidence <= 10:
        errors[form.CONFIDENCE] = "Choose a confidence from 1 to 10."
    if errors:
        raise FormErrors(errors)
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
    )


def _field(errors: dict[str, str], block_id: str, read: Callable[[], str]) -> str | None:
    try:
        return read()
    except UserInputError as error:
        errors[block_id] = error.message
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
    values: form.FormValues, measure: str, errors: dict[str, str]
) -> tuple[float, float]:
    if measure == "milestone":
        return 0.0, 1.0
    if measure != "number":
        return 0.0, 0.0
    start_text = (values.get(form.START) or "0").strip()
    start = parse_number(start_text)
    if start is None:
        errors[form.START] = (
            f"{echo(start_text)} is not a number. Examples: 0, 1200, $3,000, 45%, 1.2k."
        )
    target_text = (values.get(form.TARGET) or "").strip()
    target = parse_number(target_text) if target_text else None
    if not target_text:
        errors[form.TARGET] = "A number goal needs a target value: where should it get to?"
    elif target is None:
        errors[form.TARGET] = f"{echo(target_text)} is not a number. Examples: 2M, 45%, 12,500."
    elif start is not None and target == start:
        errors[form.TARGET] = "The target must differ from the start value."
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
