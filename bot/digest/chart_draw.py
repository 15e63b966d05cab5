"""Paints a ``ChartLayout`` with Pillow and encodes it as a PNG.

Lines and markers are drawn ``SUPERSAMPLE`` times larger in each panel's plot area (and in each
legend sample) and scaled down with a box filter (``Image.reduce``), which smooths their edges.
Text is drawn at its final size, where FreeType smooths and hints it: crisper than text scaled
down. The frame, the ticks and the zones' edges fall on whole pixels and need no smoothing.
The PNG carries no metadata, so the same layout gives the same bytes.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from functools import partial

from PIL import Image, ImageDraw

from bot.digest.chart_model import Box, ChartLayout, LegendEntry, PanelLayout, Text
from bot.digest.chart_style import (
    BACKGROUND,
    DASH,
    DASH_GAP,
    FRAME_COLOR,
    FRAME_WIDTH,
    LAST_MARKER_SIZE,
    LEGEND_MARKER_SIZE,
    LEGEND_TARGET_WIDTH,
    LINE_COLOR,
    MARKER_EDGE,
    MARKER_SIZE,
    PNG_COMPRESSION,
    SUPERSAMPLE,
    TARGET_COLOR,
    TARGET_LINE_WIDTH,
    TEXT_COLOR,
    TICK_LENGTH,
    VALUE_LINE_WIDTH,
    ZONE_FILLS,
    px,
)
from bot.digest.chart_text import font, line_step
from bot.kpis.health import Health

Point = tuple[float, float]
Place = Callable[[float, float], Point]  # from canvas pixels to the supersampled area's
Painter = Callable[[ImageDraw.ImageDraw, Place], None]


def chart_png(layout: ChartLayout) -> bytes:
    buffer = io.BytesIO()
    draw_chart(layout).save(buffer, format="PNG", **PNG_COMPRESSION)
    return buffer.getvalue()


def draw_chart(layout: ChartLayout) -> Image.Image:
    image = Image.new("RGB", (layout.width, layout.height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for panel in layout.panels:
        _smoothly(image, panel.plot, partial(_plot, panel=panel))
        _frame_and_ticks(draw, panel)
    for entry in layout.legend:
        _smoothly(image, entry.handle, partial(_sample, entry=entry))
    for text in layout.texts():
        _write(image, draw, text)
    return image


def _smoothly(image: Image.Image, box: Box, paint: Painter) -> None:
    """Let ``paint`` draw ``box`` at ``SUPERSAMPLE`` times the size, given a function from
    canvas coordinates to its own, then scale it down into ``image``."""
    left, top, right, bottom = (round(side) for side in (box.left, box.top, box.right, box.bottom))
    area = Image.new(
        "RGB", ((right - left) * SUPERSAMPLE, (bottom - top) * SUPERSAMPLE), BACKGROUND
    )

    def at(x: float, y: float) -> Point:
        return (x - left) * SUPERSAMPLE, (y - top) * SUPERSAMPLE

    paint(ImageDraw.Draw(area), at)
    image.paste(area.reduce(SUPERSAMPLE), (left, top))


def _plot(pen: ImageDraw.ImageDraw, at: Place, *, panel: PanelLayout) -> None:
    """The zones, the dashed target and the values, as the plot area shows them."""
    plot = panel.plot
    for band in panel.zones:
        (left, top), (right, bottom) = at(plot.left, band.box.top), at(plot.right, band.box.bottom)
        pen.rectangle((left, top, right - 1, bottom - 1), fill=band.color)
    start, end = at(plot.left, panel.target), at(plot.right, panel.target)
    _dashed(pen, start, end[0], width=TARGET_LINE_WIDTH, color=TARGET_COLOR)
    points = [at(x, y) for x, y in panel.line]
    if len(points) > 1:
        width = round(px(VALUE_LINE_WIDTH) * SUPERSAMPLE)
        pen.line(points, fill=LINE_COLOR, width=width, joint="curve")
    for index, point in enumerate(points):
        size = LAST_MARKER_SIZE if index == len(points) - 1 else MARKER_SIZE
        _marker(pen, point, size)


def _sample(pen: ImageDraw.ImageDraw, at: Place, *, entry: LegendEntry) -> None:
    """The legend's sample of a line or a zone."""
    box = entry.handle
    (left, top), (right, bottom) = at(box.left, box.top), at(box.right, box.bottom)
    middle = (top + bottom) / 2
    if entry.key == "value":
        width = round(px(VALUE_LINE_WIDTH) * SUPERSAMPLE)
        pen.line([(left, middle), (right, middle)], fill=LINE_COLOR, width=width)
        _marker(pen, ((left + right) / 2, middle), LEGEND_MARKER_SIZE)
    elif entry.key == "target":
        _dashed(pen, (left, middle), right, width=LEGEND_TARGET_WIDTH, color=TARGET_COLOR)
    else:
        corners = (round(left), round(top), round(right) - 1, round(bottom) - 1)
        pen.rectangle(corners, fill=ZONE_FILLS[Health(entry.key)])


