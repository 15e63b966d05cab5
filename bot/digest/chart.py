"""The digest's KPI chart: small multiples of the key KPIs as a PNG (matplotlib, Agg), with alt
text carrying the numbers.

One panel per charted KPI with history (at most ``PANELS_MAX``): its values over the days on
top of its green, amber and red zones, drawn from the same rule as the health dot
(``bot.kpis.health.kpi_health``, direction included), and a dashed target line. One legend
names the series, the target and the zones; each panel's title says the latest value, its
health, the target and the thresholds, so nothing is written inside the plot where it could
cover a line or another label. Sized for Slack's inline preview (``PREVIEW_WIDTH_PX`` by
``PREVIEW_HEIGHT_PX``), where the image is shown scaled down.

Built with matplotlib's object API, never ``pyplot``, so charts drawn at the same time share no
state; the PNG carries no version or date, so the same KPIs give the same bytes. matplotlib
(with numpy, about 50 MiB) is imported when the first chart is drawn, not when the app
starts; drawing is CPU-heavy, so the digest job runs ``render_kpi_chart`` in a worker thread.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from bot.core.refs import format_ref
from bot.core.weeks import day_label
from bot.digest import chart_layout
from bot.digest.model import KpiLine, KpiPoint
from bot.kpis.health import Health, format_value, kpi_health
from bot.pulse.chart import ALT_TEXT_MAX_CHARS, PNG_METADATA, Chart
from bot.slack.messages import truncate

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.text import Text

PANELS_MAX = 6
DPI = 100
# zlib level 3, not PIL's 6: a third less time encoding, and as small a file for these flat
# colours (level 6 is no smaller here)
PNG_COMPRESSION = {"compress_level": 3}
PREVIEW_WIDTH_PX, PREVIEW_HEIGHT_PX = 480, 360  # Slack's inline preview box (thumb_480)
PANEL_WIDTH, PANEL_HEIGHT, HEADER_HEIGHT = 4.2, 2.7, 0.9  # inches
TITLE_SIZE, PANEL_TITLE_SIZE, TICK_SIZE, LEGEND_SIZE = 15, 11, 11, 11  # points
LINE_COLOR, TARGET_COLOR = "#1B2A49", "#444444"
ZONE_COLORS = {Health.GREEN: "#5CB85C", Health.AMBER: "#F0AD4E", Health.RED: "#D9534F"}
ZONE_ALPHA = {Health.GREEN: 0.28, Health.AMBER: 0.4, Health.RED: 0.28}  # amber is pale
ZONE_ORDER = (Health.GREEN, Health.AMBER, Health.RED)
X_TICKS_MAX = 4
Y_TICKS_MAX = 5
TITLE_MAX_POINTS = (PANEL_WIDTH - 1.0) * 72  # a panel's width, less its value ticks
SYMBOL_UNITS = ("%", "$", "€", "£")  # short enough to sit beside every tick
LEGEND_TEXTS = {
    "value": "KPI value",
    "target": "target",
    Health.GREEN: "green zone",
    Health.AMBER: "amber zone",
    Health.RED: "red zone",
}


@dataclass(frozen=True)
class Zone:
    """A band of values judged ``health`` by ``kpi_health``, from ``low`` to ``high``."""

    health: Health
    low: float
    high: float


@dataclass(frozen=True)
class Panel:
    """What one KPI's panel draws, computed before any drawing."""

    kpi: KpiLine
    points: tuple[KpiPoint, ...]
    low: float  # the value axis' range
    high: float
    zones: tuple[Zone, ...]  # bottom to top, clipped to the range, empty ones left out
    latest_health: Health  # kpi_health of the last value drawn
    title: str


def charted_kpis(kpis: Sequence[KpiLine]) -> list[KpiLine]:
    """The KPIs the chart draws: those marked charted that have a finite value to draw."""
    return [kpi for kpi in kpis if kpi.charted and _points(kpi)][:PANELS_MAX]


