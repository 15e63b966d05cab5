"""The whole workspace's goals at once, for ``/goal export`` (a CSV of every goal).

A snapshot is two queries (goals and teams) whatever the number of goals; progress and
status are computed in memory. Lists, trees, one goal and the Home read one page instead
(``bot/goals/pages.py``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from bot.core.runtime import Runtime
from bot.goals.progress import STATUS_LABELS, GoalView, evaluate
from storage.models import Goal, Team
from storage.repositories.goals import workspace_goals
from storage.repositories.teams import list_teams

CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class GoalSnapshot:
    """Every goal of a workspace with its progress and status: what ``/goal export`` writes.
    Slack surfaces read one page instead (``bot/goals/pages.py``)."""

    views: dict[int, GoalView]
    teams: dict[int, Team]
    today: date

    def team_name(self, goal: Goal) -> str:
        team = self.teams.get(goal.team_ref) if goal.team_ref else None
        return team.name if team else ""


async def load_snapshot(*, runtime: Runtime, team_id: str, today: date) -> GoalSnapshot:
    async with runtime.sessions() as session:
        goals = await workspace_goals(session=session, team_id=team_id)
        teams = await list_teams(session=session, team_id=team_id)
    return GoalSnapshot(
        views=evaluate(goals, today),
        teams={team.id: team for team in teams if team.id is not None},
        today=today,
    )


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
