"""``/goal tree`` read level by level: the roots, then the sub-goals of the goals kept so far,
pruned at each level to the lines a tree message can show.

A tree shows its goals depth first, so a goal's sub-goals come right after it; the sub-goals
of one level, ordered by their parent's place in the tree and then by number, are in the
order the tree shows them. Each level therefore needs only its first ``TREE_LINES_MAX`` rows,
and a goal that falls beyond ``TREE_LINES_MAX`` lines can never be shown, whatever is found
below: its sub-goals are not read. Rows read stay at most ``TREE_LINES_MAX`` per level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.sql.elements import ColumnElement
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.goals.blocks.messages import TREE_CHARS_BUDGET
from bot.goals.pages import view_of
from bot.goals.progress import GoalView
from storage.models import Goal
from storage.repositories import goal_pages

# The shortest tree line (":red_circle: *G-1* x `░░░░░░░░░░ 0%`": an icon of 12 characters or
# more, the number, a title, the bar) is over 36 characters, so no tree shows more lines.
TREE_LINES_MAX = TREE_CHARS_BUDGET // 36


def _shortest_line(depth: int, goal: Goal) -> int:
    """A lower bound of the characters ``build_goal_tree`` spends on ``goal``'s line (and its
    line break): indent, an icon of 12 or more, ``*G-n*``, the title cut at 80, the bar."""
    return 2 * depth + 12 + 7 + len(str(goal.number)) + min(len(goal.title), 79) + 16


@dataclass
class _Forest:
    roots: list[Goal]
    children: dict[int, list[Goal]] = field(default_factory=dict)

    def lines(self) -> list[tuple[int, Goal]]:
        """Depth first, each goal once, cut where even the shortest rendering of the lines
        so far would fill the tree's character budget."""
        lines: list[tuple[int, Goal]] = []
        seen: set[int] = set()
        stack: list[tuple[int, Goal]] = [(0, root) for root in reversed(self.roots)]
        used = 0
        while stack and len(lines) < TREE_LINES_MAX:
            depth, goal = stack.pop()
            if goal.id is None or goal.id in seen:
                continue
            used += _shortest_line(depth, goal)
            if used - 1 > TREE_CHARS_BUDGET:  # the last line needs no line break
                break
            seen.add(goal.id)
            lines.append((depth, goal))
            below = self.children.get(goal.id, [])
            stack.extend((depth + 1, child) for child in reversed(below))
        return lines


@dataclass(frozen=True)
class TreePage:
    """The lines a tree message can show (depth, goal) and how many goals the tree holds."""

    lines: list[tuple[int, GoalView]]
    total: int


async def load_tree(
    session: AsyncSession,
    *,
    team_id: str,
    today: date,
    roots: Sequence[ColumnElement[bool]],
    root_order: Sequence[Any],
    step: Sequence[ColumnElement[bool]],
    total: int | None = None,
    root_alternatives: Sequence[Sequence[ColumnElement[bool]]] = (),
) -> TreePage:
    """The tree below the goals matching ``roots`` (in ``root_order``), or any of
    ``root_alternatives`` (each read apart), through sub-goals matching ``step``; ``total``
    when the caller knows it, else counted in SQL."""
    if root_alternatives:
        found = await goal_pages.first_ids_of_each(
            session=session,
            team_id=team_id,
            alternatives=root_alternatives,
            limit=TREE_LINES_MAX,
            order_by=root_order,
        )
    else:
        found = await goal_pages.goal_page(
            session=session,
            team_id=team_id,
            where=roots,
            limit=TREE_LINES_MAX,
            order_by=root_order,
        )
    forest = _Forest(found)
    deepest = {goal.id for goal in forest.roots}
    known = set(deepest)
    for _ in range(TREE_LINES_MAX):
        ranks = {
            goal.id: place
            for place, (_depth, goal) in enumerate(forest.lines())
            if goal.id is not None and goal.id in deepest
        }
        found = await goal_pages.children_in_order(
            session=session, team_id=team_id, parent_ranks=ranks, where=step, limit=TREE_LINES_MAX
        )
        found = [child for child in found if child.id not in known]
        if not found:
            break
        known.update(child.id for child in found)
        for child in found:
            forest.children.setdefault(child.parent_id or 0, []).append(child)
        deepest = {child.id for child in found}
    if total is None:
        total = await goal_pages.count_descendants(
            session=session, team_id=team_id, roots=roots, step=step
        )
    lines = [(depth, view_of(goal, today)) for depth, goal in forest.lines()]
    return TreePage(lines, total)
