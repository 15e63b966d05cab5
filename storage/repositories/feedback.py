"""Anonymous feedback threads and their messages.

A thread knows its author only as a sealed token (see ``bot.core.anonymity``); messages carry no
time, only their position in the thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import FeedbackMessage, FeedbackThread, random_key
from storage.states import ThreadState
from storage.upsert import insert_ignoring_conflict

RECIPIENT_ADMINS, RECIPIENT_TEAM = "admins", "team"
THREAD_OPEN, THREAD_CLOSED = ThreadState.OPEN, ThreadState.CLOSED
TO_LEADERS, TO_AUTHOR = "to_leaders", "to_author"


async def create_thread(
    *,
    session: AsyncSession,
    team_id: str,
    code: str,
    recipient_kind: str,
    team_ref: int | None,
    sealed_author: str,
    created_on: date,
    recipient_ids: Sequence[str],
    reply_token_id: str | None = None,
) -> FeedbackThread | None:
    """A new open thread to ``recipient_ids`` for good, or None when ``code`` is already taken
    in the workspace."""
    values = {
        "id": random_key(),
        "team_id": team_id,
        "code": code,
        "recipient_kind": recipient_kind,
        "team_ref": team_ref,
        "recipient_ids": list(recipient_ids),
        "reply_token_id": reply_token_id,
        "sealed_author": sealed_author,
        "revealed_user_id": None,
        "state": THREAD_OPEN,
        "message_count": 0,
        "created_on": created_on,
    }
    if not await insert_ignoring_conflict(session, FeedbackThread, values, ["team_id", "code"]):
        return None
    return await get_thread(session=session, team_id=team_id, thread_id=str(values["id"]))


async def get_thread(
    *, session: AsyncSession, team_id: str, thread_id: str
) -> FeedbackThread | None:
    statement = (
        select(FeedbackThread)
        .where(FeedbackThread.id == thread_id, FeedbackThread.team_id == team_id)
        .execution_options(populate_existing=True)
    )
    return (await session.exec(statement)).first()


async def get_thread_by_code(
    *, session: AsyncSession, team_id: str, code: str
) -> FeedbackThread | None:
    statement = select(FeedbackThread).where(
        FeedbackThread.team_id == team_id, FeedbackThread.code == code.upper()
    )
    return (await session.exec(statement)).first()


async def get_thread_of_reply_token(
    *, session: AsyncSession, team_id: str, reply_token_id: str
) -> FeedbackThread | None:
    statement = select(FeedbackThread).where(
        FeedbackThread.team_id == team_id, FeedbackThread.reply_token_id == reply_token_id
    )
    return (await session.exec(statement)).first()


async def list_threads(
    *,
    session: AsyncSession,
    team_id: str,
    recipient_kind: str,
    team_ref: int | None = None,
    states: tuple[str, ...] = (THREAD_OPEN,),
) -> list[FeedbackThread]:
    """Threads addressed to the admins, or to one team's lead, by code."""
    statement = select(FeedbackThread).where(
        FeedbackThread.team_id == team_id,
        FeedbackThread.recipient_kind == recipient_kind,
        col(FeedbackThread.state).in_(states),
    )
    if team_ref is not None:
        statement = statement.where(FeedbackThread.team_ref == team_ref)
    return list((await session.exec(statement.order_by(col(FeedbackThread.code)))).all())


async def add_message(
    *,
    session: AsyncSession,
    team_id: str,
    thread_id: str,
    direction: str,
    text: str,
    sender_user_id: str | None = None,
) -> FeedbackMessage | None:
    """Append a message to an open thread; None when the thread is closed or unknown.

    The thread's message count goes up by one UPDATE … RETURNING that also checks the thread
    is open, so concurrent messages get distinct positions and a closed thread takes none.
    """
    counted = await session.exec(
        update(FeedbackThread)
        .where(
            col(FeedbackThread.id) == thread_id,
            col(FeedbackThread.team_id) == team_id,
            col(FeedbackThread.state) == THREAD_OPEN,
        )
        .values(message_count=col(FeedbackThread.message_count) + 1)
        .returning(col(FeedbackThread.message_count))
    )
    position = counted.scalar_one_or_none()
    if position is None:
        return None
    message = FeedbackMessage(
        thread_id=thread_id,
        team_id=team_id,
        position=int(position),
        direction=direction,
        sender_user_id=sender_user_id,
        text=text,
    )
    session.add(message)
    await session.flush()
    return message


async def thread_messages(
    *, session: AsyncSession, team_id: str, thread_id: str
) -> list[FeedbackMessage]:
    statement = (
        select(FeedbackMessage)
        .where(FeedbackMessage.team_id == team_id, FeedbackMessage.thread_id == thread_id)
        .order_by(col(FeedbackMessage.position))
    )
    return list((await session.exec(statement)).all())


async def reveal_author(
    *, session: AsyncSession, team_id: str, thread_id: str, user_id: str
) -> bool:
    """Store the author's id in clear, at their own request; True if this call did it."""
    statement = (
        update(FeedbackThread)
        .where(
            col(FeedbackThread.id) == thread_id,
            col(FeedbackThread.team_id) == team_id,
            col(FeedbackThread.state) == THREAD_OPEN,
            col(FeedbackThread.revealed_user_id).is_(None),
        )
        .values(revealed_user_id=user_id)
    )
    result = await session.exec(statement)
    return int(getattr(result, "rowcount", 0) or 0) == 1


async def close_thread(*, session: AsyncSession, team_id: str, thread_id: str) -> bool:
    """Close an open thread; True if this call closed it."""
    statement = (
        update(FeedbackThread)
        .where(
            col(FeedbackThread.id) == thread_id,
            col(FeedbackThread.team_id) == team_id,
            col(FeedbackThread.state) == THREAD_OPEN,
        )
        .values(state=THREAD_CLOSED)
    )
    result = await session.exec(statement)
    return int(getattr(result, "rowcount", 0) or 0) == 1
