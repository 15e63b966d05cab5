"""Parse the text of ``/checkin`` into a command, or say exactly what was wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.checkins import texts
from bot.core.errors import UserInputError
from bot.core.text_input import check_command_text, check_name, echo, split_first_word
from storage.models import TEAM_NAME_MAX_CHARS

MAX_HOLIDAYS_AT_ONCE = 31
_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_SUBCOMMANDS = ("help", "skip", "pause", "resume", "history", "status", "settings", "holidays")
_ALIASES = {"?": "help", "holiday": "holidays", "unpause": "resume"}


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


@dataclass(frozen=True)
class CheckinCommand:
    action: CheckinAction
    days: tuple[date, ...] = ()
    team_name: str = ""


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


def _parse_pause(rest: str) -> CheckinCommand:
    word, day_text = split_first_word(rest)
    if word != "until":
        day_text = rest  # `/checkin pause 2026-12-24` is understood too
    if not day_text:
        raise UserInputError(texts.PAUSE_UNTIL)
    if len(day_text.split()) != 1:
        raise UserInputError(texts.not_a_date(echo(day_text), texts.USAGE["pause"]))
    day = parse_day(day_text, usage=texts.USAGE["pause"])
    return CheckinCommand(CheckinAction.PAUSE, days=(day,))


def _parse_status(rest: str) -> CheckinCommand:
    if not rest:
        return CheckinCommand(CheckinAction.STATUS)
    word, name = split_first_word(rest)
    if word != "team":
        raise UserInputError(texts.STATUS_FORM)
    if not name:
        raise UserInputError(texts.WHICH_TEAM)
    name = check_name(
        name, what="team name", max_chars=TEAM_NAME_MAX_CHARS, usage=texts.USAGE["status"]
    )
    return CheckinCommand(CheckinAction.STATUS, team_name=name)


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
