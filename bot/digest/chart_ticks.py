"""The ticks of a KPI panel: which values get one and how each is written, and which days.

Value ticks fall on round numbers, picked as matplotlib's ``MaxNLocator(5, steps=[1, 2, 2.5,
5, 10])`` picks them (its algorithm, written again here so the digest chart needs no
matplotlib): the smallest step of the form 1, 2, 2.5 or 5 times a power of ten that covers the
range in at most five steps, or a smaller one when that leaves fewer than two ticks in range.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence

from bot.digest.chart_style import SYMBOL_UNITS, X_TICKS_MAX, Y_TICKS_MAX
from bot.digest.model import KpiPoint
from bot.kpis.health import format_value

NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
MIN_TICKS = 2
OFFSET_THRESHOLD = 100  # a range this many times narrower than its middle is counted from it


def nice_ticks(
    low: float, high: float, *, bins: int = Y_TICKS_MAX, steps: Sequence[float] = NICE_STEPS
) -> list[float]:
    """Evenly spaced round values from at or below ``low`` to at or above ``high``.

    ``steps`` (from 1 to 10, increasing) are the mantissas a step may have. The ticks may reach
    one step past either end; callers keep those in range."""
    low, high = _nonsingular(low, high)
    offset = _offset(low, high)
    start, end = low - offset, high - offset
    scale = 10 ** (math.log10((end - start) / bins) // 1)
    staircase = [*(0.1 * step for step in steps[:-1]), *steps, 10 * steps[1]]
    candidates = [step * scale for step in staircase]
    raw_step = (end - start) / bins
    largest = next(
        (index for index, step in enumerate(candidates) if step >= raw_step), len(candidates) - 1
    )
    ticks: list[float] = []
    for step in reversed(candidates[: largest + 1]):
        base = (start // step) * step
        first = _multiples_below(start - base, step, offset)
        last = _multiples_above(end - base, step, offset)
        ticks = [count * step + base for count in range(first, last + 1)]
        if sum(start <= tick <= end for tick in ticks) >= MIN_TICKS:
            break
    return [tick + offset for tick in ticks]


def _nonsingular(low: float, high: float) -> tuple[float, float]:
    """A range too narrow to divide is widened a little, as matplotlib does."""
    expander, tiny = 1e-13, 1e-14
    largest = max(abs(low), abs(high))
    if largest < 1e6 / tiny * sys.float_info.min or low == high == 0:
        return -expander, expander
    if high - low > largest * tiny:
        return low, high
    return low - expander * abs(low), high + expander * abs(high)


def _offset(low: float, high: float) -> float:
    """The power of ten ticks are counted from when the range is narrow beside its values."""
    middle = (low + high) / 2
    if abs(middle) / abs(high - low) < OFFSET_THRESHOLD:
        return 0.0
    return math.copysign(10 ** (math.log10(abs(middle)) // 1), middle)


def _close(fraction: float, edge: float, step: float, offset: float) -> bool:
    """Within rounding error, allowing more when the offset dwarfs the step."""
    tolerance = 1e-10
    if offset:
        tolerance = min(0.4999, max(1e-10, 10 ** (math.log10(abs(offset) / step) - 12)))
    return abs(fraction - edge) < tolerance


def _multiples_below(value: float, step: float, offset: float) -> int:
    """The largest n with ``n * step <= value``, within rounding error."""
    count, rest = divmod(value, step)
    return int(count) + 1 if _close(rest / step, 1, step, offset) else int(count)


def _multiples_above(value: float, step: float, offset: float) -> int:
    """The smallest n with ``n * step >= value``, within rounding error."""
    count, rest = divmod(value, step)
    return int(count) if _close(rest / step, 0, step, offset) else int(count) + 1


def value_ticks(low: float, high: float, unit: str) -> list[tuple[float, str]]:
    """The ticks between ``low`` and ``high`` and their labels, all on one scale."""
    close = (high - low) * 1e-9  # a tick on the edge stays, as with matplotlib
    ticks = [tick for tick in nice_ticks(low, high) if low - close <= tick <= high + close]
    size, suffix = tick_scale(low, high)
    return [(tick, scaled(tick, size, suffix, tick_unit(unit))) for tick in ticks]


def tick_unit(unit: str) -> str:
    """The unit written beside every tick: only a short symbol, else none."""
    return unit if unit in SYMBOL_UNITS else ""


def tick_scale(low: float, high: float) -> tuple[float, str]:
    """One divisor and suffix for every tick of an axis, so that ``$12k`` never sits beside
    ``$8,000``: thousands from 10,000 on, then millions and billions."""
    magnitude = max(abs(low), abs(high))
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if magnitude >= max(size, 1e4):
            return size, suffix
    return 1.0, ""


def short(value: float, unit: str) -> str:
    """A value for a title: in full up to a million, then ``€12.35M``, ``$1.5B``."""
    for size, suffix in ((1e9, "B"), (1e6, "M")):
        if abs(value) >= size:
            return scaled(value, size, suffix, unit)
    return format_value(value, unit)


def scaled(value: float, size: float, suffix: str, unit: str) -> str:
    """``value / size`` with its suffix before a trailing unit: ``$12.5k``, ``12.5k%``."""
    text = format_value(round(value / size, 2), unit)
    return text[: -len(unit)] + suffix + unit if unit == "%" else text + suffix


def day_ticks(points: Sequence[KpiPoint]) -> list[KpiPoint]:
    """At most ``X_TICKS_MAX`` of the days, evenly spread, the first and the last included."""
    if len(points) <= X_TICKS_MAX:
        return list(points)
    step = (len(points) - 1) / (X_TICKS_MAX - 1)
    return [points[round(index * step)] for index in range(X_TICKS_MAX)]
