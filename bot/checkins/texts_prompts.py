"""What Northstar says in check-in prompts and reminders."""

from __future__ import annotations

from datetime import datetime, timedelta


def when(moment: datetime) -> str:
    """A local time the way people read it: ``Tue 1 Dec, 09:00``."""
    return moment.strftime("%a %-d %b, %H:%M")


def by_end_of(closes_local: datetime) -> str:
    """The deadline as people say it: a check-in closing at midnight is due "by the end of
    Tue 1 Dec"; any other time reads "by Tue 1 Dec, 17:00"."""
    if (closes_local.hour, closes_local.minute) == (0, 0):
        return "by the end of " + (closes_local - timedelta(minutes=1)).strftime("%a %-d %b")
    return "by " + when(closes_local)


def prompt_text(week: str, closes_local: datetime, questions: int) -> str:
    count = f"{questions} short question{'s' if questions != 1 else ''}" if questions else "a few"
    return (
        f":wave: It's check-in time ({week}): {count} on how your work went, and your goals' "
        f"numbers in the same form. Answer {by_end_of(closes_local)}."
    )


def reminder_text(week: str, closes_local: datetime) -> str:
    return (
        f":hourglass_flowing_sand: A reminder: your check-in for {week} is still open; answer "
        f"{by_end_of(closes_local)}. It takes a minute."
    )


ANSWER_BUTTON = "Answer check-in"
SKIP_BUTTON = "Skip this week"
PROMPT_FOOTER = (
    "Going on holiday? `/checkin pause until YYYY-MM-DD`. Your lead sees your answers"
    " in Northstar. The weekly digest counts blockers by team; your words are posted only if"
    " your team shares check-ins in its channel (then your blocker may be quoted in the digest)."
)
