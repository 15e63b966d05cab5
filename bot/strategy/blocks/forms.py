"""The priorities form (a title and a why per rank) and the SWOT form (four lists)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
)
from slack_sdk.models.views import View

from bot.strategy import texts
from storage.models import PRIORITIES_MAX, PRIORITY_TITLE_MAX_CHARS, PRIORITY_WHY_MAX_CHARS

PRIORITIES_FORM_CALLBACK = "strategy_priorities_form"
SWOT_FORM_CALLBACK = "strategy_swot_form"
EDIT_PRIORITIES_ACTION = "strategy_priorities_edit"
"""The "Update priorities" button (the review post carries it): opens the priorities form."""
SWOT_TEXT_MAX = texts.SWOT_ITEMS_MAX * (texts.SWOT_ITEM_MAX_CHARS + 1)


def title_block(rank: int) -> str:
    return f"priority_{rank}_title"


def why_block(rank: int) -> str:
    return f"priority_{rank}_why"


def swot_block(key: str) -> str:
    return f"swot_{key}"


def _input(
    block_id: str, label: str, value: str, *, max_length: int, multiline: bool = False
) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=label,
        optional=True,
        element=PlainTextInputElement(
            action_id="text",
            initial_value=value or None,
            max_length=max_length,
            multiline=multiline,
        ),
    )


def _modal(callback_id: str, title: str, blocks: list[Any], metadata: dict[str, Any]) -> Any:
    return View(
        type="modal",
        callback_id=callback_id,
        title=title,
        submit=texts.FORM_SUBMIT,
        close="Cancel",
        private_metadata=json.dumps(metadata),
        blocks=blocks,
    ).to_dict()


def build_priorities_form(
    current: Sequence[tuple[str, str]], *, metadata: dict[str, Any]
) -> dict[str, Any]:
    """``current``: (title, why) in rank order, as typed, to prefill."""
    blocks: list[Any] = [ContextBlock(elements=[MarkdownTextObject(text=texts.FORM_HINT)])]
    for rank in range(1, PRIORITIES_MAX + 1):
        title, why = current[rank - 1] if rank <= len(current) else ("", "")
        blocks.append(
            _input(
                title_block(rank),
                texts.title_label(rank),
                title,
                max_length=PRIORITY_TITLE_MAX_CHARS,
            )
        )
        blocks.append(
            _input(
                why_block(rank),
                texts.why_label(rank),
                why,
                max_length=PRIORITY_WHY_MAX_CHARS,
                multiline=True,
            )
        )
    result: dict[str, Any] = _modal(PRIORITIES_FORM_CALLBACK, texts.FORM_TITLE, blocks, metadata)
    return result


def build_swot_form(
    parts: Mapping[str, Sequence[str]], *, metadata: dict[str, Any]
) -> dict[str, Any]:
    """``parts``: the four lists, items as typed, to prefill one per line."""
    blocks: list[Any] = [ContextBlock(elements=[MarkdownTextObject(text=texts.SWOT_FORM_HINT)])]
    for key, label in texts.SWOT_PARTS:
        blocks.append(
            _input(
                swot_block(key),
                label,
                "\n".join(parts.get(key) or []),
                max_length=SWOT_TEXT_MAX,
                multiline=True,
            )
        )
    result: dict[str, Any] = _modal(SWOT_FORM_CALLBACK, texts.SWOT_FORM_TITLE, blocks, metadata)
    return result
