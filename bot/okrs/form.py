"""Read a submitted key results form into drafts, every mistake tied to its field."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.errors import FormErrors, UserInputError
from bot.core.numbers import parse_number
from bot.core.text_input import normalize, reject_control_characters, small_int
from bot.okrs import texts
from bot.okrs.blocks.form_modal import NO_KPI_VALUE, block_id
from bot.okrs.rollup import MAX_KEY_RESULTS
from bot.slack.forms import SubmittedForm
from storage.models.strategy import KEY_RESULT_TITLE_MAX_CHARS

NUMBER_LIMIT = 1e12
FORM_ERROR_MAX = 150


@dataclass(frozen=True)
class KeyResultDraft:
    row: int  # the form row it came from (1-5): the key result that row showed, if any
    title: str
    start_value: float
    target_value: float
    unit: str
    weight: float
    kpi_id: int | None


def _number(form: SubmittedForm, key: str, errors: dict[str, str], *, empty: str) -> float:
    raw = form.text(key)
    if not raw:
        errors[key] = empty
        return 0.0
    value = parse_number(raw)
    if value is None or abs(value) >= NUMBER_LIMIT:
        errors[key] = texts.NOT_A_NUMBER
        return 0.0
    return value


def _title(form: SubmittedForm, key: str, errors: dict[str, str]) -> str:
    title = " ".join(normalize(form.value(key)).split())
    try:
        reject_control_characters(title, usage="retype it.")
    except UserInputError as error:
        errors[key] = error.message[:FORM_ERROR_MAX]
    if len(title) > KEY_RESULT_TITLE_MAX_CHARS:
        errors[key] = f"Keep it to {KEY_RESULT_TITLE_MAX_CHARS} characters."
    return title


def _row(form: SubmittedForm, row: int, errors: dict[str, str]) -> KeyResultDraft | None:
    title_key = block_id(row, "title")
    title = _title(form, title_key, errors)
    others = [form.text(block_id(row, field)) for field in ("start", "target", "unit", "weight")]
    if not title:
        if any(others):
            errors[title_key] = texts.TITLE_NEEDED
        return None
    start = _number(form, block_id(row, "start"), errors, empty=texts.START_NEEDED)
    target = _number(form, block_id(row, "target"), errors, empty=texts.TARGET_NEEDED)
    target_key = block_id(row, "target")
    if target_key not in errors and block_id(row, "start") not in errors and target == start:
        errors[target_key] = texts.TARGET_EQUALS_START
    weight = 1.0
    weight_key = block_id(row, "weight")
    if form.text(weight_key):
        weight = _number(form, weight_key, errors, empty=texts.WEIGHT_POSITIVE)
        if weight_key not in errors and weight <= 0:
            errors[weight_key] = texts.WEIGHT_POSITIVE
    kpi_choice = form.value(block_id(row, "kpi"))
    kpi_id = small_int(kpi_choice) if kpi_choice and kpi_choice != NO_KPI_VALUE else None
    if kpi_choice and kpi_choice != NO_KPI_VALUE and kpi_id is None:
        errors[block_id(row, "kpi")] = texts.KPI_GONE
    unit = " ".join(normalize(form.value(block_id(row, "unit"))).split())[:24]
    return KeyResultDraft(row, title, start, target, unit, weight, kpi_id)


def read_key_results_form(form: SubmittedForm) -> list[KeyResultDraft]:
    """The key results typed, in order; ``FormErrors`` for every field that fails a check."""
    errors: dict[str, str] = {}
    drafts = [_row(form, row, errors) for row in range(1, MAX_KEY_RESULTS + 1)]
    kept = [draft for draft in drafts if draft is not None]
    if not kept and not errors:
        errors[block_id(1, "title")] = texts.AT_LEAST_ONE
    if errors:
        raise FormErrors(errors)
    return kept
