"""Pure parts of ``/kpi``: the parser, the form reader, health and trend, and the builders,
including property tests that no text escapes as anything but a well-formed Slack message."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.errors import FormErrors, UserInputError
from bot.core.numbers import parse_number
from bot.kpis import texts as texts_kpi
from bot.kpis.blocks.messages import KpiDetails, build_kpi_help, build_kpi_list, build_kpi_show
from bot.kpis.blocks.modal import Field, FormOrigin, FormValues, build_kpi_modal
from bot.kpis.commands import KpiAction, check_log_day, parse_kpi
from bot.kpis.form import read_kpi_form
from bot.kpis.health import Health, format_number, format_value, kpi_health, sparkline, trend_arrow
from bot.slack.forms import SubmittedForm
from bot.slack.messages import build_notice
from fakeslack import validate_message, validate_view
from storage.models import Kpi, KpiValue

FIELDS = [field.value for field in Field]
SLACKISH = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=3000),
    st.sampled_from(["new ", "log ", "log K-1 ", "show ", "edit ", "archive ", "list "]).flatmap(
        lambda prefix: st.text(max_size=400).map(lambda rest: prefix + rest)
    ),
    st.builds(
        lambda name, value, day: f"log {name} {value} {day}",
        st.text(max_size=90),
        st.text(alphabet="0123456789,.$%kK-", max_size=12),
        st.text(alphabet="0123456789-/.", max_size=12),
    ),
    st.builds(lambda n: "show " + "é" * n, st.integers(min_value=0, max_value=25_000)),
)


def _kpi(name: str = "Revenue", **fields: Any) -> Kpi:
    base: dict[str, Any] = {
        "id": 1,
        "team_id": "T1",
        "number": 3,
        "name": name,
        "name_key": name.casefold(),
        "target": 100.0,
        "green_threshold": 80.0,
        "red_threshold": 50.0,
        "owner_id": "U1",
        "created_by": "U1",
    }
    base.update(fields)
    return Kpi(**base)


def _values(*numbers: float) -> list[KpiValue]:
    return [
        KpiValue(id=i, team_id="T1", kpi_id=1, recorded_on=date(2026, 1, i + 1), value=n)
        for i, n in enumerate(numbers)
    ]


def _reply_for(text: str) -> dict[str, Any]:
    """What ``/kpi text`` would answer before any database work: an error, help, a form,
    or the refusal a missing KPI gets."""
    try:
        command = parse_kpi(text)
    except UserInputError as error:
        assert "/kpi" in error.message
        return dict(build_notice(error.message))
    if command.action is KpiAction.HELP:
        return dict(build_kpi_help())
    if command.action is KpiAction.NEW:
        view = build_kpi_modal(
            FormValues(owner_id="U1", name=command.name),
            origin=FormOrigin(response_url="https://hooks.slack.com/x"),
            teams=[],
            goals=[],
        )
        assert validate_view(view) == []
        saved = texts_kpi.kpi_saved(1, command.name or "KPI", created=True, has_source=False)
        return dict(build_notice(saved))
    if command.action is KpiAction.LIST:
        return dict(build_kpi_list([], {}))
    assert command.target is not None
    if command.target.number is not None:
        return dict(build_notice(texts_kpi.no_such_kpi(command.target.number)))
    assert command.target.name
    return dict(build_notice(texts_kpi.no_kpi_named(command.target.name)))


@settings(max_examples=400, deadline=None)
@given(SLACKISH)
def test_any_text_after_kpi_gets_a_well_formed_answer(text: str) -> None:
    reply = _reply_for(text)
    assert validate_message(reply) == []
    assert reply["text"].strip()


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=80),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
)
def test_log_parses_names_and_values_it_accepts_without_loss(name: str, value: float) -> None:
    try:
        command = parse_kpi(f"log {name} {format_number(value)}")
    except UserInputError as error:
        assert validate_message(dict(build_notice(error.message))) == []
        return
    assert command.action is KpiAction.LOG and command.value == value
    assert command.target is not None


@pytest.mark.parametrize(
    ("text", "number", "name", "value", "day"),
    [
        ("log K-3 12,500", 3, None, 12_500, None),
        ("log k3 $3,000 2026-01-31", 3, None, 3_000, date(2026, 1, 31)),
        ("log #K-12 45%", 12, None, 45, None),
        ("log 7 1.2k", 7, None, 1_200, None),
        ("log revenue 12500", None, "revenue", 12_500, None),
        ("log Monthly   revenue -4.5 2026-2-3", None, "Monthly revenue", -4.5, date(2026, 2, 3)),
        ("log R&amp;D spend (1,200)", None, "R&D spend", -1_200, None),
    ],
)
def test_log_reads_the_kpi_the_value_and_the_date(
    text: str, number: int | None, name: str | None, value: float, day: date | None
) -> None:
    command = parse_kpi(text)
    assert command.action is KpiAction.LOG and command.target is not None
    assert (command.target.number, command.target.name) == (number, name)
    assert (command.value, command.day) == (value, day)


@pytest.mark.parametrize("text", ["show ²", "log ² 5", "edit ٣", "log K-1 5 ٢٠٢٦-01-01"])
def test_digits_that_are_not_ascii_never_crash(text: str) -> None:
    """``"²".isdigit()`` is true but ``int("²")`` raises; found by the property test."""
    try:
        command = parse_kpi(text)
    except UserInputError as error:
        assert "/kpi" in error.message
        return
    assert command.target is not None and command.target.number is None


def test_other_subcommands_and_the_short_form() -> None:
    assert parse_kpi("  LIST ").action is KpiAction.LIST
    assert parse_kpi("new").name == ""
    assert parse_kpi("new  Net   revenue").name == "Net revenue"
    assert parse_kpi("K-4").target is not None and parse_kpi("K-4").action is KpiAction.SHOW
    unarchive = parse_kpi("unarchive Churn")
    assert unarchive.action is KpiAction.UNARCHIVE and unarchive.target is not None
    assert unarchive.target.name == "Churn"


@pytest.mark.parametrize(
    ("day", "allowed"),
    [
        (date(2026, 11, 27), True),
        (date(2026, 11, 28), False),
        (date(2024, 11, 27), True),
        (date(2024, 11, 26), False),
    ],
)
def test_values_can_be_logged_for_today_back_to_two_years(day: date, allowed: bool) -> None:
    try:
        assert check_log_day(day, today=date(2026, 11, 27)) == day
    except UserInputError as error:
        assert not allowed, error.message
        return
    assert allowed


def test_two_years_before_a_leap_day_is_the_28th() -> None:
    check_log_day(date(2026, 2, 28), today=date(2028, 2, 29))
    with pytest.raises(UserInputError, match="earliest date you can log is 2026-02-28"):
        check_log_day(date(2026, 2, 27), today=date(2028, 2, 29))


@pytest.mark.parametrize(
    ("value", "higher", "expected"),
    [
        (None, True, Health.NO_DATA),
        (80.0, True, Health.GREEN),
        (95.0, True, Health.GREEN),
        (79.9, True, Health.AMBER),
        (50.1, True, Health.AMBER),
        (50.0, True, Health.RED),
        (-10.0, True, Health.RED),
        (2.0, False, Health.GREEN),
        (1.0, False, Health.GREEN),
        (3.0, False, Health.AMBER),
        (5.0, False, Health.RED),
        (9.0, False, Health.RED),
    ],
)
def test_health_is_judged_in_the_kpis_direction(
    value: float | None, higher: bool, expected: Health
) -> None:
    green, red = (80.0, 50.0) if higher else (2.0, 5.0)
    assert kpi_health(value, higher_is_better=higher, green=green, red=red) is expected


def test_trend_arrow_and_sparkline() -> None:
    assert trend_arrow([]) == "" and trend_arrow([5]) == ""
    assert (trend_arrow([1, 2]), trend_arrow([2, 1]), trend_arrow([2, 2])) == ("↑", "↓", "→")
    assert sparkline([]) == ""
    assert sparkline([0, 7, 14]) == "▁▅█"
    assert sparkline([3, 3, 3]) == "▄▄▄"
    assert sparkline(list(range(20))) == sparkline(list(range(8, 20)))
    assert len(sparkline(list(range(20)))) == 12
    assert sparkline([-1e308, 1e308]) == "▄▄"  # the span overflows: shown flat, no crash


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (12500, "$", "$12,500"),
        (-3000, "€", "-€3,000"),
        (45, "%", "45%"),
        (2.345, "%", "2.35%"),
        (0.001, "", "0"),
        (12500, "users", "12,500 users"),
        (1e20, "", "1e+20"),
    ],
)
def test_values_are_shown_with_their_unit(value: float, unit: str, shown: str) -> None:
    assert format_value(value, unit) == shown


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_prefilled_numbers_read_back_exactly(value: float) -> None:
    assert parse_number(format_number(value)) == value


def _submitted(values: Any) -> SubmittedForm:
    """A submitted KPI form whose ``view.state.values`` are ``values``, as Slack sends them."""
    return SubmittedForm({"state": {"values": values}})


def _state(answers: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field, answer in answers.items():
        if field in (Field.DIRECTION, Field.CADENCE, Field.SOURCE, Field.TEAM, Field.GOAL):
            entry = {"type": "static_select", "selected_option": {"value": answer}}
        elif field == Field.OWNER:
            entry = {"type": "users_select", "selected_user": answer}
        else:
            entry = {"type": "plain_text_input", "value": answer}
        values[field] = {"value": entry}
    return values


VALID: dict[str, str] = {
    Field.NAME: "Revenue",
    Field.DIRECTION: "higher",
    Field.TARGET: "100",
    Field.GREEN: "80",
    Field.RED: "50",
    Field.OWNER: "U123ABC",
    Field.CADENCE: "daily",
    Field.SOURCE: "csv",
    Field.URL: "https://example.com/kpis.csv",
    Field.PATH: "mrr",
    Field.MATCH: "region = EMEA",
}


def test_a_valid_form_is_read_completely() -> None:
    form = read_kpi_form(_submitted(_state({**VALID, Field.TEAM: "12"})))
    assert (form.name, form.target, form.green, form.red, form.owner_id) == (
        "Revenue",
        100,
        80,
        50,
        "U123ABC",
    )
    assert (form.team_ref, form.goal_id, form.cadence) == (12, None, "daily")
    assert form.source is not None and getattr(form.source, "match_value", None) == "EMEA"


ANYTHING = st.one_of(
    st.none(),
    st.text(max_size=200),
    st.integers(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELDS), ANYTHING, max_size=len(FIELDS)), ANYTHING)
def test_any_submitted_form_is_read_or_answered_field_by_field(
    answers: dict[str, Any], junk: Any
) -> None:
    for state in (_state({**VALID, **answers}), junk, {"kpi_name": junk}):
        try:
            read_kpi_form(_submitted(state))
        except FormErrors as problems:
            assert problems.errors and set(problems.errors) <= set(FIELDS)
            assert all(0 < len(message) <= 150 for message in problems.errors.values())


def test_show_keeps_foreign_text_inert_and_within_limits() -> None:
    kpi = _kpi(
        name="R&D " + "w" * 76,
        unit="k€",
        last_error="<!channel> " + "x" * 600,
        source={"kind": "json", "url": "https://example.com/<!here>", "path": "a"},
    )
    details = KpiDetails(
        kpi=kpi,
        values=_values(*range(30)),
        team_name="Sales & Ops",
        goal_label="G-4 <!everyone> " + "y" * 200,
        source_text="a in the JSON at https://example.com/<!here>",
    )
    reply = build_kpi_show(details)
    assert validate_message(dict(reply)) == []
    shown = json.dumps(reply)
    assert "<!channel>" not in shown and "<!here>" not in shown and "<!everyone>" not in shown
    assert "Sales &amp; Ops" in shown and "Sales & Ops" not in shown
    assert reply["blocks"][0]["text"]["text"].startswith("K-3 · R&D")  # plain text header
    assert reply["text"].startswith("K-3 R&amp;D")


def test_list_builder_stays_within_limits_for_many_long_kpis() -> None:
    kpis = [_kpi(name="n" * 80, id=i, number=i) for i in range(1, 400)]
    values = {i: _values(1e300, -1e300) for i in range(1, 400)}
    reply = dict(build_kpi_list(kpis, values))
    assert validate_message(reply) == []
    assert "…and" in json.dumps(reply, ensure_ascii=False)


def test_the_form_groups_many_goals_and_keeps_the_linked_one() -> None:
    goals = [(str(n), f"G-{n} " + "t" * 100) for n in range(1, 1500)]
    view = build_kpi_modal(
        FormValues(owner_id="U1", goal_id=3),
        origin=FormOrigin(kpi_number=3),
        teams=[("1", "Sales")],
        goals=goals,
    )
    assert validate_view(view) == []
    select = next(b for b in view["blocks"] if b.get("block_id") == Field.GOAL)["element"]
    shown = [option["value"] for group in select["option_groups"] for option in group["options"]]
    assert len(shown) == 1000 and shown[0] == "3" and shown[-1] == "1499"
    assert select["initial_option"]["value"] == "3"
    assert all(len(o["text"]["text"]) <= 75 for g in select["option_groups"] for o in g["options"])


def test_form_origin_survives_damaged_metadata() -> None:
    origin = FormOrigin(response_url="https://hooks.slack.com/a", channel_id="C1", kpi_number=4)
    assert FormOrigin.from_metadata(origin.to_metadata()) == origin
    for damaged in (None, "", "not json", "[1]", '{"kpi": true, "response_url": 5}'):
        assert FormOrigin.from_metadata(damaged) == FormOrigin()


def test_help_is_a_valid_message() -> None:
    reply = build_kpi_help()
    assert validate_message(dict(reply)) == []
    assert reply["blocks"][0]["type"] == "header"
