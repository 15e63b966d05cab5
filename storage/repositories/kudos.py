"""Kudos given in a workspace: saved first, then where they were posted is recorded."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Kudos


async def add_kudos(*, session: AsyncSession, kudos: Kudos) -> Kudos:
    session.add(kudos)
    await session.flush()
    return kudos


async def record_kudos_post(
    *, session: AsyncSession, team_id: str, kudos_id: int, channel_id: str, message_ts: str
) -> None:
    """Remember the channel message that shows the kudos (``chat.postMessage``'s answer)."""
    kudos = await session.get(Kudos, kudos_id)
    if kudos is None or kudos.team_id != team_id:
        return
    kudos.channel_id = channel_id
    kudos.message_ts = message_ts
    session.add(kudos)


async def recent_kudos(
    *, session: AsyncSession, team_id: str, since: datetime | None = None, limit: int = 50
) -> list[Kudos]:
    """The workspace's latest kudos, newest first; with ``since``, only those given from then."""
    statement = select(Kudos).where(Kudos.team_id == team_id)
    if since is not None:
        statement = statement.where(col(Kudos.created_at) >= since)
    statement = statement.order_by(col(Kudos.created_at).desc(), col(Kudos.id).desc()).limit(limit)
    return list((await session.exec(statement)).all())
