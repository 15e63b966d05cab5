"""Readers of the fields a check-in setup form shares with its past settings form: choices,
the time, the questions and the teams, each mistake tied to its field."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
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
    QuestionKind,
)
from bot.core.text_input import normalize, small_int
from bot.slack.forms import FieldErrors
from storage.models import Team

_TIME = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
_MARKUP = re.compile(r"<\s*[!@#]")  # mentions, broadcasts and channel links in Slack markup
MOOD, GOALS = "mood", "goals"
_EXTRA_WORDS = {MOOD: settings_texts.MOOD_QUESTION, GOALS: settings_texts.GOALS_QUESTION}
_GOALS_QUESTION = Question(
    key="goals", text="Update your goals' progress", kind="goals", required=False
)


def choice(
    answers: form.SettingsAnswers, field: Field, allowed: Sequence[str], errors: FieldErrors
) -> str:
    value = answers.get(field) or ""
    if value not in allowed:
        errors.add(field, settings_texts.CHOOSE_FROM_LIST)
    return value


def number(answers: form.SettingsAnswers, field: Field, highest: int, errors: FieldErrors) -> int:
    value = small_int(answers.get(field), digits=1)
    if value is None or value > highest:
        errors.add(field, settings_texts.CHOOSE_FROM_LIST)
        return 0
    return value


def read_time(text: str | None, errors: FieldErrors) -> time:
    match = _TIME.match(text or "")
    if match is None:
        errors.add(Field.TIME, settings_texts.TIME_INVALID)
        return time(9, 0)
    return time(int(match.group(1)), int(match.group(2)))


def read_team_refs(
    answers: form.SettingsAnswers, teams: Sequence[Team], errors: FieldErrors
) -> list[int]:
    """The chosen teams; none chosen is an empty list (with no people: everyone)."""
    chosen = [small_int(value) for value in answers.chosen(Field.TEAMS)]
    known = {team.id for team in teams}
    if any(ref is None or ref not in known for ref in chosen):
        errors.add(Field.TEAMS, settings_texts.TEAM_GONE)
    return sorted({ref for ref in chosen if ref is not None})


def read_questions(
    text: str | None, *, current: CheckinSettings, extras: Collection[str], errors: FieldErrors
) -> list[Question]:
    """The typed questions (text, or number when marked), then the mood and goals questions
    that are on; a question keeps its key when its wording stays."""
    lines = [line.strip() for line in normalize(text).split("\n") if line.strip()]
    on = [extra for extra in (MOOD, GOALS) if extra in extras]
    limit = MAX_QUESTIONS - len(on)
    if not lines and not on:
        errors.add(Field.QUESTIONS, settings_texts.NO_QUESTIONS)
        return []
    if len(lines) > limit:
        words = [_EXTRA_WORDS[extra] for extra in on]
        errors.add(Field.QUESTIONS, settings_texts.too_many_questions(len(lines), limit, words))
        return []
    keys = {
        " ".join(q.text.split()).casefold(): q.key
        for q in current.questions
        if q.kind in ("text", "number")
    }
    questions: list[Question] = []
    for position, line in enumerate(lines, start=1):
        wording, required, kind = _wording(line)
        problem = _problem(position, wording, [q.text for q in questions])
        if problem:
            errors.add(Field.QUESTIONS, problem)
            return []
        taken = {q.key for q in questions}
        key = keys.get(wording.casefold())
        if key is None or key in taken or key in (MOOD, GOALS):
            used = taken | set(keys.values())
            key = next(f"q{n}" for n in range(1, 99) if f"q{n}" not in used)
        questions.append(Question(key=key, text=wording, required=required, kind=kind))
    return questions + [_extra_question(extra, current) for extra in on]


def _extra_question(kind: str, current: CheckinSettings) -> Question:
    found = [q for q in (*current.questions, *DEFAULT_QUESTIONS) if q.kind == kind]
    return (found[0] if found else _GOALS_QUESTION).model_copy()


def _wording(line: str) -> tuple[str, bool, QuestionKind]:
    """The question without its ``(optional)`` and ``(number)`` marks, spaces collapsed;
    whether it must be answered, and its kind."""
    wording, required = " ".join(line.split()), True
    kind: QuestionKind = "text"
    marks = {form.OPTIONAL_MARK, form.NUMBER_MARK}
    while found := next((m for m in marks if wording.casefold().endswith(m)), None):
        wording = wording[: -len(found)].rstrip()
        if found == form.OPTIONAL_MARK:
            required = False
        else:
            kind = "number"
    return wording, required, kind


def _problem(position: int, wording: str, earlier: list[str]) -> str:
    if not wording:
        return settings_texts.question_empty(position)
    if any(unicodedata.category(char) == "Cc" for char in wording):
        return settings_texts.question_control(position)
    if _MARKUP.search(wording):
        return settings_texts.question_markup(position)
    if len(wording) > QUESTION_MAX_CHARS:
        return settings_texts.question_too_long(position, len(wording), QUESTION_MAX_CHARS)
    if wording.casefold() in (text.casefold() for text in earlier):
        return settings_texts.question_repeated(position)
    return ""
