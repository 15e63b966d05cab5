"""The kinds of check-in question through the real app: a number (checked, kept as people
read it, shown in history), and the goals question that places the goal inputs (none
without it)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.checkins.settings import CheckinSettings, Question
from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from tests.checkins.answer_helpers import (
    add_member_goals,
    add_people,
    answers,
    block,
    form_errors,
    open_modal,
    prompt_round,
    prompt_value,
    set_settings,
)
from tests.checkins.command_helpers import checkin
from tests.conftest import drain_background_tasks
from tests.slack_requests import MEMBER_ID, SlackSender

W49 = "2026-W49"
NO_GOALS = [
    Question(key="done", text="What got done?"),
    Question(key="calls", text="How many calls did you make?", kind="number"),
    Question(key="hours", text="Hours on support?", kind="number", required=False),
    Question(key="mood", text="Your week, 1 to 5?", kind="mood", required=False),
]


async def _submitted(
    slack: SlackSender, fake_slack: FakeSlack, view: dict[str, Any], answers: dict[str, Any]
) -> None:
    """Submit the modal and wait for its confirmation, so a command after reads its own."""
    before = len(fake_slack.calls_to("response_url"))
    response = await slack.submit_view(view, answers, user_id=MEMBER_ID)
    assert response.status_code == 200 and response.text == ""
    await drain_background_tasks()
    await fake_slack.wait_for("response_url", before + 1)


async def _prompted(runtime: Runtime, fake_slack: FakeSlack, questions: list[Question]) -> str:
    await add_people(runtime)
    await add_member_goals(runtime)
    await set_settings(runtime, CheckinSettings(questions=questions))
    await prompt_round(runtime, fake_slack)
    return prompt_value(fake_slack, MEMBER_ID, W49)


def _goal_inputs(view: dict[str, Any]) -> list[str]:
    return [
        str(b["block_id"]) for b in view["blocks"] if str(b.get("block_id")).startswith("goal:")
    ]


def _headers(view: dict[str, Any]) -> list[str]:
    return [b["text"]["text"] for b in view["blocks"] if b["type"] == "header"]


async def test_a_round_without_a_goals_question_has_no_goal_inputs(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    value = await _prompted(runtime, fake_slack, NO_GOALS)
    view = await open_modal(slack, fake_slack, value)
    assert _goal_inputs(view) == [] and _headers(view) == []
    inputs = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    assert inputs == ["q:done", "q:calls", "q:hours", "q:mood"]
    calls = block(view, "q:calls")
    assert calls["element"]["type"] == "plain_text_input"
    assert not calls["element"].get("multiline")
    assert "12,500" in calls["hint"]["text"] and calls["optional"] is False
    assert block(view, "q:hours")["optional"] is True


async def test_the_goal_inputs_stand_where_the_goals_question_is(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    questions = [
        Question(key="goals", text="First, your goals", kind="goals", required=False),
        Question(key="done", text="What got done?"),
    ]
    value = await _prompted(runtime, fake_slack, questions)
    view = await open_modal(slack, fake_slack, value)
    ids = [str(b.get("block_id")) for b in view["blocks"] if b["type"] == "input"]
    assert ids[-1] == "q:done" and ids[0].startswith("goal:") and "q:goals" not in ids
    assert _headers(view) == ["First, your goals"]
    assert len(_goal_inputs(view)) == 4  # a number goal and a milestone, value and confidence


async def test_the_default_questions_keep_the_goals_after_the_others(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    await add_member_goals(runtime)
    await prompt_round(runtime, fake_slack)
    view = await open_modal(slack, fake_slack, prompt_value(fake_slack, MEMBER_ID, W49))
    ids = [str(b.get("block_id")) for b in view["blocks"] if b["type"] == "input"]
    assert ids[:4] == ["q:moved", "q:blockers", "q:next", "q:mood"]
    assert all(block_id.startswith("goal:") for block_id in ids[4:]) and len(ids) == 8
    assert _headers(view) == ["Update your goals' progress"]


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("a dozen", "That is not a number."),
        ("12 calls", "That is not a number."),
        ("3,5", "That is not a number."),
        ("", "Please answer with a number"),
        ("1e400", "That is not a number."),
        ("99999999999999", "too large; keep it below 1,000,000,000,000"),
        ("-2,000b", "too large"),
    ],
)
async def test_a_number_answer_must_be_a_number_of_sensible_size(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, typed: str, error: str
) -> None:
    value = await _prompted(runtime, fake_slack, NO_GOALS)
    view = await open_modal(slack, fake_slack, value)
    response = await slack.submit_view(
        view, {"q:done": "Demos", "q:calls": typed or None, "q:hours": "x"}, user_id=MEMBER_ID
    )
    errors = form_errors(response)
    assert error in errors["q:calls"]
    assert "That is not a number." in errors["q:hours"]  # an optional number is checked too
    assert await answers(runtime) == []


async def test_number_answers_are_kept_as_people_read_them_and_shown_in_history(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    value = await _prompted(runtime, fake_slack, NO_GOALS)
    view = await open_modal(slack, fake_slack, value)
    await _submitted(
        slack, fake_slack, view, {"q:done": "Demos", "q:calls": " 1.2k ", "q:hours": None}
    )
    [saved] = await answers(runtime)
    assert saved.answers == {"done": "Demos", "calls": "1,200"}
    shown = await checkin(slack, fake_slack, "history", MEMBER_ID)
    assert "*How many calls did you make?* 1,200" in shown
    assert "*Hours on support?* _no answer_" in shown
    again = await open_modal(slack, fake_slack, value)
    assert block(again, "q:calls")["element"]["initial_value"] == "1,200"


async def test_history_leaves_the_goals_question_out(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    await prompt_round(runtime, fake_slack)
    view = await open_modal(slack, fake_slack, prompt_value(fake_slack, MEMBER_ID, W49))
    await _submitted(
        slack, fake_slack, view, {"q:moved": "Shipped", "q:next": "More", "q:mood": "4"}
    )
    shown = await checkin(slack, fake_slack, "history", MEMBER_ID)
    assert "Shipped" in shown and "Update your goals" not in shown
