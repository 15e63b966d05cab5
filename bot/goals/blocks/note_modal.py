"""The "Add as goal update" modal: a message's text as a note on one of the person's goals."""

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
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.slack.messages import truncate
from storage.models import GOAL_TEXT_MAX_CHARS, Goal

NOTE_FORM_CALLBACK = "goal_note_form"
GOAL = "note_goal"
NOTE = "note_text"
OPTIONS_MAX = 100
OPTION_TEXT_MAX = 75
EXPLAINED = (
    "The note is added to the goal's history (`/goal show G-…`), as a progress update "
    "without a new value. Edit it before saving if you like."
)


def build_note_form(
    *, goals: Sequence[Goal], note: str, metadata: dict[str, Any]
) -> dict[str, Any]:
    """``goals`` are the person's own open goals; ``note`` is the raw text to prefill."""
    options = [
        Option(value=str(goal.id), text=truncate(f"G-{goal.number} {goal.title}", OPTION_TEXT_MAX))
        for goal in goals[:OPTIONS_MAX]
    ]
    view = View(
        type="modal",
        callback_id=NOTE_FORM_CALLBACK,
        title="Add as goal update",
        submit="Add",
        close="Cancel",
        private_metadata=json.dumps(metadata),
        blocks=[
            InputBlock(
                block_id=GOAL,
                label="Goal",
                element=StaticSelectElement(
                    action_id="select",
                    placeholder="Choose one of your goals",
                    options=options,
                    initial_option=options[0] if len(options) == 1 else None,
                ),
            ),
            InputBlock(
                block_id=NOTE,
                label="Note",
                element=PlainTextInputElement(
                    action_id="text",
                    multiline=True,
                    max_length=GOAL_TEXT_MAX_CHARS,
                    initial_value=note or None,
                ),
            ),
            ContextBlock(elements=[MarkdownTextObject(text=EXPLAINED)]),
        ],
    )
    return view.to_dict()
