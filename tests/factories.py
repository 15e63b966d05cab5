"""Test data helpers: read rows back, and make members without going through Slack."""

from __future__ import annotations

from bot.core.runtime import Runtime
from storage.db import transaction
from storage.models import Member, Workspace
from storage.repositories.members import MemberProfile, get_member, upsert_members
from storage.repositories.workspaces import ensure_workspace, get_workspace
from tests.slack_requests import TEAM_ID


async def workspace_row(runtime: Runtime, team_id: str = TEAM_ID) -> Workspace | None:
    async with runtime.sessions() as session:
        return await get_workspace(session=session, team_id=team_id)


async def member_row(runtime: Runtime, user_id: str, team_id: str = TEAM_ID) -> Member | None:
    async with runtime.sessions() as session:
        return await get_member(session=session, team_id=team_id, user_id=user_id)


async def add_members(runtime: Runtime, *profiles: MemberProfile, team_id: str = TEAM_ID) -> None:
    async with transaction(runtime.sessions) as session:
        await ensure_workspace(session=session, team_id=team_id)
        await upsert_members(session=session, team_id=team_id, profiles=list(profiles))
