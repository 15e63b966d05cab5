"""Survey results as rows for a spreadsheet: aggregates only, never single answers.

Comments are not exported (only how many there were): a file travels further than a Slack
message and keeps whatever a comment gave away about its author.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from bot.pulse.results import (
    ChoiceResult,
    EnpsResult,
    QuestionResult,
    ScaleResult,
    SurveyResults,
    TextResult,
    Withheld,
)

EXPORT_HEADER = ("question_key", "question", "kind", "measure", "value")


@dataclass(frozen=True)
class ExportRow:
    question_key: str
    question: str
    kind: str
    measure: str
    value: int | float | str


def export_rows(results: SurveyResults | Withheld) -> list[ExportRow] | Withheld:
    if isinstance(results, Withheld):
        return results
    rows = [ExportRow("", "", "survey", "responses", results.responses)]
    for result in results.questions:
        rows.extend(
            ExportRow(result.key, result.text, kind, measure, value)
            for kind, measure, value in _measures(result)
        )
    return rows


def export_csv(results: SurveyResults | Withheld) -> str | Withheld:
    rows = export_rows(results)
    if isinstance(rows, Withheld):
        return rows
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_HEADER)
    for row in rows:
        cells = (row.question_key, row.question, row.kind, row.measure)
        writer.writerow([*(_safe_cell(cell) for cell in cells), row.value])
    return buffer.getvalue()


def _safe_cell(text: str) -> str:
    # A cell starting like a formula would run in a spreadsheet (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _measures(result: QuestionResult) -> list[tuple[str, str, int | float | str]]:
    if isinstance(result, ScaleResult):
        mean: list[tuple[str, str, int | float | str]] = (
            [] if result.mean is None else [("scale", "mean", result.mean)]
        )
        spread = [("scale", f"answered {value}", n) for value, n in result.distribution.items()]
        return [("scale", "count", result.count), *mean, *spread]
    if isinstance(result, EnpsResult):
        score: list[tuple[str, str, int | float | str]] = (
            [] if result.score is None else [("enps", "score", result.score)]
        )
        groups = [
            ("enps", "promoters", result.promoters),
            ("enps", "passives", result.passives),
            ("enps", "detractors", result.detractors),
        ]
        spread = [("enps", f"answered {value}", n) for value, n in result.distribution.items()]
        return [("enps", "count", result.count), *score, *groups, *spread]
    if isinstance(result, ChoiceResult):
        options = [("choice", f"option {option}", n) for option, n in result.counts.items()]
        return [("choice", "count", result.count), *options]
    assert isinstance(result, TextResult)
    return [("text", "comments", result.count)]
