"""The priorities as one ranked list: what a saved form changes, and which goals and
priorities the Home and the digest flag.

A saved list keeps each priority's id where it can, so the goals serving it keep their link:
a title matches a current priority of the same title (case aside), else an archived one
(brought back), else the current priority that held the same rank (a rename). The rest are
added; current priorities no title matched are archived (their goals show them retired).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.strategy import texts
from storage.models import Goal, Priority
from storage.states import GoalLevel, GoalState

FLAGGED_REFS_SHOWN = 3


@dataclass(frozen=True)
class PriorityDraft:
    """One priority as the form gives it: ``title`` on one line, ``why`` may be empty."""

    title: str
    why: str = ""


@dataclass
class PriorityPlan:
    """What saving ``drafts`` does: the rows to write (in rank order, ids kept where
    matched), the ones to archive, and the changes in words."""

    kept: list[Priority] = field(default_factory=list)
    archived: list[Priority] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)


def _key(title: str) -> str:
    return " ".join(title.split()).casefold()


def _match(
    drafts: Sequence[PriorityDraft], current: list[Priority], archived: list[Priority]
) -> dict[int, Priority]:
    """Draft index -> the stored priority it continues."""
    matched: dict[int, Priority] = {}
    taken: set[int | None] = set()
    for pool in (current, archived):
        by_title = {_key(p.title): p for p in reversed(pool)}
        for index, draft in enumerate(drafts):
            found = by_title.get(_key(draft.title))
            if index not in matched and found is not None and found.id not in taken:
                matched[index] = found
                taken.add(found.id)
    for index in range(len(drafts)):
        held = current[index] if index < len(current) else None
        if index not in matched and held is not None and held.id not in taken:
            matched[index] = held
            taken.add(held.id)
    return matched


def plan_priorities(
    drafts: Sequence[PriorityDraft], stored: Iterable[Priority], *, now: datetime
) -> PriorityPlan:
    """The rows to write so the priorities read ``drafts`` (rank 1 first), and the changes."""
    everything = list(stored)
    current = sorted((p for p in everything if p.archived_at is None), key=lambda p: p.rank)
    archived = [p for p in everything if p.archived_at is not None]
    matched = _match(drafts, current, archived)
    plan = PriorityPlan()
    for index, draft in enumerate(drafts):
        rank = index + 1
        row = matched.get(index)
        if row is None:
            plan.summaries.append(texts.change_added(draft.title, rank))
            row = Priority(team_id="", rank=rank, title=draft.title, why=draft.why)
        else:
            plan.summaries += _changes_of(row, draft, rank)
        row.rank, row.title, row.why = rank, draft.title, draft.why
        row.archived_at, row.updated_at = None, now
        plan.kept.append(row)
    kept_ids = {row.id for row in plan.kept if row.id is not None}
    for row in current:
        if row.id not in kept_ids:
            plan.summaries.append(texts.change_retired(row.title, row.rank))
            row.archived_at, row.updated_at = now, now
            plan.archived.append(row)
    return plan


def _changes_of(row: Priority, draft: PriorityDraft, rank: int) -> list[str]:
    if row.archived_at is not None:
        return [texts.change_revived(draft.title, rank)]
    changes: list[str] = []
    if row.title != draft.title:
        changes.append(texts.change_renamed(row.title, draft.title, rank))
    if row.rank != rank:
        changes.append(texts.change_moved(draft.title, row.rank, rank))
    if row.why != draft.why:
        changes.append(texts.change_why(draft.title))
    return changes


@dataclass(frozen=True)
class StrategyFlags:
    """What admins should look at: priorities no open company goal serves, and open company
    goals serving no current priority (none, or a retired one)."""

    unserved: tuple[Priority, ...]
    unlinked: tuple[Goal, ...]

    def line(self) -> str:
        """One line for admins ("" when there is nothing to flag)."""
        parts: list[str] = []
        if self.unserved:
            titles = [p.title for p in self.unserved]
            parts.append(texts.flag_unserved(titles[:FLAGGED_REFS_SHOWN], len(titles)))
        if self.unlinked:
            refs = [f"G-{goal.number}" for goal in self.unlinked]
            parts.append(texts.flag_unlinked(refs[:FLAGGED_REFS_SHOWN], len(refs)))
        return texts.flags_line(parts) if parts else ""


def strategy_flags(priorities: Sequence[Priority], goals: Iterable[Goal]) -> StrategyFlags:
    """The flags of the current ``priorities`` given the workspace's goals (any state: only
    open company goals count)."""
    company = [
        goal for goal in goals if goal.level == GoalLevel.COMPANY and goal.state == GoalState.OPEN
    ]
    current = {p.id for p in priorities}
    served = {goal.priority_id for goal in company}
    return StrategyFlags(
        unserved=tuple(p for p in priorities if p.id not in served),
        unlinked=tuple(goal for goal in company if goal.priority_id not in current),
    )


def priority_label(priority: Priority) -> str:
    """How a goal names the priority it serves, escaped: "Title", or "Title (retired)"."""
    return texts.priority_label(priority.title, retired=priority.archived_at is not None)
