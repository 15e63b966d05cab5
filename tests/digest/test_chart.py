"""The digest's KPI chart, checked on its layout and on the picture painted from it: zones from
the health rule in the KPI's direction, lines at their values, the legend, the titles, and
labels a person can read at Slack's preview size."""

from __future__ import annotations

import io
import struct
from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from bot.digest.build import CHARTED_KPIS
from bot.digest.chart import (
    LEGEND_TEXTS,
    PANELS_MAX,
    PREVIEW_HEIGHT_PX,
    PREVIEW_WIDTH_PX,
    ZONE_COLORS,
    kpi_layout,
    kpi_panel,
    kpi_zones,
    render_kpi_chart,
    value_range,
)
from bot.digest.chart_draw import draw_chart
from bot.digest.chart_model import ChartLayout, PanelLayout
from bot.digest.chart_style import LINE_COLOR, ZONE_ALPHA, rgb
from bot.digest.model import KpiLine, KpiPoint
from bot.kpis.health import Health, kpi_health
from tests.digest.layout_checks import drawn_outside, layout_problems, smallest_preview_text_px

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


def layout_of(*kpis: KpiLine, title: str = "KPI trends") -> ChartLayout:
    layout = kpi_layout(kpis, title=title)
    assert layout is not None
    return layout


def band_colour(health: Health) -> tuple[int, int, int]:
    """The zone's colour at its transparency over white, worked out here on its own."""
    alpha = ZONE_ALPHA[health]
    red, green, blue = (
        round(255 * (1 - alpha) + channel * alpha) for channel in rgb(ZONE_COLORS[health])
    )
    return red, green, blue


def values_drawn(panel: PanelLayout) -> list[float]:
    return [panel.value_at(y) for _, y in panel.line]


def one_pixel(panel: PanelLayout) -> float:
    """How much value one pixel of the panel's height stands for."""
    return (panel.high - panel.low) / panel.plot.height


def pixel(image: Image.Image, x: float, y: float) -> tuple[int, ...]:
    colour = image.getpixel((int(x), int(y)))
    assert isinstance(colour, tuple)
    return colour


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
    layout = layout_of(revenue, cost)
    first, second = layout.panels
    image = draw_chart(layout)
    green, amber, red = Health.GREEN, Health.AMBER, Health.RED
    for panel, healths in ((first, [red, amber, green]), (second, [green, amber, red])):
        assert [band.health for band in panel.zones] == healths  # bottom to top
        assert [band.color for band in panel.zones] == [band_colour(h) for h in healths]
        assert panel.zones[0].box.bottom == panel.plot.bottom
        assert panel.zones[-1].box.top == panel.plot.top
        assert all(below.box.top == above.box.bottom for below, above in pairwise(panel.zones))
        for band in panel.zones:  # painted as laid out, a few pixels in from the line
            assert pixel(image, band.box.left + 3, band.box.bottom - 2) == band.color
    amber_band = second.zones[1].box
    assert second.value_at(amber_band.bottom) == pytest.approx(31, abs=one_pixel(second))
    assert second.value_at(amber_band.top) == pytest.approx(32, abs=one_pixel(second))
    assert first.zones[1].box.height / first.plot.height > 0.2  # plainly visible
    assert first.value_at(first.target) == pytest.approx(15_000)
    assert values_drawn(first) == pytest.approx([10_000, 11_000, 12_500])
    assert values_drawn(second) == pytest.approx([33.0, 32.4, 32.1])
    xs = [x for x, _ in first.line]
    assert xs == sorted(xs) and first.plot.left < xs[0] and xs[-1] < first.plot.right
    assert pixel(image, *first.line[-1]) == rgb(LINE_COLOR)  # the last point's marker


