"""Teams: create them, change who is in them and who leads them, list them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.errors import PermissionDenied, UserInputError
from bot.core.request import RequestContext
from bot.core.runtime import Runtime
from bot.core.text_input import check_name
from bot.core.texts import and_more
from bot.people import texts
from bot.people.admins import require_admin
from bot.people.commands import TEAM_USAGE, TeamAction, TeamCommand
from bot.people.lookup import resolve_people
from bot.people.permissions import can_manage_team
from bot.slack.messages import Reply, build_lines, build_notice
from storage.db import transaction
from storage.models import TEAM_NAME_MAX_CHARS, Team
from storage.repositories.teams import (
    add_team_members,
    create_team,
    get_team_by_name,
    list_teams,
    members_by_team,
    remove_team_members,
)

MembersAdded = Callable[[Team, list[str]], Awaitable[None]]
"""Told who joined a team once the change is committed (the onboarding welcomes them)."""


async def run_team_command(
    command: TeamCommand, request: RequestContext, *, on_added: MembersAdded | None = None
) -> Reply:
    """``/align team …`` and ``/align teams``: the reply for the person who typed it."""
    runtime, client = request.runtime, request.client
    team_id, user_id = request.team_id, request.user_id
    if command.action is TeamAction.LIST:
        return await _list(runtime=runtime, team_id=team_id)
    people = await resolve_people(command.people, runtime=runtime, client=client, team_id=team_id)
    async with transaction(runtime.sessions) as session:
        if command.action is TeamAction.CREATE:
            return await _create(command, people, session=session, team_id=team_id, actor=user_id)
        team = await find_team(session=session, team_id=team_id, name=command.name)
        if not await can_manage_team(session=session, team_id=team_id, user_id=user_id, team=team):
            raise PermissionDenied(texts.not_team_manager(team.name))
        if command.action is not TeamAction.ADD_MEMBERS:
            return await _change_team(command, people, session=session, team=team)
        added = await add_team_members(session=session, team=team, user_ids=people)
    if added and on_added is not None:  # after the commit: they are in the team now
        await on_added(team, added)
    return build_notice(texts.team_members_added(team.name, added, people))


async def _change_team(
    command: TeamCommand, people: list[str], *, session: AsyncSession, team: Team
) -> Reply:
    if command.action is TeamAction.SET_CHANNEL:
        team.channel_id = command.channel_id
        session.add(team)
        return build_notice(texts.team_channel_set(team.name, command.channel_id))
    if command.action is TeamAction.REMOVE_MEMBERS:
        removed = await remove_team_members(session=session, team=team, user_ids=people)
        return build_notice(texts.team_members_removed(team.name, removed))
    team.lead_user_id = people[0]
    session.add(team)
    await add_team_members(session=session, team=team, user_ids=people)
    return build_notice(texts.team_lead_set(team.name, people[0]))


async def find_team(*, session: AsyncSession, team_id: str, name: str) -> Team:
    """The team called ``name``, or an error listing the teams that exist."""
    team = await get_team_by_name(session=session, team_id=team_id, name=name)
    if team is None:
        names = [existing.name for existing in await list_teams(session=session, team_id=team_id)]
        raise UserInputError(texts.no_such_team(name, names))
    return team


async def _create(
    command: TeamCommand, people: list[str], *, session: AsyncSession, team_id: str, actor: str
) -> Reply:
    await require_admin(session=session, team_id=team_id, user_id=actor, action="create teams")
    name = check_name(
        command.name, what="team name", max_chars=TEAM_NAME_MAX_CHARS, usage=TEAM_USAGE
    )
    if await get_team_by_name(session=session, team_id=team_id, name=name):
        raise UserInputError(texts.team_exists(name))
    lead = people[0] if people else None
    team = await create_team(
        session=session,
        team_id=team_id,
        name=name,
        channel_id=command.channel_id,
        lead_user_id=lead,
    )
    if lead:
        await add_team_members(session=session, team=team, user_ids=[lead])
    return build_notice(texts.team_created(team.name, command.channel_id, lead))


async def _list(*, runtime: Runtime, team_id: str) -> Reply:
    async with runtime.sessions() as session:
        teams = await list_teams(session=session, team_id=team_id)
        members = await members_by_team(session=session, team_id=team_id)
    if not teams:
        return build_notice(texts.NO_TEAMS)
    lines = [
        texts.team_line(
            team.name, team.channel_id, team.lead_user_id, members.get(team.id or 0, [])
        )
        for team in teams
    ]
    return build_lines(texts.TEAMS_HEADER, lines, more=and_more)
