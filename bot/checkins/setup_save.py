"""Saving the setup form: check it, store the setup, bring its open rounds in line with it
(``apply_to_open_rounds``) in the same transaction, and say when it next goes out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.checkins import texts_settings as settings_texts
from bot.checkins import texts_setups
from bot.checkins.blocks.settings_modal import Field, SettingsAnswers
from bot.checkins.calendar import read_calendar
from bot.checkins.reschedule import apply_to_open_rounds, when_next_goes_out
from bot.checkins.settings import CheckinSettings, config_of
from bot.checkins.setup_access import Viewer, load_viewer, refusal, setup_of
from bot.checkins.setup_form import Limits, read_setup_form
from bot.checkins.setups import DEFAULT_NAME, Setup, default_or_unsaved, ensure_default_setup
from bot.core.errors import FormErrors
from bot.core.local_time import person_zone, zone
from bot.core.request import RequestContext
from bot.core.runtime import Runtime
from bot.core.text_input import escape_mrkdwn
from bot.core.weeks import iso_week
from bot.slack.messages import build_notice
from bot.slack.outcome import Outcome
from storage.db import transaction
from storage.models import CheckinSetup, Team
from storage.repositories import checkin_setups as repo
from storage.repositories.teams import list_teams
from storage.repositories.workspaces import get_workspace


def _metadata_setup_id(metadata: Mapping[str, Any]) -> int | None:
    """The setup the form edits: None for a new one, 0 for the default not yet stored."""
    value = metadata.get("setup_id")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


async def _form_target(
    session: AsyncSession, team_id: str, viewer: Viewer, setup_id: int | None
) -> tuple[Setup | None, str]:
    """The setup being edited and who created it (None: a new one), or ``FormErrors`` when
    the person may not save it."""
    if setup_id is None:
        if not viewer.may_create:
            raise FormErrors({Field.NAME: texts_setups.NOT_ALLOWED_CREATE})
        return None, ""
    if setup_id == 0:
        found: Setup | None = await default_or_unsaved(session, team_id)
        created_by = ""
    else:
        row = await repo.get_setup(session=session, team_id=team_id, setup_id=setup_id)
        found = setup_of(row) if row is not None and row.archived_at is None else None
        created_by = row.created_by if row is not None else ""
    if found is None:
        raise FormErrors({Field.NAME: texts_setups.SETUP_GONE})
    if not viewer.may_edit(found, created_by):
        raise FormErrors({Field.NAME: refusal(found)})
    return found, created_by


async def _store(
    session: AsyncSession,
    *,
    team_id: str,
    user_id: str,
    target: Setup | None,
    name: str,
    settings: CheckinSettings,
) -> Setup:
    if target is None:
        row = await repo.insert_setup(
            session=session,
            team_id=team_id,
            name=name,
            config=config_of(settings),
            created_by=user_id,
        )
        if row is None:  # taken since the form was read
            raise FormErrors({Field.NAME: texts_setups.name_taken(name)})
        return replace(setup_of(row), settings=settings)
    setup_id = (await ensure_default_setup(session, team_id)).id if target.id == 0 else target.id
    await repo.save_setup(
        session=session, team_id=team_id, setup_id=setup_id, config=config_of(settings), name=name
    )
    return replace(target, id=setup_id, name=name, settings=settings)


def _anchored(settings: CheckinSettings, today_week: str) -> CheckinSettings:
    """Every other week counts from the week it was turned on in, unless it had a start."""
    if settings.every_weeks == 2 and settings.anchor_week is None:
        return settings.model_copy(update={"anchor_week": today_week})
    return settings


def _taken_names(rows: Sequence[CheckinSetup]) -> dict[str, int]:
    """Name key -> setup id; the default's name is taken (by id 0) before it is stored."""
    taken = {row.name_key: row.id or 0 for row in rows}
    if not any(row.default_key is not None for row in rows):
        taken.setdefault(repo.name_key(DEFAULT_NAME), 0)
    return taken


