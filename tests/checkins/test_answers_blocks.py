"""The check-in modal and the shared thread replies stay inside Slack's limits, whatever
people type and however many goals they have."""

from __future__ import annotations

import html
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from bot.checkins.answer_form import read_answer_form
from bot.checkins.blocks.answer_modal import build_checkin_answer_modal, goal_ids_in
from bot.checkins.blocks.thread import build_shared_answer, split_text
from bot.checkins.settings import Question
from bot.core.text_input import escape_mrkdwn
from bot.slack.forms import SubmittedForm
from fakeslack import validate_message, validate_view
from storage.models import Goal

QUESTIONS = [
    Question(key=f"q{n}", text=f"Question {n} <with> & marks?", required=n == 0) for n in range(5)
] + [
    Question(key="mood", text="Mood?", kind="mood", required=False),
    Question(key="goals", text="Your goals", kind="goals", required=False),
]


def goal(number: int, current_value: float) -> Goal:
    return Goal(
        id=100 + number,
        team_id="T0001",
        number=number,
        title=f"Goal number {number} " + "x" * 120,
        level="personal",
        owner_id="U1",
        created_by="U1",
        start_date=date(2026, 1, 1),
        due_date=date(2026, 12, 31),
        target_value=2_000_000,
        current_value=current_value,
    )


@given(
    st.text(alphabet="ab <>&\n", max_size=9000),
    st.integers(min_value=200, max_value=3000),
)
def test_split_text_keeps_every_piece_within_the_limit_and_entities_whole(
    raw: str, limit: int
) -> None:
    text = escape_mrkdwn(raw)
    pieces = split_text(text, limit - 100, limit)
    assert all(0 < len(piece) <= limit for piece in pieces)
    assert all(len(piece) <= limit - 100 for piece in pieces[:1])
    for piece in pieces:
        assert html.escape(html.unescape(piece), quote=False) == piece  # no cut entity
    assert "".join(pieces).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace(
        "\n", ""
    )


def test_the_longest_answers_are_split_across_thread_replies_within_limits() -> None:
    answers = {question.key: "<&" * 1500 for question in QUESTIONS if question.kind == "text"}
    answers["mood"] = "3"
    messages = build_shared_answer(
        name="Max <Member>",
        week="2026-W49",
        questions=QUESTIONS,
        answers=answers,
        late=True,
        updated=False,
    )
    assert len(messages) > 1
    for message in messages:
        assert validate_message(dict(message)) == []
        assert all(len(b["text"]["text"]) <= 3000 for b in message["blocks"] if "text" in b)
    shown = "".join(str(b) for message in messages for b in message["blocks"])
    assert shown.count("&lt;&amp;") == 5 * 1500
    assert "*Max &lt;Member&gt;* · _late_" in str(messages[0]["blocks"][0])
    assert "3 · Okay" in shown and "Question 0 &lt;with&gt; &amp; marks?" in shown


def test_the_modal_shows_ten_goals_and_counts_the_rest() -> None:
    goals = [goal(n, 1_234_567.5) for n in range(1, 13)]
    answers = {question.key: "y" * 3000 for question in QUESTIONS if question.kind == "text"}
    view = build_checkin_answer_modal(
        metadata={"delivery": 1, "response_url": "https://hooks.slack.invalid/x"},
        week="2026-W49",
        intro="*2026-W49.*",
        questions=QUESTIONS,
        answers={**answers, "mood": "2"},
        goals=goals,
    )
    assert validate_view(view) == []
    ids = goal_ids_in([str(b.get("block_id")) for b in view["blocks"]])
    assert ids == [101 + n for n in range(10)]
    assert "and 2 more: `/goal list`" in str(view["blocks"][-1])
    value = next(b for b in view["blocks"] if b.get("block_id") == "goal:101:value")
    assert value["element"]["initial_value"] == "1,234,567.5"
    state = {
        "goal:101:value": value["element"]["initial_value"],
        "goal:101:confidence": "7",
    }
    draft = read_answer_form(
        SubmittedForm(
            {
                "state": {
                    "values": {
                        block_id: {"input": {"type": "plain_text_input", "value": text}}
                        for block_id, text in {"q:q0": "Done", **state}.items()
                    }
                }
            }
        ),
        questions=QUESTIONS,
        goal_ids=[101],
        goals={101: goals[0]},
    )
    assert draft.goals[0].value == goals[0].current_value  # the prefill reads back unchanged
    assert draft.answers == {"q0": "Done"} and draft.mood is None
