"""Signed requests already let in, so a replayed signature is refused on every replica."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, delete
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import SeenRequest
from storage.upsert import insert_ignoring_conflict


async def record_request(
    *, session: AsyncSession, team_id: str, signature_hash: str, expires_at: datetime
) -> bool:
    """True the first time ``signature_hash`` is seen; False for a replay (insert first: of
    two replicas that get the same request at once, exactly one inserts)."""
    values = {"signature_hash": signature_hash, "team_id": team_id, "expires_at": expires_at}
    return await insert_ignoring_conflict(session, SeenRequest, values, ["signature_hash"])


async def forget_requests_expired_by(*, session: AsyncSession, team_id: str, now: datetime) -> int:
    """Drop a workspace's rows whose signatures Slack's time window already refuses."""
    result = await session.exec(
        delete(SeenRequest).where(
            col(SeenRequest.team_id) == team_id, col(SeenRequest.expires_at) < now
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
