"""Goals with their update history, and KPIs with their values."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.models.base import UTCDateTime, timestamp_field
from storage.states import GoalState

# --- goals -----------------------------------------------------------------------------------

GOAL_TITLE_MAX_CHARS = 150
GOAL_TEXT_MAX_CHARS = 1000


class Goal(SQLModel, table=True):
    """A SMART objective at company, team or personal level, cascading through ``parent_id``."""

    __table_args__ = (
        sa.UniqueConstraint("team_id", "number", name="uq_goal_number"),
        sa.Index("ix_goal_team_state_number", "team_id", "state", "number"),
        sa.Index("ix_goal_team_level_state_number", "team_id", "level", "state", "number"),
        sa.Index("ix_goal_team_state_progress_at", "team_id", "state", "progress_at"),
        sa.Index("ix_goal_team_state_parent", "team_id", "state", "parent_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    number: int
    title: str = Field(max_length=GOAL_TITLE_MAX_CHARS)
    description: str = Field(default="", max_length=GOAL_TEXT_MAX_CHARS)
    level: str = Field(max_length=16)
    team_ref: int | None = Field(default=None, foreign_key="team.id", index=True)
    owner_id: str = Field(max_length=32, index=True)
    parent_id: int | None = Field(default=None, foreign_key="goal.id", index=True)
    measure: str = Field(default="number", max_length=16)  # number | milestone | children
    start_value: float = 0.0
    target_value: float = 1.0
    current_value: float = 0.0
    unit: str = Field(default="", max_length=24)
    start_date: date
    due_date: date
    confidence: int = 7
    status_override: str | None = Field(default=None, max_length=16)
    state: str = Field(default=GoalState.OPEN, max_length=16, index=True)
    created_by: str = Field(max_length=32)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    progress_at: datetime = timestamp_field()  # last progress update, for "no update in 14 days"
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # strategy (migration 0012): the priority a company goal serves; the period it belongs to,
    # a quarter ("2026-Q4", fiscal) or a span of its own ("custom", with its dates)
    priority_id: int | None = Field(
        default=None, foreign_key="priority.id", index=True, ondelete="SET NULL"
    )
    period: str = Field(default="", max_length=16, index=True)
    period_start: date | None = None
    period_end: date | None = None
    # rolled up (migration 0013): progress 0 to 1 as readers show it, a sub-goal measure's
    # mean of its sub-goals included; kept on write by bot/goals/rollups.py
    progress: float = Field(default=0.0, sa_column_kwargs={"server_default": "0"})


class GoalUpdate(SQLModel, table=True):
    """One entry of a goal's history: a progress update, a close, a reopen, an edit, a link."""

    __tablename__ = "goal_update"

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", max_length=32)
    goal_id: int = Field(foreign_key="goal.id", index=True, ondelete="CASCADE")
    author_id: str = Field(max_length=32)
    kind: str = Field(max_length=16)
    value: float | None = None
    confidence: int | None = None
    status_override: str | None = Field(default=None, max_length=16)
    note: str = Field(default="", max_length=GOAL_TEXT_MAX_CHARS)
    created_at: datetime = timestamp_field(index=True)


# --- KPIs ------------------------------------------------------------------------------------

KPI_NAME_MAX_CHARS = 80


class Kpi(SQLModel, table=True):
    """An ongoing metric with a target and thresholds, logged by hand or synced from a source."""

    __table_args__ = (
        sa.UniqueConstraint("team_id", "number", name="uq_kpi_number"),
        # /kpi list and the Home read a page of active KPIs in number order, and count them.
        sa.Index("ix_kpi_team_archived_number", "team_id", "archived", "number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    number: int
    name: str = Field(max_length=KPI_NAME_MAX_CHARS)
    name_key: str = Field(max_length=KPI_NAME_MAX_CHARS, index=True)
    unit: str = Field(default="", max_length=24)
    higher_is_better: bool = True
    target: float
    green_threshold: float
    red_threshold: float
    owner_id: str = Field(max_length=32, index=True)
    team_ref: int | None = Field(default=None, foreign_key="team.id", index=True)
    goal_id: int | None = Field(default=None, foreign_key="goal.id")
    cadence: str = Field(default="weekly", max_length=16)
    archived: bool = Field(default=False, index=True)
    source: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    last_synced_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str = Field(default="", max_length=500)
    error_reported: bool = False
    created_by: str = Field(max_length=32)
    created_at: datetime = timestamp_field()


class KpiValue(SQLModel, table=True):
    """A KPI's value on one day; logging again for the same day replaces it."""

    __tablename__ = "kpi_value"
    __table_args__ = (sa.UniqueConstraint("kpi_id", "recorded_on", name="uq_kpi_value_day"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", max_length=32)
    kpi_id: int = Field(foreign_key="kpi.id", index=True, ondelete="CASCADE")
    recorded_on: date
    value: float
    author_id: str | None = Field(default=None, max_length=32)
    created_at: datetime = timestamp_field()
