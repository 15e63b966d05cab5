"""A workspace's data as a whole: read it out for an export, thin its free text, delete it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Sequence
from datetime import UTC, date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel, col, delete, func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    DOOR_TABLES,
    CheckinAnswer,
    FeedbackMessage,
    FeedbackThread,
    GoalUpdate,
    Kudos,
    ReplyToken,
    Survey,
    SurveyComment,
    Workspace,
)
from storage.repositories.feedback import THREAD_CLOSED, THREAD_OPEN
from storage.repositories.workspace_export_queries import export_statement

EXPORT_BATCH_ROWS = 500

# --- export ----------------------------------------------------------------------------------


async def stream_export(
    *, session: AsyncSession, team_id: str, name: str, batch_rows: int = EXPORT_BATCH_ROWS
) -> AsyncIterator[Sequence[sa.Row[Any]]]:
    """The rows of one exported data set, ``batch_rows`` at a time (a server-side cursor on
    PostgreSQL), so a big workspace is never held in memory at once."""
    statement = export_statement(name, team_id).execution_options(yield_per=batch_rows)
    result = await session.stream(statement)
    async for batch in result.partitions():
        yield batch


async def workspace_surveys(*, session: AsyncSession, team_id: str) -> list[Survey]:
    statement = select(Survey).where(Survey.team_id == team_id).order_by(col(Survey.number))
    return list((await session.exec(statement)).all())


# --- retention: free text older than a cutoff ------------------------------------------------


async def set_workspace_setting(
    *, session: AsyncSession, team_id: str, key: str, value: Any, now: datetime
) -> Any:
    """Set ``settings[key]`` (``None`` removes it) under a row lock; returns the old value."""
    workspace = await session.get(Workspace, team_id, with_for_update=True)
    if workspace is None:
        raise LookupError(f"workspace {team_id} does not exist")
    before = workspace.settings.get(key)
    settings = {name: item for name, item in workspace.settings.items() if name != key}
    if value is not None:
        settings[key] = value
    # A new dict, assigned: SQLAlchemy does not see changes made inside a JSON value.
    workspace.settings = settings
    workspace.updated_at = now
    session.add(workspace)
    await session.flush()
    return before


def _changed(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


async def blank_checkin_answers(*, session: AsyncSession, team_id: str, before: datetime) -> int:
    """Empty the answers of check-ins last written before ``before``; the rows (who answered,
    mood, lateness) stay so participation is still counted."""
    statement = (
        update(CheckinAnswer)
        .where(
            col(CheckinAnswer.team_id) == team_id,
            col(CheckinAnswer.updated_at) < before,
            sa.cast(col(CheckinAnswer.answers), sa.Text) != "{}",
        )
        .values(answers={})
    )
    return _changed(await session.exec(statement))


async def blank_goal_update_notes(*, session: AsyncSession, team_id: str, before: datetime) -> int:
    statement = (
        update(GoalUpdate)
        .where(
            col(GoalUpdate.team_id) == team_id,
            col(GoalUpdate.created_at) < before,
            col(GoalUpdate.note) != "",
        )
        .values(note="")
    )
    return _changed(await session.exec(statement))


async def blank_kudos_texts(*, session: AsyncSession, team_id: str, before: datetime) -> int:
    """Empty what kudos given before ``before`` said; who thanked whom, and for which goal,
    stays for the counts."""
    statement = (
        update(Kudos)
        .where(col(Kudos.team_id) == team_id, col(Kudos.created_at) < before, col(Kudos.text) != "")
        .values(text="")
    )
    return _changed(await session.exec(statement))


async def surveys_answered_before(
    *, session: AsyncSession, team_id: str, before: date
) -> list[Survey]:
    """Surveys that closed before ``before`` (so every answer to them was given before it)
    and still keep comments. Answers carry no date of their own: the survey's is used."""
    cutoff = datetime.combine(before, time(), tzinfo=UTC)
    with_comments = sa.union(
        select(SurveyComment.survey_id).where(SurveyComment.team_id == team_id),
        select(ReplyToken.survey_id).where(ReplyToken.team_id == team_id),
    )
    statement = (
        select(Survey)
        .where(
            Survey.team_id == team_id,
            col(Survey.closes_at) < cutoff,
            col(Survey.id).in_(with_comments),
        )
        .order_by(col(Survey.number))
    )
    return list((await session.exec(statement)).all())


