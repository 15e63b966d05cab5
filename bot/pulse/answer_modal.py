"""The pulse survey answer modal: building it, reading a submission, and taking the answer.

Nothing on this path logs, and nothing is posted anywhere when an answer arrives: the only
message is the answerer's own confirmation. The view carries the survey id (and the
``response_url`` of the button pressed, for that confirmation), never the Slack message or
channel of the answer, and nothing of it is stored.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.checkins.answer_window import zone_of
from bot.core.errors import FormErrors, UserInputError
from bot.core.request import RequestContext
from bot.pulse import texts_answers as texts
from bot.pulse.answer_checks import answer_problems
from bot.pulse.questions import (
    ENPS_LABELS,
    ENPS_RANGE,
    SCALE_LABELS,
    SCALE_RANGE,
    Question,
    QuestionKind,
    load_questions,
)
from bot.pulse.surveys import ensure_can_answer, submit_answer
from bot.slack.forms import FieldErrors, SubmittedForm
from bot.slack.messages import build_notice, section, truncate
from bot.slack.outcome import Outcome
from storage.db import transaction
from storage.models import SURVEY_TEXT_ANSWER_MAX_CHARS, Survey

ANSWER_FORM_CALLBACK = "pulse_answer_form"
INPUT_ACTION = "answer"
CONSENT_BLOCK = "pulse_consent"
CONSENT_VALUE = "allow_replies"
QUESTION_PREFIX = "q:"
TITLE_MAX = 24
FORM_ERROR_MAX = 150
TEXT_MAX = min(3000, SURVEY_TEXT_ANSWER_MAX_CHARS)


# --- building --------------------------------------------------------------------------------


def question_block(key: str) -> str:
    return QUESTION_PREFIX + key


def _plain(text: str, limit: int = 75) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit)}


def _option(value: int | str, label: str) -> dict[str, Any]:
    return {"text": _plain(label), "value": str(value)}


def _numbered(values: range, labels: dict[int, str]) -> list[dict[str, Any]]:
    return [_option(n, f"{n} — {labels[n]}" if n in labels else str(n)) for n in values]


def _element(question: Question) -> dict[str, Any]:
    if question.kind is QuestionKind.TEXT:
        return {
            "type": "plain_text_input",
            "action_id": INPUT_ACTION,
            "multiline": True,
            "max_length": TEXT_MAX,
            "placeholder": _plain(texts.TEXT_PLACEHOLDER, 150),
        }
    if question.kind is QuestionKind.SCALE:
        options = _numbered(SCALE_RANGE, SCALE_LABELS)
    elif question.kind is QuestionKind.ENPS:
        options = _numbered(ENPS_RANGE, ENPS_LABELS)
    else:
        options = [_option(option, option) for option in question.options]
    return {
        "type": "static_select",
        "action_id": INPUT_ACTION,
        "placeholder": _plain(texts.CHOOSE_PLACEHOLDER),
        "options": options,
    }


def _question_input(question: Question) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": question_block(question.key),
        "label": _plain(question.text, 2000),
        "optional": not question.required,
        "element": _element(question),
    }


def _consent_input() -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": CONSENT_BLOCK,
        "label": _plain(texts.CONSENT_LABEL),
        "optional": True,
        "hint": _plain(texts.CONSENT_HINT, 2000),
        "element": {
            "type": "checkboxes",
            "action_id": INPUT_ACTION,
            "options": [_option(CONSENT_VALUE, texts.CONSENT_OPTION)],
        },
    }


def build_answer_modal(
    *,
    survey_id: int,
    title: str,
    questions: Sequence[Question],
    closes_local: datetime,
    response_url: str | None = None,
) -> dict[str, Any]:
    metadata: dict[str, Any] = {"survey": survey_id}
    if response_url:
        metadata["response_url"] = response_url
    blocks = [section(texts.modal_intro(title, closes_local))]
    blocks += [_question_input(question) for question in questions]
    if any(question.kind is QuestionKind.TEXT for question in questions):
        blocks.append(_consent_input())
    return {
        "type": "modal",
        "callback_id": ANSWER_FORM_CALLBACK,
        "private_metadata": json.dumps(metadata),
        "title": _plain(texts.MODAL_TITLE, TITLE_MAX),
        "submit": _plain(texts.MODAL_SUBMIT, TITLE_MAX),
        "close": _plain(texts.MODAL_CLOSE, TITLE_MAX),
        "blocks": blocks,
    }


# --- reading ---------------------------------------------------------------------------------


def _first_input(view: Mapping[str, Any]) -> str:
    """The block an error that concerns no single question is shown on."""
    blocks = view.get("blocks")
    for block in blocks if isinstance(blocks, list) else []:
        if isinstance(block, Mapping) and block.get("type") == "input" and block.get("block_id"):
            return str(block["block_id"])
    return CONSENT_BLOCK


class AnswerForm(SubmittedForm):
    """A submitted answer modal: the survey, answers by question key, the consent box, and the
    first input block (where an error about no single question is shown)."""

    def __init__(self, view: Mapping[str, Any]) -> None:
        super().__init__(view)
        survey_id = self.metadata.get("survey")
        self.survey_id = survey_id if isinstance(survey_id, int) else None
        self.answers: dict[str, str | None] = {
            block_id.removeprefix(QUESTION_PREFIX): self.value(block_id)
            for block_id in self.block_ids()
            if block_id.startswith(QUESTION_PREFIX)
        }
        self.allow_replies = CONSENT_VALUE in self.choices(CONSENT_BLOCK)
        self.first_block = _first_input(view)


# --- the service -----------------------------------------------------------------------------


def _survey_id(value: str | int | None) -> int:
    if isinstance(value, int):
        return value
    text = (value or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= 12:
        return int(text)
    return -1  # answered like a survey that does not exist


async def answer_view(request: RequestContext, survey_id: str | int | None) -> Outcome:
    """The answer modal, or ``UserInputError`` saying why this person cannot answer."""
    now = request.runtime.clock()
    async with request.runtime.sessions() as session:
        survey = await ensure_can_answer(
            session=session,
            team_id=request.team_id,
            survey_id=_survey_id(survey_id),
            user_id=request.user_id,
            now=now,
        )
        tz = await zone_of(session=session, team_id=request.team_id, user_id=request.user_id)
    assert survey.id is not None
    view = build_answer_modal(
        survey_id=survey.id,
        title=survey.title,
        questions=load_questions(survey.questions),
        closes_local=survey.closes_at.astimezone(tz),
        response_url=request.response_url,
    )
    return Outcome.opening(view)


async def take_answer(request: RequestContext, form: AnswerForm) -> Outcome:
    """Store the answer anonymously and thank the answerer (their confirmation is the only
    message), or raise ``FormErrors`` (by block) and store nothing."""
    runtime, team_id, user_id = request.runtime, request.team_id, request.user_id
    now = runtime.clock()
    survey_id = _survey_id(form.survey_id)
    try:
        async with runtime.sessions() as session:
            survey = await ensure_can_answer(
                session=session, team_id=team_id, survey_id=survey_id, user_id=user_id, now=now
            )
        _check(survey, form)
        async with transaction(runtime.sessions) as session:
            # First statement of its own transaction: the core takes the survey's lock there.
            await submit_answer(
                session=session,
                team_id=team_id,
                survey_id=survey_id,
                user_id=user_id,
                submitted=form.answers,
                allow_replies=form.allow_replies,
                secret_key=runtime.key_ring,
                now=now,
            )
    except FormErrors:
        raise
    except UserInputError as error:  # closed, not invited, already answered, answers refused
        raise FormErrors({form.first_block: truncate(error.message, FORM_ERROR_MAX)}) from None
    return Outcome.replying(build_notice(texts.THANKS), homes=[request.user_id])  # Home: done


def _check(survey: Survey, form: AnswerForm) -> None:
    questions = load_questions(survey.questions)
    blocks = {question.key for question in questions}
    errors = FieldErrors()
    for key, message in answer_problems(questions, form.answers).items():
        block = question_block(key) if key in blocks else form.first_block
        errors.add(block, truncate(message, FORM_ERROR_MAX))
    errors.raise_if_any()
