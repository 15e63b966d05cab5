"""``/align delete-workspace-data``: remove every row Northstar holds for a workspace.

It cannot be undone, so only owners of the Slack workspace may do it, and only by typing the
workspace's id (or its name) after the command; without it they see what would be deleted and
the exact command. All of it goes in one transaction: a failure deletes nothing.
"""

from __future__ import annotations

import html

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.errors import PermissionDenied, UserInputError
from bot.core.runtime import Runtime
from bot.slack.messages import Reply, build_notice
from bot.workspace_data import texts
from storage.db import transaction
from storage.repositories.members import get_member
from storage.repositories.workspace_data import count_workspace_rows, delete_workspace_rows
from storage.repositories.workspaces import get_workspace


async def require_owner(*, session: AsyncSession, team_id: str, user_id: str) -> None:
    member = await get_member(session=session, team_id=team_id, user_id=user_id)
    if member is None or member.deleted or not member.is_owner:
        raise PermissionDenied(texts.ONLY_OWNERS)


async def delete_workspace_data(
    *, runtime: Runtime, team_id: str, user_id: str, confirmation: str
) -> Reply:
    """Without ``confirmation``: what would be deleted and how to confirm. With the workspace's
    id or name: delete it all. Anything else: nothing happens, and the reply says why."""
    async with transaction(runtime.sessions) as session:
        await require_owner(session=session, team_id=team_id, user_id=user_id)
        if not confirmation:
            counts = await count_workspace_rows(session=session, team_id=team_id)
            return build_notice(texts.delete_preview(team_id, counts))
        if not await _names_this_workspace(session, team_id, confirmation):
            raise UserInputError(texts.delete_mismatch(team_id))
        deleted = await delete_workspace_rows(session=session, team_id=team_id)
    # The next request from this workspace must create its row again (see handlers/middleware).
    runtime.forget_workspace(team_id)
    return build_notice(texts.deleted(deleted))


async def _names_this_workspace(session: AsyncSession, team_id: str, typed: str) -> bool:
    if typed.upper() == team_id.upper():
        return True
    workspace = await get_workspace(session=session, team_id=team_id)
    name = _comparable(workspace.name) if workspace else ""
    # Slack sends "&", "<" and ">" in command text as entities.
    return bool(name) and _comparable(html.unescape(typed)) == name


def _comparable(name: str) -> str:
    return " ".join(name.split()).casefold()
