"""Where the KPI chart's panels, ticks and texts go, worked out from the texts' measured sizes.

Each margin is the size of what sits in it: a panel's three-line title above it, the day labels
below, the value labels and the unit on its left, the chart's title on top, the legend at the
bottom. The panels of a row share their top and bottom, and every panel has the same width. The
result is a ``bot.digest.chart_model.ChartLayout``; nothing is drawn here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, NamedTuple

from bot.core.weeks import day_label
from bot.digest.chart_legend import legend_entries
from bot.digest.chart_model import Band, Box, ChartLayout, PanelLayout, Text, Tick
from bot.digest.chart_style import (
    DPI,
    EDGE,
    GAP,
    HEADER_HEIGHT,
    LABEL_PAD,
    PANEL_HEIGHT,
    PANEL_TITLE_SIZE,
    PANEL_WIDTH,
    TICK_SIZE,
    TICK_SPACE,
    TITLE_PAD,
    TITLE_SIZE,
    X_MARGIN,
    ZONE_FILLS,
    px,
)
from bot.digest.chart_text import fit_width, line_height, text_size
from bot.digest.chart_ticks import day_ticks, tick_unit, value_ticks

if TYPE_CHECKING:
    from bot.digest.chart import Panel


class Label(NamedTuple):
    """A tick's label and its size in pixels, before it has a place."""

    at: float  # the value, or the day as an ordinal
    text: str
    width: float
    height: float


@dataclass(frozen=True)
class PanelTexts:
    """One panel's texts and their sizes, in pixels, before the panel has a place."""

    panel: Panel
    values: list[Label]
    days: list[Label]
    first_day: float  # the day axis' range, margins included
    last_day: float
    title: tuple[float, float]  # width, height
    unit: str  # written along the value axis, "" when none

    @property
    def value_width(self) -> float:
        return max((label.width for label in self.values), default=0.0)

    @property
    def left(self) -> float:
        """Room left of the plot: value labels, ticks and the unit (its letters' height)."""
        unit = line_height(TICK_SIZE) + px(LABEL_PAD) if self.unit else 0.0
        return self.value_width + px(TICK_SPACE) + unit

    @property
    def below(self) -> float:
        """Room below the plot: ticks, day labels and the gap to what follows."""
        return max(label.height for label in self.days) + px(TICK_SPACE) + px(GAP)

    def right(self, inner: float) -> float:
        """Room for the last day label where it reaches past the plot's right edge."""
        last = self.days[-1]
        at = (last.at - self.first_day) / (self.last_day - self.first_day)
        return max(0.0, last.width / 2 - (1 - at) * inner)


def canvas_size(panels: int) -> tuple[int, int]:
    """Width and height in pixels: ``PANEL_WIDTH`` by ``PANEL_HEIGHT`` inches a panel, in one
    column for a single panel, else two, below ``HEADER_HEIGHT``."""
    columns = 1 if panels == 1 else 2
    rows = math.ceil(panels / columns)
    return (
        round((PANEL_WIDTH * columns + 0.4) * DPI),
        round((HEADER_HEIGHT + PANEL_HEIGHT * rows) * DPI),
    )


def lay_out(panels: Sequence[Panel], *, title: str) -> ChartLayout:
    """The chart of ``panels``, row by row, two a row unless there is only one."""
    columns = 1 if len(panels) == 1 else 2
    width, height = canvas_size(len(panels))
    title = fit_width(title, width * 72 / DPI - 2 * EDGE, size=TITLE_SIZE)
    title_width, title_height = text_size(title, TITLE_SIZE)
    heading = Text(
        title,
        Box(
            (width - title_width) / 2,
            px(EDGE),
            (width + title_width) / 2,
            px(EDGE) + title_height,
        ),
        TITLE_SIZE,
    )
    legend = legend_entries(width=width, bottom=height - px(EDGE), wide=columns > 1)
    top = heading.box.bottom + px(GAP)
    bottom = min(entry.label.box.top for entry in legend)
    measured = [_measure(panel) for panel in panels]
    plots = _plots(measured, columns=columns, width=width, top=top, bottom=bottom)
    return ChartLayout(
        width=width,
        height=height,
        title=heading,
        panels=tuple(_panel(texts, plot) for texts, plot in zip(measured, plots, strict=True)),
        legend=legend,
    )


