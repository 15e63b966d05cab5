"""The digest's strategy section, right after the north star: the ranked priorities, the
flags for the company digest, and "Priorities changed this week" with who changed them.

Titles, whys and change summaries are stored as typed and escaped here; the flags line comes
escaped. Authors are drawn as mentions, which ``Mentions`` keeps or turns into names.
"""

from __future__ import annotations

from typing import Any

from bot.core.text_input import escape_mrkdwn
from bot.digest.blocks.lines import cut_markup, fit_lines, title_text
from bot.digest.model import PriorityLine, StrategySection
from bot.slack.messages import context, section, truncate

PRIORITIES_TITLE = ":dart: *Our priorities*"
CHANGES_TITLE = ":arrows_counterclockwise: *Priorities changed this week*"
PRIORITIES_BUDGET, PRIORITIES_MOST = 800, 7
CHANGES_BUDGET, CHANGES_MOST = 500, 5
FLAGS_MAX = 300
TITLE_MAX, WHY_MAX, CHANGE_MAX = 60, 90, 140
AUTHORS_SHOWN = 3
SEE_ALL = "`/align priorities`"


def _priority(line: PriorityLine) -> str:
    shown = f"*{line.rank}. {title_text(line.title, TITLE_MAX)}*"
    why = " ".join(line.why.split())
    return f"{shown} — {escape_mrkdwn(truncate(why, WHY_MAX))}" if why else shown


def _change(summary: str) -> str:
    return f"• {escape_mrkdwn(truncate(' '.join(summary.split()), CHANGE_MAX))}"


def _more(count: int) -> str:
    return f"…and {count:,} more: {SEE_ALL}"


def build_strategy_blocks(strategy: StrategySection) -> list[dict[str, Any]]:
    """Nothing at all when no priorities are set and none changed this week."""
    blocks: list[dict[str, Any]] = []
    if strategy.priorities:
        lines = fit_lines(
            strategy.priorities,
            _priority,
            budget=PRIORITIES_BUDGET,
            most=PRIORITIES_MOST,
            more=_more,
        )
        blocks.append(section("\n".join([PRIORITIES_TITLE, *lines])))
    if strategy.flags:
        blocks.append(context(cut_markup(strategy.flags, FLAGS_MAX)))
    if strategy.changes:
        authors = [f"<@{user_id}>" for user_id in strategy.changed_by[:AUTHORS_SHOWN]]
        title = f"{CHANGES_TITLE} (by {', '.join(authors)})" if authors else CHANGES_TITLE
        lines = fit_lines(
            strategy.changes, _change, budget=CHANGES_BUDGET, most=CHANGES_MOST, more=_more
        )
        blocks.append(section("\n".join([title, *lines])))
    return blocks
