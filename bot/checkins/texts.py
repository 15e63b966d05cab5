"""What Northstar says in answer to ``/checkin`` and in the check-in settings form."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from enum import Enum

from bot.checkins.texts_prompts import when
from bot.core.weeks import week_label

CHECKIN_USAGE = "`/checkin help`"
USAGE = {
    "skip": "`/checkin skip [Daily stand-up]`",
    "pause": "`/checkin pause [Daily stand-up] until YYYY-MM-DD`",
    "resume": "`/checkin resume [Daily stand-up]`",
    "history": "`/checkin history [Daily stand-up]`",
    "status": "`/checkin status [Daily stand-up] [team Sales]`",
    "settings": "`/checkin settings`",
    "holidays": "`/checkin holidays [add | remove YYYY-MM-DD …]`",
    "new": "`/checkin new`",
    "setups": "`/checkin setups`",
    "edit": "`/checkin edit Daily stand-up`",
    "remove": "`/checkin remove Daily stand-up`",
    "workweek": "`/checkin workweek [sun-thu]`",
}

HELP_TITLE = "Check-ins: a few minutes each week on how your goals moved"
HELP_INTRO = (
    "Once a week Northstar asks everyone taking part a few short questions by direct message, "
    "at the same local time in each person's own time zone. Answers are kept in Northstar and, "
    "if an admin turned it on, shared in your team's channel."
)
HELP_COMMANDS: tuple[tuple[str, str], ...] = (
    ("/checkin", "Answer this week's check-in (or hear when the next one comes)."),
    ("/checkin skip", "Skip this week's check-in."),
    ("/checkin pause until YYYY-MM-DD", "No check-ins until that day, included (vacations)."),
    ("/checkin resume", "End a pause early."),
    ("/checkin history", "Your last 5 answers."),
    ("/checkin status [team Sales]", "Who answered this round. Admins and team leads."),
    ("/checkin settings", "Day, time, answer window, questions, who takes part. Admins."),
    ("/checkin holidays", "Workspace holidays; prompts on them move to the next working day."),
    ("/checkin holidays add|remove YYYY-MM-DD …", "Change the holidays. Admins."),
)
HELP_FOOTER = (
    "Check-ins are not anonymous (unlike pulse surveys): your team's leads and Northstar admins "
    "see who answered, and your answers are shared in your team's channel when that is on."
)


def day_text(day: date) -> str:
    return day.strftime("%a %-d %b %Y")


def next_sentence(next_prompt: datetime | None) -> str:
    """``next_prompt`` is in the person's own time zone."""
    if next_prompt is None:
        return "No check-in is scheduled for you."
    return f"Your next check-in comes {when(next_prompt)} (your time)."


CHECKINS_OFF_SHORT = "Check-ins are off in this workspace."
NOT_TAKING_PART = "Check-ins go to chosen teams only, and you are not in one of them."


# --- parsing ---------------------------------------------------------------------------------


def unknown_subcommand(word: str, known: Sequence[str]) -> str:
    names = ", ".join(f"`{name}`" for name in known)
    return f"`/checkin` has no subcommand {word}. It knows: {names}. Type {CHECKIN_USAGE}."


def nothing_after(word: str) -> str:
    return f"`/checkin {word}` takes nothing after it: {USAGE[word]}"


def not_a_date(shown: str, usage: str) -> str:
    return f"{shown} is not a date. Write dates as YYYY-MM-DD, e.g. 2026-12-24: {usage}"


def not_a_real_date(text: str, usage: str) -> str:
    return f"{text} is not a real calendar date (no such month or day). Try: {usage}"


def which_setup(word: str) -> str:
    return f"Which check-in? Name it: {USAGE[word]}. `/checkin setups` lists them."


def not_work_days(word: str) -> str:
    return (
        f"{word} is not a day. Give days as mon, tue, … sun, or a range such as sun-thu:"
        f" {USAGE['workweek']}"
    )


PAUSE_UNTIL = f"Until when? Give the last day of your absence: {USAGE['pause']}"
STATUS_FORM = f"Ask for the whole of your scope, or one team: {USAGE['status']}"
WHICH_TEAM = f"Which team? {USAGE['status']}"
HOLIDAYS_FORM = (
    "Use `/checkin holidays` to list them, or `add` / `remove` and dates: "
    "`/checkin holidays add YYYY-MM-DD YYYY-MM-DD`"
)


def which_days(verb: str) -> str:
    return f"Which days? Give one or more dates: `/checkin holidays {verb} YYYY-MM-DD`"


def too_many_days(limit: int) -> str:
    return f"Give at most {limit} dates at a time: `/checkin holidays add YYYY-MM-DD …`"


# --- skip, pause, resume, history ------------------------------------------------------------

CHECKINS_OFF = (
    "Check-ins are off in this workspace, so there is nothing to skip. An admin can turn them "
    "on with `/checkin settings`."
)


def nothing_to_skip(next_text: str) -> str:
    return (
        f"There is no check-in to skip yet. {next_text} Run `/checkin skip` once it is out, or "
        "to be left alone for a while: `/checkin pause until YYYY-MM-DD`."
    )


def already_answered(week: str) -> str:
    return (
        f"You already answered the check-in of the {week_label(week)}, so there is nothing "
        "to skip. "
        "Type `/checkin` to see or change your answers while it is open."
    )


def already_skipped(week: str, next_text: str) -> str:
    return f"You had already skipped the check-in of the {week_label(week)}. {next_text}"


