"""The KPI chart's ticks and title widths, without drawing: round tick values exactly where
matplotlib's ``MaxNLocator`` put them when it drew the chart, labels on one scale, the days
shown, and names cut to the panel's width as the chart's font measures them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from matplotlib.ticker import MaxNLocator

from bot.digest.chart import fit_width, tick_scale
from bot.digest.chart_style import PANEL_TITLE_SIZE, TITLE_MAX_POINTS, px
from bot.digest.chart_text import font
from bot.digest.chart_ticks import day_ticks, nice_ticks, value_ticks
from bot.digest.model import KpiPoint


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [
        (0, 1, [0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]),
        (9_160, 16_840, [8_000.0, 10_000.0, 12_000.0, 14_000.0, 16_000.0, 18_000.0]),
        (27.28, 35.72, [26.0, 28.0, 30.0, 32.0, 34.0, 36.0]),
        (-6.6, 7.4, [-10.0, -5.0, 0.0, 5.0, 10.0]),
        (98.5, 101.5, [98.0, 99.0, 100.0, 101.0, 102.0]),
        (-3.2e9, -2.8e9, [-3.2e9, -3.1e9, -3.0e9, -2.9e9, -2.8e9]),
        (
            1e9,
            1.0000001e9,
            [1e9, 1.00000002e9, 1.00000004e9, 1.00000006e9, 1.00000008e9, 1.0000001e9],
        ),
    ],
)
def test_ticks_fall_on_round_numbers(low: float, high: float, ticks: list[float]) -> None:
    assert nice_ticks(low, high) == ticks


@given(
    low=st.floats(-1e12, 1e12, allow_subnormal=False),
    span=st.floats(1e-9, 1e12, allow_subnormal=False),
)
@example(low=0.0, span=1.0)
@example(low=123_456.7, span=0.1)  # a narrow range far from zero: counted from an offset
@example(low=-1e-300, span=2e-300)
def test_ticks_are_those_matplotlib_picked(low: float, span: float) -> None:
    high = low + span
    assume(high > low)
    locator = MaxNLocator(5, steps=[1, 2, 2.5, 5, 10])
    assert nice_ticks(low, high) == [float(tick) for tick in locator.tick_values(low, high)]


def test_value_ticks_stay_in_range_and_share_one_scale() -> None:
    assert value_ticks(9_160, 16_840, "$") == [
        (10_000.0, "$10k"),
        (12_000.0, "$12k"),
        (14_000.0, "$14k"),
        (16_000.0, "$16k"),
    ]
    assert value_ticks(27.28, 35.72, "%")[0] == (28.0, "28%")
    assert [label for _, label in value_ticks(-6.6, 7.4, "requests")] == ["-5", "0", "5"]
    assert [label for _, label in value_ticks(0.5e6, 3.5e6, "")] == ["1M", "2M", "3M"]


def test_one_scale_for_an_axis_from_ten_thousand_on() -> None:
    assert tick_scale(0, 9_999) == (1.0, "")
    assert tick_scale(3_000, 12_500) == (1e3, "k")
    assert tick_scale(-2e6, 10) == (1e6, "M")
    assert tick_scale(0, 5e9) == (1e9, "B")


def test_at_most_four_days_evenly_spread_with_the_first_and_last() -> None:
    points = [KpiPoint(date(2026, 9, 7) + timedelta(days=7 * n), float(n)) for n in range(12)]
    assert [point.value for point in day_ticks(points)] == [0.0, 4.0, 7.0, 11.0]
    assert day_ticks(points[:3]) == points[:3]


def test_names_are_cut_to_the_panels_width_in_the_charts_font() -> None:
    measure = font(PANEL_TITLE_SIZE).getlength
    room = px(TITLE_MAX_POINTS)
    assert fit_width("K-1 Food cost", TITLE_MAX_POINTS, size=PANEL_TITLE_SIZE) == "K-1 Food cost"
    for name in ("W" * 80, "i" * 200, "Weekly recurring revenue from wholesale customers, $ and $"):
        cut = fit_width(name, TITLE_MAX_POINTS, size=PANEL_TITLE_SIZE)
        assert cut.endswith("…") and name.startswith(cut[:-1])
        assert measure(cut) <= room < measure(name[: len(cut)] + "…")  # as long as fits
