"""The check-in settings modal (admins): builder and state reader."""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from slack_sdk.models.blocks import (
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    StaticMultiSelectElement,
    StaticSelectElement,
    TimePickerElement,
)
from slack_sdk.models.views import View

from bot.checkins import texts_settings as settings_texts
from bot.checkins.settings import WEEKDAYS, CheckinSettings
from bot.slack.forms import SubmittedForm
from bot.slack.messages import truncate
from storage.models import Team

CALLBACK_ID = "checkin_settings"
ACTION_ID = "value"  # every input block holds one element with this action id
OPTIONS_MAX = 100
OPTION_TEXT_MAX = 75
QUESTIONS_MAX_CHARS = 1500
OPTIONAL_MARK = "(optional)"
ON, OFF = "on", "off"
EVERYONE, CHOSEN_TEAMS = "everyone", "teams"
REMINDER_HALFWAY = "half"


class Field(StrEnum):
    """The ``block_id`` of each input; inline errors are keyed by them."""

    ENABLED = "checkin_enabled"
    WEEKDAY = "checkin_weekday"
    TIME = "checkin_time"
    WINDOW = "checkin_window"
    REMINDER = "checkin_reminder"
    QUESTIONS = "checkin_questions"
    MOOD = "checkin_mood"
    WHO = "checkin_who"
    TEAMS = "checkin_teams"
    SHARE = "checkin_share"


def _option(value: str, text: str) -> Option:
    return Option(value=value, text=truncate(text, OPTION_TEXT_MAX))


def _select(choices: dict[str, str], initial: str) -> StaticSelectElement:
    options = [_option(value, text) for value, text in choices.items()]
    chosen = next((option for option in options if option.value == initial), None)
    return StaticSelectElement(action_id=ACTION_ID, options=options, initial_option=chosen)


def _input(
    field: Field, label: str, element: Any, *, optional: bool = False, hint: str = ""
) -> Any:
    return InputBlock(
        block_id=field.value, label=label, element=element, optional=optional, hint=hint or None
    )


def questions_text(settings: CheckinSettings) -> str:
    """The text questions one per line, as the admin types them."""
    return "\n".join(
        question.text + ("" if question.required else f" {OPTIONAL_MARK}")
        for question in settings.questions
        if question.kind == "text"
    )


def team_label(team: Team) -> str:
    return team.name + (" · has a channel" if team.channel_id else "")


def build_settings_form(
    *,
    settings: CheckinSettings,
    teams: Sequence[Team],
    metadata: dict[str, Any],
    next_text: str = "",
) -> dict[str, Any]:
    """The form, opening with when the next check-in goes out (``next_text``) if given."""
    intro = f"{next_text} {settings_texts.SETTINGS_INTRO}" if next_text else None
    offered = _offered_teams(teams, settings.team_refs)
    has_mood = any(question.kind == "mood" for question in settings.questions)
    blocks: list[Any] = [
        ContextBlock(elements=[MarkdownTextObject(text=intro or settings_texts.SETTINGS_INTRO)]),
        _input(
            Field.ENABLED,
            settings_texts.ENABLED_LABEL,
            _select(
                {ON: settings_texts.ENABLED_ON, OFF: settings_texts.ENABLED_OFF},
                ON if settings.enabled else OFF,
            ),
        ),
        _input(
            Field.WEEKDAY,
            settings_texts.WEEKDAY_LABEL,
            _select({str(n): name for n, name in enumerate(WEEKDAYS)}, str(settings.weekday)),
        ),
        _input(
            Field.TIME,
            settings_texts.TIME_LABEL,
            TimePickerElement(
                action_id=ACTION_ID, initial_time=settings.local_time.strftime("%H:%M")
            ),
            hint=settings_texts.TIME_HINT,
        ),
        _input(
            Field.WINDOW,
            settings_texts.WINDOW_LABEL,
            _select(settings_texts.WINDOW_CHOICES, str(settings.window_days)),
        ),
        _input(
            Field.REMINDER,
            settings_texts.REMINDER_LABEL,
            _select(
                {OFF: settings_texts.REMINDER_OFF, REMINDER_HALFWAY: settings_texts.REMINDER_HALF},
                OFF if settings.reminder_at is None else REMINDER_HALFWAY,
            ),
        ),
        _input(
            Field.QUESTIONS,
            settings_texts.QUESTIONS_LABEL,
            PlainTextInputElement(
                action_id=ACTION_ID,
                initial_value=questions_text(settings) or None,
                multiline=True,
                max_length=QUESTIONS_MAX_CHARS,
            ),
            hint=settings_texts.QUESTIONS_HINT,
        ),
        _input(
            Field.MOOD,
            settings_texts.MOOD_LABEL,
            _select(
                {ON: settings_texts.MOOD_ON, OFF: settings_texts.MOOD_OFF}, ON if has_mood else OFF
            ),
        ),
    ]
    if offered:
        blocks += _team_blocks(settings, offered)
    else:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=settings_texts.NO_TEAMS)]))
    blocks.append(
        _input(
            Field.SHARE,
            settings_texts.SHARE_LABEL,
            _select(
                {OFF: settings_texts.SHARE_OFF, ON: settings_texts.SHARE_ON},
                ON if settings.share_in_team_channels else OFF,
            ),
            hint=settings_texts.SHARE_HINT,
        )
    )
    view = View(
        type="modal",
        callback_id=CALLBACK_ID,
        title=settings_texts.SETTINGS_TITLE,
        submit="Save",
        close="Cancel",
        private_metadata=json.dumps(metadata),
        blocks=blocks,
    )
    return view.to_dict()


def _offered_teams(teams: Sequence[Team], chosen: Sequence[int]) -> list[Team]:
    """At most ``OPTIONS_MAX`` teams, the chosen ones always among them, in name order."""
    with_ids = [team for team in teams if team.id is not None]
    kept = [team for team in with_ids if team.id in chosen][:OPTIONS_MAX]
    others = [team for team in with_ids if team.id not in chosen]
    offered = {id(team) for team in kept + others[: OPTIONS_MAX - len(kept)]}
    return [team for team in with_ids if id(team) in offered]


def _team_blocks(settings: CheckinSettings, teams: Sequence[Team]) -> list[Any]:
    options = [_option(str(team.id), team_label(team)) for team in teams]
    chosen = [option for option in options if int(option.value or 0) in settings.team_refs]
    return [
        _input(
            Field.WHO,
            settings_texts.WHO_LABEL,
            _select(
                {EVERYONE: settings_texts.WHO_EVERYONE, CHOSEN_TEAMS: settings_texts.WHO_TEAMS},
                CHOSEN_TEAMS if settings.team_refs else EVERYONE,
            ),
        ),
        _input(
            Field.TEAMS,
            settings_texts.TEAMS_LABEL,
            StaticMultiSelectElement(
                action_id=ACTION_ID, options=options, initial_options=chosen or None
            ),
            optional=True,
            hint=settings_texts.TEAMS_HINT,
        ),
    ]


class SettingsAnswers(SubmittedForm):
    """A submitted settings modal, read by the one form reader, by this modal's fields."""

    def get(self, block: Field | str) -> str | None:
        return self.value(block.value if isinstance(block, Field) else block)

    def chosen(self, block: Field) -> list[str]:
        return self.choices(block.value)
