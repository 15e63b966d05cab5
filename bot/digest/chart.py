"""The digest's KPI chart: small multiples of the key KPIs as a PNG (matplotlib, Agg), with alt
text carrying the numbers.

One panel per charted KPI with history (at most ``PANELS_MAX``): its values over the days, a
dashed target line, and the green and red zones beyond its thresholds shaded. Built with
matplotlib's object API, never ``pyplot``, so charts drawn at the same time share no state.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from functools import partial

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from bot.core.refs import format_ref
from bot.digest.model import KpiLine, KpiPoint
from bot.kpis.health import format_value
from bot.pulse.chart import ALT_TEXT_MAX_CHARS, Chart
from bot.slack.messages import truncate

PANELS_MAX = 6
DPI = 100
LINE_COLOR, TARGET_COLOR = "#2F6FDE", "#555555"
GREEN_ZONE, RED_ZONE = "#5CB85C", "#D9534F"
ZONE_ALPHA = 0.12
PANEL_TITLE_MAX = 48


def charted_kpis(kpis: Sequence[KpiLine]) -> list[KpiLine]:
    """The KPIs the chart draws: those marked charted that have a finite value to draw."""
    return [kpi for kpi in kpis if kpi.charted and _points(kpi)][:PANELS_MAX]


def render_kpi_chart(kpis: Sequence[KpiLine], *, title: str) -> Chart | None:
    """Small multiples of the charted KPIs' history; ``None`` when none has history."""
    shown = charted_kpis(kpis)
    if not shown:
        return None
    columns = 1 if len(shown) == 1 else 2
    rows = math.ceil(len(shown) / columns)
    figure = Figure(figsize=(5 * columns, 0.6 + 2.4 * rows), layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(_plain(title), fontsize=12)
    grid = figure.subplots(rows, columns, squeeze=False)
    panels = [axis for row in grid for axis in row]
    for kpi, axis in zip(shown, panels, strict=False):
        _draw_kpi(axis, kpi)
    for axis in panels[len(shown) :]:
        axis.set_visible(False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return Chart(png=buffer.getvalue(), alt_text=kpi_alt_text(shown, title=title))


def _points(kpi: KpiLine) -> list[KpiPoint]:
    return [point for point in kpi.history if math.isfinite(point.value)]


def _draw_kpi(axis: Axes, kpi: KpiLine) -> None:
    points = _points(kpi)
    days = [point.day for point in points]
    values = [point.value for point in points]
    axis.plot(days, values, color=LINE_COLOR, marker="o", markersize=3, linewidth=1.6)  # type: ignore[arg-type]
    low, high = _value_range([*values, kpi.target])
    axis.set_ylim(low, high)
    green_end, red_end = (high, low) if kpi.higher_is_better else (low, high)
    axis.axhspan(kpi.green_threshold, green_end, color=GREEN_ZONE, alpha=ZONE_ALPHA, linewidth=0)
    axis.axhspan(kpi.red_threshold, red_end, color=RED_ZONE, alpha=ZONE_ALPHA, linewidth=0)
    axis.axhline(kpi.target, color=TARGET_COLOR, linestyle="--", linewidth=1)
    axis.annotate(
        _plain(f"target {format_value(kpi.target, kpi.unit)}"),
        (0, kpi.target),
        xycoords=("axes fraction", "data"),
        xytext=(2, 2),
        textcoords="offset points",
        fontsize=7,
        color=TARGET_COLOR,
    )
    axis.annotate(
        _plain(format_value(values[-1], kpi.unit)),
        (days[-1], values[-1]),
        xytext=(0, 6),
        textcoords="offset points",
        ha="right",
        fontsize=8,
        color=LINE_COLOR,
    )
    axis.margins(x=0.05)
    axis.yaxis.set_major_formatter(FuncFormatter(partial(_tick, unit=kpi.unit)))
    # matplotlib's date helpers carry no annotations; they keep the day labels short.
    locator = AutoDateLocator(maxticks=5)  # type: ignore[no-untyped-call]
    axis.xaxis.set_major_locator(locator)
    axis.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    axis.tick_params(labelsize=7)
    axis.set_title(_plain(_panel_title(kpi)), fontsize=9, loc="left")


def _tick(value: float, _position: float | None = None, *, unit: str) -> str:
    return _plain(format_value(value, unit))


def _value_range(values: Sequence[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    margin = (high - low) * 0.15 or abs(high) * 0.1 or 1.0
    return low - margin, high + margin


def _panel_title(kpi: KpiLine) -> str:
    name = truncate(" ".join(kpi.name.split()), PANEL_TITLE_MAX)
    unit = f" ({kpi.unit})" if kpi.unit else ""
    return f"{format_ref('K', kpi.number)} {name}{unit}"


def kpi_alt_text(kpis: Sequence[KpiLine], *, title: str) -> str:
    """The chart's numbers in words: each KPI's latest value, target, health, and its first
    and last values over the period."""
    parts = [f"{title}."]
    for kpi in kpis:
        points = _points(kpi)
        first, last = points[0], points[-1]
        latest = "no value" if kpi.latest is None else format_value(kpi.latest, kpi.unit)
        parts.append(
            f"{format_ref('K', kpi.number)} {kpi.name}: latest {latest}, target "
            f"{format_value(kpi.target, kpi.unit)}, health {kpi.health.value}; from "
            f"{format_value(first.value, kpi.unit)} on {first.day.isoformat()} to "
            f"{format_value(last.value, kpi.unit)} on {last.day.isoformat()} "
            f"({len(points)} values)."
        )
    return textwrap.shorten(" ".join(parts), ALT_TEXT_MAX_CHARS, placeholder=" …")


def _plain(text: str) -> str:
    # A pair of dollar signs would start matplotlib's math mode.
    return text.replace("$", r"\$")