def skipped(week: str, was_sent: bool, next_text: str) -> str:
    what = "No answer is expected from you." if was_sent else "You will not be asked."
    return f":white_check_mark: Skipped the check-in of the {week_label(week)}. {what} {next_text}"


def pause_not_future(until: date, today: date) -> str:
    return (
        f"{until.isoformat()} is not after today ({today.isoformat()}, your time). Give the last "
        f"day you are away, in the future: {USAGE['pause']}"
    )


def pause_too_far(until: date, limit: date) -> str:
    return (
        f"{until.isoformat()} is more than a year away; pause until {limit.isoformat()} at the "
        f"latest: {USAGE['pause']}"
    )


def paused(until: date, previous: date | None, next_text: str, open_week: str | None) -> str:
    parts = [f":palm_tree: Paused: no check-ins up to and including {day_text(until)}."]
    if previous is not None and previous != until:
        parts.append(f"(It was until {day_text(previous)}.)")
    parts.append(next_text)
    if open_week:
        parts.append(
            f"Your check-in of the {week_label(open_week)} is already out and stays open: "
            "answer it with `/checkin`, or `/checkin skip`."
        )
    parts.append("Back earlier? `/checkin resume`.")
    return " ".join(parts)


def resumed(next_text: str) -> str:
    return f":wave: Welcome back: your check-ins are on again. {next_text}"


def not_paused(next_text: str) -> str:
    return f"You were not paused; nothing changed. {next_text}"


HISTORY_EMPTY = (
    "You have not answered a check-in yet. When yours comes, answer it from the message or "
    "with `/checkin`."
)
HISTORY_HEADER = "Your last check-ins"
HISTORY_FOOTER = "Only you see this list. `/checkin` answers the current one."
ANSWERED_LATE = "answered late"
NO_ANSWER = "_no answer_"


def mood_line(mood: int) -> str:
    return f"{mood}/5"


def history_more(count: int) -> str:
    return f"…and {count} older check-in{'s' if count != 1 else ''} not shown."


# --- status ----------------------------------------------------------------------------------

STATUS_REFUSED = (
    ":no_entry: Only Northstar admins and team leads can see who answered a check-in. Type "
    "`/align teams` to see who leads your team."
)
STATUS_WORKSPACE = "everyone"
STATUS_FOOTER = (
    "Check-ins are not anonymous (unlike pulse surveys): leads and admins see who answered."
)


def status_not_lead(team: str) -> str:
    return f":no_entry: Only Northstar admins and the lead of {team} can see its check-in status."


def status_no_round(next_prompt_day: str) -> str:
    return (
        "No check-in has gone out yet, so there is nothing to count. The first one goes out "
        f"{next_prompt_day}, at each person's local time."
    )


def status_header(week: str, scope: str) -> str:
    return f"Check-in, {week_label(week)} · {scope}"


def status_nobody(week: str, scope: str) -> str:
    return (
        f"Nobody in {scope} was invited to the check-in of the {week_label(week)}: they "
        "joined after it opened, or their team does not take part (see `/checkin settings`)."
    )


def status_counts(
    *,
    invited: int,
    sent: int,
    answered: int,
    late: int,
    skipped: int,
    waiting: int,
    not_sent: int,
) -> str:
    late_text = f" ({late} late)" if late else ""
    parts = [
        f"*{invited}* invited",
        f"*{sent}* sent",
        f"*{answered}* answered{late_text}",
        f"*{skipped}* skipped",
    ]
    if waiting:
        parts.append(f"*{waiting}* not sent yet")
    if not_sent:
        parts.append(f"*{not_sent}* not sent")
    return " · ".join(parts)


class StatusGroup(Enum):
    """Where an invitation stands, in the order status lists them."""

    ANSWERED = "answered"
    OPEN = "open"
    NO_ANSWER = "no answer"
    WAITING = "waiting"
    SKIPPED = "skipped"
    NOT_TAKING_PART = "not taking part"
    UNREACHABLE = "unreachable"
    EXPIRED = "expired"


STATUS_TITLES = {
    StatusGroup.ANSWERED: "Answered",
    StatusGroup.OPEN: "Not answered yet",
    StatusGroup.NO_ANSWER: "Did not answer",
    StatusGroup.WAITING: "Not sent yet",
    StatusGroup.SKIPPED: "Skipped",
    StatusGroup.NOT_TAKING_PART: "Not sent: paused, left Slack or no longer taking part",
    StatusGroup.UNREACHABLE: "Not sent: could not be reached by direct message",
    StatusGroup.EXPIRED: "Not sent: their answer window had passed before it could go out",
}
STATUS_DUE_NOW = "due now, goes out within minutes"
STATUS_TIMES_YOURS = "Times are in your time zone."
LATE_MARK = "late"


def people_more(count: int) -> str:
    return f"and {count} more"


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


def holidays_added(added: list[date], already: list[date], scheduled_weeks: list[str]) -> str:
    parts = []
    if added:
        parts.append(":white_check_mark: Holiday added: " + _days(added) + ".")
    if already:
        verb = "was" if len(already) == 1 else "were"
        parts.append(f"{_days(already)} {verb} already a holiday; nothing changed there.")
    if added and scheduled_weeks:
        parts.append(
            f"The check-in of the {', '.join(map(week_label, scheduled_weeks))} is already "
            "scheduled and keeps its times; the holiday moves later check-ins."
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