def _marker(pen: ImageDraw.ImageDraw, center: Point, size: float) -> None:
    """A filled circle ``size`` points across, its outline included."""
    radius = px(size + MARKER_EDGE) * SUPERSAMPLE / 2
    x, y = center
    pen.ellipse((x - radius, y - radius, x + radius, y + radius), fill=LINE_COLOR)


def _dashed(
    pen: ImageDraw.ImageDraw, start: Point, end: float, *, width: float, color: str
) -> None:
    """A horizontal dashed line from ``start`` to ``end``, its dashes and gaps in proportion to
    its ``width`` (points), beginning with a dash."""
    x, y = start
    thickness = px(width) * SUPERSAMPLE
    top, bottom = round(y - thickness / 2), round(y + thickness / 2)
    dash, gap = (px(share * width) * SUPERSAMPLE for share in (DASH, DASH_GAP))
    while x < end:
        left, right = round(x), round(min(x + dash, end))
        if right > left:  # Pillow's rectangles include their last row and column
            pen.rectangle((left, top, right - 1, bottom - 1), fill=color)
        x += dash + gap


def _frame_and_ticks(draw: ImageDraw.ImageDraw, panel: PanelLayout) -> None:
    """The frame around the plot area, on the pixels just outside it, and the ticks out of it."""
    plot = panel.plot
    left, top, right, bottom = int(plot.left), int(plot.top), int(plot.right), int(plot.bottom)
    draw.rectangle((left - 1, top - 1, right, bottom), outline=FRAME_COLOR, width=FRAME_WIDTH)
    length = round(px(TICK_LENGTH))
    for tick in panel.value_ticks:
        y = min(max(math.floor(tick.at), top - 1), bottom)
        draw.line([(left - 1 - length, y), (left - 1, y)], fill=FRAME_COLOR, width=FRAME_WIDTH)
    for tick in panel.day_ticks:
        x = min(max(math.floor(tick.at), left - 1), right)
        draw.line([(x, bottom), (x, bottom + length)], fill=FRAME_COLOR, width=FRAME_WIDTH)


def _write(image: Image.Image, draw: ImageDraw.ImageDraw, text: Text) -> None:
    """``text`` from the top left of its box, line under line; a vertical one reads upwards."""
    face = font(text.size)
    if text.vertical:
        written = Image.new("L", (math.ceil(text.box.height), math.ceil(text.box.width)), 0)
        ImageDraw.Draw(written).text((0, 0), text.text, font=face, fill=255, anchor="la")
        upwards = written.transpose(Image.Transpose.ROTATE_90)
        image.paste(TEXT_COLOR, (round(text.box.left), round(text.box.top)), upwards)
        return
    for index, line in enumerate(text.text.split("\n")):
        where = (text.box.left, text.box.top + index * line_step(text.size))
        draw.text(where, line, font=face, fill=TEXT_COLOR, anchor="la")
