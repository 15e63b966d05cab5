"""How a repeating survey's scores move from round to round.

Each round goes through the results gate on its own; a round that did not reach its
threshold (or is still open) contributes nothing but its count of withheld rounds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.pulse.questions import Question, QuestionKind
from bot.pulse.results import AnswerRecord, EnpsResult, ScaleResult, SurveyResults, release


@dataclass(frozen=True)
class SeriesRound:
    """One round of a series, as loaded from storage."""

    number: int
    opens_on: date
    questions: tuple[Question, ...]
    answers: tuple[AnswerRecord, ...]
    threshold: int
    survey_open: bool


@dataclass(frozen=True)
class TrendPoint:
    """A released round: the mean of each scale question and the score of each eNPS one."""

    number: int
    opens_on: date
    responses: int
    scores: dict[str, float | int | None]


@dataclass(frozen=True)
class SeriesTrend:
    questions: tuple[Question, ...]  # the scored questions, as the newest round asks them
    points: tuple[TrendPoint, ...]  # oldest first
    withheld_rounds: int


def series_trend(rounds: Sequence[SeriesRound]) -> SeriesTrend:
    points = []
    scored: dict[str, Question] = {}
    for series_round in sorted(rounds, key=lambda item: (item.opens_on, item.number)):
        released = release(
            series_round.questions,
            series_round.answers,
            threshold=series_round.threshold,
            survey_open=series_round.survey_open,
            with_comments=False,
        )
        for question in series_round.questions:
            if question.kind in (QuestionKind.SCALE, QuestionKind.ENPS):
                scored[question.key] = question
        if isinstance(released, SurveyResults):
            points.append(_point(series_round, released))
    return SeriesTrend(
        questions=tuple(scored.values()),
        points=tuple(points),
        withheld_rounds=len(rounds) - len(points),
    )


def _point(series_round: SeriesRound, results: SurveyResults) -> TrendPoint:
    scores: dict[str, float | int | None] = {}
    for result in results.questions:
        if isinstance(result, ScaleResult):
            scores[result.key] = result.mean
        elif isinstance(result, EnpsResult):
            scores[result.key] = result.score
    return TrendPoint(
        number=series_round.number,
        opens_on=series_round.opens_on,
        responses=results.responses,
        scores=scores,
    )
