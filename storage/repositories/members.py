"""Members of a workspace, mirrored from Slack, and the Northstar role granted to them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlmodel import col, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ROLE_ADMIN, Member, Workspace, utc_now
from storage.upsert import upsert_rows


@dataclass(frozen=True)
class MemberProfile:
    """What Slack tells us about a person; Northstar's own ``role`` is never part of it."""

    user_id: str
    name: str = ""
    real_name: str = ""
    display_name: str = ""
    tz: str | None = None
    is_admin: bool = False
    is_owner: bool = False
    is_bot: bool = False
    deleted: bool = False


_SLACK_FIELDS = [field for field in MemberProfile.__dataclass_fields__ if field != "user_id"]


async def upsert_members(
    *, session: AsyncSession, team_id: str, profiles: Sequence[MemberProfile]
) -> None:
    """Insert or refresh members from Slack data, keeping each member's Northstar role."""
    now = utc_now()
    rows = [{**asdict(profile), "team_id": team_id, "updated_at": now} for profile in profiles]
    await upsert_rows(
        session,
        Member,
        rows,
        conflict_columns=["team_id", "user_id"],
        update_columns=[*_SLACK_FIELDS, "updated_at"],
    )


async def get_member(*, session: AsyncSession, team_id: str, user_id: str) -> Member | None:
    return await session.get(Member, (team_id, user_id))


async def zone_names(
    *, session: AsyncSession, team_id: str, user_id: str
) -> tuple[str | None, str | None]:
    """The person's Slack time zone and the workspace's, either None when not known: one
    statement of two columns, read on every request that asks what day it is for someone."""
    member_tz = (
        select(col(Member.tz))
        .where(col(Member.team_id) == team_id, col(Member.user_id) == user_id)
        .scalar_subquery()
    )
    workspace_tz = (
        select(col(Workspace.timezone)).where(col(Workspace.team_id) == team_id).scalar_subquery()
    )
    row = (await session.exec(select(member_tz, workspace_tz))).one()
    return row[0], row[1]


async def find_member_by_handle(
    *, session: AsyncSession, team_id: str, handle: str
) -> Member | None:
    """A current member whose username or display name is ``handle`` (without the ``@``)."""
    statement = select(Member).where(
        Member.team_id == team_id,
        col(Member.deleted).is_(False),
        or_(Member.name == handle, Member.display_name == handle),
    )
    return (await session.exec(statement)).first()


async def set_role(*, session: AsyncSession, team_id: str, user_id: str, role: str) -> Member:
    member = await session.get(Member, (team_id, user_id), with_for_update=True)
    if member is None:
        raise LookupError(f"member {user_id} of {team_id} does not exist")
    member.role = role
    member.updated_at = utc_now()
    session.add(member)
    await session.flush()
    return member


async def list_admins(*, session: AsyncSession, team_id: str) -> list[Member]:
    """Current members who may administer Northstar: Slack admins/owners and granted admins."""
    statement = (
        select(Member)
        .where(
            Member.team_id == team_id,
            col(Member.deleted).is_(False),
            or_(col(Member.is_admin), col(Member.is_owner), Member.role == ROLE_ADMIN),
        )
        .order_by(col(Member.real_name), col(Member.user_id))
    )
    return list((await session.exec(statement)).all())


async def mark_deleted(*, session: AsyncSession, team_id: str, user_ids: Sequence[str]) -> int:
    """Mark known members as deleted in Slack; unknown ids are ignored. Returns the count."""
    if not user_ids:
        return 0
    statement = (
        update(Member)
        .where(col(Member.team_id) == team_id, col(Member.user_id).in_(list(user_ids)))
        .values(deleted=True, updated_at=utc_now())
    )
    result = await session.exec(statement)
    return int(getattr(result, "rowcount", 0) or 0)


async def member_names(*, session: AsyncSession, team_id: str) -> dict[str, str]:
    """Every known member's id and display-worthy name, in one query."""
    statement = select(Member.user_id, Member.real_name, Member.name).where(
        Member.team_id == team_id
    )
    return {
        user_id: real_name or name
        for user_id, real_name, name in (await session.exec(statement)).all()
    }


def _current_people(team_id: str) -> tuple[Any, ...]:
    """The workspace's current people: not deleted in Slack, not bots."""
    return (
        Member.team_id == team_id,
        col(Member.deleted).is_(False),
        col(Member.is_bot).is_(False),
    )


async def active_members(
    *, session: AsyncSession, team_id: str, user_ids: Sequence[str] | None = None
) -> list[Member]:
    """Current people of the workspace (not deleted in Slack, not bots), or only those of
    ``user_ids`` among them."""
    statement = select(Member).where(*_current_people(team_id)).order_by(col(Member.user_id))
    if user_ids is not None:
        statement = statement.where(col(Member.user_id).in_(list(user_ids)))
    return list((await session.exec(statement)).all())


async def active_time_zones(
    *, session: AsyncSession, team_id: str, user_ids: Sequence[str]
) -> dict[str, str]:
    """The Slack time zone ("" when not known) of each of ``user_ids`` who is a current person
    of the workspace, by user id: what a fan-out needs of each person, in two columns, not a
    whole row built as an object for each of its hundreds of people."""
    statement = select(col(Member.user_id), col(Member.tz)).where(
        *_current_people(team_id), col(Member.user_id).in_(list(user_ids))
    )
    return {user_id: tz or "" for user_id, tz in (await session.exec(statement)).all()}
