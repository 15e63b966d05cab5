"""The terminal's lines drawn into a PNG, monospace on a dark background, for the README
(``northstar demo --picture docs/demo.png``). matplotlib's object API with the Agg backend,
as the charts are drawn."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.demo.terminal import Line, Style

FONT = "DejaVu Sans Mono"
FONT_SIZE = 10.5  # points
ADVANCE = 0.602  # DejaVu Sans Mono's character width, in ems
LINE_HEIGHT = 1.42  # in ems
MARGIN = 24.0  # points
DPI = 144
BACKGROUND = "#16181d"
COLOURS = {
    Style.PLAIN: "#d8dee9",
    Style.TITLE: "#88c0d0",
    Style.BOLD: "#eceff4",
    Style.DIM: "#7b8394",
    Style.CODE: "#8fbcbb",
    Style.GOOD: "#a3be8c",
    Style.WARN: "#ebcb8b",
    Style.BAD: "#e06c75",
}
BOLD_STYLES = (Style.TITLE, Style.BOLD)


def draw_terminal(lines: Sequence[Line], path: Path, *, prompt: str) -> None:
    """Draw ``prompt`` (as typed at a shell) and ``lines`` into the PNG ``path``."""
    shown: list[Line] = [((f"$ {prompt}", Style.DIM),), (), *lines]
    columns = max(sum(len(text) for text, _ in line) for line in shown)
    char = FONT_SIZE * ADVANCE
    step = FONT_SIZE * LINE_HEIGHT
    width = 2 * MARGIN + columns * char
    height = 2 * MARGIN + len(shown) * step
    figure = Figure(figsize=(width / 72, height / 72), dpi=DPI, facecolor=BACKGROUND)
    FigureCanvasAgg(figure)
    for row, line in enumerate(shown):
        y = 1 - (MARGIN + (row + 0.8) * step) / height
        column = 0
        for text, style in line:
            if text.strip():
                figure.text(
                    (MARGIN + column * char) / width,
                    y,
                    text,
                    family=FONT,
                    size=FONT_SIZE,
                    color=COLOURS[style],
                    weight="bold" if style in BOLD_STYLES else "normal",
                    va="baseline",
                )
            column += len(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Unhinted glyphs keep their true width, so the columns line up.
    with rc_context({"text.hinting": "none"}):
        figure.savefig(path, facecolor=BACKGROUND, metadata={"Software": None})
