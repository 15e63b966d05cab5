"""Checks a person would make looking at a chart, made on the drawn figure rather than on pixels:
every label is inside the image, no two labels overlap, no stray offset text, text large enough
to read once Slack scales the image down to its preview."""

from __future__ import annotations

from itertools import combinations

from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox


def _in_view(value: float, limits: tuple[float, float]) -> bool:
    low, high = sorted(limits)
    slack = (high - low) * 1e-6
    return low - slack <= value <= high + slack


def _tick_labels(axis: Axes) -> list[Text]:
    shown = []
    xlim, ylim = axis.get_xlim(), axis.get_ylim()
    if axis.xaxis.get_visible():
        shown += [
            label
            for label, where in zip(axis.get_xticklabels(), axis.get_xticks(), strict=True)
            if _in_view(where, xlim)
        ]
    if axis.yaxis.get_visible():
        shown += [
            label
            for label, where in zip(axis.get_yticklabels(), axis.get_yticks(), strict=True)
            if _in_view(where, ylim)
        ]
    return shown


def visible_texts(figure: Figure) -> list[Text]:
    """Every piece of text the figure draws: titles, tick labels, annotations, legends."""
    texts: list[Text] = list(figure.texts)  # the suptitle among them
    for legend in figure.legends:
        texts += legend.get_texts()
    for axis in figure.axes:
        if not axis.get_visible():
            continue
        texts += [child for child in axis.get_children() if isinstance(child, Text)]  # titles
        texts += [*_tick_labels(axis), axis.xaxis.get_offset_text(), axis.yaxis.get_offset_text()]
        own_legend = axis.get_legend()
        if own_legend is not None:
            texts += own_legend.get_texts()
    unique = list({id(text): text for text in texts}.values())
    return [text for text in unique if text.get_visible() and text.get_text().strip()]


def layout_problems(figure: Figure) -> list[str]:
    """What a reader would stumble on: labels cut at the edge, labels on top of each other."""
    figure.canvas.draw()
    renderer: RendererBase = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    whole = Bbox.from_bounds(0, 0, *figure.canvas.get_width_height())
    boxes = [(text, text.get_window_extent(renderer)) for text in visible_texts(figure)]
    problems = [
        f"cut off: {text.get_text()!r}"
        for text, box in boxes
        if not (box.x0 >= -1 and box.y0 >= -1 and box.x1 <= whole.x1 + 1 and box.y1 <= whole.y1 + 1)
    ]
    for (first, one), (second, other) in combinations(boxes, 2):
        if one.shrunk(0.98, 0.9).overlaps(other.shrunk(0.98, 0.9)):
            problems.append(f"overlap: {first.get_text()!r} and {second.get_text()!r}")
    return problems


def stray_offsets(figure: Figure) -> list[str]:
    """Axis offset labels such as ``2026-Nov`` or ``1e6``, which a reader cannot place."""
    figure.canvas.draw()
    return [
        text.get_text()
        for axis in figure.axes
        for text in (axis.xaxis.get_offset_text(), axis.yaxis.get_offset_text())
        if axis.get_visible() and text.get_text().strip()
    ]


def smallest_preview_text_px(figure: Figure, *, width_px: int, height_px: int) -> float:
    """The height of the smallest text, in pixels, once the image is scaled to fit a
    ``width_px`` by ``height_px`` preview (never scaled up)."""
    image_width, image_height = figure.canvas.get_width_height()
    scale = min(1.0, width_px / image_width, height_px / image_height)
    pixels_per_point = figure.dpi / 72
    points = min(text.get_fontproperties().get_size_in_points() for text in visible_texts(figure))
    return points * pixels_per_point * scale
