"""The alignment score: the one place where its formula lives.

The score runs from 0 to 100 and is the average of the parts that have data, each part
itself 0 to 100 and rounded to a whole number before averaging (so anyone can check the
score from the parts the digest shows beside it):

- **linked**: of the open team and personal goals, the share that has a parent goal;
- **on track**: of all open goals, the share whose status is on track;
- **check-ins**: of the people asked this week (minus those who skipped the week), the share
  who answered;
- **KPI health**: of the KPIs with a value, green counts 1, amber ½ and red 0;
- **pulse**: the latest survey released in the last 13 weeks: its scale questions (1 to 5)
  become 0 to 100 as ``(mean - 1) / 4 * 100`` and its eNPS questions (-100 to 100) as
  ``(eNPS + 100) / 2``, averaged over its scored questions.

A part without data (no goals below company level, no check-in this week, no KPI values, no
recent survey) is left out and the others are averaged. Halves round up everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

PULSE_LOOKBACK_WEEKS = 13
PART_LABELS = {
    "linked": "Linked",
    "on_track": "On track",
    "participation": "Check-ins",
    "kpi_health": "KPI health",
    "pulse": "Pulse",
}


@dataclass(frozen=True)
class ScorePart:
    key: str
    value: int | None  # 0..100, None: no data
    detail: str  # how it was counted, e.g. "12 of 15 goals"

    @property
    def label(self) -> str:
        return PART_LABELS[self.key]


@dataclass(frozen=True)
class AlignmentScore:
    score: int | None
    parts: tuple[ScorePart, ...]
    previous: int | None = None  # last week's score, when a digest showed one

    @property
    def change(self) -> int | None:
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous


def percent(part: Fraction | float, whole: Fraction | float = 1) -> int:
    """``part / whole`` as a whole percentage, halves rounded up."""
    share = Fraction(part) / Fraction(whole) * 100
    exact = Decimal(share.numerator) / Decimal(share.denominator)
    return int(exact.quantize(Decimal(1), ROUND_HALF_UP))


def share_part(key: str, count: int, total: int, noun: str) -> ScorePart:
    if total <= 0:
        return ScorePart(key, None, f"no {noun}")
    return ScorePart(key, percent(count, total), f"{count} of {total} {noun}")


def kpi_health_part(green: int, amber: int, red: int) -> ScorePart:
    total = green + amber + red
    if total == 0:
        return ScorePart("kpi_health", None, "no KPI values")
    value = percent(Fraction(2 * green + amber, 2), total)
    return ScorePart("kpi_health", value, f"{green} green, {amber} amber, {red} red")


def pulse_part(
    *, label: str, scale_means: Sequence[float], enps_scores: Sequence[int]
) -> ScorePart:
    """The pulse part from a released survey's headline numbers (``label`` names it)."""
    normalized = [(Fraction(mean) - 1) / 4 * 100 for mean in scale_means]
    normalized += [Fraction(score + 100, 2) for score in enps_scores]
    if not normalized:
        return ScorePart("pulse", None, f"{label}: no scored questions")
    return ScorePart("pulse", percent(sum(normalized, Fraction(0)) / len(normalized), 100), label)


def no_pulse() -> ScorePart:
    return ScorePart("pulse", None, f"no survey released in {PULSE_LOOKBACK_WEEKS} weeks")


def alignment_score(parts: Sequence[ScorePart], previous: int | None = None) -> AlignmentScore:
    counted = [part.value for part in parts if part.value is not None]
    score = percent(Fraction(sum(counted), len(counted)), 100) if counted else None
    return AlignmentScore(score=score, parts=tuple(parts), previous=previous)
