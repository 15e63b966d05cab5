"""The KPI form: one modal for ``/kpi new`` and ``/kpi edit``, prefilled for an edit."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from slack_sdk.models.blocks import (
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    OptionGroup,
    PlainTextInputElement,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.kpis import texts_form as texts
from bot.slack.messages import truncate
from storage.models import KPI_NAME_MAX_CHARS

CALLBACK_ID = "kpi_form"
ACTION_ID = "value"  # every input block holds one element with this action id
SELECT_MAX_OPTIONS = 100
SELECT_MAX_TOTAL = 1000  # 10 groups of 100 keep the modal far below Slack's 250 kB
OPTION_TEXT_MAX = 75
UNIT_MAX_CHARS = 24
NUMBER_MAX_CHARS = 40
URL_MAX_CHARS = 2000
FIELD_MAX_CHARS = 200
CADENCES = ("hourly", "daily", "weekly")
SOURCE_NONE, SOURCE_JSON, SOURCE_CSV = "none", "json", "csv"
DIRECTION_HIGHER, DIRECTION_LOWER = "higher", "lower"


class Field(StrEnum):
    """The ``block_id`` of each input; inline errors are keyed by them."""

    NAME = "kpi_name"
    UNIT = "kpi_unit"
    DIRECTION = "kpi_direction"
    TARGET = "kpi_target"
    GREEN = "kpi_green"
    RED = "kpi_red"
    OWNER = "kpi_owner"
    TEAM = "kpi_team"
    GOAL = "kpi_goal"
    CADENCE = "kpi_cadence"
    SOURCE = "kpi_source"
    URL = "kpi_url"
    PATH = "kpi_path"
    MATCH = "kpi_match"
    HEADER = "kpi_header"
    SECRET_ENV = "kpi_secret_env"


@dataclass(frozen=True)
class FormOrigin:
    """Kept in ``private_metadata``: where to answer, and which KPI an edit is about."""

    response_url: str | None = None
    channel_id: str | None = None
    kpi_number: int | None = None

    def to_metadata(self) -> str:
        return json.dumps(
            {"response_url": self.response_url, "channel": self.channel_id, "kpi": self.kpi_number}
        )

    @classmethod
    def from_metadata(cls, metadata: object) -> FormOrigin:
        """Never raises: a damaged value gives an origin without response URL (answer by DM)."""
        try:
            data = json.loads(metadata) if isinstance(metadata, str) else {}
        except ValueError:
            data = {}
        return cls.from_data(data if isinstance(data, dict) else {})

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> FormOrigin:
        """The origin in already parsed metadata (``SubmittedForm.metadata``); never raises."""
        url, channel, kpi = data.get("response_url"), data.get("channel"), data.get("kpi")
        return cls(
            response_url=url if isinstance(url, str) and url else None,
            channel_id=channel if isinstance(channel, str) else None,
            kpi_number=kpi if isinstance(kpi, int) and not isinstance(kpi, bool) else None,
        )


@dataclass(frozen=True)
class FormValues:
    """What the form shows when it opens."""

    owner_id: str
    name: str = ""
    unit: str = ""
    higher_is_better: bool = True
    target: str = ""
    green: str = ""
    red: str = ""
    team_ref: int | None = None
    goal_id: int | None = None
    cadence: str = "weekly"
    source_kind: str = SOURCE_NONE
    url: str = ""
    path: str = ""
    match: str = ""
    header: str = ""
    secret_env: str = ""


Choice = tuple[str, str]  # (value, text)


def _option(value: str, text: str) -> Option:
    return Option(value=value, label=truncate(text, OPTION_TEXT_MAX))


def _select(
    choices: Sequence[Choice], selected: str | None, *, group_label: str = ""
) -> StaticSelectElement:
    """A static select; past 100 choices the options go in groups of 100."""
    options = [_option(value, text) for value, text in choices]
    initial = next((o for o in options if o.value == selected), None)
    if len(options) <= SELECT_MAX_OPTIONS:
        return StaticSelectElement(action_id=ACTION_ID, options=options, initial_option=initial)
    groups = [
        OptionGroup(
            label=truncate(
                group_label.format(first=start + 1, last=min(start + 100, len(options))),
                OPTION_TEXT_MAX,
            ),
            options=options[start : start + SELECT_MAX_OPTIONS],
        )
        for start in range(0, len(options), SELECT_MAX_OPTIONS)
    ]
    return StaticSelectElement(action_id=ACTION_ID, option_groups=groups, initial_option=initial)


def cap_choices(choices: Sequence[Choice], keep: str | None) -> list[Choice]:
    """At most ``SELECT_MAX_TOTAL`` choices, the newest (last), always keeping ``keep``."""
    if len(choices) <= SELECT_MAX_TOTAL:
        return list(choices)
    kept = [choice for choice in choices if choice[0] == keep]
    newest = [choice for choice in choices if choice[0] != keep]
    return kept + newest[-(SELECT_MAX_TOTAL - len(kept)) :]


def _text_input(
    field: Field,
    label: str,
    value: str,
    *,
    max_length: int,
    optional: bool = False,
    hint: str | None = None,
) -> InputBlock:
    element = PlainTextInputElement(
        action_id=ACTION_ID, initial_value=value or None, max_length=max_length
    )
    return InputBlock(
        block_id=field, label=label, element=element, optional=optional or None, hint=hint
    )


def _choice_input(
    field: Field,
    label: str,
    element: StaticSelectElement,
    *,
    optional: bool = False,
    hint: str | None = None,
) -> InputBlock:
    return InputBlock(
        block_id=field, label=label, element=element, optional=optional or None, hint=hint
    )


def build_kpi_modal(
    values: FormValues,
    *,
    origin: FormOrigin,
    teams: Sequence[Choice],
    goals: Sequence[Choice],
) -> dict[str, Any]:
    """The form; ``teams`` and ``goals`` are ``(row id, text)`` choices (the team or goal
    selects are left out when there is nothing to choose)."""
    blocks: list[Any] = [
        ContextBlock(elements=[MarkdownTextObject(text=texts.FORM_INTRO)]),
        _text_input(Field.NAME, texts.LABEL_NAME, values.name, max_length=KPI_NAME_MAX_CHARS),
        _text_input(
            Field.UNIT,
            texts.LABEL_UNIT,
            values.unit,
            max_length=UNIT_MAX_CHARS,
            optional=True,
            hint=texts.HINT_UNIT,
        ),
        _choice_input(
            Field.DIRECTION,
            texts.LABEL_DIRECTION,
            _select(
                [
                    (DIRECTION_HIGHER, texts.DIRECTION_HIGHER),
                    (DIRECTION_LOWER, texts.DIRECTION_LOWER),
                ],
                DIRECTION_HIGHER if values.higher_is_better else DIRECTION_LOWER,
            ),
        ),
        _text_input(Field.TARGET, texts.LABEL_TARGET, values.target, max_length=NUMBER_MAX_CHARS),
        _text_input(
            Field.GREEN,
            texts.LABEL_GREEN,
            values.green,
            max_length=NUMBER_MAX_CHARS,
            hint=texts.HINT_GREEN,
        ),
        _text_input(
            Field.RED, texts.LABEL_RED, values.red, max_length=NUMBER_MAX_CHARS, hint=texts.HINT_RED
        ),
        InputBlock(
            block_id=Field.OWNER,
            label=texts.LABEL_OWNER,
            element=UserSelectElement(action_id=ACTION_ID, initial_user=values.owner_id),
        ),
    ]
    team_value = str(values.team_ref) if values.team_ref is not None else None
    if teams:
        team_select = _select(
            cap_choices(teams, team_value), team_value, group_label=texts.TEAMS_GROUP
        )
        blocks.append(_choice_input(Field.TEAM, texts.LABEL_TEAM, team_select, optional=True))
    goal_value = str(values.goal_id) if values.goal_id is not None else None
    if goals:
        goal_select = _select(
            cap_choices(goals, goal_value), goal_value, group_label=texts.GOALS_GROUP
        )
        blocks.append(_choice_input(Field.GOAL, texts.LABEL_GOAL, goal_select, optional=True))
    blocks += _cadence_and_source(values)
    view = View(
        type="modal",
        callback_id=CALLBACK_ID,
        title=texts.FORM_TITLE_EDIT if origin.kpi_number is not None else texts.FORM_TITLE_NEW,
        submit=texts.FORM_SUBMIT,
        close=texts.FORM_CLOSE,
        private_metadata=origin.to_metadata(),
        blocks=blocks,
    )
    return view.to_dict()


def _optional_field(field: Field, label: str, value: str, hint: str) -> InputBlock:
    return _text_input(field, label, value, max_length=FIELD_MAX_CHARS, optional=True, hint=hint)


def _cadence_and_source(values: FormValues) -> list[InputBlock]:
    cadences = [(cadence, texts.CADENCE_LABELS[cadence]) for cadence in CADENCES]
    sources = [(kind, texts.SOURCE_LABELS[kind]) for kind in (SOURCE_NONE, SOURCE_JSON, SOURCE_CSV)]
    return [
        _choice_input(
            Field.CADENCE,
            texts.LABEL_CADENCE,
            _select(cadences, values.cadence if values.cadence in CADENCES else "weekly"),
            hint=texts.HINT_CADENCE,
        ),
        _choice_input(
            Field.SOURCE,
            texts.LABEL_SOURCE,
            _select(sources, values.source_kind),
            hint=texts.HINT_SOURCE,
        ),
        _text_input(
            Field.URL,
            texts.LABEL_URL,
            values.url,
            max_length=URL_MAX_CHARS,
            optional=True,
            hint=texts.HINT_URL,
        ),
        _optional_field(Field.PATH, texts.LABEL_PATH, values.path, texts.HINT_PATH),
        _optional_field(Field.MATCH, texts.LABEL_MATCH, values.match, texts.HINT_MATCH),
        _optional_field(Field.HEADER, texts.LABEL_HEADER, values.header, texts.HINT_HEADER),
        _optional_field(
            Field.SECRET_ENV, texts.LABEL_SECRET_ENV, values.secret_env, texts.HINT_SECRET_ENV
        ),
    ]
