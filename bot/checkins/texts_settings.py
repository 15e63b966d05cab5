"""What Northstar says in the check-in settings form (admins): labels, hints and mistakes."""

from __future__ import annotations

from datetime import datetime

from bot.checkins.texts_prompts import by_end_of
from bot.core.weeks import moment_label

SETTINGS_TITLE = "Check-in settings"
SETTINGS_INTRO = (
    "Changes apply at once to check-ins not sent yet, this week's included; check-ins already "
    "sent keep their deadline. Questions change for a week only while none of it is sent."
)
ENABLED_LABEL = "Check-ins"
ENABLED_ON = "On: ask every week"
ENABLED_OFF = "Off: no new rounds"
WEEKDAY_LABEL = "Day of the week"
TIME_LABEL = "Local time"
TIME_HINT = "In each person's Slack time zone; the workspace's for people without one."
WINDOW_LABEL = "Answers taken until"
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
    "Up to 6 (5 with the mood question), each up to 150 characters. End a line with "
    "“(optional)” for a question people may leave empty."
)
MOOD_LABEL = "Mood question (1 to 5)"
MOOD_ON = "Ask for a mood from 1 to 5"
MOOD_OFF = "No mood question"
WHO_LABEL = "Who takes part"
WHO_EVERYONE = "Everyone in the workspace"
WHO_TEAMS = "Only the teams chosen below"
TEAMS_LABEL = "Teams taking part"
TEAMS_HINT = "Used when only chosen teams take part."
NO_TEAMS = "Everyone takes part. To ask only some teams, create teams with `/align team add`."
SHARE_LABEL = "Share answers"
SHARE_OFF = "Keep answers in Northstar"
SHARE_ON = "Share in each team's channel"
SHARE_HINT = (
    "One message a week in each team's channel, answers as thread replies. A team's channel is "
    "set when it is created: /align team add Sales #sales."
)

CHOOSE_FROM_LIST = "Choose one of the options."
TIME_INVALID = "Pick a time, e.g. 09:00."
NO_QUESTIONS = "Ask at least one question: type it on a line of its own."
CHOOSE_TEAMS = "Choose at least one team, or let everyone take part."
TEAM_GONE = "A chosen team no longer exists; choose again."
NO_CHANNELS = (
    "None of the teams taking part has a channel. Create teams with a channel "
    "(/align team add Sales #sales) or keep answers in Northstar."
)


def too_many_questions(count: int, limit: int, mood: bool) -> str:
    tail = " with the mood question on (turn it off for one more)" if mood else ""
    return f"That is {count} questions; ask at most {limit}{tail}."


def question_too_long(number: int, length: int, limit: int) -> str:
    return f"Question {number} is {length} characters long; the most is {limit}."


def question_repeated(number: int) -> str:
    return f"Question {number} is asked twice; remove one."


def question_markup(number: int) -> str:
    return f"Question {number} contains a mention or link (<@…>, <!…>, <#…>); remove it."


def question_control(number: int) -> str:
    return f"Question {number} contains an invisible control character; retype it."


def question_empty(number: int) -> str:
    return f"Question {number} has no words besides “(optional)”."


def settings_saved(summary: str, next_text: str) -> str:
    return f":white_check_mark: Check-in settings saved: {summary} {next_text}"


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
    weekday: str,
    local_time: str,
    window: str,
    reminder: bool,
    questions: int,
    mood: bool,
    teams: list[str] | None,
    shared: list[str] | None,
    unshared: list[str],
) -> str:
    if not enabled:
        return "check-ins are *off*; no new rounds open."
    who = "everyone takes part" if teams is None else "only " + ", ".join(teams) + " take part"
    mood_text = " and a mood from 1 to 5" if mood else ""
    parts = [
        f"every *{weekday}* at *{local_time}* in each person's time zone",
        f"answers until {window[0].lower() + window[1:]}",
        "a reminder halfway" if reminder else "no reminder",
        f"{questions} question{'s' if questions != 1 else ''}{mood_text}",
        who,
    ]
    sentence = "; ".join(parts) + "."
    if shared is None:
        return sentence + " Answers stay in Northstar."
    sentence += " Answers are shared in " + ", ".join(shared) + "."
    if unshared:
        sentence += f" Not shared for {', '.join(unshared)}: no channel."
    return sentence
