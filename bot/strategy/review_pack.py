"""The quarterly review pack as data, and the pure rules that shape it: a key result's
progress, a KPI's trend over the period, the recurring blocker themes, the meeting questions.

Text from people (titles, blocker words) is kept as typed here; every renderer escapes it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.kpis.health import Health

KEY_RESULT_HIT_AT = 1.0
THEME_MIN_MENTIONS = 2
# A theme must come from this many different people: a word only one or two wrote, however
# often, would point at them in a small team.
THEME_MIN_PEOPLE = 3
THEMES_MAX = 8
QUESTIONS_MIN, QUESTIONS_MAX = 3, 5
NO_BLOCKER = {"", "-", "--", "n/a", "na", "no", "none", "nope", "nothing", "nil", "all good"}
STOP_WORDS = frozenset(
    """
    a about after again all also am an and any are as at be because been before being
    but by can could did do does doing done for from get got had has have having he her
    here his how i if in into is it its just me more most my need needs no not now of on
    once only or other our out over same she should so some still than that the their
    them then there these they this those through to too under until up very was waiting
    we were what when where which while who why will with would yet you your week weeks
    blocked blocking blocker
    """.split()  # noqa: SIM905
)
_WORD = re.compile(r"[a-z][a-z'-]{2,}")


@dataclass(frozen=True)
class KeyResultLine:
    title: str
    progress: float
    unit: str
    current: float
    target: float

    @property
    def hit(self) -> bool:
        return self.progress >= KEY_RESULT_HIT_AT


@dataclass(frozen=True)
class GoalLine:
    ref: str  # G-12
    title: str
    progress: float
    status: str  # a bot.goals.progress.Status value
    key_results: tuple[KeyResultLine, ...] = ()


@dataclass(frozen=True)
class PrioritySection:
    title: str | None  # None: the goals that serve no priority
    goals: tuple[GoalLine, ...]

    @property
    def score(self) -> float | None:
        """The mean final progress of its goals, 0 to 1; None with no goal."""
        if not self.goals:
            return None
        return sum(goal.progress for goal in self.goals) / len(self.goals)

    @property
    def hits(self) -> tuple[int, int]:
        """(key results hit, key results missed)."""
        lines = [kr for goal in self.goals for kr in goal.key_results]
        hit = sum(1 for kr in lines if kr.hit)
        return hit, len(lines) - hit

    @property
    def on_track(self) -> int:
        return sum(1 for goal in self.goals if goal.status in ("on_track", "done"))


@dataclass(frozen=True)
class KpiTrend:
    ref: str  # K-3
    name: str
    unit: str
    first: float | None
    last: float | None
    direction: str  # up | down | flat | none
    health: Health
    higher_is_better: bool


@dataclass(frozen=True)
class PulseLine:
    """A survey closed in the period: its released scores, or withheld (nothing else)."""

    label: str
    withheld: bool
    responses: int
    scores: tuple[tuple[str, str], ...] = ()  # (question text, score as shown)
    trend: tuple[str, ...] = ()  # earlier released rounds of its series, "P-3: eNPS 20"


@dataclass(frozen=True)
class BlockerTheme:
    word: str
    mentions: int


@dataclass(frozen=True)
class ReviewPack:
    period: str  # 2026-Q4
    label: str  # Q4 FY2026 (Oct-Dec 2026)
    priorities: tuple[PrioritySection, ...]
    kpis: tuple[KpiTrend, ...]
    pulses: tuple[PulseLine, ...]
    blockers: tuple[BlockerTheme, ...]
    blocker_answers: int
    questions: tuple[str, ...] = field(default=())

    @property
    def hits(self) -> tuple[int, int]:
        pairs = [section.hits for section in self.priorities]
        return sum(hit for hit, _ in pairs), sum(missed for _, missed in pairs)


def key_result_progress(start: float, target: float, current: float) -> float:
    """How far from start to target, 0 to 1 (either direction: a target below the start
    means lower is better)."""
    span = target - start
    if span == 0:
        return 1.0 if current == target else 0.0
    return min(1.0, max(0.0, (current - start) / span))


def kpi_direction(values: Sequence[float]) -> str:
    if len(values) < 2:
        return "none"
    if values[-1] > values[0]:
        return "up"
    if values[-1] < values[0]:
        return "down"
    return "flat"


def blocker_themes(answers: Iterable[tuple[str, str]]) -> tuple[tuple[BlockerTheme, ...], int]:
    """The words (stop-words removed) that come back in blocker answers of at least
    ``THEME_MIN_PEOPLE`` people, most frequent first, and how many real blocker answers there
    were. ``answers`` are (author, text); the author is only counted, never shown. A word
    counts once per answer."""
    counts: Counter[str] = Counter()
    people: dict[str, set[str]] = {}
    real = 0
    for author, text in answers:
        cleaned = text.strip().lower()
        if cleaned.rstrip(".!") in NO_BLOCKER:
            continue
        real += 1
        words = {word.strip("'-") for word in _WORD.findall(cleaned)}
        found = [word for word in words if len(word) > 2 and word not in STOP_WORDS]
        counts.update(found)
        for word in found:
            people.setdefault(word, set()).add(author)
    themes = [
        BlockerTheme(word, mentions)
        for word, mentions in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if mentions >= THEME_MIN_MENTIONS and len(people[word]) >= THEME_MIN_PEOPLE
    ]
    return tuple(themes[:THEMES_MAX]), real
