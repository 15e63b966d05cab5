"""The "Give kudos" modal of the message shortcut: people, what for, and an optional goal."""

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
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from bot.kudos import texts
from bot.slack.messages import truncate
from storage.models import KUDOS_MAX_RECIPIENTS, KUDOS_TEXT_MAX_CHARS, Goal

KUDOS_FORM_CALLBACK = "kudos_form"
RECIPIENTS = "kudos_recipients"
TEXT = "kudos_text"
GOAL = "kudos_goal"
OPTIONS_MAX = 100
OPTION_TEXT_MAX = 75


def _goal_select(goals: Sequence[Goal]) -> InputBlock | None:
    options = [
        Option(value=str(goal.id), text=truncate(f"G-{goal.number} {goal.title}", OPTION_TEXT_MAX))
        for goal in goals[:OPTIONS_MAX]
    ]
    if not options:
        return None
    return InputBlock(
        block_id=GOAL,
        label=texts.FORM_GOAL,
        optional=True,
        element=StaticSelectElement(
            action_id="select", placeholder=texts.FORM_GOAL_PLACEHOLDER, options=options
        ),
    )


def build_kudos_form(
    *, recipients: Sequence[str], text: str, goals: Sequence[Goal], metadata: dict[str, Any]
) -> dict[str, Any]:
    """``recipients`` preselected (the message's author), ``text`` raw to prefill, ``goals``
    the workspace's open goals, newest first."""
    blocks: list[Any] = [
        InputBlock(
            block_id=RECIPIENTS,
            label=texts.FORM_RECIPIENTS,
            element=UserMultiSelectElement(
                action_id="users",
                initial_users=list(recipients) or None,
                max_selected_items=KUDOS_MAX_RECIPIENTS,
            ),
        ),
        InputBlock(
            block_id=TEXT,
            label=texts.FORM_TEXT,
            element=PlainTextInputElement(
                action_id="text",
                multiline=True,
                max_length=KUDOS_TEXT_MAX_CHARS,
                initial_value=text or None,
            ),
        ),
    ]
    goal_select = _goal_select(goals)
    if goal_select is not None:
        blocks.append(goal_select)
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=texts.FORM_EXPLAINED)]))
    view = View(
        type="modal",
        callback_id=KUDOS_FORM_CALLBACK,
        title=texts.FORM_TITLE,
        submit=texts.FORM_SUBMIT,
        close=texts.FORM_CLOSE,
        private_metadata=json.dumps(metadata),
        blocks=blocks,
    )
    return view.to_dict()
