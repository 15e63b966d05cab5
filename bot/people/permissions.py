"""Who may change what: admins everywhere, team leads in their team, owners their own."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.people.admins import is_admin
from storage.models import Team


async def can_manage_team(
    *, session: AsyncSession, team_id: str, user_id: str, team: Team | None
) -> bool:
    """Admins manage every team; a lead manages their own."""
    if team is not None and team.lead_user_id == user_id:
        return True
    return await is_admin(session=session, team_id=team_id, user_id=user_id)


async def can_change_owned(
    *,
    session: AsyncSession,
    team_id: str,
    user_id: str,
    owner_id: str,
    team: Team | None,
) -> bool:
    """A goal or KPI may be changed by its owner, the lead of its team, and admins."""
    if user_id == owner_id:
        return True
    return await can_manage_team(session=session, team_id=team_id, user_id=user_id, team=team)
