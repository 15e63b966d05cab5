"""Who administers Northstar in a workspace: Slack admins and owners, plus granted people."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.errors import PermissionDenied, UserInputError
from bot.core.texts import not_admin
from bot.people import texts
from storage.models import ROLE_ADMIN, ROLE_MEMBER, Member
from storage.repositories.members import get_member, list_admins, set_role


def member_is_admin(member: Member | None) -> bool:
    if member is None or member.deleted:
        return False
    return member.is_admin or member.is_owner or member.role == ROLE_ADMIN


async def is_admin(*, session: AsyncSession, team_id: str, user_id: str) -> bool:
    return member_is_admin(await get_member(session=session, team_id=team_id, user_id=user_id))


async def require_admin(*, session: AsyncSession, team_id: str, user_id: str, action: str) -> None:
    if not await is_admin(session=session, team_id=team_id, user_id=user_id):
        raise PermissionDenied(not_admin(action))


async def grant_admin(*, session: AsyncSession, team_id: str, actor_id: str, user_id: str) -> str:
    """Make ``user_id`` a Northstar admin; returns the sentence to show ``actor_id``."""
    await require_admin(session=session, team_id=team_id, user_id=actor_id, action="add admins")
    member = await _known_member(session=session, team_id=team_id, user_id=user_id)
    if member_is_admin(member):
        return texts.admin_already(user_id)
    await set_role(session=session, team_id=team_id, user_id=user_id, role=ROLE_ADMIN)
    return texts.admin_added(user_id)


async def revoke_admin(*, session: AsyncSession, team_id: str, actor_id: str, user_id: str) -> str:
    """Take Northstar admin away from ``user_id``; Slack admins and owners keep it."""
    await require_admin(session=session, team_id=team_id, user_id=actor_id, action="remove admins")
    member = await _known_member(session=session, team_id=team_id, user_id=user_id)
    if member.is_admin or member.is_owner:
        return texts.admin_is_slack_admin(user_id)
    if member.role != ROLE_ADMIN:
        return texts.admin_was_not(user_id)
    await set_role(session=session, team_id=team_id, user_id=user_id, role=ROLE_MEMBER)
    return texts.admin_removed(user_id)


async def list_admin_ids(*, session: AsyncSession, team_id: str) -> list[str]:
    return [member.user_id for member in await list_admins(session=session, team_id=team_id)]


async def _known_member(*, session: AsyncSession, team_id: str, user_id: str) -> Member:
    member = await get_member(session=session, team_id=team_id, user_id=user_id)
    if member is None or member.deleted or member.is_bot:
        raise UserInputError(
            f"<@{user_id}> is not a current member of this workspace that Northstar knows. "
            "Mention a person with `@` and try again."
        )
    return member
