"""What Northstar says about the workspace's calendar: its work week and its holidays."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.checkins.texts import USAGE, day_text, weekday_list

# --- work week -------------------------------------------------------------------------------


def work_week_shown(days: Sequence[int], admin: bool) -> str:
    text = (
        f"The work week is {weekday_list(days)}. A weekly check-in that would fall on another "
        "day goes out the next working day; stand-ups run on their own days."
    )
    if admin:
        text += f" Change it with {USAGE['workweek']}, e.g. `/checkin workweek sun-thu`."
    return text


def work_week_saved(days: Sequence[int], previous: Sequence[int], moved: int) -> str:
    if sorted(days) == sorted(previous):
        return f"The work week already was {weekday_list(days)}; nothing changed."
    text = (
        f":white_check_mark: The work week is now {weekday_list(days)} "
        f"(it was {weekday_list(previous)}). Every check-in follows it."
    )
    if moved:
        plural = "s" if moved != 1 else ""
        text += f" {moved} invitation{plural} not sent yet moved to the new working days."
    return text


# --- holidays --------------------------------------------------------------------------------

HOLIDAYS_HEADER = "Upcoming holidays"
HOLIDAYS_NONE = (
    "No upcoming holidays. Admins add them with `/checkin holidays add YYYY-MM-DD`; a check-in "
    "that would fall on one goes out the next working day."
)
HOLIDAYS_FOOTER = "A check-in that would fall on a holiday goes out the next working day."


def holidays_more(count: int) -> str:
    return f"…and {count} more."


def holiday_in_past(day: date, today: date) -> str:
    return (
        f"{day.isoformat()} is in the past (today is {today.isoformat()}); holidays only change "
        f"check-ins to come. Nothing was added: {USAGE['holidays']}"
    )


def holiday_too_far(day: date, limit: date) -> str:
    return (
        f"{day.isoformat()} is more than two years away; add holidays up to "
        f"{limit.isoformat()}. Nothing was added: {USAGE['holidays']}"
    )


def holidays_added(added: list[date], already: list[date], changed: int) -> str:
    parts = []
    if added:
        parts.append(":white_check_mark: Holiday added: " + _days(added) + ".")
    if already:
        verb = "was" if len(already) == 1 else "were"
        parts.append(f"{_days(already)} {verb} already a holiday; nothing changed there.")
    if added and changed:
        parts.append(
            f"{changed} check-in invitation{'s' if changed != 1 else ''} not sent yet moved to"
            " the next working day, or were called off for a stand-up's day off."
        )
    return " ".join(parts)


def holidays_removed(removed: list[date], missing: list[date]) -> str:
    parts = []
    if removed:
        parts.append(":white_check_mark: No longer a holiday: " + _days(removed) + ".")
    if missing:
        verb = "was" if len(missing) == 1 else "were"
        parts.append(
            f"{_days(missing)} {verb} not a holiday; nothing changed there. See them with "
            "`/checkin holidays`."
        )
    return " ".join(parts)


def _days(days: Sequence[date]) -> str:
    return ", ".join(day_text(day) for day in days)
