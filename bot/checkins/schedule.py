"""When each person's prompt, reminder and deadline fall, in their own time zone.

A weekly setup's round belongs to an ISO week: the prompt goes out on its day at its local
time in the person's Slack time zone (falling back to the workspace's, then UTC); a prompt
day that is off (a holiday, or outside the work week and not the setup's own day) moves to
the next working day. A stand-up's round belongs to one day: on a holiday nobody is asked.
Answers are taken until the end of the local day ``window_days`` after the prompt day. The
reminder goes on the day ``reminder_at`` of the way through that window, at the same local
time as the prompt (or at that moment itself when that day is the prompt day); on a day off
it moves to the next working day, and it is dropped if that is past the deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.checkins.calendar import WorkCalendar
from bot.checkins.periods import is_week
from bot.checkins.settings import CheckinSettings
from bot.core.weeks import week_monday


def next_working_day(day: date, settings: CheckinSettings, calendar: WorkCalendar) -> date:
    for _ in range(60):
        if not calendar.is_off(day, settings.days):
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


def prompt_day(period: str, settings: CheckinSettings, calendar: WorkCalendar) -> date | None:
    """The local day the period's prompt goes out on, or None (a stand-up's holiday)."""
    if is_week(period):
        nominal = week_monday(period) + timedelta(days=settings.weekday)
        return next_working_day(nominal, settings, calendar)
    day = date.fromisoformat(period)
    return None if day in calendar.holidays else day


def person_schedule(
    period: str, settings: CheckinSettings, tz: ZoneInfo, calendar: WorkCalendar
) -> PersonSchedule | None:
    day = prompt_day(period, settings, calendar)
    if day is None:
        return None
    prompt_at = _at(day, settings.local_time, tz)
    closes_at = _at(day + timedelta(days=settings.window_days + 1), time(0, 0), tz)
    remind_at = None
    if settings.reminder_at is not None:
        halfway = prompt_at + (closes_at - prompt_at) * settings.reminder_at
        remind_day = next_working_day(halfway.astimezone(tz).date(), settings, calendar)
        moment = halfway if remind_day == day else _at(remind_day, settings.local_time, tz)
        remind_at = moment if prompt_at < moment < closes_at else None
    return PersonSchedule(prompt_at, remind_at, closes_at)
