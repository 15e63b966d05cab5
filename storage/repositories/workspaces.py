"""Workspace rows: created on first contact, holding vision, mission and settings."""

from __future__ import annotations

from typing import Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Workspace, utc_now
from storage.upsert import insert_ignoring_conflict

StatementField = Literal["vision", "mission"]


async def ensure_workspace(*, session: AsyncSession, team_id: str, name: str = "") -> bool:
    """Create the workspace row if it does not exist yet; True when it was created now."""
    now = utc_now()
    values = {
        "team_id": team_id,
        "name": name,
        "vision": "",
        "mission": "",
        "timezone": "UTC",
        "settings": {},
        "created_at": now,
        "updated_at": now,
    }
    return await insert_ignoring_conflict(session, Workspace, values, ["team_id"])


async def get_workspace(*, session: AsyncSession, team_id: str) -> Workspace | None:
    return await session.get(Workspace, team_id)


async def set_statement(
    *, session: AsyncSession, team_id: str, field: StatementField, text: str
) -> Workspace:
    """Set the vision or the mission of a workspace (which must exist)."""
    workspace = await session.get(Workspace, team_id, with_for_update=True)
    if workspace is None:
        raise LookupError(f"workspace {team_id} does not exist")
    setattr(workspace, field, text)
    workspace.updated_at = utc_now()
    session.add(workspace)
    await session.flush()
    return workspace
