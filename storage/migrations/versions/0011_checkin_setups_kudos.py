"""Check-in setups, per-setup pauses, setup channel threads, and kudos

The workspace's one check-in (``workspace.settings["checkins"]``) becomes its default setup:
a ``checkin_setup`` row with the same settings (the weekday becomes a one-day list). Every
existing round is tied to that setup, with its ISO week as its period, so every round,
invitation and answer stays where it was. Pauses gain a setup column; the ones already taken
cover every setup (0), as they did.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.models

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT_NAME = "Weekly check-in"
# Every check-in so far showed the person's goals to update after its questions; setups make
# that a question of its own, so existing rounds and settings gain it where it always was.
GOALS_QUESTION = {
    "key": "goals",
    "text": "Update your goals' progress",
    "kind": "goals",
    "required": False,
}


def _with_goals(questions: Any) -> list[Any]:
    listed = list(questions) if isinstance(questions, list) else []
    if any(isinstance(q, dict) and q.get("kind") == "goals" for q in listed):
        return listed
    return [*listed, dict(GOALS_QUESTION)]


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _loaded(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        value = json.loads(value or "{}")
    return value if isinstance(value, dict) else {}


def _setup_config(old: Any) -> dict[str, Any]:
    """The old workspace check-in settings as a setup's config: ``weekday`` becomes ``days``."""
    config = dict(old) if isinstance(old, dict) else {}
    weekday = config.pop("weekday", 0)
    config["days"] = [weekday if isinstance(weekday, int) and 0 <= weekday <= 6 else 0]
    if "questions" in config:
        config["questions"] = _with_goals(config["questions"])
    return config


def _goals_in_rounds() -> None:
    bind = op.get_bind()
    rounds = sa.table("checkin_round", sa.column("id", sa.Integer), sa.column("questions", sa.JSON))
    for round_id, raw in list(bind.execute(sa.select(rounds.c.id, rounds.c.questions))):
        questions = json.loads(raw) if isinstance(raw, str) else raw
        bind.execute(
            rounds.update().where(rounds.c.id == round_id).values(questions=_with_goals(questions))
        )


