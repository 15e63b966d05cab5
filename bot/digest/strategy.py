"""The strategy at the top of the digest: the priorities, the flags (company digest only),
and what changed in the priorities during the digest's week."""

from __future__ import annotations

from typing import cast

from bot.digest.model import PriorityLine, StrategySection
from bot.digest.source import DigestSource
from bot.strategy.priorities import strategy_flags
from storage.models import Goal


def strategy_section(source: DigestSource, *, company: bool) -> StrategySection:
    priorities = source.priorities
    # the digest's goals are plain rows with Goal's column names (see bot.digest.goal_views)
    goals = cast("list[Goal]", source.goals)
    flags = strategy_flags(priorities, goals).line() if company and priorities else ""
    changes = source.priority_changes
    return StrategySection(
        priorities=tuple(PriorityLine(p.rank, p.title, p.why) for p in priorities),
        flags=flags,
        changes=tuple(change.summary for change in changes),
        changed_by=tuple(dict.fromkeys(change.author_id for change in changes)),
    )