def test_lines_and_markers_are_smoothed_and_text_is_anti_aliased() -> None:
    layout = layout_of(kpi([10_000, 11_000, 12_500]))
    image = draw_chart(layout)
    [panel] = layout.panels
    (x0, y0), (x1, y1) = panel.line[0], panel.line[1]
    around = image.crop((int(x0) + 4, int(min(y0, y1)), int(x1) - 4, int(max(y0, y1)) + 1))
    assert len(around.getcolors(4096) or ()) > 8  # shades between the line and the zones
    title = panel.title.box
    letters = image.crop((int(title.left), int(title.top), int(title.right), int(title.bottom)))
    assert len(letters.getcolors(4096) or ()) > 8  # grey edges, not black and white only


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
    [panel] = layout_of(line).panels
    assert panel.unit is not None and panel.unit.text == "requests per day"
    assert panel.unit.vertical and panel.unit.box.height > panel.unit.box.width
    assert panel.unit.box.right < min(tick.label.box.left for tick in panel.value_ticks)
    assert panel.unit.box.top < panel.y_of(2e6) < panel.unit.box.bottom  # beside the axis
    assert kpi_panel(line).title.splitlines()[1:] == [
        "now 2.4M (green), target 3M",
        "green ≥ 2M, red ≤ 1M",
    ]
    ticks = [tick.label.text for tick in panel.value_ticks]
    assert ticks and all(tick.endswith("M") and "requests" not in tick for tick in ticks)
    assert layout_of(kpi([10_000, 12_500])).panels[0].unit is None  # "$" sits on every tick


def test_value_ticks_are_round_numbers_at_their_values_on_one_scale() -> None:
    [panel] = layout_of(kpi([3_000, 9_000, 12_500])).panels  # from $3,000: all in thousands
    assert [tick.label.text for tick in panel.value_ticks] == ["$5k", "$10k", "$15k"]
    assert [panel.value_at(tick.at) for tick in panel.value_ticks] == pytest.approx(
        [5_000, 10_000, 15_000]
    )
    for tick in panel.value_ticks:
        assert panel.plot.top <= tick.at <= panel.plot.bottom
        middle = (tick.label.box.top + tick.label.box.bottom) / 2
        assert middle == pytest.approx(tick.at)  # each label beside its tick
        assert tick.label.box.right < panel.plot.left


def test_the_legend_names_the_series_the_target_and_the_zones_under_the_panels() -> None:
    layout = layout_of(kpi([10_000, 12_500]), food_cost([33.0, 32.1]))
    assert [entry.label.text for entry in layout.legend] == list(LEGEND_TEXTS.values())
    assert [entry.key for entry in layout.legend] == list(LEGEND_TEXTS)
    lowest_day_label = max(t.label.box.bottom for p in layout.panels for t in p.day_ticks)
    assert all(entry.label.box.top > lowest_day_label for entry in layout.legend)
    image = draw_chart(layout)
    for entry in layout.legend[2:]:  # the zones' samples, in their colours
        box = entry.handle
        colour = pixel(image, (box.left + box.right) / 2, (box.top + box.bottom) / 2)
        assert colour == band_colour(Health(entry.key))


def test_days_are_labelled_as_people_say_them_with_no_year() -> None:
    [panel] = layout_of(kpi([float(value) for value in range(10_000, 13_000, 250)])).panels
    labels = [tick.label.text for tick in panel.day_ticks]
    assert labels == ["7 Sep", "5 Oct", "26 Oct", "23 Nov"]  # 12 weeks: four days, evenly
    assert panel.day_ticks[0].at == panel.line[0][0] and panel.day_ticks[-1].at == panel.line[-1][0]


def test_text_from_people_is_written_as_it_is() -> None:
    name = "Revenue in $ and $ beyond"
    layout = layout_of(kpi([10_000, 12_500], name=name), title="$ KPIs $")
    assert layout.title.text == "$ KPIs $"
    assert layout.panels[0].title.text.splitlines()[0] == f"K-1 {name}"


# --- a person looking at it --------------------------------------------------------------------


NASTY_NAME = "W" * 80
WIDE_NAME = "Weekly recurring revenue from wholesale customers in the valley $ and $ beyond"