async def remove_survey_comments(
    *, session: AsyncSession, team_id: str, survey_id: int, keys: Collection[str]
) -> int:
    """Delete the survey's comments to the questions ``keys`` (the free-text ones), reply
    tokens included; other answers stay as they are. Returns how many were removed."""
    plain = await session.exec(
        delete(SurveyComment).where(
            col(SurveyComment.team_id) == team_id,
            col(SurveyComment.survey_id) == survey_id,
            col(SurveyComment.question_key).in_(list(keys)),
        )
    )
    return _changed(plain) + await _forget_reply_tokens(session, team_id, survey_id, keys)


async def _forget_reply_tokens(
    session: AsyncSession, team_id: str, survey_id: int, keys: Collection[str]
) -> int:
    of_survey = (
        col(ReplyToken.team_id) == team_id,
        col(ReplyToken.survey_id) == survey_id,
        col(ReplyToken.question_key).in_(list(keys)),
    )
    await session.exec(
        update(FeedbackThread)
        .where(
            col(FeedbackThread.team_id) == team_id,
            col(FeedbackThread.reply_token_id).in_(select(ReplyToken.id).where(*of_survey)),
        )
        .values(reply_token_id=None)
    )
    return _changed(await session.exec(delete(ReplyToken).where(*of_survey)))


async def clear_feedback_threads(
    *, session: AsyncSession, team_id: str, before: date
) -> tuple[int, int]:
    """Delete the messages of feedback threads started before ``before`` and close those
    threads (messages carry no date of their own). Returns (messages deleted, threads closed)."""
    old_threads = select(FeedbackThread.id).where(
        FeedbackThread.team_id == team_id, col(FeedbackThread.created_on) < before
    )
    deleted = await session.exec(
        delete(FeedbackMessage).where(
            col(FeedbackMessage.team_id) == team_id, col(FeedbackMessage.thread_id).in_(old_threads)
        )
    )
    closed = await session.exec(
        update(FeedbackThread)
        .where(
            col(FeedbackThread.team_id) == team_id,
            col(FeedbackThread.created_on) < before,
            col(FeedbackThread.state) == THREAD_OPEN,
        )
        .values(state=THREAD_CLOSED)
    )
    return _changed(deleted), _changed(closed)


# --- deletion --------------------------------------------------------------------------------


def workspace_tables() -> list[sa.Table]:
    """Every table, children before parents, so deleting in this order breaks no foreign key.

    Raises ``LookupError`` for a table without ``team_id``: its rows could not be told apart
    by workspace, so nothing is deleted until someone decides what deleting means for it.
    The request door's tables (``DOOR_TABLES``) are left out: their rows expire by themselves.
    """
    tables = [t for t in reversed(SQLModel.metadata.sorted_tables) if t.name not in DOOR_TABLES]
    unscoped = [table.name for table in tables if "team_id" not in table.c]
    if unscoped:
        raise LookupError(f"tables without team_id: {', '.join(unscoped)}")
    return tables


async def count_workspace_rows(*, session: AsyncSession, team_id: str) -> dict[str, int]:
    """How many rows each table holds for the workspace (tables with none are left out)."""
    counts: dict[str, int] = {}
    for table in workspace_tables():
        statement = select(func.count()).select_from(table).where(table.c.team_id == team_id)
        found = int((await session.exec(statement)).one())
        if found:
            counts[table.name] = found
    return counts


async def delete_workspace_rows(*, session: AsyncSession, team_id: str) -> dict[str, int]:
    """Delete every row of the workspace from every table, in the caller's transaction.

    Returns the rows deleted per table (tables with none are left out).
    """
    deleted: dict[str, int] = {}
    for table in workspace_tables():
        result = await session.exec(sa.delete(table).where(table.c.team_id == team_id))
        if _changed(result):
            deleted[table.name] = _changed(result)
    return deleted
