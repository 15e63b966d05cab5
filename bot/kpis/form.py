"""Read a submitted KPI form, or collect an inline error per field.

Pure: reads the submitted view through ``SubmittedForm`` and never raises anything but
``FormErrors`` (block id -> message), whatever the payload holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from bot.core.errors import UserInputError
from bot.core.numbers import parse_number
from bot.core.text_input import check_name
from bot.kpis import texts as texts_kpi
from bot.kpis import texts_form as texts
from bot.kpis.blocks.modal import (
    CADENCES,
    DIRECTION_LOWER,
    SOURCE_CSV,
    SOURCE_JSON,
    SOURCE_NONE,
    UNIT_MAX_CHARS,
    Field,
    FormValues,
)
from bot.kpis.health import format_number
from bot.kpis.safe_fetch import check_url
from bot.kpis.source_data import source_from_data
from bot.kpis.sources import CsvSource, JsonSource, Source, SourceError, validate_source
from bot.slack.forms import FieldErrors, SubmittedForm
from bot.slack.messages import truncate
from storage.models import KPI_NAME_MAX_CHARS, Kpi

FORM_ERROR_MAX = 150
_ROW_ID = re.compile(r"^[0-9]{1,12}$")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,31}$")
T = TypeVar("T")


@dataclass(frozen=True)
class KpiForm:
    name: str
    unit: str
    higher_is_better: bool
    target: float
    green: float
    red: float
    owner_id: str
    team_ref: int | None
    goal_id: int | None
    cadence: str
    source: Source | None


class _Answers:
    """The form's answers by ``Field``, and its mistakes (one per field, shortened)."""

    def __init__(self, submitted: SubmittedForm) -> None:
        self._submitted = submitted
        self.errors = FieldErrors()

    def text(self, field: Field) -> str:
        return self._submitted.text(field.value)

    def value(self, field: Field) -> str | None:
        """The chosen option or person."""
        return self._submitted.value(field.value)

    def wrong(self, field: Field, message: str) -> None:
        self.errors.add(field.value, truncate(message, FORM_ERROR_MAX))

    def check(self, field: Field, read: Callable[[], T]) -> T | None:
        """What ``read`` returns, or ``None`` with its ``UserInputError`` kept on ``field``."""
        try:
            return read()
        except UserInputError as error:
            self.wrong(field, error.message)
            return None


def _row_id(text: str | None) -> int | None:
    if text is None:
        return None
    if not _ROW_ID.match(text):
        raise UserInputError(texts.FORM_CHOOSE_FROM_LIST)
    return int(text)


def _number(text: str) -> float:
    if not text:
        raise UserInputError(texts.FORM_NUMBER_MISSING)
    value = parse_number(text)
    if value is None:
        raise UserInputError(texts.form_not_a_number(text))
    return value


def _owner(user_id: str | None) -> str:
    if user_id is None or not _USER_ID.match(user_id):
        raise UserInputError(texts.FORM_OWNER_MISSING)
    return user_id


def read_kpi_form(submitted: SubmittedForm) -> KpiForm:
    answers = _Answers(submitted)
    check = answers.check
    name = check(
        Field.NAME,
        lambda: check_name(
            answers.text(Field.NAME),
            what="name",
            max_chars=KPI_NAME_MAX_CHARS,
            usage=texts_kpi.NAME_USAGE,
        ),
    )
    unit_text = answers.text(Field.UNIT)
    unit = check(
        Field.UNIT,
        lambda: (
            check_name(unit_text, what="unit", max_chars=UNIT_MAX_CHARS, usage="%, $ or users")
            if unit_text
            else ""
        ),
    )
    higher = answers.value(Field.DIRECTION) != DIRECTION_LOWER
    target = check(Field.TARGET, lambda: _number(answers.text(Field.TARGET)))
    green = check(Field.GREEN, lambda: _number(answers.text(Field.GREEN)))
    red = check(Field.RED, lambda: _number(answers.text(Field.RED)))
    if green is not None and red is not None and (red >= green if higher else red <= green):
        answers.wrong(Field.RED, texts.form_thresholds_order(higher))
    owner = check(Field.OWNER, lambda: _owner(answers.value(Field.OWNER)))
    team_ref = check(Field.TEAM, lambda: _row_id(answers.value(Field.TEAM)))
    goal_id = check(Field.GOAL, lambda: _row_id(answers.value(Field.GOAL)))
    cadence = answers.value(Field.CADENCE) or "weekly"
    if cadence not in CADENCES:
        answers.wrong(Field.CADENCE, texts.FORM_CHOOSE_FROM_LIST)
    source = _read_source(answers)
    answers.errors.raise_if_any()
    assert name is not None and unit is not None and owner is not None
    assert target is not None and green is not None and red is not None
    return KpiForm(
        name=name,
        unit=unit,
        higher_is_better=higher,
        target=target,
        green=green,
        red=red,
        owner_id=owner,
        team_ref=team_ref,
        goal_id=goal_id,
        cadence=cadence,
        source=source,
    )


