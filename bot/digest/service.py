"""Carry out ``/align digest …``: show, set up, preview, post now, turn off.

Knows nothing of Bolt. Everything that changes the settings or posts is for admins; showing
the settings is for everyone. Settings live in ``workspace.settings["digest"]`` and are
changed read-modify-write inside one transaction, as the check-in settings are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.local_time import person_zone
from bot.core.request import RequestContext
from bot.core.runtime import Runtime
from bot.core.weeks import iso_week
from bot.digest import texts
from bot.digest.blocks.post import build_digest_post
from bot.digest.commands import DigestAction, DigestCommand
from bot.digest.delivery import DeliveryReport, post_now, preview
from bot.digest.model import COMPANY_SCOPE
from bot.digest.settings import (
    DigestSettings,
    load_digest_settings,
    read_digest_settings,
    with_digest_settings,
)
from bot.people.admins import require_admin
from bot.slack.messages import MESSAGE_BLOCKS_MAX, Reply, build_notice, context
from storage.db import transaction
from storage.models import Team
from storage.repositories.digest import posts_of_week
from storage.repositories.teams import list_teams
from storage.repositories.workspaces import get_workspace

Change = Callable[[DigestCommand, DigestSettings, ZoneInfo, datetime], DigestSettings]


async def run_digest_command(command: DigestCommand, request: RequestContext) -> Reply:
    """Do what the command asks and return the reply for the person who typed it."""
    runtime, client = request.runtime, request.client
    team_id, user_id = request.team_id, request.user_id
    if command.action is DigestAction.SHOW:
        return build_notice(await _shown(runtime, team_id))
    if command.action is DigestAction.PREVIEW:
        return await _preview(runtime, team_id, user_id)
    if command.action is DigestAction.NOW:
        return build_notice(await _post_now(runtime, client, team_id, user_id))
    return build_notice(await _change(command, runtime, team_id, user_id))


# --- showing ---------------------------------------------------------------------------------


async def _shown(runtime: Runtime, team_id: str) -> str:
    now = runtime.clock()
    async with runtime.sessions() as session:
        settings = await load_digest_settings(session=session, team_id=team_id)
        teams = await list_teams(session=session, team_id=team_id)
        week = settings.week_at(now)
        posts = await posts_of_week(session=session, team_id=team_id, week=week)
    team_sentence = texts.team_digests_sentence(settings.team_digests, *_team_channels(teams))
    if settings.channel_id is None:
        return texts.shown_off(f"{team_sentence}\n{texts.mentions_sentence(settings.mentions)}")
    company_posted = any(
        post.scope == COMPANY_SCOPE and post.channel_id == settings.channel_id for post in posts
    )
    next_day = next_digest_day(settings, now, skip_this_week=company_posted)
    return texts.shown_on(
        channel_id=settings.channel_id,
        when=_when(settings),
        team_sentence=team_sentence,
        week=week,
        posted_in=list(dict.fromkeys(post.channel_id for post in posts)),
        next_sentence=texts.next_digest(next_day, settings.local_time),
        mentions=settings.mentions,
    )


# --- changing the settings -------------------------------------------------------------------


async def _change(command: DigestCommand, runtime: Runtime, team_id: str, user_id: str) -> str:
    now = runtime.clock()
    action, change = _CHANGES[command.action]
    async with transaction(runtime.sessions) as session:
        await require_admin(session=session, team_id=team_id, user_id=user_id, action=action)
        workspace = await get_workspace(session=session, team_id=team_id)
        if workspace is None:
            raise LookupError(f"workspace {team_id} does not exist")
        before = read_digest_settings(workspace.settings)
        admin_zone = await person_zone(session=session, team_id=team_id, user_id=user_id)
        after = change(command, before, admin_zone, now)
        teams = await list_teams(session=session, team_id=team_id)
        posted_in = await _posted_channels(session, team_id, after.week_at(now))
        if after != before:
            # A new dict, assigned: SQLAlchemy does not see changes made inside a JSON value.
            workspace.settings = with_digest_settings(workspace.settings, after)
            workspace.updated_at = now
            session.add(workspace)
    if command.action is DigestAction.OFF:
        return texts.turned_off(before.channel_id) if before.channel_id else texts.ALREADY_OFF
    if command.action is DigestAction.MENTIONS:
        return texts.mentions_set(after.mentions)
    if command.action is DigestAction.TEAMS:
        with_channel, without_channel = _team_channels(teams)
        return texts.teams_set(
            enabled=after.team_digests,
            company_channel=after.channel_id,
            with_channel=with_channel,
            without_channel=without_channel,
        )
    assert after.channel_id is not None
    first = next_digest_day(after, now, skip_this_week=after.channel_id in posted_in)
    return texts.digest_set(
        channel_id=after.channel_id, when=_when(after), first=first, team_digests=after.team_digests
    )


def _scheduled(
    command: DigestCommand, settings: DigestSettings, admin_zone: ZoneInfo, now: datetime
) -> DigestSettings:
    """The new schedule, in the admin's own time zone; what was not typed stays as it was."""
    return _updated(
        settings,
        channel_id=command.channel_id,
        weekday=settings.weekday if command.weekday is None else command.weekday,
        local_time=settings.local_time if command.local_time is None else command.local_time,
        timezone=admin_zone.key,
        configured_at=now,
    )


