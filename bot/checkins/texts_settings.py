"""What Northstar says in the check-in setup form (admins and team leads): labels, hints and
mistakes, and the confirmation once a setup is saved."""

from __future__ import annotations

from datetime import datetime

from bot.checkins.texts_prompts import by_end_of
from bot.core.weeks import moment_label

SETTINGS_TITLE = "Check-in settings"
NEW_TITLE = "New check-in"
EDIT_TITLE = "Edit check-in"
SETTINGS_INTRO = (
    "Changes apply at once to check-ins not sent yet, this week's included; check-ins already "
    "sent keep their deadline. Questions change for a round only while none of it is sent."
)
NEW_INTRO = "A check-in of its own: its people, days, time and questions."
NAME_LABEL = "Name"
NAME_HINT = "Up to 80 characters, e.g. Daily stand-up. People name it in `/checkin skip NAME`."
ENABLED_LABEL = "Check-ins"
ENABLED_ON = "On"
ENABLED_OFF = "Off: no new rounds"
DAYS_LABEL = "Days"
DAYS_HINT = "One day: a weekly check-in. Several days: a stand-up, one round a day."
EVERY_LABEL = "How often"
EVERY_WEEK = "Every week"
EVERY_OTHER_WEEK = "Every other week, starting this week"
TIME_LABEL = "Local time"
TIME_HINT = "In each person's Slack time zone; the workspace's for people without one."
WINDOW_LABEL = "Answers taken until"
WINDOW_HINT = (
    "A check-in on several days must close before its next day: "
    "the end of the same day for a daily stand-up."
)
WINDOW_CHOICES = {
    "0": "The end of the same day",
    "1": "The end of the next day",
    "2": "The end of the 2nd day after",
    "3": "The end of the 3rd day after",
    **{str(days): f"The end of the {days}th day after" for days in range(4, 7)},
}
REMINDER_LABEL = "Reminder"
REMINDER_OFF = "No reminder"
REMINDER_HALF = "Halfway through the answer window"
QUESTIONS_LABEL = "Questions, one per line"
QUESTIONS_HINT = (
    "Up to 8 questions in all, the mood and goal updates below included; each up to 150 "
    "characters. End a line with “(optional)” for a question people may leave empty, and "
    "with “(number)” for one answered with a number."
)
EXTRAS_LABEL = "Also ask"
EXTRAS_MOOD = "A mood from 1 to 5"
EXTRAS_GOALS = "Updates of their goals' progress"
TEAMS_LABEL = "Teams taking part"
TEAMS_HINT = "Leave teams and people empty for everyone in the workspace (admins only)."
PEOPLE_LABEL = "People taking part"
PEOPLE_HINT = "As well as the teams' members."
NO_TEAMS = "To ask only some teams, create teams with `/align team add`."
CHANNEL_LABEL = "Post answers in a channel"
CHANNEL_HINT = "Optional. Invite Northstar to a private channel first."
CHANNEL_MODE_LABEL = "In that channel"
CHANNEL_THREAD = "One thread a round, every answer in it"
CHANNEL_SUMMARY = "Only a summary when the round closes"
SHARE_LABEL = "Share answers"
SHARE_OFF = "Not in team channels"
SHARE_ON = "Also in each team's channel"
SHARE_HINT = (
    "One message a round in each team's channel, answers as thread replies. A team's channel "
    "is set when it is created: /align team add Sales #sales."
)

CHOOSE_FROM_LIST = "Choose one of the options."
TIME_INVALID = "Pick a time, e.g. 09:00."
NO_QUESTIONS = "Ask at least one question: type it on a line of its own."
TEAM_GONE = "A chosen team no longer exists; choose again."
NO_CHANNELS = (
    "None of the teams taking part has a channel. Create teams with a channel "
    "(/align team add Sales #sales) or keep answers in Northstar."
)


def too_many_questions(count: int, limit: int, extras: list[str]) -> str:
    if not extras:
        return f"That is {count} questions; ask at most {limit}."
    them = "them" if len(extras) > 1 else "it"
    return (
        f"That is {count} questions; ask at most {limit} with {' and '.join(extras)} on "
        f"(turn {them} off for more)."
    )


MOOD_QUESTION = "the mood question"
GOALS_QUESTION = "goal updates"
NO_DAYS = "Choose at least one day."


def window_too_long(longest: int) -> str:
    choice = WINDOW_CHOICES[str(longest)]
    return (
        "A check-in on several days must close before its next day: with these days choose "
        f"“{choice}”{' or earlier' if longest else ''}."
    )


def question_too_long(number: int, length: int, limit: int) -> str:
    return f"Question {number} is {length} characters long; the most is {limit}."


def question_repeated(number: int) -> str:
    return f"Question {number} is asked twice; remove one."


def question_markup(number: int) -> str:
    return f"Question {number} contains a mention or link (<@…>, <!…>, <#…>); remove it."


def question_control(number: int) -> str:
    return f"Question {number} contains an invisible control character; retype it."


def question_empty(number: int) -> str:
    return f"Question {number} has no words besides “(optional)” or “(number)”."


def setup_saved(name: str, summary: str, next_text: str, *, created: bool) -> str:
    """``name`` is escaped."""
    verb = "created" if created else "saved"
    return f":white_check_mark: *{name}* {verb}: {summary} {next_text}"


NOTHING_GOES_OUT = "No check-in goes out while check-ins are off; nothing still to send is sent."


def next_goes_out(prompt_local: datetime, *, next_week: bool) -> str:
    """``prompt_local`` is on the admin's own clock."""
    moment = moment_label(prompt_local)
    if next_week:
        return (
            "This week's check-in time has passed for you, so the next check-in goes out next "
            f"week: {moment} your time."
        )
    return f"The next check-in goes out {moment} your time."


def goes_out_late(prompt_local: datetime, closes_local: datetime) -> str:
    return (
        f"This week's check-in time, {moment_label(prompt_local)} your time, has passed; it goes "
        f"out within a few minutes and takes answers {by_end_of(closes_local)}."
    )


def settings_summary(
    *,
    enabled: bool,
    when: str,
    local_time: str,
    window: str,
    reminder: bool,
    questions: int,
    extras: list[str],
    who: str,
    channel: str,
    shared: list[str] | None,
    unshared: list[str],
) -> str:
    """``when`` and ``who`` are mrkdwn already (``every *Monday*``, ``only Sales``)."""
    if not enabled:
        return "it is *off*; no new rounds open."
    extra_text = "".join(f" and {extra}" for extra in extras)
    parts = [
        f"{when} at *{local_time}* in each person's time zone",
        f"answers until {window[0].lower() + window[1:]}",
        "a reminder halfway" if reminder else "no reminder",
        f"{questions} question{'s' if questions != 1 else ''}{extra_text}",
        f"{who} take{'s' if who == 'everyone' else ''} part",
    ]
    sentence = "; ".join(parts) + "."
    if channel:
        sentence += f" Answers are posted in {channel}."
    if shared is None:
        return sentence + ("" if channel else " Answers stay in Northstar.")
    sentence += " Answers are shared in " + ", ".join(shared) + "."
    if unshared:
        sentence += f" Not shared for {', '.join(unshared)}: no channel."
    return sentence
