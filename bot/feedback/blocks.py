"""Block Kit for anonymous feedback: the DMs of a conversation, the send and reply modals.

Buttons carry only the thread's random key; who may act on it is checked by
``bot.feedback.threads`` when the button is used.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ConfirmObject,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.feedback import texts
from bot.slack.messages import Reply, context, plain_fallback, section, truncate
from storage.models import FEEDBACK_TEXT_MAX_CHARS

LEADER_REPLY_ACTION = "pulse_feedback_leader_reply"
AUTHOR_REPLY_ACTION = "pulse_feedback_author_reply"
REVEAL_ACTION = "pulse_feedback_reveal"
CLOSE_ACTION = "pulse_feedback_close"
SEND_CALLBACK = "pulse_feedback_send"
REPLY_CALLBACK = "pulse_feedback_reply"
RECIPIENT_BLOCK = "feedback_recipient"
TEXT_BLOCK = "feedback_text"
ADMINS_VALUE = "admins"
TEAM_PREFIX = "team:"
MAX_TEAM_OPTIONS = 99  # plus "the admins": Slack's 100 options
OPTION_TEXT_MAX = 75
THREAD_LINES_MAX = 20
MODAL_TEXT_BUDGET = 60_000


def team_value(team_ref: int) -> str:
    return f"{TEAM_PREFIX}{team_ref}"


def _button(text: str, action_id: str, value: str, **extra: Any) -> ButtonElement:
    return ButtonElement(text=text, action_id=action_id, value=value, **extra)


def _confirm(title: str, text: str, yes: str) -> ConfirmObject:
    return ConfirmObject(title=title, text=text, confirm=yes, deny=texts.CONFIRM_NO)


def _message(header: str, body: str | None, buttons: list[ButtonElement]) -> Reply:
    blocks = [section(header)]
    if body is not None:
        blocks.append(section(body))
    if buttons:
        blocks.append(ActionsBlock(elements=buttons).to_dict())
    fallback = f"{header} {body}" if body is not None else header
    return Reply(text=plain_fallback(fallback), blocks=blocks)


def leader_message(header: str, body: str | None, *, thread_id: str, open_: bool = True) -> Reply:
    """A DM to a recipient: the header, the text, and *Reply* while the thread is open."""
    buttons = [_button(texts.REPLY_BUTTON, LEADER_REPLY_ACTION, thread_id)] if open_ else []
    return _message(header, body, buttons)


def author_message(
    header: str,
    body: str | None,
    *,
    thread_id: str,
    code: str,
    revealed: bool = False,
    open_: bool = True,
) -> Reply:
    """A DM to the author: *Reply*, *Reveal my name* (until they did) and *Close thread*."""
    buttons: list[ButtonElement] = []
    if open_:
        buttons.append(_button(texts.REPLY_BUTTON, AUTHOR_REPLY_ACTION, thread_id))
        if not revealed:
            confirm = _confirm(
                texts.CONFIRM_REVEAL_TITLE, texts.confirm_reveal(code), texts.CONFIRM_YES_REVEAL
            )
            buttons.append(_button(texts.REVEAL_BUTTON, REVEAL_ACTION, thread_id, confirm=confirm))
        confirm = _confirm(texts.CONFIRM_CLOSE_TITLE, texts.CONFIRM_CLOSE, texts.CONFIRM_YES_CLOSE)
        buttons.append(
            _button(texts.CLOSE_BUTTON, CLOSE_ACTION, thread_id, confirm=confirm, style="danger")
        )
    return _message(header, body, buttons)


def _text_input(label: str, *, initial: str | None = None) -> InputBlock:
    return InputBlock(
        block_id=TEXT_BLOCK,
        label=label,
        element=PlainTextInputElement(
            action_id="text",
            multiline=True,
            max_length=FEEDBACK_TEXT_MAX_CHARS,
            initial_value=initial,
        ),
    )


def send_modal(
    *, teams: Sequence[tuple[int, str]], metadata: dict[str, Any], more_teams: bool
) -> dict[str, Any]:
    """Choose the admins or a team with a lead, and write the feedback."""
    options = [Option(value=ADMINS_VALUE, text=texts.TO_ADMINS.capitalize())]
    options += [
        Option(value=team_value(ref), text=truncate(texts.recipient_team(name), OPTION_TEXT_MAX))
        for ref, name in teams[:MAX_TEAM_OPTIONS]
    ]
    blocks: list[dict[str, Any]] = [section(texts.MODAL_INTRO)]
    blocks.append(
        InputBlock(
            block_id=RECIPIENT_BLOCK,
            label=texts.RECIPIENT_LABEL,
            element=StaticSelectElement(
                action_id="recipient", options=options, initial_option=options[0]
            ),
        ).to_dict()
    )
    if more_teams:
        blocks.append(context(texts.LARGE_TEAM_LIST))
    blocks.append(_text_input(texts.TEXT_LABEL).to_dict())
    return View(
        type="modal",
        callback_id=SEND_CALLBACK,
        title=PlainTextObject(text=texts.MODAL_TITLE),
        submit=PlainTextObject(text=texts.MODAL_SUBMIT),
        close=PlainTextObject(text=texts.CANCEL),
        private_metadata=json.dumps(metadata),
        blocks=blocks,
    ).to_dict()


def reply_modal(
    *, thread_id: str, code: str, as_author: bool, lines: Sequence[str]
) -> dict[str, Any]:
    """Reply to a thread, below its latest messages so the person sees the conversation."""
    blocks: list[dict[str, Any]] = [section(texts.reply_intro(code, as_author=as_author))]
    shown = list(lines[-THREAD_LINES_MAX:])
    while shown and sum(len(line) for line in shown) > MODAL_TEXT_BUDGET:
        shown.pop(0)
    if len(shown) < len(lines):
        blocks.append(context(texts.EARLIER_LIMIT_NOTE))
    blocks += [section(line) for line in shown]
    blocks.append(_text_input(texts.REPLY_LABEL).to_dict())
    metadata = {"thread": thread_id, "as": "author" if as_author else "leader"}
    return View(
        type="modal",
        callback_id=REPLY_CALLBACK,
        title=PlainTextObject(text=truncate(f"{texts.REPLY_TITLE} to #{code}", 24)),
        submit=PlainTextObject(text=texts.REPLY_SUBMIT),
        close=PlainTextObject(text=texts.CANCEL),
        private_metadata=json.dumps(metadata),
        blocks=blocks,
    ).to_dict()
