"""The one welcome DM of each person: claimed by inserting its row before the DM goes out."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, delete, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Welcome
from storage.upsert import insert_ignoring_conflict

SENDING = "sending"
SENT = "sent"
FAILED = "failed"


async def claim_welcome(
    *, session: AsyncSession, team_id: str, user_id: str, reason: str, now: datetime
) -> bool:
    """Insert the person's welcome row; False when it exists (welcomed, or being welcomed)."""
    values = {
        "team_id": team_id,
        "user_id": user_id,
        "reason": reason,
        "state": SENDING,
        "created_at": now,
    }
    return await insert_ignoring_conflict(session, Welcome, values, ["team_id", "user_id"])


async def get_welcome(*, session: AsyncSession, team_id: str, user_id: str) -> Welcome | None:
    return await session.get(Welcome, (team_id, user_id))


async def record_welcome(
    *,
    session: AsyncSession,
    team_id: str,
    user_id: str,
    state: str,
    channel_id: str = "",
    message_ts: str = "",
    error: str = "",
) -> None:
    """Write how the claimed welcome ended: ``sent`` or ``failed`` (refused for good)."""
    welcome = await get_welcome(session=session, team_id=team_id, user_id=user_id)
    if welcome is None:
        return
    welcome.state = state
    welcome.channel_id = channel_id or None
    welcome.message_ts = message_ts or None
    welcome.error = error[:200]
    session.add(welcome)


async def release_welcome(*, session: AsyncSession, team_id: str, user_id: str) -> None:
    """Free a claimed welcome that was not sent (a retryable failure): a later join of a team
    may welcome the person again."""
    statement = delete(Welcome).where(
        col(Welcome.team_id) == team_id,
        col(Welcome.user_id) == user_id,
        col(Welcome.state) == SENDING,
    )
    await session.exec(statement)


async def count_welcomes(*, session: AsyncSession, team_id: str, state: str = SENT) -> int:
    statement = select(func.count()).where(Welcome.team_id == team_id, Welcome.state == state)
    return int((await session.exec(statement)).one())
