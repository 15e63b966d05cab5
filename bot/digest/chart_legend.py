"""The KPI chart's one legend, along its bottom: a sample of the value line, of the target line
and of each zone's colour, each beside what it is.

Entries fill the columns top to bottom, as matplotlib's legends do: five columns in one row
under two columns of panels, three (two rows) under a single panel.
"""

from __future__ import annotations

from bot.digest.chart_model import Box, LegendEntry, Text
from bot.digest.chart_style import (
    LEGEND_COLUMN_SPACING,
    LEGEND_COLUMNS_NARROW,
    LEGEND_COLUMNS_WIDE,
    LEGEND_HANDLE_LENGTH,
    LEGEND_HANDLE_PAD,
    LEGEND_PATCH_HEIGHT,
    LEGEND_ROW_SPACING,
    LEGEND_SIZE,
    LEGEND_TEXTS,
    ZONE_ORDER,
    px,
)
from bot.digest.chart_text import line_height, text_size

LEGEND_KEYS: tuple[str, ...] = ("value", "target", *ZONE_ORDER)


def legend_entries(*, width: int, bottom: float, wide: bool) -> tuple[LegendEntry, ...]:
    """The legend centred on a canvas ``width`` wide, its last row ending at ``bottom``."""
    columns = _columns(LEGEND_COLUMNS_WIDE if wide else LEGEND_COLUMNS_NARROW)
    em = px(LEGEND_SIZE)
    handle, pad = LEGEND_HANDLE_LENGTH * em, LEGEND_HANDLE_PAD * em
    labels = {key: text_size(LEGEND_TEXTS[key], LEGEND_SIZE) for key in LEGEND_KEYS}
    widths = [handle + pad + max(labels[key][0] for key in column) for column in columns]
    spacing = LEGEND_COLUMN_SPACING * em
    row_height, row_step = (
        line_height(LEGEND_SIZE),
        line_height(LEGEND_SIZE) + LEGEND_ROW_SPACING * em,
    )
    rows = max(len(column) for column in columns)
    top = bottom - row_height - row_step * (rows - 1)
    x = (width - sum(widths) - spacing * (len(columns) - 1)) / 2
    entries = []
    for column, column_width in zip(columns, widths, strict=True):
        for row, key in enumerate(column):
            y = top + row * row_step
            middle, half = y + row_height / 2, LEGEND_PATCH_HEIGHT * em / 2
            label_width, label_height = labels[key]
            left = x + handle + pad
            entries.append(
                LegendEntry(
                    key=key,
                    handle=Box(x, middle - half, x + handle, middle + half),
                    label=Text(
                        LEGEND_TEXTS[key],
                        Box(left, y, left + label_width, y + label_height),
                        LEGEND_SIZE,
                    ),
                )
            )
        x += column_width + spacing
    return tuple(entries)


def _columns(count: int) -> list[tuple[str, ...]]:
    """The keys in ``count`` columns, the longer columns first."""
    count = min(count, len(LEGEND_KEYS))
    rows, longer = divmod(len(LEGEND_KEYS), count)
    sizes = [rows + 1] * longer + [rows] * (count - longer)
    starts = [sum(sizes[:index]) for index in range(count)]
    return [LEGEND_KEYS[start : start + size] for start, size in zip(starts, sizes, strict=True)]
