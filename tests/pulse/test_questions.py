"""The question bank, the question model, survey drafts and answer checking."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.core.errors import UserInputError
from bot.pulse.answer_checks import answer_problems, check_answers
from bot.pulse.questions import (
    BANK,
    BANK_KEYS,
    QuestionKind,
    SurveyDraft,
    bank_question,
    custom_question,
    load_questions,
    validate_draft,
)
from tests.pulse.helpers import CHOICE, COMMENT, NOW, QUESTIONS


def _draft(**changes: object) -> SurveyDraft:
    draft = SurveyDraft(
        title="  Alignment   pulse ",
        questions=QUESTIONS,
        opens_at=NOW,
        closes_at=NOW + timedelta(days=3),
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


def test_the_bank_holds_the_six_alignment_questions() -> None:
    assert [question.text for question in BANK] == [
        "I understand where the company is heading.",
        "I know how my work contributes to our goals.",
        "I get the information I need to do my job.",
        "My team's priorities are clear.",
        "Leaders act on feedback.",
        "How likely are you to recommend working here?",
    ]
    assert [question.kind for question in BANK] == [QuestionKind.SCALE] * 5 + [QuestionKind.ENPS]
    assert len(set(BANK_KEYS)) == 6
    assert bank_question("enps").kind is QuestionKind.ENPS
    with pytest.raises(UserInputError, match="no built-in question"):
        bank_question("salary")


def test_questions_survive_storage_as_json() -> None:
    stored = [question.model_dump(mode="json") for question in QUESTIONS]
    assert load_questions(stored) == QUESTIONS


@pytest.mark.parametrize(
    ("kind", "text", "options", "message"),
    [
        ("choice", "Pick one", (), "needs 2 to 10 options"),
        ("choice", "Pick one", ("Only",), "needs 2 to 10 options"),
        ("choice", "Pick one", tuple(str(n) for n in range(11)), "needs 2 to 10 options"),
        ("choice", "Pick one", ("A", "x" * 76), "75 characters"),
        ("choice", "Pick one", ("Same", "same"), "must be different"),
        ("scale", "Agree?", ("A", "B"), "Only a single-choice question has options"),
        ("text", "", (), "Write the question"),
        ("text", "x" * 151, (), "150 characters"),
    ],
)
def test_a_custom_question_that_does_not_fit_its_kind_is_refused(
    kind: str, text: str, options: tuple[str, ...], message: str
) -> None:
    with pytest.raises(UserInputError, match=message) as raised:
        custom_question(3, kind=kind, text=text, options=options)
    assert raised.value.message.startswith("Question 3: ")


def test_a_custom_question_gets_a_key_from_its_position() -> None:
    question = custom_question(4, kind="choice", text=" Office? ", options=(" Yes ", "No"))
    assert (question.key, question.text, question.options) == ("custom_4", "Office?", ("Yes", "No"))


def test_a_good_draft_comes_back_tidied() -> None:
    draft = validate_draft(_draft(team_refs=(3, 1, 3)), now=NOW)
    assert draft.title == "Alignment pulse"
    assert draft.team_refs == (1, 3)
    assert draft.min_responses == 5


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "   "}, "Give the survey a title."),
        ({"title": "x" * 151}, "150 characters"),
        ({"questions": ()}, "Add at least one question."),
        ({"questions": (*BANK, *BANK[:5])}, "at most 10 questions"),
        ({"questions": (BANK[0], BANK[0])}, "twice"),
        ({"closes_at": NOW}, "must close after it opens"),
        ({"opens_at": NOW - timedelta(days=9), "closes_at": NOW}, "already passed"),
        ({"opens_at": NOW.replace(tzinfo=None)}, "time zone"),
        ({"min_responses": 2}, "at least 3"),
        ({"min_responses": 10_001}, "at most 10000"),
        ({"repeat": "daily"}, "not a repeat"),
        ({"repeat": "weekly", "closes_at": NOW + timedelta(days=8)}, "within 7 days"),
    ],
)
def test_a_bad_draft_is_refused_with_a_sentence(changes: dict[str, object], message: str) -> None:
    with pytest.raises(UserInputError, match=message):
        validate_draft(_draft(**changes), now=NOW)


def test_every_problem_of_a_draft_is_named_at_once() -> None:
    with pytest.raises(UserInputError) as raised:
        validate_draft(_draft(title="", questions=(), min_responses=1), now=NOW)
    assert "title" in raised.value.message
    assert "at least one question" in raised.value.message
    assert "at least 3" in raised.value.message


def test_answers_are_checked_against_their_questions() -> None:
    submitted = {"direction": "4", "enps": 10, CHOICE.key: "Fri", COMMENT.key: "  fine  "}
    submitted |= {key: 3 for key in ("contribution", "information", "priorities", "leaders_act")}
    answers = check_answers(QUESTIONS, submitted)
    assert answers["direction"] == 4
    assert answers["enps"] == 10
    assert answers[CHOICE.key] == "Fri"
    assert answers[COMMENT.key] == "fine"


def test_an_optional_question_left_empty_is_left_out() -> None:
    submitted = {question.key: 3 for question in BANK[:5]} | {"enps": 0, CHOICE.key: "Mon"}
    assert COMMENT.key not in check_answers(QUESTIONS, submitted | {COMMENT.key: "   "})


def test_each_wrong_answer_is_named_by_its_question() -> None:
    submitted = {"direction": 6, "enps": "-1", CHOICE.key: "Sunday", "bogus": 1, "priorities": True}
    problems = answer_problems(QUESTIONS, submitted)
    assert problems["direction"].startswith("Answer `I understand where the company")
    assert "from 1 to 5" in problems["direction"]
    assert "from 0 to 10" in problems["enps"]
    assert "Choose one of the options" in problems[CHOICE.key]
    assert "no question `bogus`" in problems["bogus"]
    assert "from 1 to 5" in problems["priorities"]  # a bool is not a number here
    assert problems["contribution"].startswith("Please answer")
    assert COMMENT.key not in problems  # optional
    with pytest.raises(UserInputError):
        check_answers(QUESTIONS, submitted)


def test_a_comment_longer_than_the_limit_is_refused() -> None:
    submitted = {question.key: 3 for question in BANK[:5]} | {"enps": 5, CHOICE.key: "Mon"}
    problems = answer_problems(QUESTIONS, submitted | {COMMENT.key: "x" * 3001})
    assert "3000 characters" in problems[COMMENT.key]
    assert not answer_problems(QUESTIONS, submitted | {COMMENT.key: "x" * 3000})
