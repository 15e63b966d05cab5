"""Check-ins run by admins and leads: the settings form, workspace holidays, a round's status.

Knows nothing of Bolt. Saved settings, a new work week and holidays added or removed also move
the invitations of open rounds that are not sent yet (``bot/checkins/reschedule.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.checkins import setup_admin, setup_save
from bot.checkins import texts as checkin_texts
from bot.checkins import texts_calendar as calendar_texts
from bot.checkins.blocks import settings_modal as form
from bot.checkins.blocks.lists import build_holidays, build_status
from bot.checkins.calendar import read_work_days, with_work_days
from bot.checkins.periods import period_key
from bot.checkins.reschedule import Rescheduled, apply_to_every_setup
from bot.checkins.setups import (
    default_or_unsaved,
    setup_by_name,
)
from bot.core.errors import PermissionDenied, UserInputError
from bot.core.local_time import person_zone, zone
from bot.core.runtime import Runtime
from bot.core.text_input import echo, escape_mrkdwn
from bot.people.admins import is_admin, require_admin
from bot.people.teams import find_team
from bot.slack.messages import Reply, build_notice
from storage.db import transaction
from storage.models import Team
from storage.repositories import checkin_answers as answers_repo
from storage.repositories import checkin_calendar as calendar_repo
from storage.repositories import checkins as repo
from storage.repositories.teams import list_teams, members_by_team
from storage.repositories.workspaces import get_workspace

HOLIDAY_HORIZON = timedelta(days=2 * 365)


# --- settings --------------------------------------------------------------------------------


async def settings_form_view(
    *, runtime: Runtime, team_id: str, user_id: str, response_url: str | None
) -> dict[str, Any]:
    """``/checkin settings``: the form of the workspace's default setup (admins)."""
    return await setup_admin.default_setup_view(
        runtime=runtime, team_id=team_id, user_id=user_id, response_url=response_url
    )


async def save_settings_form(
    *, runtime: Runtime, team_id: str, user_id: str, answers: form.SettingsAnswers
) -> str:
    """Check the submitted setup form and store it; the confirmation, or ``FormErrors``."""
    return await setup_save.save_setup_answers(
        runtime=runtime, team_id=team_id, user_id=user_id, answers=answers
    )


# --- holidays --------------------------------------------------------------------------------


async def _workspace_today(session: AsyncSession, team_id: str, now: datetime) -> date:
    workspace = await get_workspace(session=session, team_id=team_id)
    return now.astimezone(zone(workspace.timezone if workspace else None)).date()


async def add_holidays(
    *, runtime: Runtime, team_id: str, user_id: str, days: Sequence[date]
) -> Reply:
    now = runtime.clock()
    async with transaction(runtime.sessions) as session:
        await require_admin(
            session=session, team_id=team_id, user_id=user_id, action="change the holidays"
        )
        today = await _workspace_today(session, team_id, now)
        for day in days:
            if day < today:
                raise UserInputError(calendar_texts.holiday_in_past(day, today))
            if day > today + HOLIDAY_HORIZON:
                raise UserInputError(calendar_texts.holiday_too_far(day, today + HOLIDAY_HORIZON))
        added = [
            day
            for day in days
            if await calendar_repo.add_holiday(session=session, team_id=team_id, day=day)
        ]
        done = await _follow_calendar(session, team_id, now)
    already = [day for day in days if day not in added]
    return build_notice(calendar_texts.holidays_added(added, already, done.moved + done.cancelled))


async def _follow_calendar(session: AsyncSession, team_id: str, now: datetime) -> Rescheduled:
    workspace = await get_workspace(session=session, team_id=team_id)
    if workspace is None:
        return Rescheduled(0, 0, ())
    return await apply_to_every_setup(session, team_id=team_id, workspace=workspace, now=now)


async def remove_holidays(
    *, runtime: Runtime, team_id: str, user_id: str, days: Sequence[date]
) -> Reply:
    now = runtime.clock()
    async with transaction(runtime.sessions) as session:
        await require_admin(
            session=session, team_id=team_id, user_id=user_id, action="change the holidays"
        )
        removed = [
            day
            for day in days
            if await calendar_repo.remove_holiday(session=session, team_id=team_id, day=day)
        ]
        if removed:
            await _follow_calendar(session, team_id, now)
    missing = [day for day in days if day not in removed]
    return build_notice(calendar_texts.holidays_removed(removed, missing))


