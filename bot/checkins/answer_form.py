"""Read and check a submitted check-in modal; every mistake is tied to its field."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pydantic import ValidationError

from bot.checkins import texts_answers as texts
from bot.checkins.blocks import answer_modal as form
from bot.checkins.settings import Question
from bot.core.errors import FormErrors, UserInputError
from bot.core.numbers import parse_number
from bot.core.text_input import normalize, reject_control_characters, small_int
from bot.goals.forms import parse_goal_value
from bot.kpis.health import format_number
from bot.slack.forms import SubmittedForm
from bot.slack.messages import truncate
from storage.models import Goal

logger = logging.getLogger(__name__)

FORM_ERROR_MAX = 150
NUMBER_LIMIT = 1e12  # beyond this a typed answer is a slip, not a count


@dataclass(frozen=True)
class GoalInput:
    goal_id: int
    value: float
    confidence: int


@dataclass(frozen=True)
class AnswerDraft:
    """The answers by question key (a mood as its digit, a number as people write it), the
    first mood, the goal inputs."""

    answers: dict[str, str]
    mood: int | None
    goals: list[GoalInput]
    key_result_confidences: dict[int, int] = field(default_factory=dict)


def read_answer_form(
    values: SubmittedForm,
    *,
    questions: Sequence[Question],
    goal_ids: Sequence[int],
    goals: Mapping[int, Goal],
) -> AnswerDraft:
    """The draft, or ``FormErrors`` naming every field that fails a check. ``goal_ids`` are
    the goals the modal showed; ``goals`` those of them that still exist."""
    errors: dict[str, str] = {}
    answers: dict[str, str] = {}
    mood: int | None = None
    for question in questions:
        if question.kind == "goals":
            continue  # answered by the goal inputs below
        block_id = form.question_block(question.key)
        try:
            answer = _answer(question, values.value(block_id))
        except UserInputError as error:
            errors[block_id] = truncate(error.message, FORM_ERROR_MAX)
            continue
        if answer:
            answers[question.key] = answer
            if question.kind == "mood" and mood is None:
                mood = int(answer)
    inputs = []
    for goal_id in goal_ids:
        goal = goals.get(goal_id)
        if goal is None:
            errors[form.value_block(goal_id)] = texts.GOAL_GONE
            continue
        value = _goal_value(goal, values.value(form.value_block(goal_id)))
        confidence = small_int(values.value(form.confidence_block(goal_id)), digits=2)
        if value is None:
            errors[form.value_block(goal_id)] = (
                texts.MILESTONE_FORMAT if goal.measure == "milestone" else texts.VALUE_FORMAT
            )
        if confidence is None or confidence not in form.CONFIDENCES:
            errors[form.confidence_block(goal_id)] = texts.CONFIDENCE_FORMAT
        elif value is not None:
            inputs.append(GoalInput(goal_id, value, confidence))
    confidences = _key_result_confidences(values, errors)
    if errors:
        raise FormErrors(errors)
    return AnswerDraft(answers=answers, mood=mood, goals=inputs, key_result_confidences=confidences)


def _key_result_confidences(values: SubmittedForm, errors: dict[str, str]) -> dict[int, int]:
    """The confidence chosen for each key result the modal asked about (left empty: none)."""
    confidences: dict[int, int] = {}
    for key_result_id in form.key_result_ids_in(values.block_ids()):
        block_id = form.key_result_block(key_result_id)
        raw = values.value(block_id)
        if raw is None:
            continue
        confidence = small_int(raw, digits=2)
        if confidence is None or confidence not in form.CONFIDENCES:
            errors[block_id] = texts.CONFIDENCE_FORMAT
        else:
            confidences[key_result_id] = confidence
    return confidences


def _answer(question: Question, raw: str | None) -> str:
    if question.kind == "mood":
        mood = small_int(raw, digits=1)
        if raw is None and not question.required:
            return ""
        if mood is None or mood not in form.MOODS:
            raise UserInputError(texts.MOOD_FORMAT)
        return str(mood)
    if question.kind == "number":
        return _number(question, raw)
    text = normalize(raw)
    if not text:
        if question.required:
            raise UserInputError(texts.ANSWER_REQUIRED)
        return ""
    reject_control_characters(text, usage="retype it.")
    if len(text) > form.ANSWER_MAX_CHARS:
        raise UserInputError(f"Keep it to {form.ANSWER_MAX_CHARS:,} characters.")
    return text


def _number(question: Question, raw: str | None) -> str:
    """A number answer, kept as people read it (``12,500``, ``-3.5``)."""
    text = normalize(raw)
    if not text:
        if question.required:
            raise UserInputError(texts.NUMBER_REQUIRED)
        return ""
    value = parse_number(text)
    if value is None:
        raise UserInputError(texts.NUMBER_FORMAT)
    if abs(value) >= NUMBER_LIMIT:
        raise UserInputError(texts.number_too_big(format_number(NUMBER_LIMIT)))
    return format_number(value)


def _goal_value(goal: Goal, raw: str | None) -> float | None:
    if goal.measure == "milestone":
        return {"1": 1.0, "0": 0.0}.get(raw or "")
    try:
        return parse_goal_value(raw or "", measure=goal.measure)
    except UserInputError:
        return None


def round_questions(questions: Sequence[dict[str, object]]) -> list[Question]:
    """A round's question snapshot as ``Question``s; an unreadable entry is left out rather
    than making the whole check-in unanswerable."""
    read = []
    for question in questions:
        try:
            read.append(Question.model_validate(question))
        except ValidationError:
            logger.warning("a check-in round holds an unreadable question; it is left out")
    return read