async def save_setup_answers(
    *, runtime: Runtime, team_id: str, user_id: str, answers: SettingsAnswers
) -> str:
    """Check the submitted form and store the setup; the confirmation, or ``FormErrors``
    (nothing stored)."""
    now = runtime.clock()
    async with transaction(runtime.sessions) as session:
        workspace = await get_workspace(session=session, team_id=team_id)
        if workspace is None:
            raise LookupError(f"workspace {team_id} does not exist")
        teams = await list_teams(session=session, team_id=team_id)
        viewer = await load_viewer(session, team_id, user_id, teams)
        target, _ = await _form_target(
            session, team_id, viewer, _metadata_setup_id(answers.metadata)
        )
        rows = await repo.list_setups(session=session, team_id=team_id, include_archived=True)
        limits = Limits(
            admin=viewer.admin,
            setup_id=target.id if target is not None else None,
            led_teams=viewer.led_teams,
            led_people=viewer.led_people,
            taken_names=_taken_names(rows),
        )
        form = read_setup_form(
            answers,
            current=target.settings if target is not None else CheckinSettings(),
            teams=teams,
            limits=limits,
        )
        week = iso_week(now.astimezone(zone(workspace.timezone)).date())
        setup = await _store(
            session,
            team_id=team_id,
            user_id=user_id,
            target=target,
            name=form.name,
            settings=_anchored(form.settings, week),
        )
        calendar = await read_calendar(session, team_id, workspace.settings)
        await apply_to_open_rounds(
            session,
            team_id=team_id,
            setup=setup,
            workspace_tz=workspace.timezone,
            calendar=calendar,
            now=now,
        )
        next_text = await when_next_goes_out(
            session,
            team_id=team_id,
            user_id=user_id,
            setup=setup,
            tz=await person_zone(session=session, team_id=team_id, user_id=user_id),
            calendar=calendar,
            now=now,
        )
    summary = setup_summary(setup.settings, teams)
    name = escape_mrkdwn(setup.name)
    return settings_texts.setup_saved(name, summary, next_text, created=target is None)


def setup_summary(settings: CheckinSettings, teams: Sequence[Team]) -> str:
    taking_part = [team for team in teams if team.id in settings.team_refs]
    sharing = list(teams) if settings.everyone else taking_part
    names = [escape_mrkdwn(team.name) for team in taking_part]
    who = texts_setups.who_label(names, len(settings.user_ids), everyone=settings.everyone)
    channel = texts_setups.channel_label(
        settings.channel_id, settings.channel_mode, team_channels=False
    )
    shares = settings.share_in_team_channels
    return settings_texts.settings_summary(
        enabled=settings.enabled,
        when=texts_setups.when_label(settings.days, settings.every_weeks),
        local_time=settings.local_time.strftime("%H:%M"),
        window=settings_texts.WINDOW_CHOICES[str(settings.window_days)],
        reminder=settings.reminder_at is not None,
        questions=sum(1 for question in settings.questions if question.kind in ("text", "number")),
        extras=[
            settings_texts.MOOD_QUESTION if kind == "mood" else settings_texts.GOALS_QUESTION
            for kind in ("mood", "goals")
            if any(question.kind == kind for question in settings.questions)
        ],
        who=who if settings.everyone else f"only {who}",
        channel=channel,
        shared=[
            f"{escape_mrkdwn(team.name)} (<#{team.channel_id}>)"
            for team in sharing
            if team.channel_id
        ]
        if shares
        else None,
        unshared=[escape_mrkdwn(team.name) for team in sharing if not team.channel_id]
        if shares
        else [],
    )


async def save_from_modal(request: RequestContext, answers: SettingsAnswers) -> Outcome:
    """The setup modal's submission: the confirmation, and the saver's Home redrawn."""
    sentence = await save_setup_answers(
        runtime=request.runtime, team_id=request.team_id, user_id=request.user_id, answers=answers
    )
    return Outcome.replying(build_notice(sentence), homes=[request.user_id])
