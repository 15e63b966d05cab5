"""The key results form: up to five rows of title, start, target, unit, weight and KPI."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.core.numbers import format_number
from bot.okrs import texts
from bot.okrs.rollup import MAX_KEY_RESULTS
from bot.slack.messages import truncate
from storage.models import Goal, KeyResult, Kpi
from storage.models.strategy import KEY_RESULT_TITLE_MAX_CHARS

KEY_RESULTS_FORM_CALLBACK = "okr_key_results_form"
FIELDS = ("title", "start", "target", "unit", "weight", "kpi")
NO_KPI_VALUE = "0"
MAX_KPI_OPTIONS = 99  # with "no KPI", within Slack's 100 options
NUMBER_MAX_CHARS = 30
UNIT_MAX_CHARS = 24


def block_id(position: int, field: str) -> str:
    return f"kr{position}_{field}"


def _text(
    position: int, field: str, label: str, initial: str | None, max_length: int
) -> dict[str, Any]:
    return InputBlock(
        block_id=block_id(position, field),
        label=label,
        element=PlainTextInputElement(
            action_id="text", initial_value=initial or None, max_length=max_length
        ),
        optional=True,
    ).to_dict()


def _kpi_select(position: int, kpis: Sequence[Kpi], bound: int | None) -> dict[str, Any]:
    options = [Option(value=NO_KPI_VALUE, text=texts.NO_KPI)] + [
        Option(value=str(kpi.id), text=truncate(f"K-{kpi.number} {kpi.name}", 75))
        for kpi in kpis[:MAX_KPI_OPTIONS]
    ]
    initial = next((option for option in options if option.value == str(bound or 0)), None)
    return InputBlock(
        block_id=block_id(position, "kpi"),
        label=f"KR {position}: KPI it follows",
        element=StaticSelectElement(
            action_id="select",
            placeholder=texts.KPI_PLACEHOLDER,
            options=options,
            initial_option=initial,
        ),
        optional=True,
    ).to_dict()


def _row(position: int, key_result: KeyResult | None, kpis: Sequence[Kpi]) -> list[dict[str, Any]]:
    def number(value: float | None) -> str | None:
        return format_number(value) if value is not None else None

    return [
        _text(
            position,
            "title",
            texts.title_label(position),
            key_result.title if key_result else None,
            KEY_RESULT_TITLE_MAX_CHARS,
        ),
        _text(
            position,
            "start",
            f"KR {position}: start",
            number(key_result.start_value if key_result else None),
            NUMBER_MAX_CHARS,
        ),
        _text(
            position,
            "target",
            f"KR {position}: target",
            number(key_result.target_value if key_result else None),
            NUMBER_MAX_CHARS,
        ),
        _text(
            position,
            "unit",
            f"KR {position}: unit",
            key_result.unit if key_result else None,
            UNIT_MAX_CHARS,
        ),
        _text(
            position,
            "weight",
            f"KR {position}: weight",
            number(key_result.weight if key_result else None),
            NUMBER_MAX_CHARS,
        ),
        _kpi_select(position, kpis, key_result.kpi_id if key_result else None),
    ]


def build_key_results_form(
    *,
    goal: Goal,
    key_results: Sequence[KeyResult],
    kpis: Sequence[Kpi],
    metadata: dict[str, Any],
) -> dict[str, Any]:
    """The form of ``goal``'s key results, its current ones prefilled by position."""
    blocks: list[Any] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=f"*{truncate(texts.form_header(goal.number, goal.title), 200)}*"
            )
        ).to_dict(),
        ContextBlock(elements=[MarkdownTextObject(text=texts.FORM_INTRO)]).to_dict(),
    ]
    for position in range(1, MAX_KEY_RESULTS + 1):
        existing = key_results[position - 1] if position <= len(key_results) else None
        blocks += _row(position, existing, kpis)
    return View(
        type="modal",
        callback_id=KEY_RESULTS_FORM_CALLBACK,
        title=texts.FORM_TITLE,
        submit=texts.FORM_SUBMIT,
        close="Cancel",
        private_metadata=json.dumps(metadata),
        blocks=blocks,
    ).to_dict()
