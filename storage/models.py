"""Database tables. Every row carries the Slack ``team_id`` of the workspace that owns it.

This module imports nothing else of the project, so migrations and tools can load it alone.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, date, datetime
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
    created_at: datetime = _timestamp()


class TeamMembership(SQLModel, table=True):
    __tablename__ = "team_membership"

    team_ref: int = Field(foreign_key="team.id", primary_key=True, ondelete="CASCADE")
    user_id: str = Field(primary_key=True, max_length=32)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)


# --- goals -----------------------------------------------------------------------------------

GOAL_TITLE_MAX_CHARS = 150
GOAL_TEXT_MAX_CHARS = 1000


class Goal(SQLModel, table=True):
    """A SMART objective at company, team or personal level, cascading through ``parent_id``."""

    __table_args__ = (sa.UniqueConstraint("team_id", "number", name="uq_goal_number"),)

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
    state: str = Field(default="open", max_length=16, index=True)
    created_by: str = Field(max_length=32)
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()
    progress_at: datetime = _timestamp()  # last progress update, for "no update in 14 days"
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


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
    created_at: datetime = _timestamp(index=True)


# --- KPIs ------------------------------------------------------------------------------------

KPI_NAME_MAX_CHARS = 80


class Kpi(SQLModel, table=True):
    """An ongoing metric with a target and thresholds, logged by hand or synced from a source."""

    __table_args__ = (sa.UniqueConstraint("team_id", "number", name="uq_kpi_number"),)

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
    created_at: datetime = _timestamp()


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
    created_at: datetime = _timestamp()


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
    created_at: datetime = _timestamp()


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
    state: str = Field(default="pending", max_length=16)
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
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()


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


# --- pulse surveys and feedback --------------------------------------------------------------
#
# Anonymity is decided by what these tables can hold, so it can be checked by reading them.
# Nothing here records who said what: ``survey_answer`` has no user id, no Slack message, no
# date and no team, and ``survey_invite`` (who was invited and whether they answered) shares no
# key, order or time with it. Comments are kept apart from the rest of an answer, and teams
# only as counts that no answer row points to. Every answer rewrites its survey's answer,
# comment and count rows in a random order (``storage.repositories.survey_rows``), so neither
# their keys nor, on PostgreSQL, their place on disk (``ctid``) or transaction (``xmin``) say
# which came last. The author of anonymous feedback, or of a survey comment opened to
# replies, is stored only as a Fernet token sealed with ``NORTHSTAR_SECRET_KEY``.

SURVEY_TITLE_MAX_CHARS = 150
SURVEY_MIN_RESPONSES_FLOOR = 3
SURVEY_TEXT_ANSWER_MAX_CHARS = 3000
FEEDBACK_TEXT_MAX_CHARS = 3000
SEALED_ID_MAX_CHARS = 512
RANDOM_ID_CHARS = 32
THREAD_CODE_CHARS = 4
TALLY_VALUE_MAX_CHARS = 80  # a choice option (75) or a number


def answer_key() -> str:
    """A survey answer's key: a uuid4 in hex, random, so keys say nothing about order."""
    return uuid.uuid4().hex


def random_key() -> str:
    """The key of a reply token, feedback thread or message: 128 random bits in hex."""
    return secrets.token_hex(16)