def _read_source(answers: _Answers) -> Source | None:
    kind = answers.value(Field.SOURCE) or SOURCE_NONE
    url, path = answers.text(Field.URL), answers.text(Field.PATH)
    match, header, secret_env = (
        answers.text(Field.MATCH),
        answers.text(Field.HEADER),
        answers.text(Field.SECRET_ENV),
    )
    if kind == SOURCE_NONE:
        if url:
            answers.wrong(Field.SOURCE, texts.FORM_URL_WITHOUT_SOURCE)
        return None
    if kind not in (SOURCE_JSON, SOURCE_CSV):
        answers.wrong(Field.SOURCE, texts.FORM_CHOOSE_FROM_LIST)
        return None
    found: dict[Field, str] = {}
    if not url:
        found[Field.URL] = texts.FORM_URL_MISSING
    else:
        try:
            check_url(url)
        except SourceError as error:
            found[Field.URL] = error.message
    if not path:
        found[Field.PATH] = texts.FORM_PATH_MISSING
    base: Source
    full: Source
    extra = Field.HEADER
    if kind == SOURCE_JSON:
        if match:
            found[Field.MATCH] = texts.FORM_MATCH_JSON
        base = JsonSource(url=url, path=path)
        full = JsonSource(
            url=url, path=path, header_name=header or None, secret_env=secret_env or None
        )
    else:
        if header or secret_env:
            found[Field.HEADER] = texts.FORM_HEADER_CSV
        match_column, separator, match_value = match.partition("=")
        if match and (not separator or not match_column.strip() or not match_value.strip()):
            found[Field.MATCH] = texts.FORM_MATCH_FORM
        base = CsvSource(url=url, column=path)
        full = CsvSource(
            url=url,
            column=path,
            match_column=match_column.strip() if match else None,
            match_value=match_value.strip() if match else None,
        )
        extra = Field.MATCH
    if not found:
        for source, field in ((base, Field.PATH), (full, extra)):
            try:
                validate_source(source)
            except SourceError as error:
                found[field] = error.message
                break
    for field, message in found.items():
        answers.wrong(field, message)
    return None if found else full


def form_values(kpi: Kpi) -> FormValues:
    """The form prefilled with a KPI's current settings, for ``/kpi edit``."""
    try:
        source = source_from_data(kpi.source)
    except SourceError:
        source = None
    values = FormValues(
        owner_id=kpi.owner_id,
        name=kpi.name,
        unit=kpi.unit,
        higher_is_better=kpi.higher_is_better,
        target=format_number(kpi.target),
        green=format_number(kpi.green_threshold),
        red=format_number(kpi.red_threshold),
        team_ref=kpi.team_ref,
        goal_id=kpi.goal_id,
        cadence=kpi.cadence,
    )
    if isinstance(source, JsonSource):
        return replace(
            values,
            source_kind=SOURCE_JSON,
            url=source.url,
            path=source.path,
            header=source.header_name or "",
            secret_env=source.secret_env or "",
        )
    if isinstance(source, CsvSource):
        match = f"{source.match_column}={source.match_value}" if source.match_column else ""
        return replace(
            values, source_kind=SOURCE_CSV, url=source.url, path=source.column, match=match
        )
    return values
