"""Kudos: one person thanking others for a piece of work, optionally tied to a goal."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.models.base import timestamp_field

KUDOS_TEXT_MAX_CHARS = 1000
KUDOS_MAX_RECIPIENTS = 10


class Kudos(SQLModel, table=True):
    """Kudos given: who gave them, to whom, why, and where they were posted."""

    __tablename__ = "kudos"
    __table_args__ = (sa.Index("ix_kudos_team_created", "team_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", max_length=32)
    giver_id: str = Field(max_length=32)
    recipient_ids: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    text: str = Field(max_length=KUDOS_TEXT_MAX_CHARS)
    goal_id: int | None = Field(default=None, foreign_key="goal.id", ondelete="SET NULL")
    channel_id: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = timestamp_field()