def _measure(panel: Panel) -> PanelTexts:
    """The texts around ``panel`` and their sizes."""
    first, last = panel.points[0].day.toordinal(), panel.points[-1].day.toordinal()
    span = max(last - first, 1)
    return PanelTexts(
        panel=panel,
        values=[
            _label(value, text)
            for value, text in value_ticks(panel.low, panel.high, panel.kpi.unit)
        ],
        days=[
            _label(point.day.toordinal(), day_label(point.day)) for point in day_ticks(panel.points)
        ],
        first_day=first - span * X_MARGIN,
        last_day=last + span * X_MARGIN,
        title=text_size(panel.title, PANEL_TITLE_SIZE),
        unit="" if tick_unit(panel.kpi.unit) else panel.kpi.unit,
    )


def _label(at: float, text: str) -> Label:
    return Label(float(at), text, *text_size(text, TICK_SIZE))


def _plots(
    panels: Sequence[PanelTexts], *, columns: int, width: int, top: float, bottom: float
) -> list[Box]:
    """Each panel's plot area, in whole pixels, between ``top`` and ``bottom``."""
    rows = [panels[start : start + columns] for start in range(0, len(panels), columns)]
    lefts = [max(texts.left for texts in panels[column::columns]) for column in range(columns)]
    inner = (width - 2 * px(EDGE) - sum(lefts) - px(GAP) * (columns - 1)) / columns
    rights = [
        max(texts.right(inner) for texts in panels[column::columns]) for column in range(columns)
    ]
    inner -= sum(rights) / columns
    cell = (bottom - top) / len(rows)
    plots = []
    for row, row_panels in enumerate(rows):
        above = max(texts.title[1] for texts in row_panels) + px(TITLE_PAD)
        below = max(texts.below for texts in row_panels)
        plot_top, plot_bottom = top + row * cell + above, top + (row + 1) * cell - below
        x = px(EDGE)
        for column in range(len(row_panels)):
            x += lefts[column]
            plots.append(Box(round(x), round(plot_top), round(x + inner), round(plot_bottom)))
            x += inner + rights[column] + px(GAP)
    return plots


def _panel(texts: PanelTexts, plot: Box) -> PanelLayout:
    """The panel's scales first, then what is drawn on them."""
    panel = texts.panel
    scales = PanelLayout(
        plot=plot,
        low=panel.low,
        high=panel.high,
        first_day=texts.first_day,
        last_day=texts.last_day,
        zones=(),
        target=0.0,
        line=(),
        value_ticks=(),
        day_ticks=(),
        title=_title(texts, plot),
        unit=_unit(texts, plot),
    )
    y_of, x_of = scales.y_of, scales.x_of
    label_right, label_top = plot.left - px(TICK_SPACE), plot.bottom + px(TICK_SPACE)
    return replace(
        scales,
        zones=tuple(
            Band(zone.health, Box(plot.left, top, plot.right, bottom), ZONE_FILLS[zone.health])
            for zone in panel.zones
            for top, bottom in ((round(y_of(zone.high)), round(y_of(zone.low))),)
            if bottom > top  # a band thinner than half a pixel shows nothing
        ),
        target=y_of(panel.kpi.target),
        line=tuple((x_of(point.day.toordinal()), y_of(point.value)) for point in panel.points),
        value_ticks=tuple(
            Tick(y, _text(label, label_right - label.width, y - label.height / 2))
            for label in texts.values
            for y in (y_of(label.at),)
        ),
        day_ticks=tuple(
            Tick(x, _text(label, x - label.width / 2, label_top))
            for label in texts.days
            for x in (x_of(label.at),)
        ),
    )


def _title(texts: PanelTexts, plot: Box) -> Text:
    """Left-aligned above the plot."""
    width, height = texts.title
    bottom = plot.top - px(TITLE_PAD)
    box = Box(plot.left, bottom - height, plot.left + width, bottom)
    return Text(texts.panel.title, box, PANEL_TITLE_SIZE)


def _unit(texts: PanelTexts, plot: Box) -> Text | None:
    """Along the value axis, centred on it, left of the panel's own value labels; cut with an
    ellipsis where it would be longer than the axis."""
    if not texts.unit:
        return None
    unit = fit_width(texts.unit, plot.height * 72 / DPI, size=TICK_SIZE)
    length, thickness = text_size(unit, TICK_SIZE)
    right = plot.left - px(TICK_SPACE) - texts.value_width - px(LABEL_PAD)
    middle = (plot.top + plot.bottom) / 2
    box = Box(right - thickness, middle - length / 2, right, middle + length / 2)
    return Text(unit, box, TICK_SIZE, vertical=True)


def _text(label: Label, left: float, top: float) -> Text:
    return Text(label.text, Box(left, top, left + label.width, top + label.height), TICK_SIZE)
