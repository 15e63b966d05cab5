"""Read side of goals: one snapshot of a workspace's goals, and what each view selects from it.

A snapshot is two queries (goals and teams) whatever the number of goals; progress rollups,
parent chains and trees are computed in memory.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from bot.core.runtime import Runtime
from bot.goals.progress import STATUS_LABELS, GoalView, evaluate
from storage.models import Goal, Team
from storage.repositories.goals import workspace_goals
from storage.repositories.teams import list_teams
from storage.states import GoalLevel, GoalState

CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class GoalSnapshot:
    views: dict[int, GoalView]
    teams: dict[int, Team]
    today: date
    children: dict[int, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        children: dict[int, list[int]] = defaultdict(list)
        for goal_id, view in sorted(self.views.items(), key=lambda item: item[1].goal.number):
            parent = view.goal.parent_id
            if parent is not None and parent in self.views:
                children[parent].append(goal_id)
        self.children = dict(children)

    def by_number(self, number: int) -> GoalView | None:
        return next((v for v in self.views.values() if v.goal.number == number), None)

    def team_name(self, goal: Goal) -> str:
        team = self.teams.get(goal.team_ref) if goal.team_ref else None
        return team.name if team else ""

    def open_views(self) -> list[GoalView]:
        return sorted(
            (view for view in self.views.values() if view.goal.state == GoalState.OPEN),
            key=lambda view: view.goal.number,
        )

    def chain(self, goal: Goal) -> list[Goal]:
        """The goals above ``goal``, nearest first, up to the top."""
        above: list[Goal] = []
        seen = {goal.id}
        current = self.views.get(goal.parent_id) if goal.parent_id else None
        while current is not None and current.goal.id not in seen:
            above.append(current.goal)
            seen.add(current.goal.id)
            parent = current.goal.parent_id
            current = self.views.get(parent) if parent else None
        return above

    def child_views(self, goal: Goal) -> list[GoalView]:
        return [self.views[child] for child in self.children.get(goal.id or 0, [])]

    def tree(
        self, roots: list[GoalView], keep: Callable[[Goal], bool] | None = None
    ) -> list[tuple[int, GoalView]]:
        """Depth-first (depth, view) pairs below ``roots``; closed sub-goals are left out, and
        those ``keep`` refuses (another period)."""
        lines: list[tuple[int, GoalView]] = []
        seen: set[int] = set()

        def walk(view: GoalView, depth: int) -> None:
            goal_id = view.goal.id or 0
            if goal_id in seen:
                return
            seen.add(goal_id)
            lines.append((depth, view))
            for child in self.child_views(view.goal):
                if child.goal.state == GoalState.OPEN and (keep is None or keep(child.goal)):
                    walk(child, depth + 1)

        for root in roots:
            walk(root, 0)
        return lines


async def load_snapshot(*, runtime: Runtime, team_id: str, today: date) -> GoalSnapshot:
    async with runtime.sessions() as session:
        goals = await workspace_goals(session=session, team_id=team_id)
        teams = await list_teams(session=session, team_id=team_id)
    return GoalSnapshot(
        views=evaluate(goals, today),
        teams={team.id: team for team in teams if team.id is not None},
        today=today,
    )


def tree_roots(
    snapshot: GoalSnapshot, keep: Callable[[Goal], bool] | None = None
) -> list[GoalView]:
    """Company goals first, then open goals that serve nothing (not aligned) or nothing
    ``keep`` keeps (a goal of another period)."""
    open_views = [v for v in snapshot.open_views() if keep is None or keep(v.goal)]
    kept = {view.goal.id for view in open_views}
    company = [view for view in open_views if view.goal.level == GoalLevel.COMPANY]
    orphans = [
        view
        for view in open_views
        if view.goal.level != GoalLevel.COMPANY
        and (not view.aligned or view.goal.parent_id not in kept)
    ]
    return company + orphans


def export_csv(snapshot: GoalSnapshot, names: dict[str, str]) -> str:
    """Every goal with its latest values, one row each; cells that a spreadsheet would read as
    a formula are prefixed with an apostrophe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "goal",
            "title",
            "level",
            "team",
            "owner",
            "owner_id",
            "parent",
            "aligned",
            "measure",
            "start",
            "target",
            "current",
            "unit",
            "progress_percent",
            "status",
            "confidence",
            "start_date",
            "due_date",
            "state",
            "last_progress_update",
            "description",
        ]
    )
    for view in sorted(snapshot.views.values(), key=lambda v: v.goal.number):
        goal = view.goal
        parent = snapshot.views.get(goal.parent_id) if goal.parent_id else None
        row = [
            f"G-{goal.number}",
            goal.title,
            goal.level,
            snapshot.team_name(goal),
            names.get(goal.owner_id, ""),
            goal.owner_id,
            f"G-{parent.goal.number}" if parent else "",
            "yes" if view.aligned else "no",
            goal.measure,
            f"{goal.start_value:g}",
            f"{goal.target_value:g}",
            f"{goal.current_value:g}",
            goal.unit,
            str(round(view.progress * 100)),
            STATUS_LABELS[view.status],
            str(goal.confidence),
            goal.start_date.isoformat(),
            goal.due_date.isoformat(),
            goal.state,
            goal.progress_at.date().isoformat(),
            goal.description,
        ]
        writer.writerow([_safe_cell(cell) for cell in row])
    return buffer.getvalue()


def _safe_cell(text: str) -> str:
    if text.startswith(CSV_FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
