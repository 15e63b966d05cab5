"""weekly alignment digest: posts per channel and week, alignment score snapshots

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from storage.models import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "digest_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("week", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("channel_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("message_ts", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("replies_posted", sa.Integer(), nullable=False),
        sa.Column("chart_done", sa.Boolean(), nullable=False),
        sa.Column("posted_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["workspace.team_id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "week", "scope", "channel_id", name="uq_digest_post"),
    )
    with op.batch_alter_table("digest_post", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_digest_post_team_id"), ["team_id"], unique=False)
    op.create_table(
        "alignment_snapshot",
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("week", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("parts", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["workspace.team_id"]),
        sa.PrimaryKeyConstraint("team_id", "week", "scope"),
    )


def downgrade() -> None:
    op.drop_table("alignment_snapshot")
    with op.batch_alter_table("digest_post", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_digest_post_team_id"))
    op.drop_table("digest_post")
