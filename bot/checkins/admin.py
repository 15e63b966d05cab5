"""Check-ins run by admins and leads: the settings form, workspace holidays, a round's status.

Knows nothing of Bolt. Saved settings also move the invitations of open rounds that are not
sent yet (``bot/checkins/reschedule.py``); holidays change only rounds opened afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.checkins import texts as checkin_texts
from bot.checkins import texts_settings as settings_texts
from bot.checkins.blocks import settings_modal as form
from bot.checkins.blocks.lists import build_holidays, build_status
from bot.checkins.calendar import read_calendar
from bot.checkins.reschedule import apply_to_open_rounds, when_next_goes_out
from bot.checkins.settings import WEEKDAYS, CheckinSettings
from bot.checkins.settings_form import read_settings_form
from bot.checkins.setups import (
    default_or_unsaved,
    default_settings,
    ensure_default_setup,
    save_settings,
)
from bot.core import texts
from bot.core.errors import FormErrors, PermissionDenied, UserInputError
from bot.core.local_time import person_zone, zone
from bot.core.runtime import Runtime
from bot.core.weeks import iso_week
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
    async with runtime.sessions() as session:
        await require_admin(
            session=session, team_id=team_id, user_id=user_id, action="change check-in settings"
        )
        workspace = await get_workspace(session=session, team_id=team_id)
        teams = await list_teams(session=session, team_id=team_id)
        tz = await person_zone(session=session, team_id=team_id, user_id=user_id)
        setup = await default_or_unsaved(session, team_id)
        next_text = await when_next_goes_out(
            session,
            team_id=team_id,
            user_id=user_id,
            setup=setup,
            tz=tz,
            calendar=await read_calendar(
                session, team_id, workspace.settings if workspace else None
            ),
            now=runtime.clock(),
        )
    return form.build_settings_form(
        settings=setup.settings,
        teams=teams,
        metadata={"response_url": response_url},
        next_text=next_text,
    )


async def save_settings_form(
    *, runtime: Runtime, team_id: str, user_id: str, answers: form.SettingsAnswers
) -> str:
    """Check the submitted form and store it; returns the confirmation, or ``FormErrors``."""
    now = runtime.clock()
    async with transaction(runtime.sessions) as session:
        if not await is_admin(session=session, team_id=team_id, user_id=user_id):
            raise FormErrors({form.Field.ENABLED: texts.not_admin("change check-in settings")})
        workspace = await get_workspace(session=session, team_id=team_id)
        if workspace is None:
            raise LookupError(f"workspace {team_id} does not exist")
        teams = await list_teams(session=session, team_id=team_id)
        current = await ensure_default_setup(session, team_id)
        settings = read_settings_form(answers, current=current.settings, teams=teams)
        await save_settings(session, team_id, current.id, settings)
        setup = replace(current, settings=settings)
        calendar = await read_calendar(session, team_id, workspace.settings)
        await apply_to_open_rounds(
            session,
            team_id=team_id,
            setup=setup,
            workspace_tz=workspace.timezone,
            calendar=calendar,
            now=now,
        )
        tz = await person_zone(session=session, team_id=team_id, user_id=user_id)
        next_text = await when_next_goes_out(
            session,
            team_id=team_id,
            user_id=user_id,
            setup=setup,
            tz=tz,
            calendar=calendar,
            now=now,
        )
    return settings_texts.settings_saved(_summary(settings, teams), next_text)


def _summary(settings: CheckinSettings, teams: Sequence[Team]) -> str:
    taking_part = [team for team in teams if team.id in settings.team_refs]
    sharing = taking_part if settings.team_refs else list(teams)
    return settings_texts.settings_summary(
        enabled=settings.enabled,
        weekday=WEEKDAYS[settings.weekday],
        local_time=settings.local_time.strftime("%H:%M"),
        window=settings_texts.WINDOW_CHOICES[str(settings.window_days)],
        reminder=settings.reminder_at is not None,
        questions=sum(1 for question in settings.questions if question.kind == "text"),
        mood=any(question.kind == "mood" for question in settings.questions),
        teams=[team.name for team in taking_part] if settings.team_refs else None,
        shared=[f"{team.name} (<#{team.channel_id}>)" for team in sharing if team.channel_id]
        if settings.share_in_team_channels
        else None,
        unshared=[team.name for team in sharing if not team.channel_id]
        if settings.share_in_team_channels
        else [],
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
                raise UserInputError(checkin_texts.holiday_in_past(day, today))
            if day > today + HOLIDAY_HORIZON:
                raise UserInputError(checkin_texts.holiday_too_far(day, today + HOLIDAY_HORIZON))
        added = [
            day
            for day in days
            if await calendar_repo.add_holiday(session=session, team_id=team_id, day=day)
        ]
        rounds = await repo.rounds_of_weeks(
            session=session, team_id=team_id, weeks=[iso_week(day) for day in added]
        )
    already = [day for day in days if day not in added]
    return build_notice(checkin_texts.holidays_added(added, already, sorted(rounds)))


async def remove_holidays(
    *, runtime: Runtime, team_id: str, user_id: str, days: Sequence[date]
) -> Reply:
    async with transaction(runtime.sessions) as session:
        await require_admin(
            session=session, team_id=team_id, user_id=user_id, action="change the holidays"
        )
        removed = [
            day
            for day in days
            if await calendar_repo.remove_holiday(session=session, team_id=team_id, day=day)
        ]
    missing = [day for day in days if day not in removed]
    return build_notice(checkin_texts.holidays_removed(removed, missing))


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
    *, runtime: Runtime, team_id: str, user_id: str, team_name: str = ""
) -> Reply:
    """How many of the person's scope answered this round, and who (never what)."""
    now = runtime.clock()
    async with runtime.sessions() as session:
        scope = await _status_scope(session, team_id=team_id, user_id=user_id, team_name=team_name)
        found = await repo.round_until(
            session=session, team_id=team_id, period=iso_week(now.date())
        )
        if found is None or found.id is None:
            settings = await default_settings(session, team_id)
            when = f"on {WEEKDAYS[settings.weekday]} at {settings.local_time.strftime('%H:%M')}"
            return build_notice(checkin_texts.status_no_round(when))
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
        tz = await person_zone(session=session, team_id=team_id, user_id=user_id)
    label = checkin_texts.STATUS_WORKSPACE if scope is None else ", ".join(t.name for t in scope)
    return build_status(
        week=found.week,
        scope=label,
        deliveries=invitations,
        late={answer.user_id for answer in answers if answer.late},
        now=now,
        tz=tz,
    )
