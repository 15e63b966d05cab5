"""Pulse survey questions: the built-in bank, the question model and survey drafts.

A draft is what the survey builder collects; ``validate_draft`` says everything wrong with it
at once, in sentences an admin can act on. Anonymity is not an option of a draft: it is always
on, and only the minimum number of responses (never below three) can be chosen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.core.errors import UserInputError
from bot.pulse import texts
from storage.models import SURVEY_MIN_RESPONSES_FLOOR, SURVEY_TITLE_MAX_CHARS

QUESTION_TEXT_MAX_CHARS = 150
OPTION_MAX_CHARS = 75
MIN_OPTIONS, MAX_OPTIONS = 2, 10
MAX_QUESTIONS = 10
DEFAULT_MIN_RESPONSES = 5
MIN_RESPONSES_FLOOR = SURVEY_MIN_RESPONSES_FLOOR
MIN_RESPONSES_CEILING = 10_000
SCALE_RANGE = range(1, 6)
ENPS_RANGE = range(0, 11)
SCALE_LABELS = {1: "Strongly disagree", 3: "Neutral", 5: "Strongly agree"}
ENPS_LABELS = {0: "Not at all likely", 10: "Extremely likely"}


class QuestionKind(StrEnum):
    SCALE = "scale"  # agreement, 1 (strongly disagree) to 5 (strongly agree)
    ENPS = "enps"  # 0 to 10, "how likely are you to recommend working here"
    CHOICE = "choice"  # one of 2-10 options
    TEXT = "text"  # free text, shown only as shuffled comments


class Repeat(StrEnum):
    NONE = "none"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"


# The shortest time between two rounds of a repeating survey (a month can be 28 days).
REPEAT_PERIOD_DAYS = {Repeat.WEEKLY: 7, Repeat.BIWEEKLY: 14, Repeat.MONTHLY: 28}


class Question(BaseModel):
    """One question; ``key`` names it across the rounds of a repeating survey."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")
    kind: QuestionKind
    text: str
    options: tuple[str, ...] = ()
    required: bool = True

    @model_validator(mode="after")
    def _fits_its_kind(self) -> Self:
        problems = question_problems(self.kind, self.text, self.options)
        if problems:
            raise ValueError(" ".join(problems))
        return self


def question_problems(kind: QuestionKind, text: str, options: Sequence[str]) -> list[str]:
    problems = []
    if not text.strip():
        problems.append(texts.QUESTION_TEXT_MISSING)
    elif len(text.strip()) > QUESTION_TEXT_MAX_CHARS:
        problems.append(texts.question_too_long(QUESTION_TEXT_MAX_CHARS))
    if kind is QuestionKind.CHOICE:
        cleaned = [option.strip() for option in options]
        if not MIN_OPTIONS <= len(cleaned) <= MAX_OPTIONS:
            problems.append(texts.options_count(MIN_OPTIONS, MAX_OPTIONS))
        if any(not option or len(option) > OPTION_MAX_CHARS for option in cleaned):
            problems.append(texts.option_too_long(OPTION_MAX_CHARS))
        if len({option.casefold() for option in cleaned}) != len(cleaned):
            problems.append(texts.DUPLICATE_OPTIONS)
    elif options:
        problems.append(texts.OPTIONS_ONLY_FOR_CHOICE)
    return problems


def _statement(key: str, text: str) -> Question:
    return Question(key=key, kind=QuestionKind.SCALE, text=text)


BANK: tuple[Question, ...] = (
    _statement("direction", "I understand where the company is heading."),
    _statement("contribution", "I know how my work contributes to our goals."),
    _statement("information", "I get the information I need to do my job."),
    _statement("priorities", "My team's priorities are clear."),
    _statement("leaders_act", "Leaders act on feedback."),
    Question(
        key="enps", kind=QuestionKind.ENPS, text="How likely are you to recommend working here?"
    ),
)
BANK_KEYS = tuple(question.key for question in BANK)


