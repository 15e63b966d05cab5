"""How a KPI's numbers are judged and shown: health, trend arrow, sparkline."""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import StrEnum

# shown here for the KPI room; every room formats numbers with these
from bot.core.numbers import format_number as format_number
from bot.core.numbers import format_value as format_value

SPARK_BARS = "▁▂▃▄▅▆▇█"
TREND_POINTS = 12


class Health(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NO_DATA = "no data"


def kpi_health(value: float | None, *, higher_is_better: bool, green: float, red: float) -> Health:
    """Judge a KPI's latest value against its thresholds.

    The rule, the same everywhere Northstar shows health:

    - no value yet: ``NO_DATA``;
    - at or beyond the green threshold in the KPI's direction (``value >= green`` when
      higher is better, ``value <= green`` when lower is better): ``GREEN``;
    - otherwise, at or beyond the red threshold (``value <= red`` when higher is better,
      ``value >= red`` when lower is better): ``RED``;
    - anything between the two: ``AMBER``.

    Green wins if thresholds overlap; the KPI form refuses such thresholds anyway (for
    higher-is-better red must be below green, for lower-is-better above it).
    """
    if value is None:
        return Health.NO_DATA
    sign = 1.0 if higher_is_better else -1.0
    if sign * value >= sign * green:
        return Health.GREEN
    if sign * value <= sign * red:
        return Health.RED
    return Health.AMBER


def trend_arrow(values: Sequence[float]) -> str:
    """``↑``, ``↓`` or ``→`` comparing the latest value to the one before; ``""`` for fewer
    than two values. The arrow shows which way the number moved, not whether that is good."""
    if len(values) < 2:
        return ""
    latest, previous = values[-1], values[-2]
    if latest > previous:
        return "↑"
    if latest < previous:
        return "↓"
    return "→"


def sparkline(values: Sequence[float], *, points: int = TREND_POINTS) -> str:
    """One bar per value (the last ``points``), scaled from the lowest to the highest shown."""
    shown = list(values)[-points:]
    if not shown:
        return ""
    low, high = min(shown), max(shown)
    if high == low or not math.isfinite(high - low):
        return SPARK_BARS[len(SPARK_BARS) // 2 - 1] * len(shown)
    top = len(SPARK_BARS) - 1
    return "".join(SPARK_BARS[round((value - low) / (high - low) * top)] for value in shown)
