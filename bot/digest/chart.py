"""The digest's KPI chart: small multiples of the key KPIs as a PNG drawn with Pillow, with alt
text carrying the numbers.

One panel per charted KPI with history (at most ``PANELS_MAX``): its values over the days on
top of its green, amber and red zones, drawn from the same rule as the health dot
(``bot.kpis.health.kpi_health``, direction included), and a dashed target line. One legend
names the series, the target and the zones; each panel's title says the latest value, its
health, the target and the thresholds, so nothing is written inside the plot where it could
cover a line or another label. Sized for Slack's inline preview (``PREVIEW_WIDTH_PX`` by
``PREVIEW_HEIGHT_PX``), where the image is shown scaled down.

Three steps: what each panel shows (here: ``kpi_panel``), where everything goes in pixels
(``bot.digest.chart_layout``, giving a ``bot.digest.chart_model.ChartLayout`` that tests
check), and the painting (``bot.digest.chart_draw``). It never imports matplotlib (only reads
the DejaVu Sans file matplotlib ships, ``bot.digest.chart_text``): a chart costs a few tens of
milliseconds, not a fifth of a second; the digest job still draws it in a worker thread
(``asyncio.to_thread``), imports this module (and Pillow) with its first chart, and posts the
digest without a chart that cannot be drawn. The PNG carries no version or date, so the same
KPIs give the same bytes.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.refs import format_ref
from bot.digest.chart_draw import chart_png
from bot.digest.chart_layout import lay_out
from bot.digest.chart_model import ChartLayout

# `X as X`: importable from here too, where callers and tests look for the chart's parts
from bot.digest.chart_style import LEGEND_TEXTS as LEGEND_TEXTS
from bot.digest.chart_style import PANEL_TITLE_SIZE, TITLE_MAX_POINTS
from bot.digest.chart_style import PANELS_MAX as PANELS_MAX
from bot.digest.chart_style import PNG_COMPRESSION as PNG_COMPRESSION
from bot.digest.chart_style import PREVIEW_HEIGHT_PX as PREVIEW_HEIGHT_PX
from bot.digest.chart_style import PREVIEW_WIDTH_PX as PREVIEW_WIDTH_PX
from bot.digest.chart_style import ZONE_COLORS as ZONE_COLORS
from bot.digest.chart_text import fit_width as fit_width
from bot.digest.chart_ticks import short, tick_unit
from bot.digest.chart_ticks import tick_scale as tick_scale
from bot.digest.model import KpiLine, KpiPoint
from bot.kpis.health import Health, format_value, kpi_health
from bot.pulse.chart import ALT_TEXT_MAX_CHARS, Chart


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


def kpi_layout(kpis: Sequence[KpiLine], *, title: str) -> ChartLayout | None:
    """Where everything in the chart goes, nothing drawn yet; ``None`` when no KPI has
    history. ``title`` is written as it is, dollar signs and all."""
    panels = [kpi_panel(kpi) for kpi in charted_kpis(kpis)]
    return lay_out(panels, title=title) if panels else None


def render_kpi_chart(kpis: Sequence[KpiLine], *, title: str) -> Chart | None:
    """Small multiples of the charted KPIs' history; ``None`` when none has history."""
    layout = kpi_layout(kpis, title=title)
    if layout is None:
        return None
    return Chart(png=chart_png(layout), alt_text=kpi_alt_text(charted_kpis(kpis), title=title))


def _points(kpi: KpiLine) -> list[KpiPoint]:
    return [point for point in kpi.history if math.isfinite(point.value)]


def panel_title(kpi: KpiLine, latest: float, health: Health) -> str:
    """Three lines: the KPI (cut to the panel's width), the latest value, its health and the
    target, then the thresholds in the KPI's direction. A unit that is not a symbol is written
    on the value axis instead."""
    unit = tick_unit(kpi.unit)
    named = f"{format_ref('K', kpi.number)} {' '.join(kpi.name.split())}"
    at_least, at_most = ("≥", "≤") if kpi.higher_is_better else ("≤", "≥")
    return "\n".join(
        (
            fit_width(named, TITLE_MAX_POINTS, size=PANEL_TITLE_SIZE),
            f"now {short(latest, unit)} ({health.value}), target {short(kpi.target, unit)}",
            f"green {at_least} {short(kpi.green_threshold, unit)}, red "
            f"{at_most} {short(kpi.red_threshold, unit)}",
        )
    )


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
