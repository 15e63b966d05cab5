"""What Northstar says in answer to ``/checkin`` and in the check-in settings form."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from enum import Enum

from bot.checkins.texts_answers import the_checkin, week_label
from bot.checkins.texts_prompts import when

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
    "Northstar asks everyone taking part a few short questions by direct message, at the same "
    "local time in each person's own time zone: the weekly check-in, and any other check-in "
    "your admins set up (a daily stand-up, say). Answers are kept in Northstar and, if an "
    "admin turned it on, shared in your team's channel. `NAME` below is a check-in's name, "
    "such as `Daily stand-up`; leave it out for your current one."
)
HELP_COMMANDS: tuple[tuple[str, str], ...] = (
    ("/checkin", "Answer your open check-in (or hear when the next one comes)."),
    ("/checkin skip [NAME]", "Skip your open check-in, or that check-in's."),
    (
        "/checkin pause [NAME] until YYYY-MM-DD",
        "No check-ins (or none of that one) until that day, included (vacations).",
    ),
    ("/checkin resume [NAME]", "End a pause early."),
    ("/checkin history [NAME]", "Your last 5 answers, of every check-in or of that one."),
    (
        "/checkin status [NAME] [team Sales]",
        "Who answered this round. Admins and team leads.",
    ),
    ("/checkin setups", "The workspace's check-ins: who, which days, what time."),
    ("/checkin new", "Set up another check-in, such as a daily stand-up. Admins and leads."),
    ("/checkin edit NAME", "Change a check-in. Admins and leads."),
    ("/checkin remove NAME", "Stop a check-in; its answers are kept. Admins and leads."),
    ("/checkin settings", "Day, time, answer window, questions, who takes part. Admins."),
    ("/checkin workweek [sun-thu]", "The working days every check-in follows. Admins change it."),
    ("/checkin holidays", "Workspace holidays; prompts on them move to the next working day."),
    ("/checkin holidays add|remove YYYY-MM-DD …", "Change the holidays. Admins."),
)
HELP_FOOTER = (
    "Check-ins are not anonymous (unlike pulse surveys): your team's leads and Northstar admins "
    "see who answered, and your answers are shared in your team's channel when that is on."
)


def day_text(day: date) -> str:
    return day.strftime("%a %-d %b %Y")


def next_sentence(next_prompt: datetime | None, setup_name: str | None = None) -> str:
    """``next_prompt`` is in the person's own time zone; ``setup_name`` (escaped) names a
    setup other than the default."""
    if next_prompt is None:
        return "No check-in is scheduled for you."
    if setup_name:
        return f"Your next check-in, *{setup_name}*, comes {when(next_prompt)} (your time)."
    return f"Your next check-in comes {when(next_prompt)} (your time)."


def no_such_setup(name: str) -> str:
    """``name`` is shown escaped."""
    return f"There is no check-in called {name}. `/checkin setups` lists them."


def setup_off(name: str) -> str:
    return f"*{name}* is turned off, so it sends no check-ins. `/checkin setups` lists them."


def setup_not_yours(name: str) -> str:
    return (
        f"You do not take part in *{name}*, so there is nothing of it to skip or pause. "
        "`/checkin setups` lists the check-ins and who takes part."
    )


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


def nothing_to_skip(next_text: str, setup_name: str | None = None) -> str:
    what = f"*{setup_name}* has no check-in" if setup_name else "There is no check-in"
    return (
        f"{what} to skip yet. {next_text} Run `/checkin skip` once it is out, or "
        "to be left alone for a while: `/checkin pause until YYYY-MM-DD`."
    )


def already_answered(week: str, setup_name: str | None = None) -> str:
    return (
        f"You already answered {the_checkin(week, setup_name)}, so there is nothing "
        "to skip. "
        "Type `/checkin` to see or change your answers while it is open."
    )


def already_skipped(week: str, next_text: str, setup_name: str | None = None) -> str:
    return f"You had already skipped {the_checkin(week, setup_name)}. {next_text}"


def skipped(week: str, was_sent: bool, next_text: str, setup_name: str | None = None) -> str:
    what = "No answer is expected from you." if was_sent else "You will not be asked."
    return f":white_check_mark: Skipped {the_checkin(week, setup_name)}. {what} {next_text}"


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


def paused(
    until: date,
    previous: date | None,
    next_text: str,
    open_week: str | None,
    setup_name: str | None = None,
    open_setup_name: str | None = None,
) -> str:
    """``setup_name``: the one setup paused (escaped); None: every setup."""
    what = f"no *{setup_name}* check-ins" if setup_name else "no check-ins"
    parts = [f":palm_tree: Paused: {what} up to and including {day_text(until)}."]
    if previous is not None and previous != until:
        parts.append(f"(It was until {day_text(previous)}.)")
    parts.append(next_text)
    if open_week:
        label = the_checkin(open_week, open_setup_name).replace("the check-in", "Your check-in")
        parts.append(
            f"{label} is already out and stays open: answer it with `/checkin`, or `/checkin skip`."
        )
    again = f"`/checkin resume {setup_name}`" if setup_name else "`/checkin resume`"
    parts.append(f"Back earlier? {again}.")
    return " ".join(parts)


def resumed(next_text: str, setup_name: str | None = None) -> str:
    what = f"*{setup_name}* check-ins are" if setup_name else "your check-ins are"
    return f":wave: Welcome back: {what} on again. {next_text}"


def not_paused(next_text: str, setup_name: str | None = None) -> str:
    what = f"You had not paused *{setup_name}*" if setup_name else "You were not paused"
    return f"{what}; nothing changed. {next_text}"


def still_paused_for_all(until: date) -> str:
    return (
        f"Your pause of every check-in still runs up to and including {day_text(until)}: "
        "`/checkin resume` ends it."
    )


HISTORY_EMPTY = (
    "You have not answered a check-in yet. When yours comes, answer it from the message or "
    "with `/checkin`."
)
HISTORY_HEADER = "Your last check-ins"


def history_header(setup_name: str) -> str:
    """``setup_name`` as typed: a header is plain text."""
    return f"Your last check-ins: {setup_name}"


def history_empty_of(setup_name: str) -> str:
    return (
        f"You have not answered *{setup_name}* yet. `/checkin history` shows your answers "
        "to every check-in."
    )


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


def status_no_round(next_prompt_day: str, setup_name: str | None = None) -> str:
    what = f"No check-in of *{setup_name}* has" if setup_name else "No check-in has"
    return (
        f"{what} gone out yet, so there is nothing to count. The first one goes out "
        f"{next_prompt_day}, at each person's local time."
    )


def status_header(week: str, scope: str, setup_name: str | None = None) -> str:
    """Plain text: ``setup_name`` as typed."""
    return f"{setup_name or 'Check-in'}, {week_label(week)} · {scope}"


def status_nobody(week: str, scope: str, setup_name: str | None = None) -> str:
    return (
        f"Nobody in {scope} was invited to {the_checkin(week, setup_name)}: they "
        "joined after it opened, or their team does not take part (see `/checkin setups`)."
    )


def weekday_list(days: Sequence[int]) -> str:
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    return ", ".join(names[day] for day in sorted(days))


def runs_on(days: Sequence[int], local_time: str) -> str:
    return f"on {weekday_list(days)} at {local_time}"


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
