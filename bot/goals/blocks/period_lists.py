"""Goal lists and trees of one period: the header says which period, the footer how to see
another, and an empty list says it is empty in that period."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.goals import texts_periods as texts
from bot.goals.blocks.messages import build_goal_list, build_goal_tree
from bot.goals.pages import GoalPage
from bot.goals.period_choice import PeriodFilter
from bot.goals.progress import GoalView
from bot.slack.messages import Reply, context
from storage.models import KeyResult


def _empty(period: PeriodFilter, empty: str) -> str:
    return empty if period.quarter is None else texts.empty_period(period.label)


def _with_footer(reply: Reply, period: PeriodFilter, example: str) -> Reply:
    if period.quarter is None or len(reply["blocks"]) >= 50:
        return reply
    footer = context(texts.other_periods_footer(example))
    return Reply(text=reply["text"], blocks=[*reply["blocks"], footer])


def build_period_list(
    period: PeriodFilter,
    title: str,
    views: Sequence[GoalView],
    snapshot: GoalPage,
    empty: str,
    total: int | None = None,
) -> Reply:
    """``views``: the first goals of the list; ``total``: how many it holds."""
    reply = build_goal_list(
        texts.list_title(title, period.label), views, snapshot, _empty(period, empty), total
    )
    return _with_footer(reply, period, "/goal list") if views else reply


def build_period_tree(
    period: PeriodFilter,
    title: str,
    lines: Sequence[tuple[int, GoalView]],
    empty: str,
    key_results: Mapping[int, Sequence[KeyResult]] | None = None,
    total: int | None = None,
) -> Reply:
    reply = build_goal_tree(
        texts.list_title(title, period.label), lines, _empty(period, empty), key_results, total
    )
    return _with_footer(reply, period, "/goal tree") if lines else reply
