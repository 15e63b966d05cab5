"""The one form of a check-in setup: ``/checkin new``, ``/checkin edit NAME`` and
``/checkin settings`` (the default setup). Read back by ``bot/checkins/setup_form.py``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    CheckboxesElement,
    ContextBlock,
    ConversationFilter,
    ConversationSelectElement,
    MarkdownTextObject,
    PlainTextInputElement,
    RadioButtonsElement,
    TimePickerElement,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from bot.checkins import texts_settings as settings_texts
from bot.checkins.blocks.settings_modal import (
    ACTION_ID,
    OFF,
    ON,
    QUESTIONS_MAX_CHARS,
    REMINDER_HALFWAY,
    Field,
    input_block,
    offered_teams,
    option,
    questions_text,
    select,
    teams_block,
)
from bot.checkins.settings import MAX_PEOPLE, WEEKDAYS, CheckinSettings
from storage.models import SETUP_NAME_MAX_CHARS, Team

CALLBACK_ID = "checkin_settings"  # the name it had when it was the settings form
MOOD, GOALS = "mood", "goals"
EVERY_WEEK, EVERY_OTHER_WEEK = "1", "2"
THREAD, SUMMARY = "thread", "summary"


def _intro(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def _checkboxes(choices: dict[str, str], chosen: Sequence[str]) -> CheckboxesElement:
    options = [option(value, text) for value, text in choices.items()]
    initial = [found for found in options if found.value in chosen]
    return CheckboxesElement(action_id=ACTION_ID, options=options, initial_options=initial or None)


def _radio(choices: dict[str, str], initial: str) -> RadioButtonsElement:
    options = [option(value, text) for value, text in choices.items()]
    chosen = next((found for found in options if found.value == initial), None)
    return RadioButtonsElement(action_id=ACTION_ID, options=options, initial_option=chosen)


def _when_blocks(settings: CheckinSettings) -> list[Any]:
    return [
        input_block(
            Field.DAYS,
            settings_texts.DAYS_LABEL,
            _checkboxes(
                {str(n): name for n, name in enumerate(WEEKDAYS)},
                [str(day) for day in settings.days],
            ),
            hint=settings_texts.DAYS_HINT,
        ),
        input_block(
            Field.EVERY,
            settings_texts.EVERY_LABEL,
            _radio(
                {
                    EVERY_WEEK: settings_texts.EVERY_WEEK,
                    EVERY_OTHER_WEEK: settings_texts.EVERY_OTHER_WEEK,
                },
                str(settings.every_weeks),
            ),
        ),
        input_block(
            Field.TIME,
            settings_texts.TIME_LABEL,
            TimePickerElement(
                action_id=ACTION_ID, initial_time=settings.local_time.strftime("%H:%M")
            ),
            hint=settings_texts.TIME_HINT,
        ),
        input_block(
            Field.WINDOW,
            settings_texts.WINDOW_LABEL,
            select(settings_texts.WINDOW_CHOICES, str(settings.window_days)),
            hint=settings_texts.WINDOW_HINT,
        ),
        input_block(
            Field.REMINDER,
            settings_texts.REMINDER_LABEL,
            select(
                {OFF: settings_texts.REMINDER_OFF, REMINDER_HALFWAY: settings_texts.REMINDER_HALF},
                OFF if settings.reminder_at is None else REMINDER_HALFWAY,
            ),
        ),
    ]


def _question_blocks(settings: CheckinSettings) -> list[Any]:
    kinds = {question.kind for question in settings.questions}
    return [
        input_block(
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
        input_block(
            Field.EXTRAS,
            settings_texts.EXTRAS_LABEL,
            _checkboxes(
                {MOOD: settings_texts.EXTRAS_MOOD, GOALS: settings_texts.EXTRAS_GOALS},
                [kind for kind in (MOOD, GOALS) if kind in kinds],
            ),
            optional=True,
        ),
    ]


def _who_blocks(settings: CheckinSettings, teams: Sequence[Team]) -> list[Any]:
    offered = offered_teams(teams, settings.team_refs)
    blocks: list[Any] = (
        [teams_block(settings, offered)] if offered else [_intro(settings_texts.NO_TEAMS)]
    )
    blocks.append(
        input_block(
            Field.PEOPLE,
            settings_texts.PEOPLE_LABEL,
            UserMultiSelectElement(
                action_id=ACTION_ID,
                initial_users=settings.user_ids or None,
                max_selected_items=MAX_PEOPLE,
            ),
            optional=True,
            hint=settings_texts.PEOPLE_HINT,
        )
    )
    return blocks


def _where_blocks(settings: CheckinSettings) -> list[Any]:
    return [
        input_block(
            Field.CHANNEL,
            settings_texts.CHANNEL_LABEL,
            ConversationSelectElement(
                action_id=ACTION_ID,
                initial_conversation=settings.channel_id,
                filter=ConversationFilter(include=["public", "private"], exclude_bot_users=True),
            ),
            optional=True,
            hint=settings_texts.CHANNEL_HINT,
        ),
        input_block(
            Field.CHANNEL_MODE,
            settings_texts.CHANNEL_MODE_LABEL,
            _radio(
                {THREAD: settings_texts.CHANNEL_THREAD, SUMMARY: settings_texts.CHANNEL_SUMMARY},
                settings.channel_mode,
            ),
        ),
        input_block(
            Field.SHARE,
            settings_texts.SHARE_LABEL,
            select(
                {OFF: settings_texts.SHARE_OFF, ON: settings_texts.SHARE_ON},
                ON if settings.share_in_team_channels else OFF,
            ),
            hint=settings_texts.SHARE_HINT,
        ),
    ]


def build_setup_form(
    *,
    name: str,
    settings: CheckinSettings,
    teams: Sequence[Team],
    metadata: dict[str, Any],
    title: str,
    intro: str,
) -> dict[str, Any]:
    """The form of a setup called ``name`` ("" for a new one), opening with ``intro``."""
    blocks: list[Any] = [
        _intro(intro),
        input_block(
            Field.NAME,
            settings_texts.NAME_LABEL,
            PlainTextInputElement(
                action_id=ACTION_ID, initial_value=name or None, max_length=SETUP_NAME_MAX_CHARS
            ),
            hint=settings_texts.NAME_HINT,
        ),
        input_block(
            Field.ENABLED,
            settings_texts.ENABLED_LABEL,
            select(
                {ON: settings_texts.ENABLED_ON, OFF: settings_texts.ENABLED_OFF},
                ON if settings.enabled else OFF,
            ),
        ),
        *_when_blocks(settings),
        *_question_blocks(settings),
        *_who_blocks(settings, teams),
        *_where_blocks(settings),
    ]
    view = View(
        type="modal",
        callback_id=CALLBACK_ID,
        title=title,
        submit="Save",
        close="Cancel",
        private_metadata=json.dumps(metadata),
        blocks=blocks,
    )
    return view.to_dict()
