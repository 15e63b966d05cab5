"""Workspaces, their members and teams, counters, and the tables of the run ledger and the
request door."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.models.base import UTCDateTime, timestamp_field
from storage.states import RunStatus

VISION_MAX_CHARS = 1000
ROLE_MEMBER = "member"
ROLE_ADMIN = "admin"


class WorkspaceBase(SQLModel):
    name: str = Field(default="", max_length=255)
    vision: str = Field(default="", max_length=VISION_MAX_CHARS)
    mission: str = Field(default="", max_length=VISION_MAX_CHARS)
    timezone: str = Field(default="UTC", max_length=64)


class Workspace(WorkspaceBase, table=True):
    """One Slack workspace (team) that has talked to Northstar."""

    team_id: str = Field(primary_key=True, max_length=32)
    settings: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


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
    updated_at: datetime = timestamp_field()


class RunLedger(SQLModel, table=True):
    """Who runs a scheduled period: the first to insert (job, team, period) does the work."""

    __tablename__ = "run_ledger"
    __table_args__ = (sa.UniqueConstraint("job", "team_id", "period", name="uq_run_ledger_period"),)

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=64)
    team_id: str = Field(foreign_key="workspace.team_id", max_length=32)
    period: str = Field(max_length=64)
    status: str = Field(default=RunStatus.RUNNING, max_length=16)
    started_at: datetime = timestamp_field()
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    detail: str = Field(default="", max_length=2000)


class ProcessedEvent(SQLModel, table=True):
    """Slack ``event_id`` values already handled, so a redelivered event has no second effect."""

    __tablename__ = "processed_event"

    event_id: str = Field(primary_key=True, max_length=64)
    team_id: str = Field(index=True, max_length=32)
    received_at: datetime = timestamp_field(index=True)


# Tables of the request door (bot/app/request_guard.py), not of any workspace's data. Workspace
# deletion leaves their rows to expire within minutes: deleting them would let the workspace's
# last requests, the deletion itself included, be replayed.
DOOR_TABLES = frozenset({"seen_request"})


class SeenRequest(SQLModel, table=True):
    """Signed Slack requests already let in, so a replayed one is refused: the SHA-256 of the
    signature (never the signature or the request), kept until Slack's five-minute window for
    its timestamp has passed."""

    __tablename__ = "seen_request"
    __table_args__ = (sa.Index("ix_seen_request_expiry", "team_id", "expires_at"),)

    signature_hash: str = Field(primary_key=True, max_length=64)
    team_id: str = Field(max_length=32)
    expires_at: datetime = Field(sa_type=UTCDateTime)


# --- numbering -------------------------------------------------------------------------------


class Counter(SQLModel, table=True):
    """Per-workspace sequences behind the short numbers people see (``G-12``, ``K-3``)."""

    team_id: str = Field(foreign_key="workspace.team_id", primary_key=True, max_length=32)
    name: str = Field(primary_key=True, max_length=16)
    value: int = 0


# --- teams -----------------------------------------------------------------------------------

TEAM_NAME_MAX_CHARS = 80


class Team(SQLModel, table=True):
    """A department or group inside a workspace; goals and digests are sliced by team."""

    __table_args__ = (sa.UniqueConstraint("team_id", "name_key", name="uq_team_name"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    name: str = Field(max_length=TEAM_NAME_MAX_CHARS)
    name_key: str = Field(max_length=TEAM_NAME_MAX_CHARS)
    channel_id: str | None = Field(default=None, max_length=32)
    lead_user_id: str | None = Field(default=None, max_length=32)
    created_at: datetime = timestamp_field()


class TeamMembership(SQLModel, table=True):
    __tablename__ = "team_membership"

    team_ref: int = Field(foreign_key="team.id", primary_key=True, ondelete="CASCADE")
    user_id: str = Field(primary_key=True, max_length=32)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
