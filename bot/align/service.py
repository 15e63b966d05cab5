"""Carry out a parsed ``/align`` command; knows nothing of Bolt, only a Slack Web API client."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from bot.align import texts
from bot.align.blocks import build_align_help
from bot.align.commands import AlignAction, AlignCommand, statement_usage
from bot.core.request import RequestContext
from bot.core.runtime import Runtime
from bot.core.text_input import check_statement
from bot.digest.service import run_digest_command
from bot.kudos.admin import run_kudos_setting
from bot.onboarding.admin import run_welcome
from bot.onboarding.service import welcome_team_joiners
from bot.people import texts as people_texts
from bot.people.admins import grant_admin, list_admin_ids, require_admin, revoke_admin
from bot.people.lookup import resolve_person
from bot.people.members import ensure_member
from bot.people.teams import run_team_command
from bot.slack.messages import Reply, build_notice
from bot.slack.outcome import Outcome
from bot.strategy.fiscal_year import run_fiscal_year
from bot.strategy.priorities_admin import run_priorities
from bot.strategy.review_admin import run_review
from bot.strategy.swot import run_swot
from bot.workspace_data.deletion import delete_workspace_data
from bot.workspace_data.export import Notify, send_workspace_export
from bot.workspace_data.retention import set_retention, show_retention
from storage.db import transaction
from storage.models import VISION_MAX_CHARS
from storage.repositories.workspaces import StatementField, get_workspace, set_statement


async def run_align_command(
    command: AlignCommand, request: RequestContext, *, notify: Notify | None = None
) -> Outcome:
    """Do what the command asks: the reply for the person who typed it, and their Home tab
    redrawn when the vision or mission it shows changed.

    ``notify`` shows an interim reply (the export says it is being prepared) before the work
    that takes seconds; without it, only the final reply is shown.
    """
    runner = _FEATURE_RUNNERS.get(command.action)
    if runner is not None:  # they answer with a message or open a form
        await ensure_member(
            client=request.client,
            sessions=request.runtime.sessions,
            team_id=request.team_id,
            user_id=request.user_id,
        )
        return await runner(command.text, request)
    reply = await _reply_to(command, request, notify)
    changed_home = command.action is AlignAction.SET_STATEMENT
    return Outcome.replying(reply, homes=[request.user_id] if changed_home else [])


_FEATURE_RUNNERS: dict[AlignAction, Callable[[str, RequestContext], Awaitable[Outcome]]] = {
    AlignAction.PRIORITIES: run_priorities,
    AlignAction.SWOT: run_swot,
    AlignAction.FISCAL_YEAR: run_fiscal_year,
    AlignAction.REVIEW: run_review,
    AlignAction.WELCOME: run_welcome,
}


async def _reply_to(command: AlignCommand, request: RequestContext, notify: Notify | None) -> Reply:
    if command.action is AlignAction.HELP:
        return build_align_help()
    runtime, client = request.runtime, request.client
    team_id, user_id = request.team_id, request.user_id
    await ensure_member(client=client, sessions=runtime.sessions, team_id=team_id, user_id=user_id)
    if command.team is not None:
        return await run_team_command(
            command.team, request, on_added=partial(welcome_team_joiners, request)
        )
    if command.digest is not None:
        return await run_digest_command(command.digest, request)
    if command.kudos is not None:
        return await run_kudos_setting(command.kudos, request)
    if command.action in _WORKSPACE_DATA_ACTIONS:
        return await _run_workspace_data_command(command, request, notify)
    if command.action is AlignAction.SHOW_STATEMENT:
        async with runtime.sessions() as session:
            workspace = await get_workspace(session=session, team_id=team_id)
        text = getattr(workspace, command.field) if workspace else ""
        return build_notice(texts.statement_shown(command.field, text))
    if command.action is AlignAction.SET_STATEMENT:
        return await _set_statement(command, runtime=runtime, team_id=team_id, user_id=user_id)
    return await _run_admins_command(command, request)


async def _run_admins_command(command: AlignCommand, request: RequestContext) -> Reply:
    """List the admins, or grant or revoke admin (``/align admins [add|remove @person]``)."""
    runtime, team_id = request.runtime, request.team_id
    if command.action is AlignAction.LIST_ADMINS:
        async with runtime.sessions() as session:
            return build_notice(
                people_texts.admins_listed(await list_admin_ids(session=session, team_id=team_id))
            )
    target_id = await resolve_person(
        (command.user_id, command.handle), runtime=runtime, client=request.client, team_id=team_id
    )
    async with transaction(runtime.sessions) as session:
        change = grant_admin if command.action is AlignAction.ADD_ADMIN else revoke_admin
        sentence = await change(
            session=session, team_id=team_id, actor_id=request.user_id, user_id=target_id
        )
    return build_notice(sentence)


_WORKSPACE_DATA_ACTIONS = frozenset(
    {
        AlignAction.EXPORT,
        AlignAction.SHOW_RETENTION,
        AlignAction.SET_RETENTION,
        AlignAction.DELETE_WORKSPACE_DATA,
    }
)


async def _run_workspace_data_command(
    command: AlignCommand, request: RequestContext, notify: Notify | None
) -> Reply:
    runtime, team_id, user_id = request.runtime, request.team_id, request.user_id
    if command.action is AlignAction.EXPORT:
        return await send_workspace_export(
            runtime=runtime, client=request.client, team_id=team_id, user_id=user_id, notify=notify
        )
    if command.action is AlignAction.SHOW_RETENTION:
        return await show_retention(runtime=runtime, team_id=team_id)
    if command.action is AlignAction.SET_RETENTION:
        return await set_retention(
            runtime=runtime, team_id=team_id, user_id=user_id, days=command.retention_days
        )
    return await delete_workspace_data(
        runtime=runtime, team_id=team_id, user_id=user_id, confirmation=command.text
    )


async def _set_statement(
    command: AlignCommand, *, runtime: Runtime, team_id: str, user_id: str
) -> Reply:
    text = check_statement(
        command.text,
        what=texts.statement_label(command.field),
        max_chars=VISION_MAX_CHARS,
        usage=statement_usage(command.field),
    )
    async with transaction(runtime.sessions) as session:
        await require_admin(
            session=session,
            team_id=team_id,
            user_id=user_id,
            action=f"set the {texts.statement_label(command.field)}",
        )
        field: StatementField = "vision" if command.field == "vision" else "mission"
        await set_statement(session=session, team_id=team_id, field=field, text=text)
    return build_notice(texts.statement_saved(command.field, text))
