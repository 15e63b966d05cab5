"""What Northstar says in check-in prompts and reminders."""

from __future__ import annotations

from datetime import datetime


def when(moment: datetime) -> str:
    """A local time the way people read it: ``Tue 1 Dec, 23:59``."""
    return moment.strftime("%a %-d %b, %H:%M")


def prompt_text(week: str, closes_local: datetime) -> str:
    return (
        f":wave: It's check-in time ({week}). Three short questions on how your goals moved, "
        f"what blocks you and what comes next, and your goals' numbers in the same form. "
        f"Answer by {when(closes_local)}."
    )


def reminder_text(week: str, closes_local: datetime) -> str:
    return (
        f":hourglass_flowing_sand: A reminder: your check-in for {week} is still open until "
        f"{when(closes_local)}. It takes a minute."
    )


ANSWER_BUTTON = "Answer check-in"
SKIP_BUTTON = "Skip this week"
PROMPT_FOOTER = (
    "Going on holiday? `/checkin pause until YYYY-MM-DD`. Your lead sees your answers"
    " in Northstar; nothing is posted elsewhere unless your team shares check-ins in its channel."
)