class Survey(SQLModel, table=True):
    """A pulse survey (``P-4``). Its own times are those an admin chose, not anyone's answer.

    A repeating survey is a series of rows: each round is its own survey with its own number,
    and ``series_number`` is the number of the series' first round (the first round's own).
    ``team_refs`` is the audience: empty means everyone in the workspace.
    """

    __table_args__ = (sa.UniqueConstraint("team_id", "number", name="uq_survey_number"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    number: int
    title: str = Field(max_length=SURVEY_TITLE_MAX_CHARS)
    questions: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    team_refs: list[int] = Field(default_factory=list, sa_type=sa.JSON)
    min_responses: int = 5
    opens_at: datetime = Field(sa_type=UTCDateTime)
    closes_at: datetime = Field(sa_type=UTCDateTime)
    repeat: str = Field(default="none", max_length=16)
    series_number: int
    state: str = Field(default="scheduled", max_length=16)
    created_by: str = Field(max_length=32)
    created_at: datetime = _timestamp()


class SurveyInvite(SQLModel, table=True):
    """Who was invited to a survey, where their invitation stands, and whether they answered.

    The key is (survey, person): there is no row id whose order could follow answers, and no
    time of answering. ``claimed_at`` exists only while a process is sending the invitation
    (the exactly-once claim) and is cleared when the sending finishes, so no time stays here.
    ``reminded`` is cleared when the survey closes: with ``answered`` it would say who answered
    only after the reminder.
    """

    __tablename__ = "survey_invite"
    __table_args__ = (sa.Index("ix_survey_invite_person", "team_id", "user_id"),)

    survey_id: int = Field(foreign_key="survey.id", primary_key=True, ondelete="CASCADE")
    user_id: str = Field(primary_key=True, max_length=32)
    team_id: str = Field(foreign_key="workspace.team_id", max_length=32)
    state: str = Field(default="pending", max_length=16)
    answered: bool = False
    reminded: bool = False  # the one reminder went out; cleared when the survey closes
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SurveyAnswer(SQLModel, table=True):
    """One person's answers to a survey's scale, eNPS and choice questions, and nothing else.

    No user, no date, no team: the key is a random uuid4 hex string, drawn afresh each time
    the survey's rows are rewritten. The person's comments are not here (``survey_comment``,
    ``reply_token``), so a comment cannot be joined to the scores given with it.
    """

    __tablename__ = "survey_answer"
    __table_args__ = {"sqlite_with_rowid": False}

    id: str = Field(default_factory=answer_key, primary_key=True, max_length=RANDOM_ID_CHARS)
    survey_id: int = Field(foreign_key="survey.id", index=True, ondelete="CASCADE")
    team_id: str = Field(foreign_key="workspace.team_id", max_length=32)
    answers: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)


class SurveyComment(SQLModel, table=True):
    """One free-text answer whose author did not ask for replies, on its own."""

    __tablename__ = "survey_comment"
    __table_args__ = {"sqlite_with_rowid": False}

    id: str = Field(default_factory=answer_key, primary_key=True, max_length=RANDOM_ID_CHARS)
    survey_id: int = Field(foreign_key="survey.id", index=True, ondelete="CASCADE")
    team_id: str = Field(foreign_key="workspace.team_id", max_length=32)
    question_key: str = Field(max_length=32)
    text: str = Field(max_length=SURVEY_TEXT_ANSWER_MAX_CHARS)


class SurveyTeamGroup(SQLModel, table=True):
    """How many answers came from people in exactly these teams (``team_refs``), for the
    breakdown rule. A count, not an answer: no answer row points here. Once the survey closes
    only the teams that may be shown are kept, and every group left reaches the threshold."""

    __tablename__ = "survey_team_group"
    __table_args__ = {"sqlite_with_rowid": False}

    id: str = Field(default_factory=answer_key, primary_key=True, max_length=RANDOM_ID_CHARS)
    survey_id: int = Field(foreign_key="survey.id", index=True, ondelete="CASCADE")
    team_id: str = Field(foreign_key="workspace.team_id", max_length=32)
    team_refs: list[int] = Field(default_factory=list, sa_type=sa.JSON)
    responses: int = 0


class SurveyTeamTally(SQLModel, table=True):
    """How many of one team's answers to one question gave ``value`` (``""`` counts written
    comments, never their text). Once the survey closes only teams that may be shown keep
    their tallies."""

    __tablename__ = "survey_team_tally"
    __table_args__ = {"sqlite_with_rowid": False}

    id: str = Field(default_factory=answer_key, primary_key=True, max_length=RANDOM_ID_CHARS)
    survey_id: int = Field(foreign_key="survey.id", index=True, ondelete="CASCADE")
    team_id: str = Field(foreign_key="workspace.team_id", max_length=32)
    team_ref: int = Field(foreign_key="team.id", ondelete="CASCADE")
    question_key: str = Field(max_length=32)
    value: str = Field(max_length=TALLY_VALUE_MAX_CHARS)
    count: int = 0


class ReplyToken(SQLModel, table=True):
    """A survey comment whose author ticked "let leaders reply to me anonymously".

    The comment itself is here (question and text), and only here: no answer row refers to
    it, so even with the key that opens ``sealed_author`` (a Fernet token of the author's user
    id, opened in memory to relay a reply) nothing of the author's other answers is found.
    """

    __tablename__ = "reply_token"
    __table_args__ = {"sqlite_with_rowid": False}

    id: str = Field(default_factory=random_key, primary_key=True, max_length=RANDOM_ID_CHARS)
    survey_id: int = Field(foreign_key="survey.id", index=True, ondelete="CASCADE")
    team_id: str = Field(foreign_key="workspace.team_id", max_length=32)
    question_key: str = Field(max_length=32)
    text: str = Field(max_length=SURVEY_TEXT_ANSWER_MAX_CHARS)
    sealed_author: str = Field(max_length=SEALED_ID_MAX_CHARS)


class FeedbackThread(SQLModel, table=True):
    """An anonymous conversation between one author and the admins or one team's lead.

    People see it as ``Anonymous #7F3A`` (``code``, random, unique per workspace). The author
    is ``sealed_author`` until they choose to reveal themselves (``revealed_user_id``). A thread
    that began as a reply to a survey comment points at that comment's ``reply_token_id``.
    ``recipient_ids`` are the leaders it was written to, fixed when it was created (every
    admin then, or the team's lead then): a later lead or admin never reads it, and those it
    was written to keep it. An admin who writes to the admins is among them, like the others.
    """

    __tablename__ = "feedback_thread"
    __table_args__ = (
        sa.UniqueConstraint("team_id", "code", name="uq_feedback_thread_code"),
        {"sqlite_with_rowid": False},
    )

    id: str = Field(default_factory=random_key, primary_key=True, max_length=RANDOM_ID_CHARS)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    code: str = Field(max_length=THREAD_CODE_CHARS)
    recipient_kind: str = Field(max_length=16)  # admins | team
    team_ref: int | None = Field(default=None, foreign_key="team.id", ondelete="SET NULL")
    # out of repr: a logged thread must not list people (an admin author is among them)
    recipient_ids: list[str] = Field(default_factory=list, sa_type=sa.JSON, repr=False)
    reply_token_id: str | None = Field(
        default=None,
        foreign_key="reply_token.id",
        unique=True,
        ondelete="SET NULL",
        max_length=RANDOM_ID_CHARS,
    )
    sealed_author: str = Field(max_length=SEALED_ID_MAX_CHARS)
    revealed_user_id: str | None = Field(default=None, max_length=32)
    state: str = Field(default="open", max_length=16)
    message_count: int = 0
    created_on: date


class FeedbackMessage(SQLModel, table=True):
    """One message of a feedback thread, in ``position`` order; it has no time.

    ``sender_user_id`` is set only for leaders' replies (leaders are not anonymous); the
    author's messages have none.
    """

    __tablename__ = "feedback_message"
    __table_args__ = (
        sa.UniqueConstraint("thread_id", "position", name="uq_feedback_message_position"),
        {"sqlite_with_rowid": False},
    )

    id: str = Field(default_factory=random_key, primary_key=True, max_length=RANDOM_ID_CHARS)
    thread_id: str = Field(
        foreign_key="feedback_thread.id", ondelete="CASCADE", max_length=RANDOM_ID_CHARS
    )
    team_id: str = Field(foreign_key="workspace.team_id", max_length=32)
    position: int
    direction: str = Field(max_length=16)  # to_leaders | to_author
    sender_user_id: str | None = Field(default=None, max_length=32)
    text: str = Field(max_length=FEEDBACK_TEXT_MAX_CHARS)


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
    posted_at: datetime = _timestamp()


class AlignmentSnapshot(SQLModel, table=True):
    """The alignment score a week's digest showed, so the next week can show the change."""

    __tablename__ = "alignment_snapshot"

    team_id: str = Field(foreign_key="workspace.team_id", primary_key=True, max_length=32)
    week: str = Field(primary_key=True, max_length=10)
    scope: str = Field(primary_key=True, max_length=24)
    score: int | None = None
    parts: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    created_at: datetime = _timestamp()
