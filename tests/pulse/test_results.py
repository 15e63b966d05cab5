"""Survey statistics against hand-computed values, and the threshold gate on every output."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.pulse.chart import Chart, render_chart
from bot.pulse.export import export_csv, export_rows
from bot.pulse.questions import Question, QuestionKind, custom_question
from bot.pulse.results import (
    AnswerRecord,
    ChoiceResult,
    EnpsResult,
    ScaleResult,
    SurveyResults,
    TextResult,
    Withheld,
    enps_score,
    mean_of,
    release,
)
from bot.pulse.trend import SeriesRound, series_trend

SCALE = Question(key="direction", kind=QuestionKind.SCALE, text="I understand where we go.")
ENPS = Question(key="enps", kind=QuestionKind.ENPS, text="Would you recommend working here?")
CHOICE = custom_question(3, kind="choice", text="Best day?", options=("Mon", "Fri", "Wed"))
TEXT = custom_question(4, kind="text", text="Anything else?", required=False)
QUESTIONS = (SCALE, ENPS, CHOICE, TEXT)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _records(*rows: Mapping[str, int | str]) -> list[AnswerRecord]:
    return [AnswerRecord(answers=row) for row in rows]


def _only(results: SurveyResults | Withheld) -> SurveyResults:
    assert isinstance(results, SurveyResults), results
    return results


def _seven_answers() -> list[AnswerRecord]:
    scale = [5, 4, 4, 3, 2, 5, 1]
    enps = [10, 9, 8, 7, 6, 0, 10]
    choice = ["Mon", "Fri", "Mon", "Mon", "Fri", "Mon", "Fri"]
    comments = ["More demos", "", "Clearer OKRs", "", "", "Lunch", ""]
    rows = []
    for index in range(7):
        row: dict[str, int | str] = {"direction": scale[index], "enps": enps[index]}
        row[CHOICE.key] = choice[index]
        if comments[index]:
            row[TEXT.key] = comments[index]
        rows.append(row)
    return _records(*rows)


def test_scale_mean_and_distribution_match_the_hand_computation() -> None:
    # 5+4+4+3+2+5+1 = 24; 24 / 7 = 3.428… -> 3.43
    results = _only(release(QUESTIONS, _seven_answers(), threshold=5, survey_open=False))
    scale = results.questions[0]
    assert isinstance(scale, ScaleResult)
    assert (scale.count, scale.mean) == (7, 3.43)
    assert scale.distribution == {1: 1, 2: 1, 3: 1, 4: 2, 5: 2}


def test_enps_matches_the_hand_computation() -> None:
    # promoters 10, 9, 10 = 3; passives 8, 7 = 2; detractors 6, 0 = 2
    # 3/7 = 42.86 %, 2/7 = 28.57 %, difference 14.29 -> 14
    results = _only(release(QUESTIONS, _seven_answers(), threshold=5, survey_open=False))
    enps = results.questions[1]
    assert isinstance(enps, EnpsResult)
    assert (enps.promoters, enps.passives, enps.detractors, enps.score) == (3, 2, 2, 14)
    assert enps.distribution == {0: 1, 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 1, 7: 1, 8: 1, 9: 1, 10: 2}


def test_choice_counts_every_option_in_order() -> None:
    results = _only(release(QUESTIONS, _seven_answers(), threshold=5, survey_open=False))
    choice = results.questions[2]
    assert isinstance(choice, ChoiceResult)
    assert list(choice.counts.items()) == [("Mon", 4), ("Fri", 3), ("Wed", 0)]
    assert choice.count == 7


@pytest.mark.parametrize(
    ("promoters", "detractors", "total", "score"),
    [
        (3, 1, 5, 40),
        (4, 4, 10, 0),
        (3, 2, 8, 13),  # 12.5 rounds away from zero
        (2, 3, 8, -13),  # -12.5 too (Python's round() would give -12)
        (1, 0, 3, 33),
        (2, 0, 3, 67),
        (5, 0, 5, 100),
        (0, 5, 5, -100),
        (0, 0, 0, None),
    ],
)
def test_enps_score_rounding(
    promoters: int, detractors: int, total: int, score: int | None
) -> None:
    assert enps_score(promoters, detractors, total) == score


def test_a_mean_on_a_half_rounds_up_not_to_even() -> None:
    # 1+3+3+3+4+4+4+3 = 25; 25 / 8 = 3.125 -> 3.13 (a float round() gives 3.12)
    assert mean_of([1, 3, 3, 3, 4, 4, 4, 3]) == 3.13
    assert mean_of([]) is None


def test_comments_come_in_the_order_of_the_injected_random_generator() -> None:
    comments = [f"comment {index}" for index in range(8)]
    answers = _records(*({TEXT.key: comment} for comment in comments))
    results = _only(release([TEXT], answers, threshold=5, survey_open=False, rng=random.Random(7)))
    text = results.questions[0]
    assert isinstance(text, TextResult)
    expected = list(comments)
    random.Random(7).shuffle(expected)
    assert [comment.text for comment in text.comments] == expected
    assert expected != comments  # the shuffle did move them


def test_results_are_withheld_below_the_threshold_and_while_open() -> None:
    answers = _seven_answers()
    assert release(QUESTIONS, answers[:4], threshold=5, survey_open=False) == Withheld(4, 5)
    assert isinstance(
        release(QUESTIONS, answers[:5], threshold=5, survey_open=False), SurveyResults
    )
    assert release(QUESTIONS, answers, threshold=5, survey_open=True) == Withheld(7, 5, True)
    assert release(QUESTIONS, answers, threshold=8, survey_open=False) == Withheld(7, 8)


def test_a_stored_threshold_under_the_floor_counts_as_the_floor() -> None:
    assert release(QUESTIONS, _seven_answers()[:2], threshold=1, survey_open=False) == Withheld(
        2, 3
    )


def test_survey_results_cannot_be_made_below_the_threshold() -> None:
    with pytest.raises(ValueError, match="below the threshold"):
        SurveyResults(responses=4, threshold=5, questions=())
    with pytest.raises(ValueError, match="below the threshold"):
        SurveyResults(responses=2, threshold=2, questions=())


def test_export_rows_are_aggregates_and_pass_withheld_through() -> None:
    rows = export_rows(release(QUESTIONS, _seven_answers(), threshold=5, survey_open=False))
    assert not isinstance(rows, Withheld)
    measures = {(row.question_key, row.measure): row.value for row in rows}
    assert measures[("", "responses")] == 7
    assert measures[("direction", "mean")] == 3.43
    assert measures[("direction", "answered 4")] == 2
    assert measures[("enps", "score")] == 14
    assert measures[(CHOICE.key, "option Fri")] == 3
    assert measures[(TEXT.key, "comments")] == 3
    assert not any("More demos" in str(row) for row in rows)  # no comment text
    withheld = release(QUESTIONS, _seven_answers()[:3], threshold=5, survey_open=False)
    assert export_rows(withheld) == Withheld(3, 5)
    assert export_csv(withheld) == Withheld(3, 5)


def test_csv_export_defuses_cells_that_look_like_formulas() -> None:
    formula = Question(key="sneaky", kind=QuestionKind.SCALE, text="=HYPERLINK(evil)")
    answers = _records(*({"sneaky": 3} for _ in range(5)))
    text = export_csv(release([formula], answers, threshold=5, survey_open=False))
    assert isinstance(text, str)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["question_key", "question", "kind", "measure", "value"]
    assert ["sneaky", "'=HYPERLINK(evil)", "scale", "mean", "3.0"] in rows


def test_the_chart_is_a_png_whose_alt_text_carries_the_numbers() -> None:
    results = release(QUESTIONS, _seven_answers(), threshold=5, survey_open=False)
    chart = render_chart(results, title="P-4 Pulse $5 and $10")
    assert isinstance(chart, Chart)
    assert chart.png.startswith(PNG_MAGIC)
    assert len(chart.png) > 5_000
    assert "7 responses" in chart.alt_text
    assert "mean 3.43 of 5" in chart.alt_text
    assert "eNPS +14 (3 promoters, 2 passives, 2 detractors)" in chart.alt_text
    assert "Mon 4, Fri 3, Wed 0" in chart.alt_text


def test_no_chart_exists_below_the_threshold() -> None:
    withheld = release(QUESTIONS, _seven_answers()[:4], threshold=5, survey_open=False)
    assert render_chart(withheld, title="P-4") == Withheld(4, 5)


def test_a_survey_of_comments_only_still_charts() -> None:
    answers = _records(*({TEXT.key: f"c{index}"} for index in range(5)))
    chart = render_chart(release([TEXT], answers, threshold=5, survey_open=False), title="P-1")
    assert isinstance(chart, Chart) and chart.png.startswith(PNG_MAGIC)


def _round(number: int, answers: Sequence[AnswerRecord], *, open_: bool = False) -> SeriesRound:
    return SeriesRound(
        number=number,
        opens_on=date(2026, 1, number),
        questions=QUESTIONS,
        answers=tuple(answers),
        threshold=5,
        survey_open=open_,
    )


def test_the_trend_shows_only_rounds_that_met_their_threshold() -> None:
    high = _records(*({"direction": 5, "enps": 10} for _ in range(5)))
    low = _records(*({"direction": 2, "enps": 0} for _ in range(6)))
    trend = series_trend(
        [
            _round(3, low),
            _round(1, high),
            _round(2, high[:4]),  # below the threshold
            _round(4, high, open_=True),  # not final yet
        ]
    )
    assert [point.number for point in trend.points] == [1, 3]
    assert trend.points[0].scores == {"direction": 5.0, "enps": 100}
    assert trend.points[1].scores == {"direction": 2.0, "enps": -100}
    assert trend.withheld_rounds == 2
    assert [question.key for question in trend.questions] == ["direction", "enps"]


@given(st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=200))
def test_any_scale_mean_lies_between_1_and_5(values: list[int]) -> None:
    mean = mean_of(values)
    assert mean is not None and 1 <= mean <= 5
    assert abs(mean - sum(values) / len(values)) <= 0.005 + 1e-9


@given(st.lists(st.integers(min_value=0, max_value=10), min_size=5, max_size=200))
def test_any_enps_lies_between_minus_100_and_100_and_matches_decimal(values: list[int]) -> None:
    answers = _records(*({"enps": value} for value in values))
    results = _only(release([ENPS], answers, threshold=5, survey_open=False))
    enps = results.questions[0]
    assert isinstance(enps, EnpsResult) and enps.score is not None
    assert -100 <= enps.score <= 100
    assert enps.promoters + enps.passives + enps.detractors == len(values)
    assert sum(enps.distribution.values()) == len(values)
    exact = Decimal(100 * (enps.promoters - enps.detractors)) / Decimal(len(values))
    assert enps.score == int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@given(st.integers(min_value=0, max_value=30), st.integers(min_value=3, max_value=12))
def test_results_exist_exactly_when_the_count_reaches_the_threshold(
    count: int, threshold: int
) -> None:
    answers = _records(*({"direction": 3} for _ in range(count)))
    released = release([SCALE], answers, threshold=threshold, survey_open=False)
    assert isinstance(released, SurveyResults) == (count >= threshold)
