"""What Northstar says in check-in prompts and reminders."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.checkins.periods import is_week, period_label
from bot.core.weeks import week_label


def week_heading(week: str) -> str:
    """``Week of 2 Mar``: the week at the start of a sentence or as a heading."""
    label = week_label(week)
    return label[:1].upper() + label[1:]


def when(moment: datetime) -> str:
    """A local time the way people read it: ``Tue 1 Dec, 09:00``."""
    return moment.strftime("%a %-d %b, %H:%M")


def by_end_of(closes_local: datetime) -> str:
    """The deadline as people say it: a check-in closing at midnight is due "by the end of
    Tue 1 Dec"; any other time reads "by Tue 1 Dec, 17:00"."""
    if (closes_local.hour, closes_local.minute) == (0, 0):
        return "by the end of " + (closes_local - timedelta(minutes=1)).strftime("%a %-d %b")
    return "by " + when(closes_local)


def _named(setup_name: str | None, period: str) -> str:
    """``check-in (week of 2 Mar)`` for the default setup; ``*Daily stand-up* (Tue 3 Mar)``
    for any other, whose (escaped) name people chose."""
    label = period_label(period)
    return f"*{setup_name}* ({label})" if setup_name else f"check-in ({label})"


def prompt_text(
    period: str,
    closes_local: datetime,
    questions: int,
    setup_name: str | None = None,
    *,
    goals: bool = True,
) -> str:
    count = f"{questions} short question{'s' if questions != 1 else ''}" if questions else "a few"
    opening = (
        f"It's time for {_named(setup_name, period)}"
        if setup_name
        else f"It's check-in time ({period_label(period)})"
    )
    if not questions and goals:
        asks = "your goals' numbers"
    elif goals:
        asks = f"{count} on how your work went, and your goals' numbers in the same form"
    else:
        asks = f"{count} on how your work went"
    return f":wave: {opening}: {asks}. Answer {by_end_of(closes_local)}."


def reminder_text(period: str, closes_local: datetime, setup_name: str | None = None) -> str:
    return (
        f":hourglass_flowing_sand: A reminder: your {_named(setup_name, period)} is still"
        f" open; answer {by_end_of(closes_local)}. It takes a minute."
    )


def skip_button(period: str) -> str:
    return SKIP_BUTTON if is_week(period) else "Skip today"


ANSWER_BUTTON = "Answer check-in"
SKIP_BUTTON = "Skip this week"
SNOOZE_HOUR_BUTTON = "Snooze 1 h"
SNOOZE_MORNING_BUTTON = "Tomorrow morning"

NO_SUCH_REMINDER = "There is no such check-in of yours. Open yours with `/checkin`."
SNOOZE_ANSWERED = "You already answered this check-in, so no reminder is needed."
SNOOZE_SKIPPED = "You skipped this check-in, so no reminder comes. Changed your mind? `/checkin`."
SNOOZE_CLOSED = "This check-in no longer takes answers on time, so there is nothing to remind."


def snoozed(remind_local: datetime, closes_local: datetime) -> str:
    return (
        f":alarm_clock: Snoozed: the reminder comes again {when(remind_local)} (your time). "
        f"Answers are taken {by_end_of(closes_local)}."
    )


def already_snoozed(remind_local: datetime, closes_local: datetime) -> str:
    return (
        f"Your reminder already comes {when(remind_local)} (your time); nothing changed. "
        f"Answers are taken {by_end_of(closes_local)}."
    )


def snooze_too_late(remind_local: datetime, closes_local: datetime) -> str:
    return (
        f"The check-in closes before {when(remind_local)}, so no reminder can come then. "
        f"Answers are taken {by_end_of(closes_local)}: answer it now, or skip this week."
    )


def setup_footer(channel_id: str | None, summary_only: bool) -> str:
    """The prompt's small print for a setup other than the weekly check-in: where answers go."""
    if channel_id and not summary_only:
        shared = f"Your answers are posted in <#{channel_id}>, in this check-in's thread."
    elif channel_id:
        shared = f"<#{channel_id}> gets only a summary: counts, never your words."
    else:
        shared = "Your answers stay in Northstar, for you and your team's lead."
    return f"Away? `/checkin pause until YYYY-MM-DD` pauses all your check-ins. {shared}"


PROMPT_FOOTER = (
    "Going on holiday? `/checkin pause until YYYY-MM-DD`. Your lead sees your answers"
    " in Northstar. The weekly digest counts blockers by team; your words are posted only if"
    " your team shares check-ins in its channel (then your blocker may be quoted in the digest)."
)
