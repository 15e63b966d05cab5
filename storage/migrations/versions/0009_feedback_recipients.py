"""Feedback threads keep the recipients they were created with

A thread used to go to whoever was the team's lead (or an admin) at the time it was read, so
a new lead read the whole earlier conversation and the lead it was written to was locked
out. Each thread now stores ``recipient_ids``. Existing threads get the recipients they
would have had today: every current admin (Slack admins and owners, and people granted
Northstar admin), or their team's current lead.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables as they are at this revision (the models may change later).
_thread = sa.table(
    "feedback_thread",
    sa.column("id", sa.String()),
    sa.column("team_id", sa.String()),
    sa.column("recipient_kind", sa.String()),
    sa.column("team_ref", sa.Integer()),
    sa.column("recipient_ids", sa.JSON()),
)
_member = sa.table(
    "member",
    sa.column("team_id", sa.String()),
    sa.column("user_id", sa.String()),
    sa.column("is_admin", sa.Boolean()),
    sa.column("is_owner", sa.Boolean()),
    sa.column("role", sa.String()),
    sa.column("deleted", sa.Boolean()),
)
_team = sa.table(
    "team",
    sa.column("id", sa.Integer()),
    sa.column("team_id", sa.String()),
    sa.column("lead_user_id", sa.String()),
)
ROLE_ADMIN = "admin"  # storage.models.ROLE_ADMIN at this revision
RECIPIENT_ADMINS = "admins"


def upgrade() -> None:
    with op.batch_alter_table("feedback_thread", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("recipient_ids", sa.JSON(), nullable=False, server_default="[]")
        )
    connection = op.get_bind()
    threads = connection.execute(
        sa.select(_thread.c.id, _thread.c.team_id, _thread.c.recipient_kind, _thread.c.team_ref)
    ).all()
    for thread_id, team_id, kind, team_ref in threads:
        recipients = _admins(connection, team_id) if kind == RECIPIENT_ADMINS else []
        if kind != RECIPIENT_ADMINS and team_ref is not None:
            recipients = _lead(connection, team_id, team_ref)
        connection.execute(
            sa.update(_thread).where(_thread.c.id == thread_id).values(recipient_ids=recipients)
        )


def _admins(connection: sa.Connection, team_id: str) -> list[str]:
    is_admin = sa.or_(_member.c.is_admin, _member.c.is_owner, _member.c.role == ROLE_ADMIN)
    found = connection.execute(
        sa.select(_member.c.user_id)
        .where(_member.c.team_id == team_id, sa.not_(_member.c.deleted), is_admin)
        .order_by(_member.c.user_id)
    )
    return [str(user_id) for user_id in found.scalars()]


def _lead(connection: sa.Connection, team_id: str, team_ref: int) -> list[str]:
    lead = connection.execute(
        sa.select(_team.c.lead_user_id).where(_team.c.id == team_ref, _team.c.team_id == team_id)
    ).scalar_one_or_none()
    return [str(lead)] if lead else []


def downgrade() -> None:
    with op.batch_alter_table("feedback_thread", schema=None) as batch_op:
        batch_op.drop_column("recipient_ids")
