"""Parse the text of ``/checkin`` into a command, or say exactly what was wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.checkins import texts
from bot.core.errors import UserInputError
from bot.core.text_input import check_command_text, check_name, echo, split_first_word
from storage.models import SETUP_NAME_MAX_CHARS, TEAM_NAME_MAX_CHARS

MAX_HOLIDAYS_AT_ONCE = 31
_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_TEAM_WORD = re.compile(r"\steam(\s|$)")
_SUBCOMMANDS = (
    "help",
    "skip",
    "pause",
    "resume",
    "history",
    "status",
    "settings",
    "holidays",
    "new",
    "setups",
    "edit",
    "remove",
    "workweek",
)
_ALIASES = {
    "?": "help",
    "holiday": "holidays",
    "unpause": "resume",
    "setup": "setups",
    "list": "setups",
    "delete": "remove",
    "archive": "remove",
    "work-week": "workweek",
}
# Words for days in ``/checkin workweek sun-thu`` or ``mon,tue,wed``; 0 = Monday.
_DAY_WORDS = {
    name: number
    for number, names in enumerate(
        (
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        )
    )
    for name in names
}


class CheckinAction(StrEnum):
    OPEN = "open"
    HELP = "help"
    SKIP = "skip"
    PAUSE = "pause"
    RESUME = "resume"
    HISTORY = "history"
    STATUS = "status"
    SETTINGS = "settings"
    HOLIDAYS_LIST = "holidays_list"
    HOLIDAYS_ADD = "holidays_add"
    HOLIDAYS_REMOVE = "holidays_remove"
    NEW = "new"
    SETUPS = "setups"
    EDIT = "edit"
    REMOVE = "remove"
    WORK_WEEK = "workweek"


@dataclass(frozen=True)
class CheckinCommand:
    """A parsed ``/checkin``. ``setup`` names the setup it is about ("" = the default for
    status and history, every setup for pause and resume, the open one for skip);
    ``weekdays`` is a new work week (empty: show it)."""

    action: CheckinAction
    days: tuple[date, ...] = ()
    team_name: str = ""
    setup: str = ""
    weekdays: tuple[int, ...] = ()


def parse_checkin(raw_text: str | None) -> CheckinCommand:
    text = check_command_text(raw_text, usage=texts.CHECKIN_USAGE)
    word, rest = split_first_word(text)
    word = _ALIASES.get(word, word)
    if not word:
        return CheckinCommand(CheckinAction.OPEN)
    if word == "help":
        return CheckinCommand(CheckinAction.HELP)
    if word not in _SUBCOMMANDS:
        raise UserInputError(texts.unknown_subcommand(echo(word), _SUBCOMMANDS))
    if word == "pause":
        return _parse_pause(rest)
    if word == "status":
        return _parse_status(rest)
    if word == "holidays":
        return _parse_holidays(rest)
    if word == "workweek":
        return _parse_work_week(rest)
    if word in ("edit", "remove"):
        if not rest:
            raise UserInputError(texts.which_setup(word))
        return CheckinCommand(CheckinAction(word), setup=_setup_name(rest, word))
    if word in ("skip", "resume", "history") and rest:
        return CheckinCommand(CheckinAction(word), setup=_setup_name(rest, word))
    if rest:
        raise UserInputError(texts.nothing_after(word))
    return CheckinCommand(CheckinAction(word))


def parse_day(text: str, *, usage: str) -> date:
    """A calendar day written ``YYYY-MM-DD`` in ASCII digits, or an error that shows the form."""
    if not _ISO_DAY.match(text):
        raise UserInputError(texts.not_a_date(echo(text), usage))
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserInputError(texts.not_a_real_date(text, usage)) from None


def _setup_name(text: str, word: str) -> str:
    return check_name(
        text, what="check-in name", max_chars=SETUP_NAME_MAX_CHARS, usage=texts.USAGE[word]
    )


def _parse_pause(rest: str) -> CheckinCommand:
    """``pause [Setup name] [until] YYYY-MM-DD``: the words after ``until`` (else the last
    word) are the day; the words before name one setup, none means every setup."""
    words = rest.split()
    lowered = [word.lower() for word in words]
    if "until" in lowered:
        at = lowered.index("until")
        before, after = words[:at], words[at + 1 :]
    else:
        before, after = words[:-1], words[-1:]
    if not after:
        raise UserInputError(texts.PAUSE_UNTIL)
    if len(after) != 1 or (not _ISO_DAY.match(after[0]) and not before):
        raise UserInputError(texts.not_a_date(echo(" ".join(after)), texts.USAGE["pause"]))
    day = parse_day(after[0], usage=texts.USAGE["pause"])
    setup = _setup_name(" ".join(before), "pause") if before else ""
    return CheckinCommand(CheckinAction.PAUSE, days=(day,), setup=setup)


def _parse_status(rest: str) -> CheckinCommand:
    """``status [Setup name] [team Sales]``."""
    if not rest:
        return CheckinCommand(CheckinAction.STATUS)
    if rest.strip() == "team":
        raise UserInputError(texts.WHICH_TEAM)
    padded = " " + rest
    found = _TEAM_WORD.search(padded)
    setup_text = padded[: found.start()] if found else rest
    name = padded[found.end() :] if found else ""
    team_word = found is not None
    setup = _setup_name(setup_text, "status") if setup_text.strip() else ""
    if not team_word:
        return CheckinCommand(CheckinAction.STATUS, setup=setup)
    if not name.strip():
        raise UserInputError(texts.WHICH_TEAM)
    name = check_name(
        name, what="team name", max_chars=TEAM_NAME_MAX_CHARS, usage=texts.USAGE["status"]
    )
    return CheckinCommand(CheckinAction.STATUS, team_name=name, setup=setup)


def _parse_work_week(rest: str) -> CheckinCommand:
    """``workweek`` shows it; ``workweek sun-thu`` or ``workweek mon,tue,wed,thu`` sets it."""
    if not rest:
        return CheckinCommand(CheckinAction.WORK_WEEK)
    weekdays: set[int] = set()
    for part in rest.lower().replace(",", " ").split():
        first, dash, last = part.partition("-")
        if first not in _DAY_WORDS or (dash and last not in _DAY_WORDS):
            raise UserInputError(texts.not_work_days(echo(part)))
        start, end = _DAY_WORDS[first], _DAY_WORDS[last] if dash else _DAY_WORDS[first]
        weekdays.update((start + n) % 7 for n in range((end - start) % 7 + 1))
    return CheckinCommand(CheckinAction.WORK_WEEK, weekdays=tuple(sorted(weekdays)))


def _parse_holidays(rest: str) -> CheckinCommand:
    verb, dates = split_first_word(rest)
    if verb in ("", "list"):
        if dates:
            raise UserInputError(texts.HOLIDAYS_FORM)
        return CheckinCommand(CheckinAction.HOLIDAYS_LIST)
    if verb not in ("add", "remove"):
        raise UserInputError(texts.HOLIDAYS_FORM)
    words = dates.replace(",", " ").split()
    if not words:
        raise UserInputError(texts.which_days(verb))
    if len(words) > MAX_HOLIDAYS_AT_ONCE:
        raise UserInputError(texts.too_many_days(MAX_HOLIDAYS_AT_ONCE))
    usage = f"`/checkin holidays {verb} YYYY-MM-DD`"
    days = tuple(sorted({parse_day(word, usage=usage) for word in words}))
    action = CheckinAction.HOLIDAYS_ADD if verb == "add" else CheckinAction.HOLIDAYS_REMOVE
    return CheckinCommand(action, days=days)
