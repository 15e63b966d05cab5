"""Goals keep their rolled-up progress on the row, so lists, trees and Home read one page

``goal.progress`` is the goal's progress from 0 to 1 as every reader shows it: a number or
milestone goal's own, an objective's from its key results, and a goal measured by its
sub-goals the mean of its open and done sub-goals, recursively. It is written in the same
transaction as every change that moves it (``bot/goals/rollups.py``); the upgrade computes it
once for every existing goal with the same rule, copied here so that this migration keeps
meaning what it meant when it was written. One index serves the paged reads (a workspace's
open goals in number order).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_GOAL = sa.table(
    "goal",
    sa.column("id", sa.Integer),
    sa.column("parent_id", sa.Integer),
    sa.column("measure", sa.String),
    sa.column("state", sa.String),
    sa.column("start_value", sa.Float),
    sa.column("target_value", sa.Float),
    sa.column("current_value", sa.Float),
    sa.column("progress", sa.Float),
)


def upgrade() -> None:
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("progress", sa.Float(), nullable=False, server_default="0"))
        batch_op.create_index("ix_goal_team_state_number", ["team_id", "state", "number"])
    _roll_up_every_goal()


def downgrade() -> None:
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.drop_index("ix_goal_team_state_number")
        batch_op.drop_column("progress")


def _own(row: Any) -> float:
    if row.state == "done":
        return 1.0
    if row.measure == "milestone":
        return 1.0 if row.current_value >= 1 else 0.0
    span = row.target_value - row.start_value
    if span == 0:
        return 1.0 if row.current_value == row.target_value else 0.0
    return float(min(1.0, max(0.0, (row.current_value - row.start_value) / span)))


def _roll_up_every_goal() -> None:
    bind = op.get_bind()
    rows = {row.id: row for row in bind.execute(sa.select(_GOAL)).all()}
    children: dict[int, list[int]] = defaultdict(list)
    for row in rows.values():
        if row.parent_id in rows:
            children[row.parent_id].append(row.id)
    progress: dict[int, float] = {}

    def progress_of(goal_id: int, seen: frozenset[int]) -> float:
        if goal_id in progress:
            return progress[goal_id]
        row = rows[goal_id]
        if row.measure == "children" and row.state != "done":
            counted = [
                child
                for child in children.get(goal_id, [])
                if rows[child].state != "dropped" and child not in seen
            ]
            values = [progress_of(child, seen | {goal_id}) for child in counted]
            result = sum(values) / len(values) if values else 0.0
        else:
            result = _own(row)
        progress[goal_id] = result
        return result

    for goal_id in rows:
        progress_of(goal_id, frozenset())
    if progress:
        statement = (
            sa.update(_GOAL)
            .where(_GOAL.c.id == sa.bindparam("goal_id"))
            .values(progress=sa.bindparam("value"))
        )
        bind.execute(
            statement, [{"goal_id": key, "value": value} for key, value in progress.items()]
        )
