"""Pulse surveys and anonymous feedback: what these tables can hold is the anonymity model."""

from __future__ import annotations

import secrets
import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.models.base import UTCDateTime, timestamp_field
from storage.states import DeliveryState, SurveyState, ThreadState

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
    state: str = Field(default=SurveyState.SCHEDULED, max_length=16)
    created_by: str = Field(max_length=32)
    created_at: datetime = timestamp_field()


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
    state: str = Field(default=DeliveryState.PENDING, max_length=16)
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
    state: str = Field(default=ThreadState.OPEN, max_length=16)
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
