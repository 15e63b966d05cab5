"""What a weekly digest says, as plain data: built by ``bot.digest.build``, drawn by
``bot.digest.blocks.post`` and ``bot.digest.chart``. Nothing here touches Slack or the database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from bot.goals.alignment import AlignmentScore, percent
from bot.goals.progress import Status
from bot.kpis.health import Health

COMPANY_SCOPE = "company"


def team_scope(team_ref: int) -> str:
    return f"team-{team_ref}"


class GoalLine(NamedTuple):
    """One goal as the digest's lists show it. ``GoalLine``, ``Mover`` and ``KpiPoint`` are
    named tuples: a large workspace's digest makes tens of thousands of them, and a frozen
    dataclass costs several times as much to create (and more for the garbage collector)."""

    number: int
    title: str
    owner_id: str
    level: str  # company | team | personal
    status: Status
    progress: float  # 0..1
    due_date: date
    last_update: date  # the day of the last progress update (or creation)


class Mover(NamedTuple):
    goal: GoalLine
    before: float  # progress at the start of the week, 0..1
    after: float  # progress now, 0..1

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class GoalSection:
    """Open goals by status, and what changed this week. Lists are in reading order: the
    worst first, then by goal number."""

    on_track: int
    at_risk: int
    off_track: int
    # Each list is a sequence whose entries may be drawn when read (``goal_lists.Entries``)
    completed: Sequence[GoalLine]  # closed as done this week: shown under "Wins"
    movers: Sequence[Mover]  # biggest progress changes this week, largest first
    needs_attention: Sequence[GoalLine]  # off track, then at risk
    stale: Sequence[GoalLine]  # open, no progress update in bot.goals.progress.STALE_AFTER

    @property
    def open_total(self) -> int:
        return self.on_track + self.at_risk + self.off_track


class KpiPoint(NamedTuple):
    day: date
    value: float


@dataclass(frozen=True)
class KpiLine:
    number: int
    name: str
    unit: str
    higher_is_better: bool
    target: float
    green_threshold: float
    red_threshold: float
    latest: float | None
    latest_on: date | None
    health: Health
    arrow: str  # "↑", "↓", "→" or "" (see bot.kpis.health.trend_arrow)
    history: tuple[KpiPoint, ...]  # the recent values, oldest first (for the chart)
    charted: bool  # one of the most important KPIs, drawn in the chart


@dataclass(frozen=True)
class WeekRate:
    week: str
    answered: int
    asked: int  # prompts actually sent (sent or answered); skipped, failed, unsent not counted

    @property
    def any_sent(self) -> bool:
        return self.asked > 0

    @property
    def rate(self) -> int | None:
        return percent(self.answered, self.asked) if self.asked else None


@dataclass(frozen=True)
class TeamBlockers:
    team: str  # the team's name, or "No team"
    count: int  # people of the team who named a blocker
    quotes: tuple[tuple[str, str], ...]  # (user id, text); empty when answers are not shared


@dataclass(frozen=True)
class CheckinSection:
    this_week: WeekRate
    trend: tuple[WeekRate, ...]  # earlier weeks, oldest first, this week not included
    blockers: tuple[TeamBlockers, ...]
    blockers_quoted: bool  # teams share check-ins in their channels, so texts may be shown


@dataclass(frozen=True)
class PulseLine:
    number: int
    title: str
    closed_on: date
    responses: int | None  # None: below the threshold, nothing shown
    threshold: int
    headlines: tuple[str, ...]  # e.g. "eNPS +20", "I see how my work… 3.8 / 5"


@dataclass(frozen=True)
class KudosLine:
    giver_id: str
    recipient_ids: tuple[str, ...]
    text: str  # as typed, people's mentions turned into "@name"; escaped where it is drawn
    goal_number: int | None  # the goal the kudos are for, if any (and not dropped)
    given_on: date  # workspace time


@dataclass(frozen=True)
class KudosSection:
    """The week's kudos in the digest's scope. ``count`` is exact unless ``at_least``: a team
    digest counts the kudos loaded, and a very busy week loads only the newest ones."""

    count: int = 0
    at_least: bool = False
    newest: tuple[KudosLine, ...] = ()  # newest first, at most the number loaded


@dataclass(frozen=True)
class PriorityLine:
    rank: int
    title: str  # as typed; escaped where it is drawn
    why: str


@dataclass(frozen=True)
class StrategySection:
    """The priorities at the top of the digest; for the company digest, what admins should
    look at (``flags``, already escaped); and the week's changes to the priorities, in words
    as stored (escaped where drawn), with who made them."""

    priorities: tuple[PriorityLine, ...] = ()
    flags: str = ""
    changes: tuple[str, ...] = ()
    changed_by: tuple[str, ...] = ()  # user ids, first change first


@dataclass(frozen=True)
class Digest:
    team_id: str
    scope: str  # COMPANY_SCOPE or team_scope(ref)
    scope_name: str  # the workspace's name or the team's
    vision: str
    week: str  # ISO week, e.g. 2026-W48
    week_start: date  # Monday
    week_end: date  # Sunday
    as_of: date  # the day the numbers were taken (workspace time)
    late: bool
    score: AlignmentScore
    goals: GoalSection
    kpis: tuple[KpiLine, ...]
    checkins: CheckinSection | None  # None: no check-in round this week
    pulse: tuple[PulseLine, ...]  # surveys closed this week
    team_ref: int | None = None  # the team of a team digest, None for the company digest
    mentions: bool = True  # @-mention people (each at most once per post and thread)
    names: Mapping[str, str] = field(default_factory=dict)  # user id -> name, when not mentioned
    kudos: KudosSection = field(default_factory=KudosSection)  # with goals.completed: "Wins"
    strategy: StrategySection = field(default_factory=StrategySection)