def _teams_switched(
    command: DigestCommand, settings: DigestSettings, _zone: ZoneInfo, _now: datetime
) -> DigestSettings:
    return _updated(settings, team_digests=bool(command.team_digests))


def _mentions_switched(
    command: DigestCommand, settings: DigestSettings, _zone: ZoneInfo, _now: datetime
) -> DigestSettings:
    return _updated(settings, mentions=bool(command.mentions))


def _turned_off(
    _command: DigestCommand, settings: DigestSettings, _zone: ZoneInfo, _now: datetime
) -> DigestSettings:
    return _updated(settings, channel_id=None)


def _updated(settings: DigestSettings, **changes: object) -> DigestSettings:
    """A validated copy: what is stored must read back, or the digest would silently stop."""
    return DigestSettings.model_validate({**settings.model_dump(), **changes})


_CHANGES: dict[DigestAction, tuple[str, Change]] = {
    DigestAction.SET: (texts.ACTION_SET, _scheduled),
    DigestAction.TEAMS: (texts.ACTION_TEAMS, _teams_switched),
    DigestAction.MENTIONS: (texts.ACTION_MENTIONS, _mentions_switched),
    DigestAction.OFF: (texts.ACTION_OFF, _turned_off),
}


# --- preview and posting now -----------------------------------------------------------------


async def _preview(runtime: Runtime, team_id: str, user_id: str) -> Reply:
    """The company digest as it would be posted now, for the admin alone; nothing recorded."""
    async with runtime.sessions() as session:
        await require_admin(
            session=session, team_id=team_id, user_id=user_id, action=texts.ACTION_PREVIEW
        )
    reply = build_digest_post(await preview(runtime=runtime, team_id=team_id, now=runtime.clock()))
    if len(reply["blocks"]) < MESSAGE_BLOCKS_MAX:
        reply["blocks"].insert(0, context(texts.PREVIEW_NOTE))
    return reply


async def _post_now(runtime: Runtime, client: AsyncWebClient, team_id: str, user_id: str) -> str:
    async with runtime.sessions() as session:
        await require_admin(
            session=session, team_id=team_id, user_id=user_id, action=texts.ACTION_NOW
        )
    report = await post_now(runtime=runtime, client=client, team_id=team_id, now=runtime.clock())
    if report is None:
        return texts.NO_CHANNEL
    return delivery_summary(report)


def delivery_summary(report: DeliveryReport) -> str:
    """What ``/align digest now`` did, in plain words: posted, finished, already there, failed."""
    lines = []
    if report.posted:
        lines.append(texts.posted(report.week, [t.channel_id for t in report.posted]))
    if report.resumed:
        lines.append(texts.resumed(report.week, [t.channel_id for t in report.resumed]))
    if report.taken:
        lines.append(texts.taken(report.week, [t.channel_id for t in report.taken]))
    lines += [texts.failed(target.channel_id, error) for target, error in report.failed]
    return "\n".join(lines) or texts.NOTHING_POSTED


# --- helpers ---------------------------------------------------------------------------------


def next_digest_day(settings: DigestSettings, now: datetime, *, skip_this_week: bool) -> date:
    """The day of the next digest moment at or after ``now`` (from next week on when this
    week's is already posted), in the digest's time zone."""
    tz = settings.zone
    today = now.astimezone(tz).date()
    day = today + timedelta(days=(settings.weekday - today.weekday()) % 7)
    if skip_this_week and iso_week(day) == iso_week(today):
        day += timedelta(days=7)
    if datetime.combine(day, settings.local_time, tzinfo=tz) < now:
        day += timedelta(days=7)
    return day


def _when(settings: DigestSettings) -> str:
    return texts.weekly_when(settings.weekday, settings.local_time, settings.timezone)


async def _posted_channels(session: AsyncSession, team_id: str, week: str) -> set[str]:
    posts = await posts_of_week(session=session, team_id=team_id, week=week)
    return {post.channel_id for post in posts if post.scope == COMPANY_SCOPE}


def _team_channels(teams: Sequence[Team]) -> tuple[list[tuple[str, str]], list[str]]:
    """Teams with a channel as (name, channel id), and the names of those without one."""
    with_channel = [(team.name, team.channel_id) for team in teams if team.channel_id]
    without_channel = [team.name for team in teams if not team.channel_id]
    return with_channel, without_channel