def upgrade() -> None:
    op.create_table(
        "checkin_setup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", _text(32), nullable=False),
        sa.Column("name", _text(80), nullable=False),
        sa.Column("name_key", _text(80), nullable=False),
        sa.Column("default_key", _text(16), nullable=True),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("created_by", _text(32), nullable=False),
        sa.Column("archived_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["workspace.team_id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "name_key", name="uq_checkin_setup_name"),
        sa.UniqueConstraint("team_id", "default_key", name="uq_checkin_setup_default"),
    )
    op.create_index("ix_checkin_setup_team_id", "checkin_setup", ["team_id"])
    _move_settings_to_setups()

    with op.batch_alter_table("checkin_round", schema=None) as batch_op:
        batch_op.add_column(sa.Column("setup_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("period", _text(10), nullable=True))
    op.execute(
        "UPDATE checkin_round SET period = week, setup_id = (SELECT s.id FROM checkin_setup s"
        " WHERE s.team_id = checkin_round.team_id AND s.default_key = 'default')"
    )
    with op.batch_alter_table("checkin_round", schema=None) as batch_op:
        batch_op.alter_column("setup_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("period", existing_type=_text(10), nullable=False)
        batch_op.drop_constraint("uq_checkin_round_week", type_="unique")
        batch_op.create_unique_constraint("uq_checkin_round_period", ["setup_id", "period"])
        batch_op.create_foreign_key(
            "fk_checkin_round_setup_id", "checkin_setup", ["setup_id"], ["id"]
        )
        batch_op.create_index("ix_checkin_round_setup_id", ["setup_id"])
        batch_op.create_index("ix_checkin_round_week", ["team_id", "week"])

    _pause_per_setup()
    _goals_in_rounds()

    op.create_table(
        "checkin_thread",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("team_id", _text(32), nullable=False),
        sa.Column("channel_id", _text(32), nullable=False),
        sa.Column("thread_ts", _text(32), nullable=True),
        sa.Column("summary_ts", _text(32), nullable=True),
        sa.Column("error", _text(200), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["checkin_round.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["team_id"], ["workspace.team_id"]),
        sa.PrimaryKeyConstraint("round_id"),
    )
    op.create_index("ix_checkin_thread_team_id", "checkin_thread", ["team_id"])

    op.create_table(
        "kudos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", _text(32), nullable=False),
        sa.Column("giver_id", _text(32), nullable=False),
        sa.Column("recipient_ids", sa.JSON(), nullable=False),
        sa.Column("text", _text(1000), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        sa.Column("channel_id", _text(32), nullable=True),
        sa.Column("message_ts", _text(32), nullable=True),
        sa.Column("created_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["goal_id"], ["goal.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["team_id"], ["workspace.team_id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_kudos_team_created", "kudos", ["team_id", "created_at"])


def _move_settings_to_setups() -> None:
    """One default setup per workspace, carrying its old settings, which leave the workspace."""
    bind = op.get_bind()
    workspace = sa.table(
        "workspace", sa.column("team_id", sa.String), sa.column("settings", sa.JSON)
    )
    setup = sa.table(
        "checkin_setup",
        *(sa.column(name) for name in ("team_id", "name", "name_key", "default_key")),
        sa.column("config", sa.JSON),
        sa.column("created_by", sa.String),
        sa.column("created_at", storage.models.UTCDateTime(timezone=True)),
        sa.column("updated_at", storage.models.UTCDateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    for team_id, raw in bind.execute(sa.select(workspace.c.team_id, workspace.c.settings)):
        settings = _loaded(raw)
        old = settings.pop("checkins", None)
        bind.execute(
            setup.insert().values(
                team_id=team_id,
                name=DEFAULT_NAME,
                name_key=DEFAULT_NAME.casefold(),
                default_key="default",
                config=_setup_config(old),
                created_by="",
                created_at=now,
                updated_at=now,
            )
        )
        if old is not None:
            bind.execute(
                workspace.update().where(workspace.c.team_id == team_id).values(settings=settings)
            )


def _pause_per_setup() -> None:
    with op.batch_alter_table("checkin_pause", schema=None) as batch_op:
        batch_op.add_column(sa.Column("setup_id", sa.Integer(), nullable=False, server_default="0"))
    _set_pause_key(["team_id", "user_id", "setup_id"])


def _set_pause_key(columns: list[str]) -> None:
    """PostgreSQL swaps the key constraint; SQLite cannot, so it copies into a new table."""
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("checkin_pause_pkey", "checkin_pause", type_="primary")
        op.create_primary_key("checkin_pause_pkey", "checkin_pause", columns)
        return
    kept = ["team_id", "user_id", "setup_id", "until"]
    if "setup_id" not in columns:
        kept.remove("setup_id")
    extra = (
        []
        if "setup_id" not in kept
        else [sa.Column("setup_id", sa.Integer(), nullable=False, server_default="0")]
    )
    op.create_table(
        "checkin_pause_new",
        sa.Column("team_id", _text(32), nullable=False),
        sa.Column("user_id", _text(32), nullable=False),
        *extra,
        sa.Column("until", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["workspace.team_id"]),
        sa.PrimaryKeyConstraint(*columns, name="checkin_pause_pkey"),
    )
    names = ", ".join(kept)
    op.execute(f"INSERT INTO checkin_pause_new ({names}) SELECT {names} FROM checkin_pause")
    op.drop_table("checkin_pause")
    op.rename_table("checkin_pause_new", "checkin_pause")


def downgrade() -> None:
    _refuse_several_rounds_a_week()
    op.drop_index("ix_kudos_team_created", table_name="kudos")
    op.drop_table("kudos")
    op.drop_index("ix_checkin_thread_team_id", table_name="checkin_thread")
    op.drop_table("checkin_thread")
    op.execute("DELETE FROM checkin_pause WHERE setup_id <> 0")
    _set_pause_key(["team_id", "user_id"])
    if op.get_bind().dialect.name != "sqlite":
        op.drop_column("checkin_pause", "setup_id")
    _restore_default_settings()
    _goals_out_of_rounds()
    op.execute(
        "DELETE FROM checkin_round WHERE setup_id NOT IN"
        " (SELECT id FROM checkin_setup WHERE default_key = 'default')"
    )
    with op.batch_alter_table("checkin_round", schema=None) as batch_op:
        batch_op.drop_index("ix_checkin_round_week")
        batch_op.drop_index("ix_checkin_round_setup_id")
        batch_op.drop_constraint("fk_checkin_round_setup_id", type_="foreignkey")
        batch_op.drop_constraint("uq_checkin_round_period", type_="unique")
        batch_op.create_unique_constraint("uq_checkin_round_week", ["team_id", "week"])
        batch_op.drop_column("period")
        batch_op.drop_column("setup_id")
    op.drop_index("ix_checkin_setup_team_id", table_name="checkin_setup")
    op.drop_table("checkin_setup")


def _restore_default_settings() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT team_id, config FROM checkin_setup WHERE default_key = 'default'")
    )
    workspace = sa.table(
        "workspace", sa.column("team_id", sa.String), sa.column("settings", sa.JSON)
    )
    for team_id, raw in list(rows):
        config = _loaded(raw)
        days = config.pop("days", [0]) or [0]
        config["weekday"] = days[0]
        for key in ("every_weeks", "anchor_week", "user_ids", "channel_id", "channel_mode"):
            config.pop(key, None)
        if "questions" in config:  # before setups: text and mood questions only
            kept = [
                {**q, "kind": "text"} if q.get("kind") == "number" else q
                for q in config["questions"]
                if isinstance(q, dict) and q.get("kind") != "goals"
            ]
            if kept:
                config["questions"] = kept
            else:
                del config["questions"]
        current = bind.execute(
            sa.select(workspace.c.settings).where(workspace.c.team_id == team_id)
        ).scalar()
        settings = _loaded(current)
        settings["checkins"] = config
        bind.execute(
            workspace.update().where(workspace.c.team_id == team_id).values(settings=settings)
        )


def _refuse_several_rounds_a_week() -> None:
    """Before setups a workspace had one round a week; a default setup run as a stand-up has
    several, which that schema cannot hold. Stop rather than drop any of them."""
    several = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT r.team_id, r.week FROM checkin_round r JOIN checkin_setup s"
                " ON s.id = r.setup_id WHERE s.default_key = 'default'"
                " GROUP BY r.team_id, r.week HAVING COUNT(*) > 1"
            )
        )
        .first()
    )
    if several is not None:
        raise RuntimeError(
            f"workspace {several[0]} ran its default check-in on several days in {several[1]}:"
            " the schema before 0011 holds one round a week. Nothing was changed; restore a"
            " backup from before the upgrade to go back."
        )


def _goals_out_of_rounds() -> None:
    bind = op.get_bind()
    rounds = sa.table("checkin_round", sa.column("id", sa.Integer), sa.column("questions", sa.JSON))
    for round_id, raw in list(bind.execute(sa.select(rounds.c.id, rounds.c.questions))):
        questions = json.loads(raw) if isinstance(raw, str) else raw
        kept = [
            q for q in questions or [] if not (isinstance(q, dict) and q.get("kind") == "goals")
        ]
        bind.execute(rounds.update().where(rounds.c.id == round_id).values(questions=kept))
