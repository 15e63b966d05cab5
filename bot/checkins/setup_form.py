"""Read a submitted setup form into a name and ``CheckinSettings``, or ``FormErrors`` naming
every field that fails a check (nothing is stored by this module)."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.checkins import texts_settings as settings_texts
from bot.checkins import texts_setups
from bot.checkins.blocks import setup_modal as modal
from bot.checkins.blocks.settings_modal import OFF, ON, REMINDER_HALFWAY, Field, SettingsAnswers
from bot.checkins.settings import MAX_PEOPLE, CheckinSettings
from bot.checkins.settings_form import (
    choice,
    number,
    read_questions,
    read_team_refs,
    read_time,
)
from bot.slack.forms import FieldErrors
from storage.models import SETUP_NAME_MAX_CHARS, Team
from storage.repositories.checkin_setups import name_key

_NAME_MARKUP = re.compile(r"[<>`*_~&]")
_TEAM_WORD = re.compile(r"(^|\s)team(\s|$)")  # what ``/checkin status NAME team X`` splits on
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,31}$")
_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,31}$")


@dataclass(frozen=True)
class SetupForm:
    name: str
    settings: CheckinSettings


@dataclass(frozen=True)
class Limits:
    """What the person saving may choose: any participants (admins), or only teams they lead
    and people in them; and the names other setups have (name key -> setup id)."""

    admin: bool
    setup_id: int | None = None
    led_teams: frozenset[int] = frozenset()
    led_people: frozenset[str] = frozenset()
    taken_names: Mapping[str, int] = field(default_factory=dict)


def read_setup_form(
    answers: SettingsAnswers, *, current: CheckinSettings, teams: Sequence[Team], limits: Limits
) -> SetupForm:
    """The submitted name and settings (``anchor_week`` as it was), or ``FormErrors``."""
    errors = FieldErrors()
    name = read_name(answers.get(Field.NAME), errors)
    owner = limits.taken_names.get(name_key(name))
    if name and owner is not None and owner != limits.setup_id:
        errors.add(Field.NAME, texts_setups.name_taken(name))
    enabled = choice(answers, Field.ENABLED, (ON, OFF), errors) == ON
    days = _days(answers, errors)
    every = choice(answers, Field.EVERY, (modal.EVERY_WEEK, modal.EVERY_OTHER_WEEK), errors)
    window = number(answers, Field.WINDOW, 6, errors)
    if len(days) > 1 and window > _shortest_gap(days) - 1:
        errors.add(Field.WINDOW, settings_texts.window_too_long(_shortest_gap(days) - 1))
    local_time = read_time(answers.get(Field.TIME), errors)
    reminder = choice(answers, Field.REMINDER, (OFF, REMINDER_HALFWAY), errors)
    extras = set(answers.chosen(Field.EXTRAS)) & {modal.MOOD, modal.GOALS}
    questions = read_questions(
        answers.get(Field.QUESTIONS), current=current, extras=extras, errors=errors
    )
    team_refs = read_team_refs(answers, teams, errors)
    user_ids = _people(answers, errors)
    if not limits.admin:
        _check_participants(team_refs, user_ids, teams, limits, errors)
    channel_id = _channel(answers, errors)
    mode = choice(answers, Field.CHANNEL_MODE, (modal.THREAD, modal.SUMMARY), errors)
    share = choice(answers, Field.SHARE, (ON, OFF), errors) == ON
    if share:
        taking_part = [
            team for team in teams if team.id in team_refs or not (team_refs or user_ids)
        ]
        if not any(team.channel_id for team in taking_part):
            errors.add(Field.SHARE, settings_texts.NO_CHANNELS)
    errors.raise_if_any()
    settings = CheckinSettings(
        enabled=enabled,
        days=days,
        every_weeks=2 if every == modal.EVERY_OTHER_WEEK else 1,
        anchor_week=current.anchor_week,
        local_time=local_time,
        window_days=window,
        reminder_at=0.5 if reminder == REMINDER_HALFWAY else None,
        questions=questions,
        team_refs=team_refs,
        user_ids=user_ids,
        share_in_team_channels=share,
        channel_id=channel_id,
        channel_mode="summary" if mode == modal.SUMMARY else "thread",
    )
    return SetupForm(name=name, settings=settings)


def read_name(text: str | None, errors: FieldErrors) -> str:
    """One line, no markup, at most 80 characters; spaces collapsed."""
    name = " ".join((text or "").split())
    if not name:
        errors.add(Field.NAME, texts_setups.NAME_EMPTY)
    elif any(unicodedata.category(char) == "Cc" for char in name):
        errors.add(Field.NAME, texts_setups.NAME_CONTROL)
    elif _NAME_MARKUP.search(name):
        errors.add(Field.NAME, texts_setups.NAME_MARKUP)
    elif len(name) > SETUP_NAME_MAX_CHARS:
        errors.add(Field.NAME, texts_setups.name_too_long(len(name), SETUP_NAME_MAX_CHARS))
    elif _TEAM_WORD.search(name):
        errors.add(Field.NAME, texts_setups.NAME_TEAM_WORD)
    return name


def _days(answers: SettingsAnswers, errors: FieldErrors) -> list[int]:
    chosen = answers.chosen(Field.DAYS)
    days = sorted({int(value) for value in chosen if value in "0123456" and len(value) == 1})
    if not days or len(days) != len(set(chosen)):
        errors.add(Field.DAYS, settings_texts.NO_DAYS if not chosen else texts_setups.BAD_DAYS)
        return days or [0]
    return days


def _shortest_gap(days: Sequence[int]) -> int:
    gaps = [later - earlier for earlier, later in itertools.pairwise(days)]
    return min([*gaps, days[0] + 7 - days[-1]])


def _people(answers: SettingsAnswers, errors: FieldErrors) -> list[str]:
    chosen = list(dict.fromkeys(answers.chosen(Field.PEOPLE)))
    if len(chosen) > MAX_PEOPLE:
        errors.add(Field.PEOPLE, texts_setups.too_many_people(len(chosen), MAX_PEOPLE))
    elif any(not _USER_ID.match(user_id) for user_id in chosen):
        errors.add(Field.PEOPLE, texts_setups.BAD_PEOPLE)
    return chosen[:MAX_PEOPLE]


def _channel(answers: SettingsAnswers, errors: FieldErrors) -> str | None:
    channel_id = answers.get(Field.CHANNEL)
    if channel_id and not _CHANNEL_ID.match(channel_id):
        errors.add(Field.CHANNEL, texts_setups.BAD_CHANNEL)
        return None
    return channel_id or None


def _check_participants(
    team_refs: list[int],
    user_ids: list[str],
    teams: Sequence[Team],
    limits: Limits,
    errors: FieldErrors,
) -> None:
    """A team lead may ask only teams they lead and people in them; never everyone."""
    if not team_refs and not user_ids:
        errors.add(Field.TEAMS, texts_setups.EVERYONE_ADMINS_ONLY)
    not_led = [
        team.name for team in teams if team.id in team_refs and team.id not in limits.led_teams
    ]
    if not_led:
        errors.add(Field.TEAMS, texts_setups.teams_not_led(not_led))
    outside = [user_id for user_id in user_ids if user_id not in limits.led_people]
    if outside:
        errors.add(Field.PEOPLE, texts_setups.people_not_in_led_teams(outside))
