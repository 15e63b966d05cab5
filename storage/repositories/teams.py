"""Teams (departments) of a workspace and who belongs to them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Team, TeamMembership
from storage.upsert import insert_ignoring_conflict


def team_key(name: str) -> str:
    """Team names are unique per workspace regardless of case and spacing."""
    return " ".join(name.split()).casefold()


async def create_team(
    *,
    session: AsyncSession,
    team_id: str,
    name: str,
    channel_id: str | None = None,
    lead_user_id: str | None = None,
) -> Team:
    team = Team(
        team_id=team_id,
        name=name,
        name_key=team_key(name),
        channel_id=channel_id,
        lead_user_id=lead_user_id,
    )
    session.add(team)
    await session.flush()
    return team


async def get_team_by_name(*, session: AsyncSession, team_id: str, name: str) -> Team | None:
    statement = select(Team).where(Team.team_id == team_id, Team.name_key == team_key(name))
    return (await session.exec(statement)).first()


async def get_teams(
    *, session: AsyncSession, team_id: str, team_refs: Iterable[int]
) -> dict[int, Team]:
    refs = list(set(team_refs))
    if not refs:
        return {}
    statement = select(Team).where(Team.team_id == team_id, col(Team.id).in_(refs))
    return {team.id: team for team in (await session.exec(statement)).all() if team.id is not None}


async def list_teams(*, session: AsyncSession, team_id: str) -> list[Team]:
    statement = select(Team).where(Team.team_id == team_id).order_by(col(Team.name_key))
    return list((await session.exec(statement)).all())


async def add_team_members(
    *, session: AsyncSession, team: Team, user_ids: Sequence[str]
) -> list[str]:
    """Add people to ``team``; returns those who were not members already."""
    added = []
    for user_id in dict.fromkeys(user_ids):
        values = {"team_ref": team.id, "user_id": user_id, "team_id": team.team_id}
        if await insert_ignoring_conflict(session, TeamMembership, values, ["team_ref", "user_id"]):
            added.append(user_id)
    return added


async def remove_team_members(*, session: AsyncSession, team: Team, user_ids: Sequence[str]) -> int:
    statement = delete(TeamMembership).where(
        col(TeamMembership.team_ref) == team.id, col(TeamMembership.user_id).in_(list(user_ids))
    )
    result = await session.exec(statement)
    return int(getattr(result, "rowcount", 0) or 0)


async def members_by_team(*, session: AsyncSession, team_id: str) -> dict[int, list[str]]:
    """Every team's member ids, in one query."""
    statement = (
        select(TeamMembership)
        .where(TeamMembership.team_id == team_id)
        .order_by(col(TeamMembership.user_id))
    )
    members: dict[int, list[str]] = defaultdict(list)
    for row in (await session.exec(statement)).all():
        members[row.team_ref].append(row.user_id)
    return dict(members)


async def teams_of_user(*, session: AsyncSession, team_id: str, user_id: str) -> list[Team]:
    """Teams the person belongs to or leads."""
    member_of = select(TeamMembership.team_ref).where(
        TeamMembership.team_id == team_id, TeamMembership.user_id == user_id
    )
    statement = (
        select(Team)
        .where(
            Team.team_id == team_id,
            (col(Team.id).in_(member_of)) | (col(Team.lead_user_id) == user_id),
        )
        .order_by(col(Team.name_key))
    )
    return list((await session.exec(statement)).all())
