"""Slack event ids already processed, to give redelivered events no second effect."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, delete
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ProcessedEvent, utc_now
from storage.upsert import insert_ignoring_conflict


async def record_event(*, session: AsyncSession, team_id: str, event_id: str) -> bool:
    """True the first time ``event_id`` is seen; False for a redelivery."""
    values = {"event_id": event_id, "team_id": team_id, "received_at": utc_now()}
    return await insert_ignoring_conflict(
        session,
        ProcessedEvent,
        values,
        ["event_id"],
    )


async def forget_events_before(*, session: AsyncSession, team_id: str, cutoff: datetime) -> int:
    """Drop a workspace's ids older than ``cutoff`` (Slack stops retrying after minutes)."""
    result = await session.exec(
        delete(ProcessedEvent).where(
            col(ProcessedEvent.team_id) == team_id, col(ProcessedEvent.received_at) < cutoff
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
