"""The digest's KPI chart, checked on what it draws: zones from the health rule in the KPI's
direction, the legend, the titles, and labels a person can read at Slack's preview size."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.typing import ColorType

from bot.digest.build import CHARTED_KPIS
from bot.digest.chart import (
    LEGEND_TEXTS,
    PANELS_MAX,
    PREVIEW_HEIGHT_PX,
    PREVIEW_WIDTH_PX,
    ZONE_COLORS,
    kpi_figure,
    kpi_panel,
    kpi_zones,
    render_kpi_chart,
    value_range,
)
from bot.digest.model import KpiLine, KpiPoint
from bot.kpis.health import Health, kpi_health
from tests.pulse.chart_checks import layout_problems, smallest_preview_text_px, stray_offsets

FIRST_DAY = date(2026, 9, 7)
READABLE_PX = 8.0  # the smallest text, in pixels, once Slack shrinks the image to its preview


def kpi(
    values: list[float],
    *,
    number: int = 1,
    name: str = "Catering revenue",
    unit: str = "$",
    higher_is_better: bool = True,
    target: float = 15_000,
    green: float = 14_000,
    red: float = 11_000,
) -> KpiLine:
    history = tuple(
        KpiPoint(FIRST_DAY + timedelta(days=7 * index), value) for index, value in enumerate(values)
    )
    latest = values[-1] if values else None
    return KpiLine(
        number=number,
        name=name,
        unit=unit,
        higher_is_better=higher_is_better,
        target=target,
        green_threshold=green,
        red_threshold=red,
        latest=latest,
        latest_on=history[-1].day if history else None,
        health=kpi_health(latest, higher_is_better=higher_is_better, green=green, red=red),
        arrow="",
        history=history,
        charted=True,
    )


def food_cost(values: list[float], *, number: int = 2) -> KpiLine:
    """Lower is better: green at 31% or less, red at 32% or more."""
    return kpi(
        values,
        number=number,
        name="Food cost",
        unit="%",
        higher_is_better=False,
        target=29,
        green=31,
        red=32,
    )


def figure_of(*kpis: KpiLine, title: str = "KPI trends") -> Figure:
    figure = kpi_figure(kpis, title=title)
    assert figure is not None
    return figure


def panels(figure: Figure) -> list[Axes]:
    return [axis for axis in figure.axes if axis.get_visible()]


def zone_spans(axis: Axes) -> list[tuple[str, float, float]]:
    """(colour, bottom, top) of each band drawn across the panel, bottom first."""
    spans = []
    for patch in axis.patches:
        assert isinstance(patch, Rectangle)
        colour = next(c for c in ZONE_COLORS.values() if _same_colour(patch.get_facecolor(), c))
        spans.append((colour, patch.get_y(), patch.get_y() + patch.get_height()))
    return sorted(spans, key=lambda span: span[1])


def _same_colour(face: ColorType, hex_colour: str) -> bool:
    drawn, wanted = to_rgba(face)[:3], to_rgba(hex_colour)[:3]
    return all(abs(a - b) < 0.01 for a, b in zip(drawn, wanted, strict=True))


# --- the zones ---------------------------------------------------------------------------------


def test_higher_is_better_has_red_below_amber_below_green() -> None:
    zones = kpi_zones(kpi([12_000]), low=9_000, high=16_000)
    assert [(z.health, z.low, z.high) for z in zones] == [
        (Health.RED, 9_000, 11_000),
        (Health.AMBER, 11_000, 14_000),
        (Health.GREEN, 14_000, 16_000),
    ]


def test_lower_is_better_has_green_below_amber_below_red() -> None:
    zones = kpi_zones(food_cost([32.5]), low=28, high=34)
    assert [(z.health, z.low, z.high) for z in zones] == [
        (Health.GREEN, 28, 31),
        (Health.AMBER, 31, 32),
        (Health.RED, 32, 34),
    ]


def test_overlapping_thresholds_leave_no_amber_and_green_wins_as_in_the_health_rule() -> None:
    line = kpi([12_000], green=11_000, red=14_000)  # the form refuses this; the chart copes
    zones = kpi_zones(line, low=9_000, high=16_000)
    assert [(z.health, z.low, z.high) for z in zones] == [
        (Health.RED, 9_000, 11_000),
        (Health.GREEN, 11_000, 16_000),
    ]
    assert kpi_health(12_000, higher_is_better=True, green=11_000, red=14_000) is Health.GREEN


@given(
    higher_is_better=st.booleans(),
    green=st.floats(-1e6, 1e6),
    gap=st.floats(0.5, 1e6),
    fractions=st.lists(st.floats(0.001, 0.999), min_size=1, max_size=20),
)
def test_every_value_lies_in_the_zone_its_health_names(
    higher_is_better: bool, green: float, gap: float, fractions: list[float]
) -> None:
    red = green - gap if higher_is_better else green + gap
    line = kpi([green], higher_is_better=higher_is_better, green=green, red=red, target=green)
    low, high = value_range(line)
    zones = kpi_zones(line, low=low, high=high)
    assert [zone.health for zone in zones] == (
        [Health.RED, Health.AMBER, Health.GREEN]
        if higher_is_better
        else [Health.GREEN, Health.AMBER, Health.RED]
    )
    assert zones[0].low == low and zones[-1].high == high
    assert all(below.high == above.low for below, above in pairwise(zones))
    for fraction in fractions:
        value = low + (high - low) * fraction
        health = kpi_health(value, higher_is_better=higher_is_better, green=green, red=red)
        inside = [zone.health for zone in zones if zone.low < value < zone.high]
        assert inside in ([health], []), (value, zones)  # [] only exactly on a threshold


def test_the_range_takes_in_both_thresholds_so_the_amber_band_shows_even_when_all_is_green() -> (
    None
):
    line = kpi([15_500, 15_800, 16_000])
    low, high = value_range(line)
    assert low < 11_000 and high > 16_000
    assert [zone.health for zone in kpi_zones(line, low=low, high=high)] == [
        Health.RED,
        Health.AMBER,
        Health.GREEN,
    ]


# --- what the panels draw ----------------------------------------------------------------------


def test_each_panel_draws_its_zones_target_and_values_in_its_own_direction() -> None:
    revenue, cost = kpi([10_000, 11_000, 12_500]), food_cost([33.0, 32.4, 32.1])
    figure = figure_of(revenue, cost)
    first, second = panels(figure)
    green, amber, red = (ZONE_COLORS[h] for h in (Health.GREEN, Health.AMBER, Health.RED))
    assert [colour for colour, _, _ in zone_spans(first)] == [red, amber, green]
    assert [colour for colour, _, _ in zone_spans(second)] == [green, amber, red]
    assert [(bottom, top) for _, bottom, top in zone_spans(second)][1] == (31, 32)
    amber_band = zone_spans(first)[1]
    low, high = first.get_ylim()
    assert (amber_band[2] - amber_band[1]) / (high - low) > 0.2  # plainly visible
    drawn = [list(line.get_ydata()) for line in first.get_lines()]  # type: ignore[arg-type]
    assert [15_000, 15_000] in drawn  # the target line
    assert [10_000, 11_000, 12_500] in drawn


def test_the_title_agrees_with_the_health_rule_in_the_kpis_direction() -> None:
    cost_falls_into_green = food_cost([33.0, 30.5])
    panel = kpi_panel(cost_falls_into_green)
    assert panel.latest_health is Health.GREEN is cost_falls_into_green.health
    assert panel.title.splitlines() == [
        "K-2 Food cost",
        "now 30.5% (green), target 29%",
        "green ≤ 31%, red ≥ 32%",
    ]
    revenue = kpi_panel(kpi([9_000, 12_500]))
    assert revenue.title.splitlines()[1:] == [
        "now $12,500 (amber), target $15,000",
        "green ≥ $14,000, red ≤ $11,000",
    ]


def test_a_unit_too_long_for_the_ticks_is_written_once_on_the_value_axis() -> None:
    line = kpi([1_200_000, 2_400_000], unit="requests per day", target=3e6, green=2e6, red=1e6)
    figure = figure_of(line)
    [axis] = panels(figure)
    assert axis.get_ylabel() == "requests per day"
    assert kpi_panel(line).title.splitlines()[1:] == [
        "now 2.4M (green), target 3M",
        "green ≥ 2M, red ≤ 1M",
    ]
    figure.canvas.draw()
    ticks = [label.get_text() for label in axis.get_yticklabels() if label.get_text()]
    assert ticks and all(tick.endswith("M") and "requests" not in tick for tick in ticks)


def test_ticks_of_one_axis_share_one_scale() -> None:
    figure = figure_of(kpi([3_000, 9_000, 12_500]))
    [axis] = panels(figure)
    figure.canvas.draw()
    ticks = [label.get_text() for label in axis.get_yticklabels() if label.get_text()]
    assert len({tick.endswith("k") for tick in ticks}) == 1, ticks


def test_the_legend_names_the_series_the_target_and_the_zones() -> None:
    figure = figure_of(kpi([10_000, 12_500]))
    [legend] = figure.legends
    assert [text.get_text() for text in legend.get_texts()] == list(LEGEND_TEXTS.values())
    assert [axis.get_legend() for axis in figure.axes] == [None]  # one legend, not one a panel


def test_days_are_labelled_as_people_say_them_with_no_stray_year_or_offset() -> None:
    figure = figure_of(kpi([float(value) for value in range(10_000, 13_000, 250)]))
    [axis] = panels(figure)
    figure.canvas.draw()
    labels = [label.get_text() for label in axis.get_xticklabels()]
    assert labels == ["7 Sep", "5 Oct", "26 Oct", "23 Nov"]  # 12 weeks: four days, evenly
    assert stray_offsets(figure) == []


# --- a person looking at it --------------------------------------------------------------------


NASTY_NAME = "W" * 80
WIDE_NAME = "Weekly recurring revenue from wholesale customers in the valley $ and $ beyond"


@pytest.mark.parametrize("count", [1, 2, 3, CHARTED_KPIS, PANELS_MAX])
def test_no_label_is_cut_off_or_on_top_of_another(count: int) -> None:
    names = [NASTY_NAME, WIDE_NAME, "<&>*_~" * 13, "Food cost", "Churn", "NPS"]
    kpis = [
        kpi(
            [1_234_567.5, 2_345_678.25, 12_345_678.75],
            number=100 + index,
            name=names[index],
            unit=("€", "requests per second", "%")[index % 3],
            target=9_999_999.5,
            green=8_888_888.25,
            red=1_111_111.75,
            higher_is_better=index % 2 == 0,
        )
        for index in range(count)
    ]
    figure = figure_of(*kpis, title="KPI trends, week of 30 Nov")
    assert layout_problems(figure) == []
    assert stray_offsets(figure) == []


def test_single_values_and_flat_lines_draw_without_warnings_or_stray_labels() -> None:
    figure = figure_of(kpi([12_000]), food_cost([31.0, 31.0, 31.0]))
    assert layout_problems(figure) == []
    assert all(axis.get_xlim()[0] < axis.get_xlim()[1] for axis in panels(figure))


def test_the_digests_chart_is_readable_at_slacks_preview_size() -> None:
    kpis = [kpi([10_000, 12_500], number=n) for n in range(1, CHARTED_KPIS + 1)]
    figure = figure_of(*kpis)
    smallest = smallest_preview_text_px(
        figure, width_px=PREVIEW_WIDTH_PX, height_px=PREVIEW_HEIGHT_PX
    )
    assert smallest >= READABLE_PX


def test_the_same_kpis_give_the_same_png_bytes() -> None:
    kpis = (kpi([10_000, 11_000, 12_500]), food_cost([33.0, 32.1]))
    first = render_kpi_chart(kpis, title="KPI trends")
    second = render_kpi_chart(kpis, title="KPI trends")
    assert first is not None and second is not None
    assert first.png == second.png
    assert b"matplotlib" not in first.png  # no version stamped in the metadata


def test_the_alt_text_says_the_zones_in_the_kpis_direction() -> None:
    chart = render_kpi_chart((kpi([10_000, 12_500]), food_cost([33.0, 32.1])), title="KPIs")
    assert chart is not None
    assert (
        "K-1 Catering revenue: latest $12,500, target $15,000, health amber (green at $14,000 "
        "or more, red at $11,000 or less); from $10,000 on 2026-09-07" in chart.alt_text
    )
    assert "health red (green at 31% or less, red at 32% or more)" in chart.alt_text
