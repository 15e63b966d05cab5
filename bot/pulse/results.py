"""Survey results, computed from anonymous answers behind one gate.

``release`` is the only way to get a ``SurveyResults``, and ``SurveyResults`` cannot exist
with fewer answers than its threshold. Everything shown from a survey (results, comments,
charts, breakdowns, trends, exports, digest lines) is built from a ``SurveyResults``, so the
gate below is the one place that decides whether anything is shown at all.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from bot.pulse.questions import ENPS_RANGE, SCALE_RANGE, Question, QuestionKind
from storage.models import SURVEY_MIN_RESPONSES_FLOOR

PROMOTER_FROM, DETRACTOR_UP_TO = 9, 6  # eNPS: 9-10 promote, 7-8 are passive, 0-6 detract


@dataclass(frozen=True)
class Withheld:
    """Nothing is shown: ``count`` answers of the ``threshold`` needed, or still open.

    Results are released only after a survey closes, so that two looks at a growing set of
    answers cannot be subtracted to find the answers that came in between.
    """

    count: int
    threshold: int
    survey_open: bool = False


@dataclass(frozen=True)
class AnswerRecord:
    """One anonymous answer as results need it: values by question key, and the reply tokens
    of comments whose author asked for replies. (Stored answers hold no comments: those come
    to ``release`` on their own, as ``comments``.)"""

    answers: Mapping[str, int | str]
    reply_tokens: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ScaleResult:
    key: str
    text: str
    count: int
    mean: float | None  # two decimals
    distribution: dict[int, int]  # every value 1..5, zeros included


@dataclass(frozen=True)
class EnpsResult:
    key: str
    text: str
    count: int
    score: int | None  # % promoters - % detractors, whole number, -100..100
    promoters: int
    passives: int
    detractors: int
    distribution: dict[int, int]  # every value 0..10, zeros included


@dataclass(frozen=True)
class ChoiceResult:
    key: str
    text: str
    count: int
    counts: dict[str, int]  # every option, in the question's order


@dataclass(frozen=True)
class Comment:
    text: str
    reply_token: str | None = None  # set only when the author asked for replies


@dataclass(frozen=True)
class TextResult:
    key: str
    text: str
    count: int
    comments: tuple[Comment, ...]  # in random order; empty in team breakdowns


QuestionResult = ScaleResult | EnpsResult | ChoiceResult | TextResult


@dataclass(frozen=True)
class SurveyResults:
    """What may be shown of a survey; it cannot be made below its threshold."""

    responses: int
    threshold: int
    questions: tuple[QuestionResult, ...]

    def __post_init__(self) -> None:
        if withheld(self.responses, self.threshold, survey_open=False) is not None:
            raise ValueError("results below the threshold must not exist")


def withheld(count: int, threshold: int, *, survey_open: bool) -> Withheld | None:
    """The gate: a ``Withheld`` unless ``count`` reaches the threshold and answers are final.

    A threshold under the floor is treated as the floor, whatever was stored.
    """
    effective = max(threshold, SURVEY_MIN_RESPONSES_FLOOR)
    if survey_open or count < effective:
        return Withheld(count=count, threshold=effective, survey_open=survey_open)
    return None


def release(
    questions: Sequence[Question],
    answers: Sequence[AnswerRecord],
    *,
    threshold: int,
    survey_open: bool,
    rng: random.Random | None = None,
    with_comments: bool = True,
    comments: Mapping[str, Sequence[Comment]] | None = None,
) -> SurveyResults | Withheld:
    """Results of ``answers``, or ``Withheld`` when the gate says no.

    ``comments`` are the free-text answers by question, as stored apart from the answers;
    without them the text answers inside ``answers`` are used. Comments are shuffled with
    ``rng`` (the system's randomness unless a test injects one); ``with_comments=False``
    leaves them out, as team breakdowns and trends do.
    """
    gate = withheld(len(answers), threshold, survey_open=survey_open)
    if gate is not None:
        return gate
    shuffler = rng if rng is not None else random.SystemRandom()
    computed = tuple(
        question_result(
            question,
            answers,
            rng=shuffler,
            with_comments=with_comments,
            comments=None if comments is None else comments.get(question.key, ()),
        )
        for question in questions
    )
    return SurveyResults(
        responses=len(answers),
        threshold=max(threshold, SURVEY_MIN_RESPONSES_FLOOR),
        questions=computed,
    )


def question_result(
    question: Question,
    answers: Sequence[AnswerRecord],
    *,
    rng: random.Random,
    with_comments: bool,
    comments: Sequence[Comment] | None = None,
) -> QuestionResult:
    values = [record.answers[question.key] for record in answers if question.key in record.answers]
    if question.kind is QuestionKind.SCALE:
        numbers = [int(value) for value in values]
        return ScaleResult(
            key=question.key,
            text=question.text,
            count=len(numbers),
            mean=mean_of(numbers),
            distribution=distribution(numbers, SCALE_RANGE),
        )
    if question.kind is QuestionKind.ENPS:
        return enps_result(question, [int(value) for value in values])
    if question.kind is QuestionKind.CHOICE:
        counts = {option: 0 for option in question.options}
        for value in values:
            if value in counts:
                counts[str(value)] += 1
        return ChoiceResult(
            key=question.key, text=question.text, count=sum(counts.values()), counts=counts
        )
    written = (
        list(comments)
        if comments is not None
        else [
            Comment(text=str(comment), reply_token=record.reply_tokens.get(question.key))
            for record in answers
            if (comment := record.answers.get(question.key)) is not None
        ]
    )
    rng.shuffle(written)
    return TextResult(
        key=question.key,
        text=question.text,
        count=len(written),
        comments=tuple(written) if with_comments else (),
    )


def enps_result(question: Question, numbers: Sequence[int]) -> EnpsResult:
    promoters = sum(1 for number in numbers if number >= PROMOTER_FROM)
    detractors = sum(1 for number in numbers if number <= DETRACTOR_UP_TO)
    return EnpsResult(
        key=question.key,
        text=question.text,
        count=len(numbers),
        score=enps_score(promoters, detractors, len(numbers)),
        promoters=promoters,
        passives=len(numbers) - promoters - detractors,
        detractors=detractors,
        distribution=distribution(numbers, ENPS_RANGE),
    )


def enps_score(promoters: int, detractors: int, total: int) -> int | None:
    """% promoters minus % detractors, rounded half away from zero to a whole number."""
    if total == 0:
        return None
    return int(_rounded(Fraction(100 * (promoters - detractors), total), places=0))


def mean_of(numbers: Sequence[int]) -> float | None:
    """The mean to two decimals, rounded half away from zero (3.125 -> 3.13)."""
    if not numbers:
        return None
    return float(_rounded(Fraction(sum(numbers), len(numbers)), places=2))


def distribution(numbers: Sequence[int], scale: range) -> dict[int, int]:
    counts = dict.fromkeys(scale, 0)
    for number in numbers:
        if number in counts:
            counts[number] += 1
    return counts


def _rounded(value: Fraction, *, places: int) -> Decimal:
    # Exact: the fraction is scaled and rounded as an integer, never through a float.
    scaled = value * 10**places
    whole, remainder = divmod(abs(scaled.numerator), scaled.denominator)
    if 2 * remainder >= scaled.denominator:
        whole += 1
    signed = -whole if scaled < 0 else whole
    return (Decimal(signed) / Decimal(10**places)).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )
