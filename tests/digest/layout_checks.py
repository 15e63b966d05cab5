"""Checks a person would make looking at the digest's KPI chart, made on its layout (the boxes
of what it draws) and on the picture painted from it: every text inside the image, no text on
another or inside a plot, text large enough to read at Slack's preview size, and nothing painted
outside what the layout says is there."""

from __future__ import annotations

from itertools import combinations

from PIL import Image, ImageChops, ImageDraw

from bot.digest.chart_model import Box, ChartLayout
from bot.digest.chart_style import BACKGROUND, TICK_LENGTH, px


def layout_problems(layout: ChartLayout) -> list[str]:
    """What a reader would stumble on: texts cut at the edge, texts on top of each other or
    written over a plot."""
    canvas = Box(0, 0, layout.width, layout.height)
    texts = layout.texts()
    problems = [f"cut off: {text.text!r}" for text in texts if not text.box.within(canvas)]
    for first, second in combinations(texts, 2):
        if first.box.overlaps(second.box):
            problems.append(f"overlap: {first.text!r} and {second.text!r}")
    for panel in layout.panels:
        problems += [
            f"over a plot: {text.text!r}" for text in texts if text.box.overlaps(panel.plot)
        ]
    for entry in layout.legend:
        problems += [
            f"over the {entry.key!r} sample: {text.text!r}"
            for text in texts
            if text.box.overlaps(entry.handle)
        ]
    return problems


def smallest_preview_text_px(layout: ChartLayout, *, width_px: int, height_px: int) -> float:
    """The height of the smallest text's font, in pixels, once the image is scaled to fit a
    ``width_px`` by ``height_px`` preview (never scaled up)."""
    scale = min(1.0, width_px / layout.width, height_px / layout.height)
    return min(px(text.size) for text in layout.texts()) * scale


def drawn_outside(layout: ChartLayout, image: Image.Image) -> Box | None:
    """Where ``image`` shows something that no box of ``layout`` accounts for (a text, a plot
    with its frame and ticks, a legend sample), give or take a pixel; ``None`` when nothing."""
    rest = image.convert("RGB")
    eraser = ImageDraw.Draw(rest)
    ticks = px(TICK_LENGTH) + 2  # the frame, a pixel wide, and the ticks out of it
    boxes = [text.box for text in layout.texts()] + [entry.handle for entry in layout.legend]
    boxes += [
        Box(p.plot.left - ticks, p.plot.top - ticks, p.plot.right + ticks, p.plot.bottom + ticks)
        for p in layout.panels
    ]
    for box in boxes:
        eraser.rectangle(
            (box.left - 1, box.top - 1, box.right + 1, box.bottom + 1), fill=BACKGROUND
        )
    blank = Image.new("RGB", rest.size, BACKGROUND)
    found = ImageChops.difference(rest, blank).getbbox()
    return None if found is None else Box(*found)
