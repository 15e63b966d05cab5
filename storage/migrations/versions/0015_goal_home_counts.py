"""The Home's counts read what they count: indexes for a workspace's goals by level and by
last progress update

The Home counts its sections (mine, my teams', the company's, needing attention) and, for
admins, the goals not aligned, with no update for two weeks, and serving no priority. Each
count now reads through an index that holds what it counts, up to the cap, instead of all
open goals of the workspace: ``(team_id, level, state, number)`` for the company's and the
teams' goals (and the company section's page), ``(team_id, state, progress_at)`` for the
stale ones, ``(team_id, state, parent_id)`` for those without a parent (the ``parent_id``
index alone holds the parentless goals of every workspace); the others use the existing
``owner_id`` and ``team_ref`` indexes.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.create_index(
            "ix_goal_team_level_state_number", ["team_id", "level", "state", "number"]
        )
        batch_op.create_index("ix_goal_team_state_progress_at", ["team_id", "state", "progress_at"])
        batch_op.create_index("ix_goal_team_state_parent", ["team_id", "state", "parent_id"])


def downgrade() -> None:
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.drop_index("ix_goal_team_state_parent")
        batch_op.drop_index("ix_goal_team_state_progress_at")
        batch_op.drop_index("ix_goal_team_level_state_number")
