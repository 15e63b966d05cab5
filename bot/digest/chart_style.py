"""How the digest's KPI chart looks: its sizes, spacing, colours and texts, in one place.

Sizes are in points, as a reader of the old matplotlib chart knew them, and turned into pixels
with ``px`` at ``DPI``: a 4.6 by 3.6 inch chart is 460 by 360 pixels.
"""

from __future__ import annotations

from bot.kpis.health import Health

PANELS_MAX = 6
DPI = 100
SUPERSAMPLE = 3  # lines and markers are drawn this many times larger, then scaled down
# zlib level 3, not PIL's 6: a third less time encoding, and as small a file for these flat
# colours (level 6 is no smaller here)
PNG_COMPRESSION = {"compress_level": 3}
PREVIEW_WIDTH_PX, PREVIEW_HEIGHT_PX = 480, 360  # Slack's inline preview box (thumb_480)
PANEL_WIDTH, PANEL_HEIGHT, HEADER_HEIGHT = 4.2, 2.7, 0.9  # inches
TITLE_SIZE, PANEL_TITLE_SIZE, TICK_SIZE, LEGEND_SIZE = 15, 11, 11, 11  # points
LINE_SPACING = 1.2  # between the baselines of a title's lines, in font sizes
BACKGROUND, TEXT_COLOR, FRAME_COLOR = "#FFFFFF", "#000000", "#000000"
LINE_COLOR, TARGET_COLOR = "#1B2A49", "#444444"
ZONE_COLORS = {Health.GREEN: "#5CB85C", Health.AMBER: "#F0AD4E", Health.RED: "#D9534F"}
ZONE_ALPHA = {Health.GREEN: 0.28, Health.AMBER: 0.4, Health.RED: 0.28}  # amber is pale
ZONE_ORDER = (Health.GREEN, Health.AMBER, Health.RED)
X_TICKS_MAX = 4
Y_TICKS_MAX = 5
TITLE_MAX_POINTS = (PANEL_WIDTH - 1.0) * 72  # a panel's width, less its value ticks
SYMBOL_UNITS = ("%", "$", "€", "£")  # short enough to sit beside every tick
LEGEND_TEXTS = {
    "value": "KPI value",
    "target": "target",
    Health.GREEN: "green zone",
    Health.AMBER: "amber zone",
    Health.RED: "red zone",
}

# lines and markers, in points
VALUE_LINE_WIDTH, MARKER_SIZE, LAST_MARKER_SIZE = 2.2, 4.0, 8.0  # markers: diameters
LEGEND_MARKER_SIZE = 6.0
MARKER_EDGE = 1.0  # a marker's outline, which makes it this much wider
TARGET_LINE_WIDTH, LEGEND_TARGET_WIDTH = 1.4, 1.5
DASH, DASH_GAP = 3.7, 1.6  # times the line's width
FRAME_WIDTH = 1  # pixels, crisp
X_MARGIN = 0.06  # room left and right of the first and last day, as a share of the days' span

# spacing, in points
EDGE = 5.0  # between the canvas' edge and anything drawn
GAP = 8.0  # between a panel's texts and its neighbour's, or the legend
TITLE_PAD = 6.0  # between a panel's title and its top
LABEL_PAD = 4.0  # between the unit and the value labels
TICK_LENGTH = 3.5
TICK_SPACE = TICK_LENGTH + 3.5  # a tick and the gap to its label

# the legend, in font sizes (ems of LEGEND_SIZE)
LEGEND_HANDLE_LENGTH, LEGEND_PATCH_HEIGHT = 2.0, 0.7
LEGEND_HANDLE_PAD, LEGEND_COLUMN_SPACING, LEGEND_ROW_SPACING = 0.8, 2.0, 0.5
LEGEND_COLUMNS_WIDE, LEGEND_COLUMNS_NARROW = 5, 3  # two columns of panels, or one


def px(points: float) -> float:
    """``points`` in pixels at the chart's ``DPI``."""
    return points * DPI / 72


def rgb(hex_color: str) -> tuple[int, int, int]:
    """``#RRGGBB`` as a triple of 0-255 channels."""
    return int(hex_color[1:3], 16), int(hex_color[3:5], 16), int(hex_color[5:7], 16)


def over_white(hex_color: str, alpha: float) -> tuple[int, int, int]:
    """``hex_color`` at ``alpha`` painted over white: the colour a zone's band shows."""
    red, green, blue = rgb(hex_color)
    return (
        round(255 + (red - 255) * alpha),
        round(255 + (green - 255) * alpha),
        round(255 + (blue - 255) * alpha),
    )


ZONE_FILLS = {health: over_white(ZONE_COLORS[health], ZONE_ALPHA[health]) for health in ZONE_ORDER}