def kpi_zones(kpi: KpiLine, *, low: float, high: float) -> tuple[Zone, ...]:
    """The green, amber and red bands between ``low`` and ``high``, bottom to top.

    Worked out as ``kpi_health`` judges a value: with ``s`` = +1 when higher is better and -1
    when lower is, ``s·value >= s·green`` is green, else ``s·value <= s·red`` is red, else
    amber. Green wins where thresholds overlap, so the amber band is then empty."""
    sign = 1.0 if kpi.higher_is_better else -1.0
    green, red = sign * kpi.green_threshold, sign * kpi.red_threshold
    signed = {  # bounds in "bigger is better" space
        Health.RED: (-math.inf, min(red, green)),
        Health.AMBER: (red, green),
        Health.GREEN: (green, math.inf),
    }
    zones = []
    for health, (start, end) in signed.items():
        if end <= start:  # no amber band where the thresholds meet or overlap
            continue
        bottom, top = sorted((sign * start, sign * end))
        bottom, top = max(bottom, low), min(top, high)
        if top > bottom:
            zones.append(Zone(health=health, low=bottom, high=top))
    return tuple(sorted(zones, key=lambda zone: zone.low))


def value_range(kpi: KpiLine) -> tuple[float, float]:
    """The value axis' range: every value, the target and both thresholds, with a margin, so
    every zone the KPI has shows."""
    shown = [point.value for point in _points(kpi)]
    shown += [kpi.target, kpi.green_threshold, kpi.red_threshold]
    finite = [value for value in shown if math.isfinite(value)]
    low, high = min(finite), max(finite)
    margin = (high - low) * 0.12 or abs(high) * 0.1 or 1.0
    return low - margin, high + margin


def kpi_panel(kpi: KpiLine) -> Panel:
    points = tuple(_points(kpi))
    low, high = value_range(kpi)
    latest = kpi_health(
        points[-1].value,
        higher_is_better=kpi.higher_is_better,
        green=kpi.green_threshold,
        red=kpi.red_threshold,
    )
    return Panel(
        kpi=kpi,
        points=points,
        low=low,
        high=high,
        zones=kpi_zones(kpi, low=low, high=high),
        latest_health=latest,
        title=panel_title(kpi, points[-1].value, latest),
    )


def kpi_figure(kpis: Sequence[KpiLine], *, title: str) -> Figure | None:
    """The chart's figure, ready to draw but not drawn; ``None`` when no KPI has history.
    Its layout is worked out from the measured texts (``bot.digest.chart_layout``), so it is
    drawn once, not twice as with matplotlib's constrained layout."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    panels = [kpi_panel(kpi) for kpi in charted_kpis(kpis)]
    if not panels:
        return None
    columns = 1 if len(panels) == 1 else 2
    rows = math.ceil(len(panels) / columns)
    size = (PANEL_WIDTH * columns + 0.4, HEADER_HEIGHT + PANEL_HEIGHT * rows)
    figure = Figure(figsize=size, dpi=DPI)
    renderer = FigureCanvasAgg(figure).get_renderer()  # type: ignore[no-untyped-call]
    suptitle = figure.suptitle(
        _plain(title), fontsize=TITLE_SIZE, y=1 - chart_layout.EDGE / 72 / size[1], va="top"
    )
    legend = figure.legend(
        handles=_legend_handles(),
        loc="lower center",
        bbox_to_anchor=(0.5, chart_layout.EDGE / 72 / size[1]),
        borderaxespad=0,
        ncols=5 if columns > 1 else 3,
        fontsize=LEGEND_SIZE,
        frameon=False,
    )
    measured = []
    for panel in panels:
        axis = figure.add_axes((0.1, 0.1, 0.8, 0.8))
        measured.append(chart_layout.measure(axis, _draw_panel(axis, panel), renderer, dpi=DPI))
    chart_layout.place(
        figure, measured, columns=columns, suptitle=suptitle, legend=legend, renderer=renderer
    )
    return figure


def render_kpi_chart(kpis: Sequence[KpiLine], *, title: str) -> Chart | None:
    """Small multiples of the charted KPIs' history; ``None`` when none has history."""
    figure = kpi_figure(kpis, title=title)
    if figure is None:
        return None
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata=PNG_METADATA, pil_kwargs=PNG_COMPRESSION)
    return Chart(png=buffer.getvalue(), alt_text=kpi_alt_text(charted_kpis(kpis), title=title))


