"""When a check-in invitation takes answers, and when the next one comes.

An invitation can be answered from its prompt time until the next round begins for that
person (their next prompt time, or the next round's Monday if they are not invited to it),
and at most ``LATE_LIMIT`` after it closed. Answers after the invitation's ``closes_at`` are
kept and marked late. An invitation whose window passed before its prompt went out was never
offered, so it cannot be answered.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.checkins import texts_answers as texts
from bot.checkins.calendar import read_calendar
from bot.checkins.schedule import person_schedule
from bot.checkins.setups import default_settings
from bot.core.errors import UserInputError
from bot.core.local_time import zone
from bot.core.weeks import iso_week, week_monday
from storage.models import CheckinDelivery, CheckinRound, Workspace
from storage.repositories import checkins as repo
from storage.repositories.members import get_member
from storage.repositories.teams import members_by_team
from storage.repositories.workspaces import get_workspace

WEEKS_LOOKED_AHEAD = 3
LATE_LIMIT = timedelta(days=7)


async def ensure_answerable(
    *, session: AsyncSession, delivery: CheckinDelivery, round_: CheckinRound, now: datetime
) -> None:
    """Refuse an invitation that has not started, that closed before its prompt went out,
    or whose time has passed: the next round began for this person, or, with no next round,
    it closed more than ``LATE_LIMIT`` ago."""
    if now < delivery.prompt_at:
        tz = await zone_of(session=session, team_id=delivery.team_id, user_id=delivery.user_id)
        raise UserInputError(texts.none_open(delivery.prompt_at.astimezone(tz)))
    if delivery.state == repo.PENDING and now >= delivery.closes_at:
        raise UserInputError(texts.closed(round_.week))
    later = await repo.next_round(session=session, after=round_)
    if later is None or later.id is None:
        if now >= delivery.closes_at + LATE_LIMIT:
            raise UserInputError(texts.closed(round_.week))
        return
    mine = await repo.get_delivery(
        session=session, team_id=round_.team_id, round_id=later.id, user_id=delivery.user_id
    )
    begins = mine.prompt_at if mine else datetime.combine(week_monday(later.week), time(), UTC)
    if now >= begins:
        raise UserInputError(texts.old_round(round_.week, later.week, invited=mine is not None))


async def zone_of(
    *, session: AsyncSession, team_id: str, user_id: str, workspace: Workspace | None = None
) -> ZoneInfo:
    """The person's Slack time zone, else the workspace's, else UTC."""
    workspace = workspace or await get_workspace(session=session, team_id=team_id)
    member = await get_member(session=session, team_id=team_id, user_id=user_id)
    return zone(member.tz if member else None, workspace.timezone if workspace else None)


async def none_open_message(
    *, session: AsyncSession, team_id: str, user_id: str, now: datetime, upcoming: list[datetime]
) -> str:
    """Why there is nothing to answer: when the next check-in comes (``upcoming`` are the
    person's invitations not yet started), or that check-ins are off or not for them."""
    workspace = await get_workspace(session=session, team_id=team_id)
    tz = await zone_of(session=session, team_id=team_id, user_id=user_id, workspace=workspace)
    if upcoming:
        return texts.none_open(min(upcoming).astimezone(tz))
    settings = await default_settings(session, team_id)
    if not settings.enabled:
        return texts.CHECKINS_OFF
    if not settings.everyone and user_id not in settings.user_ids:
        teams = await members_by_team(session=session, team_id=team_id)
        if not any(user_id in teams.get(ref, []) for ref in settings.team_refs):
            return texts.NOT_INVITED
    calendar = await read_calendar(session, team_id, workspace.settings if workspace else None)
    for weeks in range(WEEKS_LOOKED_AHEAD):
        week = iso_week((now + timedelta(weeks=weeks)).date())
        if await repo.get_round(session=session, team_id=team_id, week=week):
            continue  # opened before this person joined: theirs is a later one
        times = person_schedule(week, settings, tz, calendar)
        if times is not None and times.prompt_at > now:
            return texts.none_open(times.prompt_at.astimezone(tz))
    return texts.none_open(None)
