"""Carry out a parsed ``/kpi`` command; knows nothing of Bolt, only a Slack Web API client."""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.request import RequestContext
from bot.kpis import texts
from bot.kpis.access import find_kpi, require_active, require_change, source_text, team_of
from bot.kpis.blocks.messages import (
    LIST_PAGE,
    KpiDetails,
    build_kpi_help,
    build_kpi_list,
    build_kpi_show,
    health_of,
)
from bot.kpis.blocks.modal import Choice, FormOrigin, FormValues, build_kpi_modal
from bot.kpis.commands import KpiAction, KpiCommand, KpiTarget, check_log_day
from bot.kpis.form import form_values
from bot.kpis.health import format_value
from bot.okrs.kpi_follow import follow_kpi
from bot.people.members import ensure_member
from bot.slack.messages import Reply, build_notice
from bot.slack.outcome import Outcome
from storage.db import transaction
from storage.models import Goal
from storage.repositories.goals import get_goal, workspace_goals
from storage.repositories.kpis import (
    kpi_page,
    recent_values,
    record_value,
    save_kpi,
    value_on,
)
from storage.repositories.teams import list_teams

LIST_POINTS = 2  # the latest value and the one before, for the trend arrow
SHOW_POINTS = 12


def kpi_changed(request: RequestContext, reply: Reply, owner_id: str) -> Outcome:
    """A KPI changed: the reply, and the Home tabs that show it (the actor's and the owner's)."""
    return Outcome.replying(reply, homes=(request.user_id, owner_id))


async def run_kpi_command(command: KpiCommand, request: RequestContext) -> Outcome:
    """Do what the command asks: a reply for the person, or a form to open."""
    action = command.action
    if action is KpiAction.HELP:
        return Outcome.replying(build_kpi_help())
    await ensure_member(
        client=request.client,
        sessions=request.runtime.sessions,
        team_id=request.team_id,
        user_id=request.user_id,
    )
    if action is KpiAction.NEW:
        return Outcome.opening(await kpi_form_view(request, name=command.name))
    if action is KpiAction.LIST:
        return Outcome.replying(await _list(request))
    assert command.target is not None
    if action is KpiAction.EDIT:
        return Outcome.opening(await kpi_form_view(request, target=command.target))
    if action is KpiAction.SHOW:
        return Outcome.replying(await _show(command.target, request))
    if action is KpiAction.LOG:
        return await _log(command, request)
    return await _set_archived(command.target, request, archived=action is KpiAction.ARCHIVE)


async def _list(request: RequestContext) -> Reply:
    """The first page of the workspace's active KPIs, their count and their last values."""
    async with request.runtime.sessions() as session:
        page = await kpi_page(session=session, team_id=request.team_id, limit=LIST_PAGE)
        values = await recent_values(
            session=session,
            team_id=request.team_id,
            kpi_ids=[kpi.id for kpi in page.kpis if kpi.id is not None],
            per_kpi=LIST_POINTS,
        )
    return build_kpi_list(page.kpis, values, total=page.total)


def goal_label(goal: Goal) -> str:
    return f"G-{goal.number} {goal.title}"


async def _show(target: KpiTarget, request: RequestContext) -> Reply:
    team_id = request.team_id
    async with request.runtime.sessions() as session:
        kpi = await find_kpi(session=session, team_id=team_id, target=target)
        assert kpi.id is not None
        values = await recent_values(
            session=session, team_id=team_id, kpi_ids=[kpi.id], per_kpi=SHOW_POINTS
        )
        team = await team_of(session=session, kpi=kpi)
        goal = (
            await get_goal(session=session, team_id=team_id, goal_id=kpi.goal_id)
            if kpi.goal_id is not None
            else None
        )
    details = KpiDetails(
        kpi=kpi,
        values=values.get(kpi.id, []),
        team_name=team.name if team else None,
        goal_label=goal_label(goal) if goal else None,
        source_text=source_text(kpi),
    )
    return build_kpi_show(details)


async def _log(command: KpiCommand, request: RequestContext) -> Outcome:
    """Record a value for a day (today, in the person's time zone, unless they name one)."""
    assert command.target is not None and command.value is not None
    today = await request.today()
    day = check_log_day(command.day or today, today=today)
    team_id = request.team_id
    async with transaction(request.runtime.sessions) as session:
        kpi = await find_kpi(session=session, team_id=team_id, target=command.target)
        require_active(kpi)
        await require_change(session=session, user_id=request.user_id, kpi=kpi, action="log")
        assert kpi.id is not None
        before = await value_on(session=session, team_id=team_id, kpi_id=kpi.id, recorded_on=day)
        await record_value(
            session=session,
            kpi=kpi,
            value=command.value,
            recorded_on=day,
            author_id=request.user_id,
        )
        await follow_kpi(
            session=session, kpi=kpi, now=request.runtime.clock(), author_id=request.user_id
        )
        latest = await recent_values(session=session, team_id=team_id, kpi_ids=[kpi.id], per_kpi=1)
    sentence = texts.value_logged(
        kpi.number,
        kpi.name,
        format_value(command.value, kpi.unit),
        day,
        health_of(kpi, latest.get(kpi.id, [])).value,
        format_value(before, kpi.unit) if before is not None else None,
    )
    return kpi_changed(request, build_notice(sentence), kpi.owner_id)


async def _set_archived(target: KpiTarget, request: RequestContext, *, archived: bool) -> Outcome:
    async with transaction(request.runtime.sessions) as session:
        kpi = await find_kpi(
            session=session, team_id=request.team_id, target=target, for_update=True
        )
        verb = "archive" if archived else "unarchive"
        await require_change(session=session, user_id=request.user_id, kpi=kpi, action=verb)
        if kpi.archived == archived:
            done = texts.already_archived if archived else texts.not_archived
            return Outcome.replying(build_notice(done(kpi.number)))
        kpi.archived = archived
        await save_kpi(session=session, kpi=kpi)
    sentence = texts.archived if archived else texts.unarchived
    return kpi_changed(request, build_notice(sentence(kpi.number, kpi.name)), kpi.owner_id)


async def kpi_form_view(
    request: RequestContext, *, name: str = "", target: KpiTarget | None = None
) -> dict[str, Any]:
    """The KPI form: empty (owned by the caller) for a new KPI, prefilled for an edit."""
    team_id = request.team_id
    async with request.runtime.sessions() as session:
        values = FormValues(owner_id=request.user_id, name=name)
        number = None
        if target is not None:
            kpi = await find_kpi(session=session, team_id=team_id, target=target)
            require_active(kpi)
            await require_change(session=session, user_id=request.user_id, kpi=kpi, action="edit")
            values, number = form_values(kpi), kpi.number
        teams: list[Choice] = [
            (str(team.id), team.name) for team in await list_teams(session=session, team_id=team_id)
        ]
        goals = await _goal_choices(session, team_id, values.goal_id)
    origin = FormOrigin(
        response_url=request.response_url, channel_id=request.channel_id, kpi_number=number
    )
    return build_kpi_modal(values, origin=origin, teams=teams, goals=goals)


async def _goal_choices(session: AsyncSession, team_id: str, linked: int | None) -> list[Choice]:
    """Open goals, plus the linked one if it has been closed since."""
    goals = await workspace_goals(session=session, team_id=team_id, include_closed=False)
    if linked is not None and all(goal.id != linked for goal in goals):
        current = await get_goal(session=session, team_id=team_id, goal_id=linked)
        if current is not None:
            goals.insert(0, current)
    return [(str(goal.id), goal_label(goal)) for goal in goals]
