"""The check-in modal: the round's questions in order; where its goals question stands, the
person's goals with their values (a round without one shows no goals)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.checkins import texts_answers as texts
from bot.checkins.settings import Question
from bot.kpis.health import format_number, format_value
from bot.okrs import texts as okr_texts
from bot.slack.messages import truncate
from storage.models import Goal, KeyResult

CHECKIN_FORM_CALLBACK = "checkin_answer_form"
ANSWER_MAX_CHARS = 3000
VALUE_MAX_CHARS = 30
NUMBER_MAX_CHARS = 30
MAX_GOALS = 10
LABEL_MAX = 2000
MOODS = range(1, 6)
CONFIDENCES = range(1, 11)
_GOAL_BLOCK = re.compile(r"^goal:([0-9]{1,9}):(value|confidence)$")
_KEY_RESULT_BLOCK = re.compile(r"^kr:([0-9]{1,9}):confidence$")
MAX_KEY_RESULTS_ASKED = 10  # with MAX_GOALS and 8 questions, well within Slack's 100 blocks


def question_block(key: str) -> str:
    return f"q:{key}"


def value_block(goal_id: int) -> str:
    return f"goal:{goal_id}:value"


def confidence_block(goal_id: int) -> str:
    return f"goal:{goal_id}:confidence"


def key_result_block(key_result_id: int) -> str:
    return f"kr:{key_result_id}:confidence"


def key_result_ids_in(block_ids: Sequence[str]) -> list[int]:
    """The key results a submitted modal asks the confidence of, in order, each once."""
    found = (_KEY_RESULT_BLOCK.match(block_id) for block_id in block_ids)
    return list(dict.fromkeys(int(match.group(1)) for match in found if match))


def goal_ids_in(block_ids: Sequence[str]) -> list[int]:
    """The goal ids a submitted modal holds inputs for, in order, each once."""
    found = (_GOAL_BLOCK.match(block_id) for block_id in block_ids)
    return list(dict.fromkeys(int(match.group(1)) for match in found if match))


def _select(choices: Mapping[str, str], initial: str | None, placeholder: str) -> Any:
    options = [Option(value=value, text=truncate(text, 75)) for value, text in choices.items()]
    return StaticSelectElement(
        action_id="select",
        placeholder=placeholder,
        options=options,
        initial_option=next((option for option in options if option.value == initial), None),
    )


def _text(initial: str | None, *, max_length: int, multiline: bool = False) -> Any:
    return PlainTextInputElement(
        action_id="text", initial_value=initial or None, max_length=max_length, multiline=multiline
    )


def _question(question: Question, answers: Mapping[str, str]) -> InputBlock:
    previous = answers.get(question.key)
    hint = None
    if question.kind == "mood":
        element = _select(
            {str(mood): texts.MOOD_LABELS[mood] for mood in MOODS},
            previous,
            texts.MOOD_PLACEHOLDER,
        )
    elif question.kind == "number":
        element = _text(previous, max_length=NUMBER_MAX_CHARS)
        hint = texts.NUMBER_HINT
    else:
        element = _text(previous, max_length=ANSWER_MAX_CHARS, multiline=True)
    return InputBlock(
        block_id=question_block(question.key),
        label=truncate(question.text, LABEL_MAX),
        element=element,
        hint=hint,
        optional=not question.required,
    )


def _goal(goal: Goal) -> list[InputBlock]:
    assert goal.id is not None
    label = truncate(texts.goal_label(goal.number, goal.title), LABEL_MAX)
    if goal.measure == "milestone":
        value = InputBlock(
            block_id=value_block(goal.id),
            label=label,
            element=_select(
                texts.MILESTONE_CHOICES, "1" if goal.current_value >= 1 else "0", "Done?"
            ),
        )
    else:
        value = InputBlock(
            block_id=value_block(goal.id),
            label=label,
            element=_text(format_number(goal.current_value), max_length=VALUE_MAX_CHARS),
            hint=texts.value_hint(
                format_value(goal.current_value, goal.unit),
                format_value(goal.target_value, goal.unit),
            ),
        )
    confidence = InputBlock(
        block_id=confidence_block(goal.id),
        label=texts.confidence_label(goal.number),
        element=_select(
            {str(n): str(n) for n in CONFIDENCES},
            str(goal.confidence),
            texts.CONFIDENCE_PLACEHOLDER,
        ),
    )
    return [value, confidence]


def _key_result(goal: Goal, key_result: KeyResult) -> InputBlock:
    assert key_result.id is not None
    label = okr_texts.checkin_confidence_label(goal.number, key_result.position, key_result.title)
    return InputBlock(
        block_id=key_result_block(key_result.id),
        label=truncate(label, LABEL_MAX),
        element=_select(
            {str(n): str(n) for n in CONFIDENCES},
            str(key_result.confidence) if key_result.confidence else None,
            texts.CONFIDENCE_PLACEHOLDER,
        ),
        optional=True,
    )


def _key_results(key_results: Sequence[tuple[Goal, KeyResult]]) -> list[Any]:
    if not key_results:
        return []
    blocks: list[Any] = [
        ContextBlock(elements=[MarkdownTextObject(text=okr_texts.CONFIDENCE_HINT)])
    ]
    blocks += [_key_result(goal, kr) for goal, kr in key_results[:MAX_KEY_RESULTS_ASKED]]
    if len(key_results) > MAX_KEY_RESULTS_ASKED:
        more = okr_texts.checkin_more(len(key_results) - MAX_KEY_RESULTS_ASKED)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    return blocks


def _goal_section(
    question: Question,
    goals: Sequence[Goal],
    key_results: Sequence[tuple[Goal, KeyResult]] = (),
) -> list[Any]:
    """The goals question's heading, the goal inputs and the confidence of each key result;
    nothing when there are neither goals nor key results."""
    if not goals and not key_results:
        return []
    heading = truncate(question.text.strip() or texts.GOALS_HEADER, 150)
    blocks: list[Any] = [DividerBlock(), HeaderBlock(text=heading)]
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=texts.GOALS_HELP)]))
    for goal in goals[:MAX_GOALS]:
        blocks += _goal(goal)
    if len(goals) > MAX_GOALS:
        more = texts.more_goals(len(goals) - MAX_GOALS)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    return blocks + _key_results(key_results)


def build_checkin_answer_modal(
    *,
    metadata: dict[str, Any],
    week: str,
    intro: str,
    questions: Sequence[Question],
    answers: Mapping[str, str],
    goals: Sequence[Goal],
    setup_name: str | None = None,
    key_results: Sequence[tuple[Goal, KeyResult]] = (),
) -> dict[str, Any]:
    """The modal for one check-in; ``answers`` prefill a second opening. The goals go where
    the round's goals question is, at most ``MAX_GOALS`` of them, the rest counted in a
    "see all" line. A named setup (``setup_name``, as typed: the title is plain text) titles
    the modal; the default one reads "Check-in week of 30 Nov"."""
    blocks: list[Any] = [SectionBlock(text=MarkdownTextObject(text=truncate(intro, 3000)))]
    goals_shown = False
    for question in questions:
        if question.kind != "goals":
            blocks.append(_question(question, answers))
        elif not goals_shown:  # one set of goal inputs, under the first goals question
            goals_shown = True
            blocks += _goal_section(question, goals, key_results)
    view = View(
        type="modal",
        callback_id=CHECKIN_FORM_CALLBACK,
        title=truncate(texts.modal_title(week, setup_name), 24),
        submit=texts.MODAL_SUBMIT,
        close=texts.MODAL_CLOSE,
        private_metadata=json.dumps(metadata),
        blocks=blocks,
    )
    return view.to_dict()


def first_input_block(view: Mapping[str, Any]) -> str:
    """Where a message about the whole form goes: Slack shows errors on input blocks only."""
    for block in view.get("blocks") or []:
        if block.get("type") == "input" and block.get("block_id"):
            return str(block["block_id"])
    return question_block("")
