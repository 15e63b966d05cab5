"""The KPI chart as a plain description: what goes where, in pixels, before anything is drawn.

``bot.digest.chart_layout`` works it out, ``bot.digest.chart_draw`` paints it, and tests check
it geometrically (zones in order, lines at their values, no text on another or off the
canvas). Coordinates are pixels from the canvas' top left corner, y growing downwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.kpis.health import Health


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def overlaps(self, other: Box) -> bool:
        """Whether the two share any area (sharing an edge is not overlapping)."""
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )

    def within(self, other: Box) -> bool:
        return (
            self.left >= other.left
            and self.top >= other.top
            and self.right <= other.right
            and self.bottom <= other.bottom
        )


@dataclass(frozen=True)
class Text:
    """A text as written (one line or more, left-aligned) and the box its letters fill."""

    text: str
    box: Box
    size: float  # points
    vertical: bool = False  # written bottom to top, as the unit along the value axis


@dataclass(frozen=True)
class Tick:
    at: float  # x of a day tick, y of a value tick
    label: Text


@dataclass(frozen=True)
class Band:
    """A zone drawn across a panel, in its colour painted over white."""

    health: Health
    box: Box
    color: tuple[int, int, int]


@dataclass(frozen=True)
class PanelLayout:
    """One KPI's panel. ``plot`` is the area inside the frame, in whole pixels; values map
    linearly from ``low`` at its bottom to ``high`` at its top, days (ordinals) from
    ``first_day`` at its left to ``last_day`` at its right."""

    plot: Box
    low: float
    high: float
    first_day: float
    last_day: float
    zones: tuple[Band, ...]  # bottom to top
    target: float  # the dashed target line's y
    line: tuple[tuple[float, float], ...]  # the values, oldest first; the last one stands out
    value_ticks: tuple[Tick, ...]
    day_ticks: tuple[Tick, ...]
    title: Text
    unit: Text | None  # along the value axis, when the unit is not a symbol

    def y_of(self, value: float) -> float:
        return self.plot.bottom - (value - self.low) / (self.high - self.low) * self.plot.height

    def value_at(self, y: float) -> float:
        return self.low + (self.plot.bottom - y) / self.plot.height * (self.high - self.low)

    def x_of(self, day: float) -> float:
        share = (day - self.first_day) / (self.last_day - self.first_day)
        return self.plot.left + share * self.plot.width

    def texts(self) -> list[Text]:
        ticks = [tick.label for tick in (*self.value_ticks, *self.day_ticks)]
        return [self.title, *ticks, *([self.unit] if self.unit else [])]


@dataclass(frozen=True)
class LegendEntry:
    """One of the legend's samples: ``key`` is a key of ``LEGEND_TEXTS`` ("value", "target"
    or a zone's health), ``handle`` where its line or patch is drawn."""

    key: str
    handle: Box
    label: Text


@dataclass(frozen=True)
class ChartLayout:
    width: int
    height: int
    title: Text
    panels: tuple[PanelLayout, ...]
    legend: tuple[LegendEntry, ...]

    def texts(self) -> list[Text]:
        """Every text drawn: the title, each panel's, the legend's."""
        panels: Sequence[Text] = [text for panel in self.panels for text in panel.texts()]
        return [self.title, *panels, *(entry.label for entry in self.legend)]
