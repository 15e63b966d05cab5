"""The periods a setup's rounds belong to: an ISO week (``2026-W48``) for a check-in that
runs once a week, a date (``2026-11-26``) for a stand-up that runs on several days."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.checkins.settings import CheckinSettings
from bot.core.weeks import day_label, iso_week, week_label, week_monday

LOOKAHEAD = timedelta(days=2)  # rounds open this far ahead, so nobody's morning is missed
LOOKBACK = timedelta(days=1)  # a stand-up day still running somewhere west of UTC


def is_week(period: str) -> bool:
    return "-W" in period


def period_key(settings: CheckinSettings, day: date) -> str:
    return day.isoformat() if settings.is_stand_up else iso_week(day)


def period_week(period: str) -> str:
    """The ISO week a period lies in."""
    return period if is_week(period) else iso_week(date.fromisoformat(period))


def period_label(period: str) -> str:
    """``week of 30 Nov`` or ``Tue 3 Dec``: a period as people read it."""
    if is_week(period):
        return week_label(period)
    day = date.fromisoformat(period)
    return f"{day:%a} {day_label(day)}"


def runs_in_week(settings: CheckinSettings, week: str) -> bool:
    """Every week, or for every other week, the weeks of the anchor week's parity."""
    if settings.every_weeks == 1 or settings.anchor_week is None:
        return True
    weeks_apart = (week_monday(week) - week_monday(settings.anchor_week)).days // 7
    return weeks_apart % 2 == 0


def runs_in_period(settings: CheckinSettings, period: str) -> bool:
    """Whether the settings still hold this period: a week for a weekly setup (and, every
    other week, one of its weeks), one of its days for a stand-up."""
    if is_week(period) == settings.is_stand_up:
        return False  # a weekly round of a setup now a stand-up, or the other way round
    if not is_week(period) and date.fromisoformat(period).weekday() not in settings.days:
        return False
    return runs_in_week(settings, period_week(period))


def due_periods(settings: CheckinSettings, now: datetime) -> list[str]:
    """The periods whose round should exist at ``now`` (a UTC moment): for a weekly setup
    this week and, once near, the next; for a stand-up each of its days from yesterday to
    ``LOOKAHEAD`` ahead (yesterday is still today west of UTC)."""
    if not settings.is_stand_up:
        weeks = dict.fromkeys(iso_week(moment.date()) for moment in (now, now + LOOKAHEAD))
        return [week for week in weeks if runs_in_week(settings, week)]
    first, last = (now - LOOKBACK).date(), (now + LOOKAHEAD).date()
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [
        day.isoformat()
        for day in days
        if day.weekday() in settings.days and runs_in_week(settings, iso_week(day))
    ]
