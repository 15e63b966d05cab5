"""People's own time zones: Slack's zone of the person, else the workspace's, else UTC."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.runtime import Runtime
from storage.repositories.members import zone_names


def zone(name: str | None, fallback: str | None = None) -> ZoneInfo:
    for candidate in (name, fallback, "UTC"):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


async def person_zone(*, session: AsyncSession, team_id: str, user_id: str) -> ZoneInfo:
    person, workspace = await zone_names(session=session, team_id=team_id, user_id=user_id)
    return zone(person, workspace)


async def local_today(*, runtime: Runtime, team_id: str, user_id: str) -> date:
    """Today where the person is: due dates and "today" in their eyes, not UTC's."""
    async with runtime.sessions() as session:
        tz = await person_zone(session=session, team_id=team_id, user_id=user_id)
    return runtime.clock().astimezone(tz).date()
