"""Creating, listing, editing and removing check-in setups (admins and team leads): the
form's views, ``/checkin setups``, ``/checkin remove NAME`` and the list's buttons. Who may
do what is in ``setup_access``; saving the form in ``setup_save``. Knows nothing of Bolt.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.checkins import texts_settings as settings_texts
from bot.checkins import texts_setups
from bot.checkins.blocks.setup_list import build_setup_list
from bot.checkins.blocks.setup_modal import build_setup_form
from bot.checkins.calendar import read_calendar
from bot.checkins.reschedule import apply_to_open_rounds, when_next_goes_out
from bot.checkins.settings import CheckinSettings
from bot.checkins.setup_access import listed_setups, load_viewer, refusal, setup_of
from bot.checkins.setups import DEFAULT_NAME, Setup, default_or_unsaved
from bot.core.errors import PermissionDenied, UserInputError
from bot.core.local_time import person_zone
from bot.core.request import RequestContext
from bot.core.runtime import Runtime
from bot.core.text_input import escape_mrkdwn, small_int
from bot.slack.messages import Reply, build_notice
from bot.slack.outcome import Outcome
from storage.db import transaction
from storage.repositories import checkin_setups as repo
from storage.repositories.teams import list_teams
from storage.repositories.workspaces import get_workspace


async def _named(session: AsyncSession, team_id: str, name: str) -> tuple[Setup, str]:
    """The active setup called ``name`` and who created it (the default by its name even
    before it is stored), or ``UserInputError`` saying there is none."""
    row = await repo.find_by_name(session=session, team_id=team_id, name=name)
    if row is not None and row.archived_at is None:
        return setup_of(row), row.created_by
    if row is None and repo.name_key(name) == repo.name_key(DEFAULT_NAME):
        default = await default_or_unsaved(session, team_id)
        if default.id == 0:
            return default, ""
    raise UserInputError(texts_setups.no_such_setup(escape_mrkdwn(name)))


# --- the form ------------------------------------------------------------------------------


async def new_setup_view(
    *, runtime: Runtime, team_id: str, user_id: str, response_url: str | None
) -> dict[str, Any]:
    async with runtime.sessions() as session:
        teams = await list_teams(session=session, team_id=team_id)
        viewer = await load_viewer(session, team_id, user_id, teams)
    if not viewer.may_create:
        raise PermissionDenied(texts_setups.NOT_ALLOWED_CREATE)
    settings = CheckinSettings(team_refs=[] if viewer.admin else sorted(viewer.led_teams))
    return build_setup_form(
        name="",
        settings=settings,
        teams=teams,
        metadata={"response_url": response_url, "setup_id": None},
        title=settings_texts.NEW_TITLE,
        intro=settings_texts.NEW_INTRO,
    )


async def edit_setup_view(
    *, runtime: Runtime, team_id: str, user_id: str, name: str, response_url: str | None
) -> dict[str, Any]:
    async with runtime.sessions() as session:
        setup, created_by = await _named(session, team_id, name)
        return await _edit_view(session, runtime, team_id, user_id, setup, created_by, response_url)


async def default_setup_view(
    *, runtime: Runtime, team_id: str, user_id: str, response_url: str | None
) -> dict[str, Any]:
    """``/checkin settings``: the form of the workspace's default setup (admins)."""
    async with runtime.sessions() as session:
        setup = await default_or_unsaved(session, team_id)
        return await _edit_view(session, runtime, team_id, user_id, setup, "", response_url)


async def setup_view_by_id(
    *, runtime: Runtime, team_id: str, user_id: str, setup_id: int, response_url: str | None
) -> dict[str, Any]:
    """The form of the setup an Edit button names (0: the default, stored or not)."""
    if setup_id == 0:
        return await default_setup_view(
            runtime=runtime, team_id=team_id, user_id=user_id, response_url=response_url
        )
    async with runtime.sessions() as session:
        row = await repo.get_setup(session=session, team_id=team_id, setup_id=setup_id)
        if row is None or row.archived_at is not None:
            raise UserInputError(texts_setups.SETUP_GONE)
        return await _edit_view(
            session, runtime, team_id, user_id, setup_of(row), row.created_by, response_url
        )


