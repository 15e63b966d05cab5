"""Strategy: priorities and their changes, key results and their history, quarterly
reviews, welcomes; goals gain a priority and a period

Every goal is put in the fiscal quarter that is current when the upgrade runs (fiscal years
start in January until an admin says otherwise), so it stays an objective of the current
period; nothing else of it changes.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.models

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _moment() -> storage.models.UTCDateTime:
    return storage.models.UTCDateTime(timezone=True)


def _team() -> list[sa.schema.SchemaItem]:
    return [
        sa.Column("team_id", _text(32), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["workspace.team_id"]),
    ]


def upgrade() -> None:
    op.create_table(
        "priority",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("title", _text(80), nullable=False),
        sa.Column("why", _text(300), nullable=False),
        sa.Column("archived_at", _moment(), nullable=True),
        sa.Column("created_at", _moment(), nullable=False),
        sa.Column("updated_at", _moment(), nullable=False),
        *_team(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_priority_team_id", "priority", ["team_id"])
    op.create_table(
        "priority_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", _text(32), nullable=False),
        sa.Column("summary", _text(500), nullable=False),
        sa.Column("created_at", _moment(), nullable=False),
        *_team(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_priority_change_team_at", "priority_change", ["team_id", "created_at"])
    op.create_table(
        "key_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", _text(150), nullable=False),
        sa.Column("start_value", sa.Float(), nullable=False),
        sa.Column("target_value", sa.Float(), nullable=False),
        sa.Column("current_value", sa.Float(), nullable=False),
        sa.Column("unit", _text(24), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=True),
        sa.Column("confidence", sa.Integer(), nullable=True),
        sa.Column("created_at", _moment(), nullable=False),
        sa.Column("updated_at", _moment(), nullable=False),
        *_team(),
        sa.ForeignKeyConstraint(["goal_id"], ["goal.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["kpi_id"], ["kpi.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_key_result_team_id", "key_result", ["team_id"])
    op.create_index("ix_key_result_goal_id", "key_result", ["goal_id"])
    op.create_table(
        "key_result_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_result_id", sa.Integer(), nullable=False),
        sa.Column("author_id", _text(32), nullable=False),
        sa.Column("source", _text(16), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("confidence", sa.Integer(), nullable=True),
        sa.Column("created_at", _moment(), nullable=False),
        *_team(),
        sa.ForeignKeyConstraint(["key_result_id"], ["key_result.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_key_result_update_key_result_id", "key_result_update", ["key_result_id"])
    op.create_index("ix_key_result_update_created_at", "key_result_update", ["created_at"])
    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", _text(16), nullable=False),
        sa.Column("channel_id", _text(32), nullable=True),
        sa.Column("message_ts", _text(32), nullable=True),
        sa.Column("canvas_id", _text(64), nullable=True),
        sa.Column("claimed_at", _moment(), nullable=True),
        sa.Column("posted_at", _moment(), nullable=True),
        sa.Column("error", _text(200), nullable=False),
        sa.Column("created_at", _moment(), nullable=False),
        *_team(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "period", name="uq_review_period"),
    )
    op.create_table(
        "welcome",
        sa.Column("user_id", _text(32), nullable=False),
        sa.Column("reason", _text(16), nullable=False),
        sa.Column("state", _text(16), nullable=False),
        sa.Column("channel_id", _text(32), nullable=True),
        sa.Column("message_ts", _text(32), nullable=True),
        sa.Column("error", _text(200), nullable=False),
        sa.Column("created_at", _moment(), nullable=False),
        *_team(),
        sa.PrimaryKeyConstraint("team_id", "user_id"),
    )
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("priority_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("period", _text(16), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("period_start", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("period_end", sa.Date(), nullable=True))
        batch_op.create_foreign_key(
            "fk_goal_priority_id", "priority", ["priority_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_index("ix_goal_priority_id", ["priority_id"])
        batch_op.create_index("ix_goal_period", ["period"])
    _every_goal_in_the_current_quarter()


def _every_goal_in_the_current_quarter() -> None:
    """The calendar quarter of today (fiscal years start in January until an admin says
    otherwise, so it is the fiscal one): its key as ``bot.core.quarters`` writes it."""
    today = datetime.now(UTC).date()
    number = (today.month - 1) // 3 + 1
    start = date(today.year, 3 * number - 2, 1)
    end = date(today.year + 1, 1, 1) if number == 4 else date(today.year, 3 * number + 1, 1)
    key, end = f"{today.year}-Q{number}", end - timedelta(days=1)
    goal = sa.table(
        "goal",
        sa.column("period", sa.String),
        sa.column("period_start", sa.Date),
        sa.column("period_end", sa.Date),
    )
    op.get_bind().execute(goal.update().values(period=key, period_start=start, period_end=end))


def downgrade() -> None:
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.drop_index("ix_goal_period")
        batch_op.drop_index("ix_goal_priority_id")
        batch_op.drop_constraint("fk_goal_priority_id", type_="foreignkey")
        for column in ("period_end", "period_start", "period", "priority_id"):
            batch_op.drop_column(column)
    op.drop_table("welcome")
    op.drop_table("review")
    op.drop_index("ix_key_result_update_created_at", table_name="key_result_update")
    op.drop_index("ix_key_result_update_key_result_id", table_name="key_result_update")
    op.drop_table("key_result_update")
    op.drop_index("ix_key_result_goal_id", table_name="key_result")
    op.drop_index("ix_key_result_team_id", table_name="key_result")
    op.drop_table("key_result")
    op.drop_index("ix_priority_change_team_at", table_name="priority_change")
    op.drop_table("priority_change")
    op.drop_index("ix_priority_team_id", table_name="priority")
    op.drop_table("priority")
