"""Turn stored values into CSV cells for the workspace export, and survey results into rows.

A cell never starts like a spreadsheet formula, KPI sources are described without their query
strings or credentials, and team row ids become team names.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.core.refs import format_ref
from bot.digest.model import COMPANY_SCOPE
from bot.kpis.source_data import source_from_data
from bot.kpis.sources import SourceError, describe
from bot.pulse.export import ExportRow
from bot.pulse.reports import SURVEY_PREFIX
from bot.pulse.results import Withheld

Cell = str | int | float
SURVEY_RESULTS_COLUMNS = (
    "survey",
    "survey_title",
    "question_key",
    "question",
    "kind",
    "measure",
    "value",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    # A cell starting like a formula would run in a spreadsheet (CSV injection).
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def cell(value: Any) -> Cell:
    """One stored value as a CSV cell: ISO dates, JSON for structures, plain numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return spreadsheet_safe(json.dumps(value, ensure_ascii=False, sort_keys=True))
    return spreadsheet_safe(str(value))


def describe_kpi_source(stored: Any) -> str:
    """Where a KPI's values come from, without the address's query string or credentials."""
    try:
        source = source_from_data(stored)
    except SourceError:
        return "unreadable source"
    return describe(source) if source is not None else ""


@dataclass(frozen=True)
class Lookups:
    """What some columns need to be shown by name: team names by row id."""

    team_names: Mapping[int, str]

    def team(self, ref: Any) -> str:
        return self.team_names.get(ref, "(deleted team)") if isinstance(ref, int) else ""

    def audience(self, refs: Any) -> str:
        if not refs:
            return "everyone"
        return "; ".join(self.team(ref) for ref in refs) if isinstance(refs, list) else ""

    def scope(self, scope: Any) -> str:
        if scope == COMPANY_SCOPE or not isinstance(scope, str):
            return str(scope or "")
        _, _, ref = scope.partition("-")
        return f"team {self.team(int(ref))}" if ref.isdigit() else scope


Transform = Callable[[Any], Any]


def column_transforms(name: str, lookups: Lookups) -> Mapping[str, Transform]:
    """Per data set, the columns whose stored form is not what the export should show."""
    by_dataset: dict[str, dict[str, Transform]] = {
        "kpis": {"source": describe_kpi_source},
        "surveys": {"audience": lookups.audience},
        "digest_posts": {"scope": lookups.scope},
        "alignment_snapshots": {"scope": lookups.scope},
    }
    return by_dataset.get(name, {})


def row_cells(
    columns: Sequence[str], row: Sequence[Any], transforms: Mapping[str, Transform]
) -> list[Cell]:
    return [
        cell(transforms[column](value) if column in transforms else value)
        for column, value in zip(columns, row, strict=True)
    ]


def survey_result_rows(
    number: int, title: str, released: list[ExportRow] | Withheld
) -> list[list[Cell]]:
    """A survey's released results as rows, or one row that says why they are withheld."""
    ref, shown_title = format_ref(SURVEY_PREFIX, number), spreadsheet_safe(title)
    if isinstance(released, Withheld):
        reason = (
            "withheld until the survey closes"
            if released.survey_open
            else f"withheld: fewer answers than its minimum of {released.threshold}"
        )
        return [[ref, shown_title, "", "", "withheld", reason, ""]]
    return [
        [
            ref,
            shown_title,
            row.question_key,
            spreadsheet_safe(row.question),
            row.kind,
            spreadsheet_safe(row.measure),
            cell(row.value),
        ]
        for row in released
    ]
