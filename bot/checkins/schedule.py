"""When each person's prompt, reminder and deadline fall, in their own time zone.

A round belongs to an ISO week. The prompt goes out on the settings' weekday at the settings'
local time in the person's Slack time zone (falling back to the workspace's, then UTC). A
prompt day that is a holiday, or a weekend day the settings did not choose, moves to the next
working day. Answers are taken until the end of the local day ``window_days`` after the
prompt day. The reminder goes on the day ``reminder_at`` of the way through that window, at
the same local time as the prompt (or at that halfway moment itself when that day is the
prompt day); on a weekend or holiday it moves to the next working day, and it is dropped if
that is past the deadline.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.checkins.settings import CheckinSettings
from bot.core.weeks import week_monday

WEEKEND = (5, 6)


def _is_off(day: date, settings: CheckinSettings, holidays: Collection[date]) -> bool:
    if day in holidays:
        return True
    return day.weekday() in WEEKEND and day.weekday() != settings.weekday


def next_working_day(day: date, settings: CheckinSettings, holidays: Collection[date]) -> date:
    for _ in range(60):
        if not _is_off(day, settings, holidays):
            return day
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class PersonSchedule:
    prompt_at: datetime
    remind_at: datetime | None
    closes_at: datetime


def _at(day: date, clock: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


def person_schedule(
    week: str, settings: CheckinSettings, tz: ZoneInfo, holidays: Collection[date]
) -> PersonSchedule:
    prompt_day = next_working_day(
        week_monday(week) + timedelta(days=settings.weekday), settings, holidays
    )
    prompt_at = _at(prompt_day, settings.local_time, tz)
    closes_at = _at(prompt_day + timedelta(days=settings.window_days + 1), time(0, 0), tz)
    remind_at = None
    if settings.reminder_at is not None:
        halfway = prompt_at + (closes_at - prompt_at) * settings.reminder_at
        day = next_working_day(halfway.astimezone(tz).date(), settings, holidays)
        moment = halfway if day == prompt_day else _at(day, settings.local_time, tz)
        remind_at = moment if prompt_at < moment < closes_at else None
    return PersonSchedule(prompt_at, remind_at, closes_at)