async def _edit_view(
    session: AsyncSession,
    runtime: Runtime,
    team_id: str,
    user_id: str,
    setup: Setup,
    created_by: str,
    response_url: str | None,
) -> dict[str, Any]:
    teams = await list_teams(session=session, team_id=team_id)
    viewer = await load_viewer(session, team_id, user_id, teams)
    if not viewer.may_edit(setup, created_by):
        raise PermissionDenied(refusal(setup))
    workspace = await get_workspace(session=session, team_id=team_id)
    next_text = await when_next_goes_out(
        session,
        team_id=team_id,
        user_id=user_id,
        setup=setup,
        tz=await person_zone(session=session, team_id=team_id, user_id=user_id),
        calendar=await read_calendar(session, team_id, workspace.settings if workspace else None),
        now=runtime.clock(),
    )
    return build_setup_form(
        name=setup.name,
        settings=setup.settings,
        teams=teams,
        metadata={"response_url": response_url, "setup_id": setup.id},
        title=settings_texts.SETTINGS_TITLE if setup.is_default else settings_texts.EDIT_TITLE,
        intro=f"{next_text} {settings_texts.SETTINGS_INTRO}",
    )


# --- the list, removal and the buttons ---------------------------------------------------------


async def list_setups(*, runtime: Runtime, team_id: str, user_id: str) -> Reply:
    async with runtime.sessions() as session:
        teams = await list_teams(session=session, team_id=team_id)
        viewer = await load_viewer(session, team_id, user_id, teams)
        rows = await repo.list_setups(session=session, team_id=team_id)
    names = {team.id: team.name for team in teams if team.id is not None}
    return build_setup_list(listed_setups(rows, viewer), names, may_create=viewer.may_create)


async def remove_setup(*, runtime: Runtime, team_id: str, user_id: str, name: str) -> Reply:
    """Archive a setup: no more rounds, its unsent invitations cancelled, its history kept,
    its name free again. Never the default (it is turned off instead)."""
    now = runtime.clock()
    async with transaction(runtime.sessions) as session:
        setup, created_by = await _named(session, team_id, name)
        if setup.is_default:
            raise UserInputError(texts_setups.default_stays(escape_mrkdwn(setup.name)))
        teams = await list_teams(session=session, team_id=team_id)
        viewer = await load_viewer(session, team_id, user_id, teams)
        if not viewer.may_edit(setup, created_by):
            raise PermissionDenied(refusal(setup))
        workspace = await get_workspace(session=session, team_id=team_id)
        if workspace is None:
            raise LookupError(f"workspace {team_id} does not exist")
        stopped = replace(setup, settings=setup.settings.model_copy(update={"enabled": False}))
        done = await apply_to_open_rounds(
            session,
            team_id=team_id,
            setup=stopped,
            workspace_tz=workspace.timezone,
            calendar=await read_calendar(session, team_id, workspace.settings),
            now=now,
        )
        await repo.archive_setup(session=session, team_id=team_id, setup_id=setup.id, now=now)
    return build_notice(texts_setups.removed(escape_mrkdwn(setup.name), done.cancelled))


async def new_from_button(request: RequestContext, _: str) -> Outcome:
    """The "New check-in" button (Home, ``/checkin setups``): ``/checkin new``'s form."""
    view = await new_setup_view(
        runtime=request.runtime,
        team_id=request.team_id,
        user_id=request.user_id,
        response_url=request.response_url,
    )
    return Outcome.opening(view)


async def edit_from_button(request: RequestContext, value: str) -> Outcome:
    """A setup's Edit button: its form; the value is the setup's id."""
    setup_id = small_int(value)
    if setup_id is None:
        raise UserInputError(texts_setups.SETUP_GONE)
    view = await setup_view_by_id(
        runtime=request.runtime,
        team_id=request.team_id,
        user_id=request.user_id,
        setup_id=setup_id,
        response_url=request.response_url,
    )
    return Outcome.opening(view)
