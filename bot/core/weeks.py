"""Weeks as the code keys them (ISO ``2026-W10``) and as people read them ("week of 2 Mar")."""

from __future__ import annotations

from datetime import date, datetime


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_monday(week: str) -> date:
    year, number = week.split("-W")
    return date.fromisocalendar(int(year), int(number), 1)


def day_label(day: date) -> str:
    """``2 Mar``: a date as people say it, no leading zero, no year."""
    return f"{day.day} {day:%b}"


def week_label(week: str) -> str:
    """``week of 2 Mar`` for ``2026-W10``; the ISO key itself is never shown to people."""
    return f"week of {day_label(week_monday(week))}"


def moment_label(moment: datetime) -> str:
    """``Thursday 2 Mar, 10:00`` in the zone ``moment`` carries."""
    return f"{moment:%A} {day_label(moment.date())}, {moment:%H:%M}"