async def upcoming_holidays(*, runtime: Runtime, team_id: str) -> Reply:
    async with runtime.sessions() as session:
        today = await _workspace_today(session, team_id, runtime.clock())
        days = await calendar_repo.list_holidays(session=session, team_id=team_id, since=today)
    return build_holidays(days)


# --- status ----------------------------------------------------------------------------------


async def _status_scope(
    session: AsyncSession, *, team_id: str, user_id: str, team_name: str
) -> list[Team] | None:
    """The teams whose status the person may see; None means the whole workspace (admins)."""
    admin = await is_admin(session=session, team_id=team_id, user_id=user_id)
    if team_name:
        team = await find_team(session=session, team_id=team_id, name=team_name)
        if not admin and team.lead_user_id != user_id:
            raise PermissionDenied(checkin_texts.status_not_lead(team.name))
        return [team]
    if admin:
        return None
    led = [
        t for t in await list_teams(session=session, team_id=team_id) if t.lead_user_id == user_id
    ]
    if not led:
        raise PermissionDenied(checkin_texts.STATUS_REFUSED)
    return led


async def checkin_status(
    *, runtime: Runtime, team_id: str, user_id: str, team_name: str = "", setup_name: str = ""
) -> Reply:
    """How many of the person's scope answered this round of the named setup (no name: the
    default one), and who (never what). A stand-up's "this round" is today's, in the
    viewer's own time zone."""
    now = runtime.clock()
    async with runtime.sessions() as session:
        if setup_name:
            setup = await setup_by_name(session, team_id, setup_name)
            if setup is None:
                raise UserInputError(checkin_texts.no_such_setup(echo(setup_name)))
        else:
            setup = await default_or_unsaved(session, team_id)
        scope = await _status_scope(session, team_id=team_id, user_id=user_id, team_name=team_name)
        tz = await person_zone(session=session, team_id=team_id, user_id=user_id)
        settings = setup.settings
        found = await repo.round_until(
            session=session,
            team_id=team_id,
            period=period_key(settings, now.astimezone(tz).date()),
            setup_id=setup.id,
        )
        name = None if setup.is_default else setup.name
        if found is None or found.id is None:
            when = checkin_texts.runs_on(settings.days, settings.local_time.strftime("%H:%M"))
            shown = escape_mrkdwn(name) if name else None
            return build_notice(checkin_texts.status_no_round(when, shown))
        invitations = await repo.round_deliveries(
            session=session, team_id=team_id, round_id=found.id
        )
        answers = await answers_repo.round_answers(
            session=session, team_id=team_id, round_id=found.id
        )
        if scope is not None:
            members = await members_by_team(session=session, team_id=team_id)
            people = {user for team in scope for user in members.get(team.id or 0, [])}
            invitations = [invitation for invitation in invitations if invitation.user_id in people]
    label = checkin_texts.STATUS_WORKSPACE if scope is None else ", ".join(t.name for t in scope)
    return build_status(
        week=found.period or found.week,
        scope=label,
        deliveries=invitations,
        late={answer.user_id for answer in answers if answer.late},
        now=now,
        tz=tz,
        setup_name=name,
    )


# --- work week -------------------------------------------------------------------------------


async def work_week(
    *, runtime: Runtime, team_id: str, user_id: str, weekdays: Sequence[int]
) -> Reply:
    """Show the work week (``weekdays`` empty), or store it (admins): every setup's
    invitations not sent yet move to it, in the same transaction."""
    now = runtime.clock()
    async with transaction(runtime.sessions) as session:
        workspace = await get_workspace(session=session, team_id=team_id)
        if workspace is None:
            raise LookupError(f"workspace {team_id} does not exist")
        previous = sorted(read_work_days(workspace.settings))
        if not weekdays:
            admin = await is_admin(session=session, team_id=team_id, user_id=user_id)
            return build_notice(calendar_texts.work_week_shown(previous, admin))
        await require_admin(
            session=session, team_id=team_id, user_id=user_id, action="change the work week"
        )
        if sorted(set(weekdays)) == previous:
            return build_notice(calendar_texts.work_week_saved(previous, previous, 0))
        workspace.settings = with_work_days(workspace.settings, weekdays)
        session.add(workspace)
        done = await apply_to_every_setup(session, team_id=team_id, workspace=workspace, now=now)
        moved = done.moved
    return build_notice(calendar_texts.work_week_saved(sorted(set(weekdays)), previous, moved))
