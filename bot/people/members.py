"""Keep the member table in step with Slack: full sync from ``users.list``, single updates."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from storage.db import SessionFactory, transaction
from storage.repositories.members import (
    MemberProfile,
    get_member,
    mark_deleted,
    upsert_members,
)
from storage.repositories.workspaces import ensure_workspace

logger = logging.getLogger(__name__)

SLACKBOT_ID = "USLACKBOT"
USERS_LIST_PAGE_SIZE = 200


@dataclass(frozen=True)
class SyncReport:
    pages: int
    active: int
    deleted: int
    skipped_bots: int
    skipped_foreign: int = 0


def is_bot_user(user: Mapping[str, Any]) -> bool:
    return bool(user.get("is_bot")) or user.get("id") == SLACKBOT_ID


def belongs_to_workspace(user: Mapping[str, Any], team_id: str) -> bool:
    """Whether ``user`` is a person of the workspace ``team_id`` and not a guest from another
    organisation (Slack Connect), whose ``is_admin`` / ``is_owner`` speak of their own
    organisation: stored as members, they would count as Northstar admins here.

    A user object names its home workspace in ``team_id``; on Enterprise Grid it may name
    another workspace of the same organisation, which ``enterprise_user`` then lists.
    """
    if user.get("is_stranger"):
        return False
    home = user.get("team_id")
    if not home or home == team_id:
        return True
    enterprise = user.get("enterprise_user")
    if not isinstance(enterprise, Mapping):
        return False
    teams = enterprise.get("teams")
    return enterprise.get("enterprise_id") == team_id or (
        isinstance(teams, list) and team_id in teams
    )


def profile_from_slack(user: Mapping[str, Any]) -> MemberProfile:
    profile = user.get("profile") or {}
    return MemberProfile(
        user_id=str(user["id"]),
        name=str(user.get("name") or "")[:255],
        real_name=str(user.get("real_name") or profile.get("real_name") or "")[:255],
        display_name=str(profile.get("display_name") or "")[:255],
        tz=(str(user["tz"])[:64] if user.get("tz") else None),
        is_admin=bool(user.get("is_admin")),
        is_owner=bool(user.get("is_owner")),
        is_bot=is_bot_user(user),
        deleted=bool(user.get("deleted")),
    )


async def sync_members(
    *,
    client: AsyncWebClient,
    sessions: SessionFactory,
    team_id: str,
    page_size: int = USERS_LIST_PAGE_SIZE,
) -> SyncReport:
    """Read every page of ``users.list`` and store people; bots, Slackbot and people of other
    organisations (``belongs_to_workspace``) are skipped.

    Deleted users are not added, but members already known are marked deleted, and so are
    people of other organisations stored before. Everything is written in one transaction
    after the last page, so a failure part-way changes nothing.
    """
    active: list[MemberProfile] = []
    deleted_ids: list[str] = []
    bots = pages = foreign = 0
    cursor: str | None = None
    while True:
        response = await client.users_list(limit=page_size, cursor=cursor)
        pages += 1
        for user in response.get("members") or []:
            if is_bot_user(user):
                bots += 1
            elif not belongs_to_workspace(user, team_id):
                foreign += 1
                deleted_ids.append(str(user["id"]))
            elif user.get("deleted"):
                deleted_ids.append(str(user["id"]))
            else:
                active.append(profile_from_slack(user))
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            break
    async with transaction(sessions) as session:
        await ensure_workspace(session=session, team_id=team_id)
        await upsert_members(session=session, team_id=team_id, profiles=active)
        await mark_deleted(session=session, team_id=team_id, user_ids=deleted_ids)
    report = SyncReport(
        pages=pages,
        active=len(active),
        deleted=len(deleted_ids) - foreign,
        skipped_bots=bots,
        skipped_foreign=foreign,
    )
    logger.info("member sync for %s: %s", team_id, report)
    return report


async def apply_user_change(
    *, sessions: SessionFactory, team_id: str, user: Mapping[str, Any]
) -> None:
    """Apply one ``team_join`` / ``user_change`` user object.

    A person of another organisation is never added; one stored before this check existed is
    marked deleted, so they stop counting as a member or an admin.
    """
    if is_bot_user(user) or "id" not in user:
        return
    async with transaction(sessions) as session:
        await ensure_workspace(session=session, team_id=team_id)
        if user.get("deleted") or not belongs_to_workspace(user, team_id):
            await mark_deleted(session=session, team_id=team_id, user_ids=[str(user["id"])])
        else:
            await upsert_members(
                session=session, team_id=team_id, profiles=[profile_from_slack(user)]
            )


async def ensure_member(
    *, client: AsyncWebClient, sessions: SessionFactory, team_id: str, user_id: str
) -> bool:
    """Make sure ``user_id`` is in the member table, asking Slack (``users.info``) if not.

    False when Slack says they are a bot or a person of another organisation, who are not
    stored."""
    async with sessions() as session:
        if await get_member(session=session, team_id=team_id, user_id=user_id):
            return True
    response = await client.users_info(user=user_id)
    user = response.get("user")
    if not isinstance(user, Mapping):
        return False
    await apply_user_change(sessions=sessions, team_id=team_id, user=user)
    return not is_bot_user(user) and belongs_to_workspace(user, team_id)
