"""Database tables. Every row carries the Slack ``team_id`` of the workspace that owns it.

This module imports nothing else of the project, so migrations and tools can load it alone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

VISION_MAX_CHARS = 1000
ROLE_MEMBER = "member"
ROLE_ADMIN = "admin"


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass a timezone-aware value")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)


def _timestamp(**kwargs: Any) -> Any:
    return Field(default_factory=utc_now, sa_type=UTCDateTime, **kwargs)


class WorkspaceBase(SQLModel):
    name: str = Field(default="", max_length=255)
    vision: str = Field(default="", max_length=VISION_MAX_CHARS)
    mission: str = Field(default="", max_length=VISION_MAX_CHARS)
    timezone: str = Field(default="UTC", max_length=64)


class Workspace(WorkspaceBase, table=True):
    """One Slack workspace (team) that has talked to Northstar."""

    team_id: str = Field(primary_key=True, max_length=32)
    settings: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()


class MemberBase(SQLModel):
    name: str = Field(default="", max_length=255)
    real_name: str = Field(default="", max_length=255)
    display_name: str = Field(default="", max_length=255)
    tz: str | None = Field(default=None, max_length=64)
    is_admin: bool = False
    is_owner: bool = False
    is_bot: bool = False
    deleted: bool = False


class Member(MemberBase, table=True):
    """A person of a workspace, mirrored from Slack, plus Northstar's own role for them."""

    team_id: str = Field(foreign_key="workspace.team_id", primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    role: str = Field(default=ROLE_MEMBER, max_length=16)
    updated_at: datetime = _timestamp()


class RunLedger(SQLModel, table=True):
    """Who runs a scheduled period: the first to insert (job, team, period) does the work."""

    __tablename__ = "run_ledger"
    __table_args__ = (sa.UniqueConstraint("job", "team_id", "period", name="uq_run_ledger_period"),)

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=64)
    team_id: str = Field(foreign_key="workspace.team_id", max_length=32)
    period: str = Field(max_length=64)
    status: str = Field(default="running", max_length=16)
    started_at: datetime = _timestamp()
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    detail: str = Field(default="", max_length=2000)


class ProcessedEvent(SQLModel, table=True):
    """Slack ``event_id`` values already handled, so a redelivered event has no second effect."""

    __tablename__ = "processed_event"

    event_id: str = Field(primary_key=True, max_length=64)
    team_id: str = Field(index=True, max_length=32)
    received_at: datetime = _timestamp(index=True)
