"""Where the KPI chart's panels go, worked out from the sizes of its texts before it is drawn.

matplotlib's constrained layout finds the same margins by drawing the figure once to measure
every label and then drawing it again; here each margin is the measured size of what sits in
it (the panel's three-line title above, the day labels below, the value labels and the unit
on the left, the suptitle on top, the legend at the bottom), so the figure is drawn once. The
panels of a row share their top and bottom, and every panel has the same width, as with the
constrained layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure
    from matplotlib.legend import Legend
    from matplotlib.text import Text

EDGE = 5.0  # points between the figure's edge and anything drawn
GAP = 8.0  # points between a panel's texts and its neighbour's, or the legend
TITLE_PAD = 6.0  # points between a panel's title and its top (matplotlib's axes.titlepad)
LABEL_PAD = 4.0  # points between the unit and the value labels (axes.labelpad)
TICK_SPACE = 3.5 + 3.5  # a tick's length and its label's pad, in points


@dataclass(frozen=True)
class PanelTexts:
    """The measured texts around one panel, in points."""

    axis: Axes
    title: float  # the title's height
    value_labels: float  # the widest value label
    unit: float  # the unit written along the value axis (its height), 0 when none
    day_labels: float  # the day labels' height
    last_day: float  # half the width of the last day label
    last_day_at: float  # where the last day sits, as a share of the panel's width


def measure(axis: Axes, title: Text, renderer: RendererBase, *, dpi: float) -> PanelTexts:
    """The sizes of ``axis``'s title and tick labels, set but not drawn yet."""
    scale = 72.0 / dpi
    values = [
        label.get_window_extent(renderer).width
        for label in axis.get_yticklabels()
        if label.get_text()
    ]
    days = [label for label in axis.get_xticklabels() if label.get_text()]
    unit = axis.yaxis.label
    low, high = axis.get_xlim()
    last = float(axis.get_xticks()[-1])
    return PanelTexts(
        axis=axis,
        title=title.get_window_extent(renderer).height * scale,
        value_labels=max(values, default=0.0) * scale,
        unit=unit.get_window_extent(renderer).width * scale if unit.get_text() else 0.0,
        day_labels=max(label.get_window_extent(renderer).height for label in days) * scale,
        last_day=days[-1].get_window_extent(renderer).width * scale / 2,
        last_day_at=(last - low) / (high - low),
    )


def place(
    figure: Figure,
    panels: Sequence[PanelTexts],
    *,
    columns: int,
    suptitle: Text,
    legend: Legend,
    renderer: RendererBase,
) -> None:
    """Move each panel to its place (``panels`` row by row, ``columns`` a row)."""
    width, height = (side * 72.0 for side in figure.get_size_inches())
    scale = 72.0 / figure.dpi
    top = EDGE + suptitle.get_window_extent(renderer).height * scale + GAP
    bottom = EDGE + legend.get_window_extent(renderer).height * scale  # a row ends in GAP
    rows = [panels[start : start + columns] for start in range(0, len(panels), columns)]
    lefts = [max(_left(texts) for texts in panels[column::columns]) for column in range(columns)]
    inner = (width - 2 * EDGE - sum(lefts) - GAP * (columns - 1)) / columns
    rights = [
        max(_right(texts, inner) for texts in panels[column::columns]) for column in range(columns)
    ]
    inner -= sum(rights) / columns
    cell = (height - top - bottom) / len(rows)
    for row, row_panels in enumerate(rows):
        above = max(texts.title for texts in row_panels) + TITLE_PAD
        below = max(texts.day_labels for texts in row_panels) + TICK_SPACE + GAP
        panel_top = height - top - row * cell - above
        panel_height = cell - above - below
        x = EDGE
        for column, texts in enumerate(row_panels):
            x += lefts[column]
            texts.axis.set_position(
                (
                    x / width,
                    (panel_top - panel_height) / height,
                    inner / width,
                    panel_height / height,
                )
            )
            texts.axis.yaxis.set_label_coords(
                -(texts.value_labels + TICK_SPACE + LABEL_PAD) / inner, 0.5
            )
            x += inner + rights[column] + GAP


def _left(texts: PanelTexts) -> float:
    unit = texts.unit + LABEL_PAD if texts.unit else 0.0
    return texts.value_labels + TICK_SPACE + unit


def _right(texts: PanelTexts, inner: float) -> float:
    """Room for the last day label where it reaches past the panel's right edge."""
    return max(0.0, texts.last_day - (1 - texts.last_day_at) * inner)
