"""Checking a person's answers to a survey's questions before they are stored."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.core.errors import UserInputError
from bot.pulse import texts
from bot.pulse.questions import ENPS_RANGE, SCALE_RANGE, Question, QuestionKind
from storage.models import SURVEY_TEXT_ANSWER_MAX_CHARS

AnswerValue = int | str


def check_answers(
    questions: Sequence[Question], submitted: Mapping[str, object]
) -> dict[str, AnswerValue]:
    """Submitted answers checked against the questions, keyed by question.

    Numbers may come as text (as Slack sends a radio button's value). Optional questions left
    empty are left out. Raises ``UserInputError`` naming every problem.
    """
    problems = answer_problems(questions, submitted)
    if problems:
        raise UserInputError(" ".join(problems.values()))
    answers: dict[str, AnswerValue] = {}
    for question in questions:
        value = _checked_value(question, submitted.get(question.key))
        if value is not None:
            answers[question.key] = value
    return answers


def answer_problems(
    questions: Sequence[Question], submitted: Mapping[str, object]
) -> dict[str, str]:
    """What is wrong with each answer, by question key (for errors shown next to a field)."""
    known = {question.key for question in questions}
    problems = {key: texts.unknown_question(key) for key in submitted if key not in known}
    for question in questions:
        raw = submitted.get(question.key)
        if _is_empty(raw):
            if question.required:
                problems[question.key] = texts.answer_required(question.text)
        elif _checked_value(question, raw) is None:
            problems[question.key] = _answer_problem(question)
    return problems


def _is_empty(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _checked_value(question: Question, raw: object) -> AnswerValue | None:
    if _is_empty(raw):
        return None
    if question.kind in (QuestionKind.SCALE, QuestionKind.ENPS):
        allowed = SCALE_RANGE if question.kind is QuestionKind.SCALE else ENPS_RANGE
        number = _whole_number(raw)
        return number if number is not None and number in allowed else None
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if question.kind is QuestionKind.CHOICE:
        return text if text in question.options else None
    return text if len(text) <= SURVEY_TEXT_ANSWER_MAX_CHARS else None


def _whole_number(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
        return int(raw.strip())
    return None


def _answer_problem(question: Question) -> str:
    if question.kind is QuestionKind.SCALE:
        return texts.scale_answer(question.text, SCALE_RANGE.start, SCALE_RANGE.stop - 1)
    if question.kind is QuestionKind.ENPS:
        return texts.scale_answer(question.text, ENPS_RANGE.start, ENPS_RANGE.stop - 1)
    if question.kind is QuestionKind.CHOICE:
        return texts.choice_answer(question.text)
    return texts.text_answer_too_long(question.text, SURVEY_TEXT_ANSWER_MAX_CHARS)
