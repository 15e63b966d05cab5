"""The chart's font and the sizes of texts written in it.

DejaVu Sans, the file matplotlib ships, so the digest chart reads like the pulse chart; it is
found without importing matplotlib (``importlib.util.find_spec`` locates a package without
running it). Each size is loaded once. Sizes are in points; widths and heights come back in
pixels at the chart's ``DPI``. Text is laid out as written: no markup, no math mode.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from PIL import ImageFont

from bot.digest.chart_style import LINE_SPACING, px
from bot.slack.messages import truncate

FONT_FILE = "DejaVuSans.ttf"


@cache
def font_file() -> Path:
    """DejaVu Sans in matplotlib's ``mpl-data/fonts/ttf``."""
    spec = importlib.util.find_spec("matplotlib")
    folders = spec.submodule_search_locations if spec is not None else None
    found = Path(folders[0]) / "mpl-data" / "fonts" / "ttf" / FONT_FILE if folders else None
    if found is None or not found.is_file():
        # Pillow would otherwise take any system font of that name, or fail without a reason
        raise FileNotFoundError(
            f"The digest chart's font ({FONT_FILE}) comes with matplotlib: install it."
        )
    return found


@cache
def font(size: float) -> ImageFont.FreeTypeFont:
    """The chart's font at ``size`` points."""
    return ImageFont.truetype(font_file(), px(size))


def line_height(size: float) -> float:
    """A line of text's height: the font's ascent and descent at ``size``, in pixels."""
    ascent, descent = font(size).getmetrics()
    return float(ascent + descent)


def line_step(size: float) -> float:
    """From one line's top to the next line's, in pixels."""
    return px(size) * LINE_SPACING


def text_size(text: str, size: float) -> tuple[float, float]:
    """The width and height of ``text`` (one line or more) in pixels."""
    lines = text.split("\n")
    width = max(font(size).getlength(line) for line in lines)
    return width, line_step(size) * (len(lines) - 1) + line_height(size)


def fit_width(text: str, points: float, *, size: float) -> str:
    """``text`` on one line (each run of spaces, tabs and line breaks one space: the text
    layout refuses a line break inside a line), cut with an ellipsis to at most ``points``
    wide in the chart's font."""
    text = " ".join(text.split())
    room = px(points)
    measure = font(size).getlength
    if measure(text) <= room:
        return text
    fits, too_long = 1, len(text)  # the longest cut that fits, by halving
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        if measure(truncate(text, middle)) <= room:
            fits = middle
        else:
            too_long = middle
    return truncate(text, fits)
