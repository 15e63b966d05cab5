"""The pulse survey answer modal: building it, reading a submission, and taking the answer.

Nothing on this path logs, and nothing is posted anywhere when an answer arrives: the only
message is the answerer's own confirmation. The view carries the survey id (and the
``response_url`` of the button pressed, for that confirmation), never the Slack message or
channel of the answer, and nothing of it is stored.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.checkins.answer_window import zone_of
from bot.core.errors import FormErrors, UserInputError
from bot.core.runtime import Runtime
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
from bot.slack.messages import section, truncate, view_metadata
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


@dataclass(frozen=True)
class AnswerForm:
    """A submitted answer modal: the survey, answers by question key, and the consent box."""

    survey_id: int | None
    answers: dict[str, str | None]
    allow_replies: bool
    response_url: str | None
    first_block: str


def metadata_of(view: dict[str, Any]) -> dict[str, Any]:
    return view_metadata(view)


def _state_value(action: dict[str, Any]) -> str | None:
    if action.get("type") == "plain_text_input":
        value = action.get("value")
        return value if isinstance(value, str) else None
    option = action.get("selected_option") or {}
    value = option.get("value")
    return value if isinstance(value, str) else None


def read_answer_form(view: dict[str, Any]) -> AnswerForm:
    metadata = metadata_of(view)
    survey_id = metadata.get("survey")
    answers: dict[str, str | None] = {}
    allow_replies = False
    for block_id, actions in (view.get("state", {}).get("values") or {}).items():
        action = actions.get(INPUT_ACTION) or {}
        if block_id == CONSENT_BLOCK:
            chosen = action.get("selected_options") or []
            allow_replies = any(option.get("value") == CONSENT_VALUE for option in chosen)
        elif block_id.startswith(QUESTION_PREFIX):
            answers[block_id.removeprefix(QUESTION_PREFIX)] = _state_value(action)
    first = next(
        (
            block["block_id"]
            for block in view.get("blocks") or []
            if block.get("type") == "input" and block.get("block_id")
        ),
        CONSENT_BLOCK,
    )
    url = metadata.get("response_url")
    return AnswerForm(
        survey_id=survey_id if isinstance(survey_id, int) else None,
        answers=answers,
        allow_replies=allow_replies,
        response_url=url if isinstance(url, str) else None,
        first_block=first,
    )


# --- the service -----------------------------------------------------------------------------


def _survey_id(value: str | int | None) -> int:
    if isinstance(value, int):
        return value
    text = (value or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= 12:
        return int(text)
    return -1  # answered like a survey that does not exist


async def answer_view(
    *,
    runtime: Runtime,
    team_id: str,
    user_id: str,
    survey_id: str | int | None,
    response_url: str | None,
) -> dict[str, Any]:
    """The answer modal, or ``UserInputError`` saying why this person cannot answer."""
    now = runtime.clock()
    async with runtime.sessions() as session:
        survey = await ensure_can_answer(
            session=session,
            team_id=team_id,
            survey_id=_survey_id(survey_id),
            user_id=user_id,
            now=now,
        )
        tz = await zone_of(session=session, team_id=team_id, user_id=user_id)
    assert survey.id is not None
    return build_answer_modal(
        survey_id=survey.id,
        title=survey.title,
        questions=load_questions(survey.questions),
        closes_local=survey.closes_at.astimezone(tz),
        response_url=response_url,
    )


async def take_answer(*, runtime: Runtime, team_id: str, user_id: str, form: AnswerForm) -> None:
    """Store the answer anonymously, or raise ``FormErrors`` (by block) and store nothing."""
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


def _check(survey: Survey, form: AnswerForm) -> None:
    questions = load_questions(survey.questions)
    problems = answer_problems(questions, form.answers)
    if not problems:
        return
    blocks = {question.key for question in questions}
    errors: dict[str, str] = {}
    for key, message in problems.items():
        block = question_block(key) if key in blocks else form.first_block
        errors.setdefault(block, truncate(message, FORM_ERROR_MAX))
    raise FormErrors(errors)
