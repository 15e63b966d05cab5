"""KPI lists read one page: an index for a workspace's active KPIs in number order

``/kpi list`` and the Home read the first active KPIs of a workspace (or of one owner) in
number order and count them; the index ``(team_id, archived, number)`` serves both without
reading the KPIs past the page. The latest values of the listed KPIs are read through the
existing unique index ``(kpi_id, recorded_on)``.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("kpi", schema=None) as batch_op:
        batch_op.create_index("ix_kpi_team_archived_number", ["team_id", "archived", "number"])


def downgrade() -> None:
    with op.batch_alter_table("kpi", schema=None) as batch_op:
        batch_op.drop_index("ix_kpi_team_archived_number")
