"""What the check-in setup modal is made of: its fields, their elements and its reader.

``bot/checkins/blocks/setup_modal.py`` puts these together into the one form of a setup
(``/checkin new``, ``/checkin edit NAME`` and ``/checkin settings``, the default setup).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from slack_sdk.models.blocks import (
    InputBlock,
    Option,
    StaticMultiSelectElement,
    StaticSelectElement,
)

from bot.checkins import texts_settings as settings_texts
from bot.checkins.settings import CheckinSettings
from bot.slack.forms import SubmittedForm
from bot.slack.messages import truncate
from storage.models import Team

ACTION_ID = "value"  # every input block holds one element with this action id
OPTIONS_MAX = 100
OPTION_TEXT_MAX = 75
QUESTIONS_MAX_CHARS = 1500
OPTIONAL_MARK = "(optional)"
NUMBER_MARK = "(number)"
ON, OFF = "on", "off"
REMINDER_HALFWAY = "half"


class Field(StrEnum):
    """The ``block_id`` of each input; inline errors are keyed by them."""

    NAME = "checkin_name"
    ENABLED = "checkin_enabled"
    DAYS = "checkin_days"
    EVERY = "checkin_every"
    TIME = "checkin_time"
    WINDOW = "checkin_window"
    REMINDER = "checkin_reminder"
    QUESTIONS = "checkin_questions"
    EXTRAS = "checkin_extras"
    TEAMS = "checkin_teams"
    PEOPLE = "checkin_people"
    CHANNEL = "checkin_channel"
    CHANNEL_MODE = "checkin_channel_mode"
    SHARE = "checkin_share"


def option(value: str, text: str) -> Option:
    return Option(value=value, text=truncate(text, OPTION_TEXT_MAX))


def select(choices: dict[str, str], initial: str) -> StaticSelectElement:
    options = [option(value, text) for value, text in choices.items()]
    chosen = next((found for found in options if found.value == initial), None)
    return StaticSelectElement(action_id=ACTION_ID, options=options, initial_option=chosen)


def input_block(
    field: Field, label: str, element: Any, *, optional: bool = False, hint: str = ""
) -> InputBlock:
    return InputBlock(
        block_id=field.value, label=label, element=element, optional=optional, hint=hint or None
    )


def questions_text(settings: CheckinSettings) -> str:
    """The text and number questions one per line, as the admin types them."""
    return "\n".join(
        question.text
        + (f" {NUMBER_MARK}" if question.kind == "number" else "")
        + ("" if question.required else f" {OPTIONAL_MARK}")
        for question in settings.questions
        if question.kind in ("text", "number")
    )


def team_label(team: Team) -> str:
    return team.name + (" · has a channel" if team.channel_id else "")


def offered_teams(teams: Sequence[Team], chosen: Sequence[int]) -> list[Team]:
    """At most ``OPTIONS_MAX`` teams, the chosen ones always among them, in name order."""
    with_ids = [team for team in teams if team.id is not None]
    kept = [team for team in with_ids if team.id in chosen][:OPTIONS_MAX]
    others = [team for team in with_ids if team.id not in chosen]
    offered = {id(team) for team in kept + others[: OPTIONS_MAX - len(kept)]}
    return [team for team in with_ids if id(team) in offered]


def teams_block(settings: CheckinSettings, teams: Sequence[Team]) -> InputBlock:
    options = [option(str(team.id), team_label(team)) for team in teams]
    chosen = [found for found in options if int(found.value or 0) in settings.team_refs]
    return input_block(
        Field.TEAMS,
        settings_texts.TEAMS_LABEL,
        StaticMultiSelectElement(
            action_id=ACTION_ID, options=options, initial_options=chosen or None
        ),
        optional=True,
        hint=settings_texts.TEAMS_HINT,
    )


class SettingsAnswers(SubmittedForm):
    """A submitted setup modal, read by this modal's fields."""

    def get(self, block: Field | str) -> str | None:
        return self.value(block.value if isinstance(block, Field) else block)

    def chosen(self, block: Field) -> list[str]:
        return self.choices(block.value)