def _points(kpi: KpiLine) -> list[KpiPoint]:
    return [point for point in kpi.history if math.isfinite(point.value)]


def _draw_panel(axis: Axes, panel: Panel) -> Text:
    """Draw ``panel`` on ``axis``; returns its title. The value labels are fixed here (the
    same ones matplotlib's locator would pick), so the layout can measure them."""
    from matplotlib.ticker import MaxNLocator

    kpi = panel.kpi
    for zone in panel.zones:
        axis.axhspan(
            zone.low,
            zone.high,
            color=ZONE_COLORS[zone.health],
            alpha=ZONE_ALPHA[zone.health],
            linewidth=0,
        )
    axis.axhline(kpi.target, color=TARGET_COLOR, linestyle="--", linewidth=1.4)
    days = [float(point.day.toordinal()) for point in panel.points]
    values = [point.value for point in panel.points]
    axis.plot(days, values, color=LINE_COLOR, marker="o", markersize=4, linewidth=2.2)
    axis.plot(days[-1:], values[-1:], color=LINE_COLOR, marker="o", markersize=8)
    axis.set_ylim(panel.low, panel.high)
    locator = MaxNLocator(Y_TICKS_MAX, steps=[1, 2, 2.5, 5, 10])
    ticks = [float(v) for v in locator.tick_values(panel.low, panel.high)]
    close = (panel.high - panel.low) * 1e-9  # as matplotlib keeps a tick on the edge
    ticks = [value for value in ticks if panel.low - close <= value <= panel.high + close]
    tick = partial(_tick, unit=_tick_unit(kpi.unit), low=panel.low, high=panel.high)
    axis.set_yticks(ticks, labels=[tick(value) for value in ticks])
    shown = _day_ticks(panel.points)
    axis.set_xticks(
        [float(point.day.toordinal()) for point in shown], labels=[day_label(p.day) for p in shown]
    )
    span = max(days[-1] - days[0], 1.0)
    axis.set_xlim(days[0] - span * 0.06, days[-1] + span * 0.06)
    axis.tick_params(labelsize=TICK_SIZE)
    if kpi.unit and not _tick_unit(kpi.unit):
        axis.set_ylabel(_plain(kpi.unit), fontsize=TICK_SIZE)
    axis.xaxis.set_label_coords(0.5, 0.0)  # no day axis label: nothing to place
    return axis.set_title(_plain(panel.title), fontsize=PANEL_TITLE_SIZE, loc="left", y=1.0)


def _legend_handles() -> list[Line2D | Patch]:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Line2D | Patch] = [
        Line2D([], [], color=LINE_COLOR, marker="o", linewidth=2.2, label=LEGEND_TEXTS["value"]),
        Line2D([], [], color=TARGET_COLOR, linestyle="--", label=LEGEND_TEXTS["target"]),
    ]
    handles += [
        Patch(color=ZONE_COLORS[health], alpha=ZONE_ALPHA[health], label=LEGEND_TEXTS[health])
        for health in ZONE_ORDER
    ]
    return handles


def _day_ticks(points: Sequence[KpiPoint]) -> list[KpiPoint]:
    """At most ``X_TICKS_MAX`` of the days, evenly spread, the first and the last included."""
    if len(points) <= X_TICKS_MAX:
        return list(points)
    step = (len(points) - 1) / (X_TICKS_MAX - 1)
    return [points[round(index * step)] for index in range(X_TICKS_MAX)]


def _tick_unit(unit: str) -> str:
    return unit if unit in SYMBOL_UNITS else ""


