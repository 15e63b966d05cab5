"""Signed requests seen recently, so a replay is refused

One row per signed Slack request let in: the SHA-256 of its signature, its workspace, and when
Slack's five-minute window for it ends. The unique key makes the first of two replicas that
see the same signature win; the prune-events job removes expired rows.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.models

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "seen_request",
        sa.Column("signature_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("expires_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("signature_hash"),
    )
    with op.batch_alter_table("seen_request", schema=None) as batch_op:
        batch_op.create_index("ix_seen_request_expiry", ["team_id", "expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("seen_request", schema=None) as batch_op:
        batch_op.drop_index("ix_seen_request_expiry")
    op.drop_table("seen_request")
