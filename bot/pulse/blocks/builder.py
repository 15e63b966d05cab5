"""The survey builder: the modal ``/pulse new`` opens for admins."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from slack_sdk.models.blocks import (
    ContextBlock,
    DateTimePickerElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    StaticMultiSelectElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.pulse import texts_commands as texts
from bot.pulse.questions import (
    BANK,
    DEFAULT_MIN_RESPONSES,
    QUESTION_TEXT_MAX_CHARS,
    QuestionKind,
    Repeat,
)
from bot.slack.messages import truncate
from storage.models import SURVEY_TITLE_MAX_CHARS

CALLBACK_ID = "pulse_builder"
ACTION_ID = "value"  # every input block holds one element with this action id
CUSTOM_QUESTIONS = 3
OPEN_FOR = timedelta(days=7)
OPTION_TEXT_MAX = 75
SELECT_MAX_OPTIONS = 100
OPTIONS_MAX_CHARS = 1000
MIN_RESPONSES_MAX_CHARS = 6
AUDIENCE_EVERYONE, AUDIENCE_TEAMS = "everyone", "teams"


class Field(StrEnum):
    """The ``block_id`` of each input; inline errors are keyed by them."""

    TITLE = "pulse_title"
    BANK = "pulse_bank"
    AUDIENCE = "pulse_audience"
    TEAMS = "pulse_teams"
    MIN_RESPONSES = "pulse_min_responses"
    OPENS = "pulse_opens"
    CLOSES = "pulse_closes"
    REPEAT = "pulse_repeat"


def custom_field(position: int, part: str) -> str:
    """Block id of custom question ``position`` (from 1): ``part`` is kind, text or options."""
    return f"pulse_custom_{position}_{part}"


@dataclass(frozen=True)
class BuilderOrigin:
    """Kept in ``private_metadata``: where to confirm once the survey is created."""

    response_url: str | None = None

    def to_metadata(self) -> str:
        return json.dumps({"response_url": self.response_url})

    @classmethod
    def from_metadata(cls, metadata: object) -> BuilderOrigin:
        """Never raises: a damaged value gives an origin without response URL (answer by DM)."""
        try:
            data = json.loads(metadata) if isinstance(metadata, str) else {}
        except ValueError:
            data = {}
        url = data.get("response_url") if isinstance(data, dict) else None
        return cls(response_url=url if isinstance(url, str) and url else None)


Choice = tuple[str, str]  # (value, text)


def _option(value: str, text: str) -> Option:
    return Option(value=value, label=truncate(text, OPTION_TEXT_MAX))


def _select(choices: Sequence[Choice], selected: str) -> StaticSelectElement:
    options = [_option(value, text) for value, text in choices]
    initial = next((option for option in options if option.value == selected), None)
    return StaticSelectElement(action_id=ACTION_ID, options=options, initial_option=initial)


def _input(
    block_id: str, label: str, element: Any, *, optional: bool = False, hint: str | None = None
) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=truncate(label, 2000),
        element=element,
        optional=optional or None,
        hint=hint,
    )


def _text(max_length: int, *, value: str = "", multiline: bool = False) -> PlainTextInputElement:
    return PlainTextInputElement(
        action_id=ACTION_ID,
        initial_value=value or None,
        max_length=max_length,
        multiline=multiline or None,
    )


def _custom_question(position: int) -> list[InputBlock]:
    kinds = [(kind.value, texts.KIND_LABELS[kind.value]) for kind in QuestionKind]
    return [
        _input(
            custom_field(position, "kind"),
            texts.LABEL_CUSTOM_KIND.format(position=position),
            _select(kinds, QuestionKind.SCALE.value),
            optional=True,
        ),
        _input(
            custom_field(position, "text"),
            texts.LABEL_CUSTOM_TEXT.format(position=position),
            _text(QUESTION_TEXT_MAX_CHARS),
            optional=True,
        ),
        _input(
            custom_field(position, "options"),
            texts.LABEL_CUSTOM_OPTIONS.format(position=position),
            _text(OPTIONS_MAX_CHARS, multiline=True),
            optional=True,
            hint=texts.HINT_CUSTOM_OPTIONS,
        ),
    ]


def build_pulse_builder(
    *, origin: BuilderOrigin, teams: Sequence[Choice], now: datetime
) -> dict[str, Any]:
    """The builder; ``teams`` are ``(team ref, name)`` choices (no team select when empty)."""
    bank = [_option(question.key, question.text) for question in BANK]
    blocks: list[Any] = [
        ContextBlock(elements=[MarkdownTextObject(text=texts.BUILDER_INTRO)]),
        _input(Field.TITLE, texts.LABEL_TITLE, _text(SURVEY_TITLE_MAX_CHARS)),
        _input(
            Field.BANK,
            texts.LABEL_BANK,
            StaticMultiSelectElement(action_id=ACTION_ID, options=bank),
            optional=True,
            hint=texts.HINT_BANK,
        ),
    ]
    for position in range(1, CUSTOM_QUESTIONS + 1):
        blocks += _custom_question(position)
    audiences = [
        (AUDIENCE_EVERYONE, texts.AUDIENCE_EVERYONE),
        (AUDIENCE_TEAMS, texts.AUDIENCE_TEAMS),
    ]
    blocks.append(
        _input(Field.AUDIENCE, texts.LABEL_AUDIENCE, _select(audiences, AUDIENCE_EVERYONE))
    )
    if teams:
        options = [_option(value, text) for value, text in teams[:SELECT_MAX_OPTIONS]]
        blocks.append(
            _input(
                Field.TEAMS,
                texts.LABEL_TEAMS,
                StaticMultiSelectElement(action_id=ACTION_ID, options=options),
                optional=True,
                hint=texts.HINT_TEAMS,
            )
        )
    opens = int(now.timestamp())
    closes = int((now + OPEN_FOR).timestamp())
    repeats = [(repeat.value, texts.REPEAT_LABELS[repeat.value]) for repeat in Repeat]
    blocks += [
        _input(
            Field.MIN_RESPONSES,
            texts.LABEL_MIN_RESPONSES,
            _text(MIN_RESPONSES_MAX_CHARS, value=str(DEFAULT_MIN_RESPONSES)),
            hint=texts.HINT_MIN_RESPONSES,
        ),
        _input(
            Field.OPENS,
            texts.LABEL_OPENS,
            DateTimePickerElement(action_id=ACTION_ID, initial_date_time=opens),
        ),
        _input(
            Field.CLOSES,
            texts.LABEL_CLOSES,
            DateTimePickerElement(action_id=ACTION_ID, initial_date_time=closes),
        ),
        _input(Field.REPEAT, texts.LABEL_REPEAT, _select(repeats, Repeat.NONE.value)),
    ]
    view = View(
        type="modal",
        callback_id=CALLBACK_ID,
        title=texts.BUILDER_TITLE,
        submit=texts.BUILDER_SUBMIT,
        close=texts.BUILDER_CLOSE,
        private_metadata=origin.to_metadata(),
        blocks=blocks,
    )
    return view.to_dict()
