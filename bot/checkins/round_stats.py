"""The counts a round's summary shows: how many answered of how many were asked, and per
question how many answered, the mood average, a number question's total and average. No
answer's text and no name is kept here: a summary quotes nobody."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.checkins.settings import Question
from bot.core.numbers import parse_number
from storage.models import CheckinAnswer, CheckinDelivery
from storage.states import CheckinState


@dataclass(frozen=True)
class QuestionStats:
    question: Question
    answered: int
    total: float | None = None  # number questions: the sum of the answers that are numbers
    average: float | None = None  # mood and number questions


@dataclass(frozen=True)
class RoundStats:
    invited: int
    answered: int
    skipped: int
    questions: list[QuestionStats]

    @property
    def missing(self) -> int:
        """Asked, and neither answered nor skipped."""
        return max(self.invited - self.answered - self.skipped, 0)


def round_stats(
    questions: Sequence[Question],
    deliveries: Sequence[CheckinDelivery],
    answers: Sequence[CheckinAnswer],
) -> RoundStats:
    answered_ids = {answer.delivery_id for answer in answers}
    asked = [d for d in deliveries if _asked(d, answered_ids)]
    skipped = sum(1 for d in asked if d.state == CheckinState.SKIPPED and d.id not in answered_ids)
    return RoundStats(
        invited=len(asked),
        answered=len(answers),
        skipped=skipped,
        questions=[
            _question_stats(question, answers) for question in questions if question.kind != "goals"
        ],
    )


def _asked(delivery: CheckinDelivery, answered_ids: set[int]) -> bool:
    """Prompted, or answered or skipped by the person anyway; not someone whose DM could not
    be sent, or whom Northstar skipped (paused, left, check-ins turned off: ``error`` says)."""
    if delivery.id in answered_ids or delivery.sent_at is not None:
        return True
    return delivery.state == CheckinState.SKIPPED and not delivery.error


def _question_stats(question: Question, answers: Sequence[CheckinAnswer]) -> QuestionStats:
    given = [text for answer in answers if (text := (answer.answers.get(question.key) or ""))]
    if question.kind == "text":
        return QuestionStats(question, len(given))
    if question.kind == "mood":
        moods = [int(text) for text in given if text.isdigit() and 1 <= int(text) <= 5]
        return QuestionStats(question, len(moods), average=_average(moods))
    numbers = [value for text in given if (value := parse_number(text)) is not None]
    total = sum(numbers) if numbers else None
    return QuestionStats(question, len(given), total=total, average=_average(numbers))


def _average(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None
