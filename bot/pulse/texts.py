"""What Northstar says about pulse surveys and anonymous feedback."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.text_input import echo


def _listed(problems: Sequence[str]) -> str:
    return " ".join(problems)


# --- building a survey -----------------------------------------------------------------------

TITLE_MISSING = "Give the survey a title."
NO_QUESTIONS = "Add at least one question."
NOT_AWARE = "Give the open and close times with a time zone."
CLOSES_BEFORE_OPENS = "The survey must close after it opens."
CLOSES_IN_PAST = "The close time has already passed; choose a later one."


def title_too_long(limit: int) -> str:
    return f"Keep the title to {limit} characters or fewer."


def too_many_questions(limit: int) -> str:
    return f"A survey has at most {limit} questions."


def duplicate_question(key: str) -> str:
    return f"The question {echo(key)} is in the survey twice; keep one."


def threshold_too_low(floor: int) -> str:
    return (
        f"The minimum number of responses must be at least {floor}, so that no one's answers "
        "can be picked out."
    )


def threshold_too_high(ceiling: int) -> str:
    return f"The minimum number of responses can be at most {ceiling}."


def unknown_repeat(value: str, allowed: Sequence[str]) -> str:
    return f"{echo(value)} is not a repeat; choose one of {', '.join(allowed)}."


def window_longer_than_repeat(repeat: str, days: int) -> str:
    return (
        f"A survey that repeats {repeat} must close within {days} days of opening, "
        "before the next round opens."
    )


def no_such_teams(refs: Sequence[int]) -> str:
    return f"These teams do not exist any more: {', '.join(str(ref) for ref in refs)}."


def _audience_rule(needed: int, min_responses: int) -> str:
    return (
        f"A survey with a minimum of {min_responses} responses must go to at least {needed} "
        "people besides its creator (twice the minimum), so that nobody's answer can be worked "
        "out from a few known ones. The creator does not count: they know their own answer."
    )


def audience_too_small(audience: int, needed: int, min_responses: int) -> str:
    return (
        f"This survey would go to {audience} people besides you. "
        f"{_audience_rule(needed, min_responses)} Choose more teams, ask everyone, or lower "
        "the minimum."
    )


def survey_not_opened(
    ref: str, title: str, audience: int, needed: int, min_responses: int, *, repeats: bool
) -> str:
    then = (
        "Its next round is scheduled and opens only if enough people are in its teams by then."
        if repeats
        else "Create it again with `/pulse new` when its teams have grown, or ask everyone."
    )
    return (
        f":warning: *{ref} {title}* did not open: it would have gone to only {audience} "
        f"people besides you, so nobody was asked. {_audience_rule(needed, min_responses)} "
        f"{then}"
    )


# --- questions -------------------------------------------------------------------------------

QUESTION_TEXT_MISSING = "Write the question."
OPTIONS_ONLY_FOR_CHOICE = "Only a single-choice question has options."


def question_too_long(limit: int) -> str:
    return f"Keep each question to {limit} characters or fewer."


def options_count(low: int, high: int) -> str:
    return f"A single-choice question needs {low} to {high} options."


def option_too_long(limit: int) -> str:
    return f"Keep each option to {limit} characters or fewer, and none empty."


DUPLICATE_OPTIONS = "Each option of a single-choice question must be different."


def unknown_bank_question(key: str, keys: Sequence[str]) -> str:
    return f"There is no built-in question {echo(key)}; the built-in ones are {', '.join(keys)}."


def bad_question(position: int, problems: Sequence[str]) -> str:
    return f"Question {position}: {_listed(problems)}"


# --- answering -------------------------------------------------------------------------------

ALREADY_ANSWERED = (
    "You have already answered this survey. Your answer is anonymous, so nobody, you included, "
    "can see or change it."
)
NOT_INVITED = "This survey was not sent to you, so it cannot take your answer."
SURVEY_NOT_OPEN = "This survey is not open for answers."


def answer_required(question: str) -> str:
    return f"Please answer {echo(question, limit=80)}"


def scale_answer(question: str, low: int, high: int) -> str:
    return f"Answer {echo(question, limit=80)} with a number from {low} to {high}."


def choice_answer(question: str) -> str:
    return f"Choose one of the options for {echo(question, limit=80)}"


def text_answer_too_long(question: str, limit: int) -> str:
    return f"Keep your answer to {echo(question, limit=80)} to {limit} characters or fewer."


def unknown_question(key: str) -> str:
    return f"This survey has no question {echo(key)}."


def no_comment_to_reply() -> str:
    return "This comment's author did not ask for replies, or the survey no longer exists."


# --- thresholds ------------------------------------------------------------------------------


def threshold_not_lowered(current: int) -> str:
    return (
        f"Answers have come in, so the minimum number of responses can only go up from "
        f"{current}: lowering it could reveal answers that were hidden."
    )


# --- feedback --------------------------------------------------------------------------------

FEEDBACK_EMPTY = "Write your feedback after `/pulse feedback`."
THREAD_CLOSED = "This conversation is closed; start a new one with `/pulse feedback`."
NOT_THREAD_AUTHOR = "Only the person who started this conversation can do that."
NO_SUCH_THREAD = "There is no such anonymous conversation."
NO_TEAM_LEAD = "That team has no lead to send feedback to; send it to the admins instead."
NO_ADMINS = "Northstar has no other admin to send feedback to."
OWN_THREAD = "You started this conversation, so answer it as its author."


def feedback_too_long(limit: int) -> str:
    return f"Keep your message to {limit} characters or fewer."


def not_thread_recipient(code: str) -> str:
    return f"Only the people Anonymous #{code} wrote to can reply."
