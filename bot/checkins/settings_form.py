"""Read and check a submitted check-in settings form, each mistake tied to its field."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import time

from bot.checkins import texts_settings as settings_texts
from bot.checkins.blocks import settings_modal as form
from bot.checkins.blocks.settings_modal import Field
from bot.checkins.settings import (
    DEFAULT_QUESTIONS,
    MAX_QUESTIONS,
    QUESTION_MAX_CHARS,
    CheckinSettings,
    Question,
)
from bot.core.errors import FormErrors
from bot.core.text_input import normalize, small_int
from storage.models import Team

_TIME = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
_MARKUP = re.compile(r"<\s*[!@#]")  # mentions, broadcasts and channel links in Slack markup


class _Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, str] = {}

    def add(self, field: Field, message: str) -> None:
        self.by_field.setdefault(field.value, message)


def _choice(
    answers: form.SettingsAnswers, field: Field, allowed: Sequence[str], errors: _Errors
) -> str:
    value = answers.get(field) or ""
    if value not in allowed:
        errors.add(field, settings_texts.CHOOSE_FROM_LIST)
    return value


def _number(answers: form.SettingsAnswers, field: Field, highest: int, errors: _Errors) -> int:
    value = small_int(answers.get(field), digits=1)
    if value is None or value > highest:
        errors.add(field, settings_texts.CHOOSE_FROM_LIST)
        return 0
    return value


def read_settings_form(
    answers: form.SettingsAnswers, *, current: CheckinSettings, teams: Sequence[Team]
) -> CheckinSettings:
    """The new settings, or ``FormErrors`` naming every field that fails a check."""
    errors = _Errors()
    enabled = _choice(answers, Field.ENABLED, (form.ON, form.OFF), errors) == form.ON
    weekday = _number(answers, Field.WEEKDAY, 6, errors)
    window = _number(answers, Field.WINDOW, 6, errors)
    local_time = _time(answers.get(Field.TIME), errors)
    reminder = _choice(answers, Field.REMINDER, (form.OFF, form.REMINDER_HALFWAY), errors)
    mood = _choice(answers, Field.MOOD, (form.ON, form.OFF), errors) == form.ON
    questions = _questions(answers.get(Field.QUESTIONS), current=current, mood=mood, errors=errors)
    team_refs = _team_refs(answers, teams, errors)
    share = _choice(answers, Field.SHARE, (form.ON, form.OFF), errors) == form.ON
    if share:
        taking_part = [team for team in teams if not team_refs or team.id in team_refs]
        if not any(team.channel_id for team in taking_part):
            errors.add(Field.SHARE, settings_texts.NO_CHANNELS)
    if errors.by_field:
        raise FormErrors(errors.by_field)
    return CheckinSettings(
        enabled=enabled,
        weekday=weekday,
        local_time=local_time,
        window_days=window,
        reminder_at=0.5 if reminder == form.REMINDER_HALFWAY else None,
        questions=questions,
        team_refs=team_refs,
        share_in_team_channels=share,
    )


def _time(text: str | None, errors: _Errors) -> time:
    match = _TIME.match(text or "")
    if match is None:
        errors.add(Field.TIME, settings_texts.TIME_INVALID)
        return time(9, 0)
    return time(int(match.group(1)), int(match.group(2)))


def _team_refs(answers: form.SettingsAnswers, teams: Sequence[Team], errors: _Errors) -> list[int]:
    if not teams:
        return []  # the form had no team fields: everyone takes part
    who = _choice(answers, Field.WHO, (form.EVERYONE, form.CHOSEN_TEAMS), errors)
    if who != form.CHOSEN_TEAMS:
        return []
    chosen = [small_int(value) for value in answers.chosen(Field.TEAMS)]
    known = {team.id for team in teams}
    if not chosen:
        errors.add(Field.TEAMS, settings_texts.CHOOSE_TEAMS)
    elif any(ref is None or ref not in known for ref in chosen):
        errors.add(Field.TEAMS, settings_texts.TEAM_GONE)
    return sorted({ref for ref in chosen if ref is not None})


def _questions(
    text: str | None, *, current: CheckinSettings, mood: bool, errors: _Errors
) -> list[Question]:
    lines = [line.strip() for line in normalize(text).split("\n") if line.strip()]
    limit = MAX_QUESTIONS - (1 if mood else 0)
    if not lines:
        errors.add(Field.QUESTIONS, settings_texts.NO_QUESTIONS)
        return []
    if len(lines) > limit:
        errors.add(Field.QUESTIONS, settings_texts.too_many_questions(len(lines), limit, mood))
        return []
    keys = {" ".join(q.text.split()).casefold(): q.key for q in current.questions}
    questions: list[Question] = []
    for number, line in enumerate(lines, start=1):
        wording, required = _wording(line)
        problem = _problem(number, wording, [q.text for q in questions])
        if problem:
            errors.add(Field.QUESTIONS, problem)
            return []
        taken = {q.key for q in questions}
        key = keys.get(wording.casefold())
        if key is None or key in taken or key == "mood":
            key = next(f"q{n}" for n in range(1, 99) if f"q{n}" not in taken | set(keys.values()))
        questions.append(Question(key=key, text=wording, required=required))
    if mood:
        mood_questions = [q for q in (*current.questions, *DEFAULT_QUESTIONS) if q.kind == "mood"]
        questions.append(mood_questions[0].model_copy())
    return questions


def _wording(line: str) -> tuple[str, bool]:
    """The question without its ``(optional)`` mark, spaces collapsed; and whether required."""
    wording = " ".join(line.split())
    if wording.casefold().endswith(form.OPTIONAL_MARK):
        return wording[: -len(form.OPTIONAL_MARK)].rstrip(), False
    return wording, True


def _problem(number: int, wording: str, earlier: list[str]) -> str:
    if not wording:
        return settings_texts.question_empty(number)
    if any(unicodedata.category(char) == "Cc" for char in wording):
        return settings_texts.question_control(number)
    if _MARKUP.search(wording):
        return settings_texts.question_markup(number)
    if len(wording) > QUESTION_MAX_CHARS:
        return settings_texts.question_too_long(number, len(wording), QUESTION_MAX_CHARS)
    if wording.casefold() in (text.casefold() for text in earlier):
        return settings_texts.question_repeated(number)
    return ""
