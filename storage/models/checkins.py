"""Check-in rounds, deliveries, answers, shares, pauses and holidays."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.models.base import UTCDateTime, timestamp_field
from storage.states import CheckinState

# --- check-ins -------------------------------------------------------------------------------


class Holiday(SQLModel, table=True):
    """A workspace holiday: a prompt that would fall on it goes out the next working day."""

    team_id: str = Field(foreign_key="workspace.team_id", primary_key=True, max_length=32)
    day: date = Field(primary_key=True)


class CheckinPause(SQLModel, table=True):
    """A person's vacation: no check-in prompts up to and including ``until``."""

    __tablename__ = "checkin_pause"

    team_id: str = Field(foreign_key="workspace.team_id", primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    until: date


class CheckinRound(SQLModel, table=True):
    """One check-in week of a workspace, with the questions asked that week."""

    __tablename__ = "checkin_round"
    __table_args__ = (sa.UniqueConstraint("team_id", "week", name="uq_checkin_round_week"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    week: str = Field(max_length=10)  # ISO week, e.g. 2026-W48
    questions: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    created_at: datetime = timestamp_field()


class CheckinDelivery(SQLModel, table=True):
    """One invited person of a round and where their prompt stands: the fan-out's ledger.

    ``state`` goes pending -> sending -> sent -> answered, or to skipped / failed. Claiming a
    row is a conditional UPDATE, so a DM is sent by exactly one process.
    """

    __tablename__ = "checkin_delivery"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "user_id", name="uq_checkin_delivery_person"),
        sa.Index("ix_checkin_delivery_due", "state", "prompt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="checkin_round.id", index=True, ondelete="CASCADE")
    team_id: str = Field(foreign_key="workspace.team_id", max_length=32)
    user_id: str = Field(max_length=32)
    state: str = Field(default=CheckinState.PENDING, max_length=16)
    prompt_at: datetime = Field(sa_type=UTCDateTime)
    remind_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closes_at: datetime = Field(sa_type=UTCDateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    channel_id: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    error: str = Field(default="", max_length=200)


class CheckinAnswer(SQLModel, table=True):
    """A person's answers to one round; a second submission updates it."""

    __tablename__ = "checkin_answer"

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="checkin_delivery.id", unique=True, ondelete="CASCADE")
    round_id: int = Field(foreign_key="checkin_round.id", index=True, ondelete="CASCADE")
    team_id: str = Field(foreign_key="workspace.team_id", max_length=32)
    user_id: str = Field(max_length=32, index=True)
    answers: dict[str, str] = Field(default_factory=dict, sa_type=sa.JSON)
    mood: int | None = None
    late: bool = False
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class CheckinShare(SQLModel, table=True):
    """The weekly thread in a team's channel where that team's answers are shared."""

    __tablename__ = "checkin_share"

    round_id: int = Field(foreign_key="checkin_round.id", primary_key=True, ondelete="CASCADE")
    team_ref: int = Field(foreign_key="team.id", primary_key=True, ondelete="CASCADE")
    team_id: str = Field(foreign_key="workspace.team_id", max_length=32)
    channel_id: str = Field(max_length=32)
    thread_ts: str | None = Field(default=None, max_length=32)
    error: str = Field(default="", max_length=200)
    error_reported: bool = False