def bank_question(key: str) -> Question:
    for question in BANK:
        if question.key == key:
            return question
    raise UserInputError(texts.unknown_bank_question(key, BANK_KEYS))


def custom_question(
    position: int,
    *,
    kind: QuestionKind | str,
    text: str,
    options: Sequence[str] = (),
    required: bool = True,
) -> Question:
    """An admin's own question; ``position`` (from 1) gives it the key ``custom_<position>``."""
    try:
        return Question(
            key=f"custom_{position}",
            kind=QuestionKind(kind),
            text=text,
            options=tuple(options),
            required=required,
        )
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        raise UserInputError(texts.bad_question(position, _reasons(error))) from None


def _reasons(error: ValueError) -> list[str]:
    if isinstance(error, ValidationError):
        return [problem["msg"].removeprefix("Value error, ") for problem in error.errors()]
    return [str(error)]


def load_questions(stored: Sequence[dict[str, Any]]) -> tuple[Question, ...]:
    """Questions as a survey row stores them (``Question.model_dump(mode="json")``)."""
    return tuple(Question.model_validate(item) for item in stored)


@dataclass(frozen=True)
class SurveyDraft:
    """A survey as the builder collected it; ``team_refs`` empty means everyone."""

    title: str
    questions: tuple[Question, ...]
    opens_at: datetime
    closes_at: datetime
    team_refs: tuple[int, ...] = ()
    min_responses: int = DEFAULT_MIN_RESPONSES
    repeat: str = Repeat.NONE


def validate_draft(draft: SurveyDraft, *, now: datetime) -> SurveyDraft:
    """The draft with its title tidied, or a ``UserInputError`` naming every problem."""
    title = " ".join(draft.title.split())
    problems = _title_problems(title) + _question_problems(draft.questions)
    problems += _time_problems(draft, now) + threshold_problems(draft.min_responses)
    if draft.repeat not in set(Repeat):
        problems.append(texts.unknown_repeat(draft.repeat, [str(value) for value in Repeat]))
    elif draft.repeat != Repeat.NONE and not _time_problems(draft, now):
        days = REPEAT_PERIOD_DAYS[Repeat(draft.repeat)]
        if draft.closes_at - draft.opens_at > timedelta(days=days):
            problems.append(texts.window_longer_than_repeat(draft.repeat, days))
    if problems:
        raise UserInputError(" ".join(problems))
    return replace(draft, title=title, team_refs=tuple(sorted(set(draft.team_refs))))


def threshold_problems(min_responses: int) -> list[str]:
    if min_responses < MIN_RESPONSES_FLOOR:
        return [texts.threshold_too_low(MIN_RESPONSES_FLOOR)]
    if min_responses > MIN_RESPONSES_CEILING:
        return [texts.threshold_too_high(MIN_RESPONSES_CEILING)]
    return []


def _title_problems(title: str) -> list[str]:
    if not title:
        return [texts.TITLE_MISSING]
    if len(title) > SURVEY_TITLE_MAX_CHARS:
        return [texts.title_too_long(SURVEY_TITLE_MAX_CHARS)]
    return []


def _question_problems(questions: Sequence[Question]) -> list[str]:
    if not questions:
        return [texts.NO_QUESTIONS]
    problems = []
    if len(questions) > MAX_QUESTIONS:
        problems.append(texts.too_many_questions(MAX_QUESTIONS))
    seen: set[str] = set()
    for question in questions:
        if question.key in seen:
            problems.append(texts.duplicate_question(question.key))
        seen.add(question.key)
    return problems


def _time_problems(draft: SurveyDraft, now: datetime) -> list[str]:
    if draft.opens_at.tzinfo is None or draft.closes_at.tzinfo is None:
        return [texts.NOT_AWARE]
    if draft.closes_at <= draft.opens_at:
        return [texts.CLOSES_BEFORE_OPENS]
    if draft.closes_at <= now:
        return [texts.CLOSES_IN_PAST]
    return []
