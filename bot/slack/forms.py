"""The one reader of submitted modals, and the one way a form names what is wrong in a field.

``SubmittedForm`` reads ``view["state"]["values"]`` defensively: a block or element of the wrong
shape (a forged or stale submission) reads as empty, never raises. Each block holds one input;
its element may have any action id. ``FieldErrors`` gathers one sentence per block and raises
``FormErrors``, which handlers answer with ``response_action="errors"`` so the modal stays open.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core.errors import FormErrors
from bot.slack.messages import view_metadata


def _element_of(block: Any) -> Mapping[str, Any]:
    """The input element of a state block (``{action_id: element}``); ``{}`` when malformed."""
    if not isinstance(block, Mapping):
        return {}
    element = next(iter(block.values()), None) if len(block) == 1 else None
    return element if isinstance(element, Mapping) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


class SubmittedForm:
    """What a submitted modal holds, by block id."""

    def __init__(self, view: Mapping[str, Any]) -> None:
        state = view.get("state")
        values = state.get("values") if isinstance(state, Mapping) else None
        self._blocks: Mapping[str, Any] = values if isinstance(values, Mapping) else {}
        self.metadata: dict[str, Any] = view_metadata(dict(view))

    def has(self, block_id: str) -> bool:
        return block_id in self._blocks

    def block_ids(self) -> list[str]:
        return [block_id for block_id in self._blocks if isinstance(block_id, str)]

    def element(self, block_id: str) -> Mapping[str, Any]:
        return _element_of(self._blocks.get(block_id))

    def value(self, block_id: str) -> str | None:
        """The single value of the block's input, whatever its kind: typed text, the chosen
        option, user, conversation, date or time; ``None`` when empty or unknown."""
        element = self.element(block_id)
        kind = element.get("type")
        if kind == "plain_text_input":
            return _text(element.get("value"))
        if kind in ("static_select", "external_select", "radio_buttons"):
            option = element.get("selected_option")
            return _text(option.get("value")) if isinstance(option, Mapping) else None
        single = {
            "users_select": "selected_user",
            "conversations_select": "selected_conversation",
            "channels_select": "selected_channel",
            "datepicker": "selected_date",
            "timepicker": "selected_time",
        }.get(str(kind))
        return _text(element.get(single)) if single else None

    def text(self, block_id: str) -> str:
        """Typed text without surrounding spaces; ``""`` when empty."""
        return (self.value(block_id) or "").strip()

    def choices(self, block_id: str) -> list[str]:
        """The values chosen in a multi-select or checkboxes block, in Slack's order."""
        element = self.element(block_id)
        chosen = element.get("selected_options")
        if isinstance(chosen, list):
            found = [option.get("value") for option in chosen if isinstance(option, Mapping)]
            return [value for value in found if isinstance(value, str)]
        for key in ("selected_users", "selected_conversations", "selected_channels"):
            picked = element.get(key)
            if isinstance(picked, list):
                return [value for value in picked if isinstance(value, str)]
        return []


class FieldErrors:
    """One sentence per block that is wrong; the first mistake found in a block is kept."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def add(self, block_id: str, message: str) -> None:
        self.errors.setdefault(block_id, message)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise FormErrors(dict(self.errors))
