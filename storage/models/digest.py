"""The weekly digest: posts per channel and week, and alignment snapshots."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.models.base import timestamp_field

# --- the weekly alignment digest -------------------------------------------------------------


class DigestPost(SQLModel, table=True):
    """A digest posted to one channel for one week, and how far its thread has got.

    The run ledger decides who posts (``digest`` job, period ``<week>:<scope>:<channel>``);
    this row remembers the message once it exists, so a run that stopped half-way finishes
    the thread and the chart without posting the main message again.
    """

    __tablename__ = "digest_post"
    __table_args__ = (
        sa.UniqueConstraint("team_id", "week", "scope", "channel_id", name="uq_digest_post"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    week: str = Field(max_length=10)  # ISO week, e.g. 2026-W48
    scope: str = Field(max_length=24)  # "company" or "team-<id>"
    channel_id: str = Field(max_length=32)
    message_ts: str = Field(max_length=32)
    late: bool = False
    replies_posted: int = 0
    chart_done: bool = False
    posted_at: datetime = timestamp_field()


class AlignmentSnapshot(SQLModel, table=True):
    """The alignment score a week's digest showed, so the next week can show the change."""

    __tablename__ = "alignment_snapshot"

    team_id: str = Field(foreign_key="workspace.team_id", primary_key=True, max_length=32)
    week: str = Field(primary_key=True, max_length=10)
    scope: str = Field(primary_key=True, max_length=24)
    score: int | None = None
    parts: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    created_at: datetime = timestamp_field()