def tick_scale(low: float, high: float) -> tuple[float, str]:
    """One divisor and suffix for every tick of an axis, so that ``$12k`` never sits beside
    ``$8,000``: thousands from 10,000 on, then millions and billions."""
    magnitude = max(abs(low), abs(high))
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if magnitude >= max(size, 1e4):
            return size, suffix
    return 1.0, ""


def _tick(
    value: float, _position: float | None = None, *, unit: str, low: float, high: float
) -> str:
    size, suffix = tick_scale(low, high)
    return _plain(_scaled(value, size, suffix, unit))


def panel_title(kpi: KpiLine, latest: float, health: Health) -> str:
    """Three lines: the KPI (cut to the panel's width), the latest value, its health and the
    target, then the thresholds in the KPI's direction. A unit that is not a symbol is written
    on the value axis instead (``_draw_panel``)."""
    unit = _tick_unit(kpi.unit)
    named = f"{format_ref('K', kpi.number)} {' '.join(kpi.name.split())}"
    at_least, at_most = ("≥", "≤") if kpi.higher_is_better else ("≤", "≥")
    return "\n".join(
        (
            fit_width(named, TITLE_MAX_POINTS, size=PANEL_TITLE_SIZE),
            f"now {_short(latest, unit)} ({health.value}), target {_short(kpi.target, unit)}",
            f"green {at_least} {_short(kpi.green_threshold, unit)}, red "
            f"{at_most} {_short(kpi.red_threshold, unit)}",
        )
    )


def fit_width(text: str, points: float, *, size: float) -> str:
    """``text``, cut with an ellipsis to at most ``points`` wide in the chart's font."""
    if _width(text, size) <= points:
        return text
    fits, too_long = 1, len(text)  # the longest cut that fits, by halving
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        if _width(truncate(text, middle), size) <= points:
            fits = middle
        else:
            too_long = middle
    return truncate(text, fits)


def _width(text: str, size: float) -> float:
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    width, _, _ = text_to_path.get_text_width_height_descent(
        _plain(text), FontProperties(size=size), ismath=False
    )
    return float(width)


def _short(value: float, unit: str) -> str:
    """A value for a title: in full up to a million, then ``€12.35M``, ``$1.5B``."""
    for size, suffix in ((1e9, "B"), (1e6, "M")):
        if abs(value) >= size:
            return _scaled(value, size, suffix, unit)
    return format_value(value, unit)


def _scaled(value: float, size: float, suffix: str, unit: str) -> str:
    """``value / size`` with its suffix before a trailing unit: ``$12.5k``, ``12.5k%``."""
    text = format_value(round(value / size, 2), unit)
    return text[: -len(unit)] + suffix + unit if unit == "%" else text + suffix


def kpi_alt_text(kpis: Sequence[KpiLine], *, title: str) -> str:
    """The chart's numbers in words: each KPI's latest value, target, health and zones, and
    its first and last values over the period."""
    parts = [f"{title}."]
    for kpi in kpis:
        points = _points(kpi)
        first, last = points[0], points[-1]
        latest = "no value" if kpi.latest is None else format_value(kpi.latest, kpi.unit)
        parts.append(
            f"{format_ref('K', kpi.number)} {kpi.name}: latest {latest}, target "
            f"{format_value(kpi.target, kpi.unit)}, health {kpi.health.value} "
            f"({_zones_in_words(kpi)}); from "
            f"{format_value(first.value, kpi.unit)} on {first.day.isoformat()} to "
            f"{format_value(last.value, kpi.unit)} on {last.day.isoformat()} "
            f"({len(points)} values)."
        )
    return textwrap.shorten(" ".join(parts), ALT_TEXT_MAX_CHARS, placeholder=" …")


def _zones_in_words(kpi: KpiLine) -> str:
    more, less = ("or more", "or less") if kpi.higher_is_better else ("or less", "or more")
    green = format_value(kpi.green_threshold, kpi.unit)
    return f"green at {green} {more}, red at {format_value(kpi.red_threshold, kpi.unit)} {less}"


def _plain(text: str) -> str:
    # A pair of dollar signs would start matplotlib's math mode.
    return text.replace("$", r"\$")
