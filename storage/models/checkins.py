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


# A pause with this setup id covers every setup of the workspace.
ALL_SETUPS = 0
SETUP_NAME_MAX_CHARS = 80
DEFAULT_SETUP_KEY = "default"


class CheckinPause(SQLModel, table=True):
    """A person's vacation: no prompts of one setup (or of all, ``setup_id`` = ``ALL_SETUPS``)
    up to and including ``until``."""

    __tablename__ = "checkin_pause"

    team_id: str = Field(foreign_key="workspace.team_id", primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    setup_id: int = Field(default=ALL_SETUPS, primary_key=True)
    until: date


class CheckinSetup(SQLModel, table=True):
    """One check-in of a workspace (the weekly check-in, a team's daily stand-up ...): who
    takes part, on which days, and what is asked, in ``config`` (``bot.checkins.settings``).

    The workspace's first setup carries ``default_key`` = ``"default"``: the unique key lets
    exactly one row be the default; the others keep NULL, which never collides. A removed
    setup is archived, not deleted, so its rounds and answers stay.
    """

    __tablename__ = "checkin_setup"
    __table_args__ = (
        sa.UniqueConstraint("team_id", "name_key", name="uq_checkin_setup_name"),
        sa.UniqueConstraint("team_id", "default_key", name="uq_checkin_setup_default"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    name: str = Field(max_length=SETUP_NAME_MAX_CHARS)
    name_key: str = Field(max_length=SETUP_NAME_MAX_CHARS)
    default_key: str | None = Field(default=None, max_length=16)
    config: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    created_by: str = Field(default="", max_length=32)
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class CheckinRound(SQLModel, table=True):
    """One period of a setup (a week, or a day of a stand-up), with the questions asked.

    ``period`` is the ISO week (``2026-W48``) for a setup that runs once a week and the local
    date (``2026-11-26``) for one that runs on several days; ``week`` is the ISO week the
    period lies in, for reading rounds by week.
    """

    __tablename__ = "checkin_round"
    __table_args__ = (
        sa.UniqueConstraint("setup_id", "period", name="uq_checkin_round_period"),
        sa.Index("ix_checkin_round_week", "team_id", "week"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    setup_id: int = Field(foreign_key="checkin_setup.id", index=True)
    period: str = Field(max_length=10)
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


class CheckinThread(SQLModel, table=True):
    """The thread of one round in its setup's own channel: answers as replies, or (summary
    mode) one summary posted when the round closes."""

    __tablename__ = "checkin_thread"

    round_id: int = Field(foreign_key="checkin_round.id", primary_key=True, ondelete="CASCADE")
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    channel_id: str = Field(max_length=32)
    thread_ts: str | None = Field(default=None, max_length=32)
    summary_ts: str | None = Field(default=None, max_length=32)
    error: str = Field(default="", max_length=200)


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