def nasty_kpis(count: int) -> list[KpiLine]:
    names = [NASTY_NAME, WIDE_NAME, "<&>*_~" * 13, "Food cost", "Churn", "NPS"]
    return [
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


@pytest.mark.parametrize("count", [1, 2, 3, CHARTED_KPIS, 5, PANELS_MAX])
def test_no_label_is_cut_off_or_on_top_of_another(count: int) -> None:
    layout = layout_of(*nasty_kpis(count), title="KPI trends, week of 30 Nov")
    assert layout_problems(layout) == []
    assert drawn_outside(layout, draw_chart(layout)) is None
    assert all(panel.title.text.splitlines()[0].endswith("…") for panel in layout.panels[:3])


@pytest.mark.parametrize(
    "values",
    [[-5.2, -3.1, 0.8, 3.4], [-3e9, -4.5e9, -5e9], [0.001, 0.0012, 0.0009], [12_000.0]],
)
def test_negative_huge_and_tiny_values_lay_out_cleanly(values: list[float]) -> None:
    low, high = min(values), max(values)
    line = kpi(values, target=high, green=(low + high) / 2, red=low, unit="%")
    layout = layout_of(line, food_cost([33.0, 32.1]), title="A title " * 20)
    assert layout_problems(layout) == []
    assert drawn_outside(layout, draw_chart(layout)) is None
    assert values_drawn(layout.panels[0]) == pytest.approx(values)


def test_a_unit_longer_than_its_axis_is_cut_to_it() -> None:
    longest = "W" * 24  # as long as the KPI form allows
    layout = layout_of(*(kpi([1.0, 2.0], number=n, unit=longest) for n in range(PANELS_MAX)))
    for panel in layout.panels:
        assert panel.unit is not None and panel.unit.text.endswith("…")
        assert panel.plot.top <= panel.unit.box.top < panel.unit.box.bottom <= panel.plot.bottom
    assert layout_problems(layout) == []
    assert drawn_outside(layout, draw_chart(layout)) is None


def test_single_values_and_flat_lines_draw_inside_their_plots() -> None:
    layout = layout_of(kpi([12_000]), food_cost([31.0, 31.0, 31.0]))
    assert layout_problems(layout) == []
    for panel in layout.panels:
        assert panel.first_day < panel.last_day
        assert all(panel.plot.left < x < panel.plot.right for x, _ in panel.line)
        assert all(panel.plot.top < y < panel.plot.bottom for _, y in panel.line)


def test_the_digests_chart_is_readable_at_slacks_preview_size() -> None:
    kpis = [kpi([10_000, 12_500], number=n) for n in range(1, CHARTED_KPIS + 1)]
    smallest = smallest_preview_text_px(
        layout_of(*kpis), width_px=PREVIEW_WIDTH_PX, height_px=PREVIEW_HEIGHT_PX
    )
    assert smallest >= READABLE_PX


@pytest.mark.parametrize(("count", "size"), [(1, (460, 360)), (2, (880, 360)), (4, (880, 630))])
def test_the_png_is_as_large_as_its_panels_need(count: int, size: tuple[int, int]) -> None:
    chart = render_kpi_chart(nasty_kpis(count), title="KPIs")
    assert chart is not None
    assert Image.open(io.BytesIO(chart.png)).size == size


def test_the_same_kpis_give_the_same_png_bytes_with_no_metadata() -> None:
    kpis = (kpi([10_000, 11_000, 12_500]), food_cost([33.0, 32.1]))
    first = render_kpi_chart(kpis, title="KPI trends")
    second = render_kpi_chart(kpis, title="KPI trends")
    assert first is not None and second is not None
    assert first.png == second.png
    assert png_chunks(first.png) == ["IHDR", "IDAT", "IEND"]  # no date, no version, no text


def png_chunks(png: bytes) -> list[str]:
    kinds: list[str] = []
    at = 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind = png[at + 4 : at + 8].decode()
        if not kinds or kinds[-1] != kind:
            kinds.append(kind)
        at += 12 + length
    return kinds


def test_the_alt_text_says_the_zones_in_the_kpis_direction() -> None:
    chart = render_kpi_chart((kpi([10_000, 12_500]), food_cost([33.0, 32.1])), title="KPIs")
    assert chart is not None
    assert (
        "K-1 Catering revenue: latest $12,500, target $15,000, health amber (green at $14,000 "
        "or more, red at $11,000 or less); from $10,000 on 2026-09-07" in chart.alt_text
    )
    assert "health red (green at 31% or less, red at 32% or more)" in chart.alt_text
