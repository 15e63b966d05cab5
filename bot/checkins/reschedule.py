"""Settings saved mid-week reach this week's round: what is not sent yet follows them.

A round fixes its invitations' times when it opens, so without this a workspace that sets its
check-in day after installing would prompt nobody in its first week. Saving the settings
therefore, in the same transaction: opens the rounds that should exist by now (check-ins just
turned on), gives every invitation still ``pending`` the times of the new settings in its
person's own time zone, cancels the ones that must not go out (check-ins off, or the person's
team no longer takes part), and replaces a round's questions while none of its prompts has
left. Rows that are being sent or were sent are never touched: each change is a conditional
UPDATE on ``state = 'pending'``, the same condition the fan-out's claim needs.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.checkins import texts_settings as settings_texts
from bot.checkins.rounds import open_round, round_weeks, taking_part
from bot.checkins.schedule import person_schedule
from bot.checkins.settings import CheckinSettings
from bot.core.local_time import zone
from bot.core.weeks import iso_week
from storage.repositories import checkin_calendar as calendar_repo
from storage.repositories import checkin_times as times_repo
from storage.repositories import checkins as repo

logger = logging.getLogger(__name__)

TURNED_OFF = "check-ins turned off"
NOT_TAKING_PART = "team no longer takes part"
WEEKS_AHEAD = 3


@dataclass(frozen=True)
class Rescheduled:
    """What saving the settings did to the rounds already open."""

    moved: int
    cancelled: int
    opened: tuple[str, ...]


async def apply_to_open_rounds(
    session: AsyncSession,
    *,
    team_id: str,
    settings: CheckinSettings,
    workspace_tz: str,
    now: datetime,
) -> Rescheduled:
    """Bring this week's round (and next week's, when open) in line with ``settings``, in the
    caller's transaction."""
    opened = [
        week
        for week in round_weeks(now)
        if await open_round(session, team_id=team_id, week=week, settings=settings, tz=workspace_tz)
    ]
    rounds = await times_repo.rounds_from(
        session=session, team_id=team_id, week=iso_week(now.date())
    )
    if not rounds:
        return Rescheduled(0, 0, tuple(opened))
    people = {m.user_id: m for m in await taking_part(session, team_id, settings)}
    holidays = set(await calendar_repo.list_holidays(session=session, team_id=team_id))
    moved = cancelled = 0
    for round_ in rounds:
        assert round_.id is not None
        rows = await repo.round_deliveries(session=session, team_id=team_id, round_id=round_.id)
        for row in rows:
            if row.state != repo.PENDING or row.id is None:
                continue
            member = people.get(row.user_id)
            if not settings.enabled or member is None:
                reason = TURNED_OFF if not settings.enabled else NOT_TAKING_PART
                cancelled += await times_repo.cancel_pending(
                    session=session, delivery_id=row.id, reason=reason
                )
                continue
            times = person_schedule(round_.week, settings, zone(member.tz, workspace_tz), holidays)
            moved += await times_repo.reschedule_pending(
                session=session,
                delivery_id=row.id,
                prompt_at=times.prompt_at,
                remind_at=times.remind_at,
                closes_at=times.closes_at,
            )
        if settings.enabled:
            await times_repo.replace_questions_if_unsent(
                session=session,
                round_id=round_.id,
                questions=[question.model_dump() for question in settings.questions],
            )
    logger.info(
        "check-in settings saved: %d invitations moved, %d cancelled, rounds opened: %s",
        moved,
        cancelled,
        ", ".join(opened) or "none",
    )
    return Rescheduled(moved, cancelled, tuple(opened))


def when_next_goes_out(
    settings: CheckinSettings, tz: ZoneInfo, holidays: Collection[date], now: datetime
) -> str:
    """The sentence telling the admin, on their own clock, when the next check-in goes out."""
    if not settings.enabled:
        return settings_texts.NOTHING_GOES_OUT
    today = now.astimezone(tz).date()
    this_week = iso_week(today)
    for weeks in range(WEEKS_AHEAD):
        week = iso_week(today + timedelta(weeks=weeks))
        times = person_schedule(week, settings, tz, holidays)
        if times.closes_at <= now:
            continue
        if times.prompt_at <= now:
            return settings_texts.goes_out_late(
                times.prompt_at.astimezone(tz), times.closes_at.astimezone(tz)
            )
        return settings_texts.next_goes_out(
            times.prompt_at.astimezone(tz), next_week=week != this_week
        )
    return settings_texts.NOTHING_GOES_OUT
