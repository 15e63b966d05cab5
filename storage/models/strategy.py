"""The strategy around the goals: priorities, key results with their history, quarterly
reviews, what changed in the priorities, and the one welcome each person gets."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.models.base import UTCDateTime, timestamp_field

PRIORITY_TITLE_MAX_CHARS = 80
PRIORITY_WHY_MAX_CHARS = 300
KEY_RESULT_TITLE_MAX_CHARS = 150
PRIORITIES_MAX = 7


class Priority(SQLModel, table=True):
    """A strategic priority (a pillar): what the company puts first, and why. ``rank`` orders
    them (1 first); a removed one is archived so the goals that served it keep their link."""

    __tablename__ = "priority"

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    rank: int
    title: str = Field(max_length=PRIORITY_TITLE_MAX_CHARS)
    why: str = Field(default="", max_length=PRIORITY_WHY_MAX_CHARS)
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class PriorityChange(SQLModel, table=True):
    """One change to the priorities (added, renamed, re-ranked, removed), in words, so the
    next digest can say what changed since the last."""

    __tablename__ = "priority_change"
    __table_args__ = (sa.Index("ix_priority_change_team_at", "team_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", max_length=32)
    author_id: str = Field(max_length=32)
    summary: str = Field(max_length=500)
    created_at: datetime = timestamp_field()


class KeyResult(SQLModel, table=True):
    """A measurable target of an objective (a goal whose ``measure`` is ``key_results``):
    from ``start_value`` to ``target_value`` in ``unit``, higher or lower being better,
    optionally bound to a KPI whose latest value it takes on each sync."""

    __tablename__ = "key_result"

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    goal_id: int = Field(foreign_key="goal.id", index=True, ondelete="CASCADE")
    position: int = 1
    title: str = Field(max_length=KEY_RESULT_TITLE_MAX_CHARS)
    start_value: float = 0.0
    target_value: float = 1.0
    current_value: float = 0.0
    unit: str = Field(default="", max_length=24)
    weight: float = 1.0
    kpi_id: int | None = Field(default=None, foreign_key="kpi.id", ondelete="SET NULL")
    confidence: int | None = None  # 1-10, the owner's latest
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class KeyResultUpdate(SQLModel, table=True):
    """One change of a key result: a value, a confidence, or both, and where it came from
    (``command``, ``checkin``, ``kpi-sync``)."""

    __tablename__ = "key_result_update"

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", max_length=32)
    key_result_id: int = Field(foreign_key="key_result.id", index=True, ondelete="CASCADE")
    author_id: str = Field(default="", max_length=32)
    source: str = Field(default="command", max_length=16)
    value: float | None = None
    confidence: int | None = None
    created_at: datetime = timestamp_field(index=True)


class Review(SQLModel, table=True):
    """The review pack of one period (``2026-Q4``): posted once in the leadership channel
    (claimed by inserting this row) and written once as a canvas."""

    __tablename__ = "review"
    __table_args__ = (sa.UniqueConstraint("team_id", "period", name="uq_review_period"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", max_length=32)
    period: str = Field(max_length=16)
    channel_id: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    canvas_id: str | None = Field(default=None, max_length=64)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    posted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    error: str = Field(default="", max_length=200)
    created_at: datetime = timestamp_field()


class Welcome(SQLModel, table=True):
    """The one welcome DM of a person: inserted before sending, so nobody gets two."""

    team_id: str = Field(foreign_key="workspace.team_id", primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    reason: str = Field(default="joined", max_length=16)  # joined | team
    state: str = Field(default="sending", max_length=16)  # sending | sent | failed
    channel_id: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    error: str = Field(default="", max_length=200)
    created_at: datetime = timestamp_field()
