"""Parse the text after ``/align digest`` into a command, or say exactly what was wrong.

Forms: nothing (show the settings), ``#channel [day] [time]`` (day and time in either order),
``teams on|off``, ``mentions on|off``, ``preview``, ``now`` and ``off``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from enum import StrEnum

from bot.core.errors import UserInputError
from bot.core.text_input import (
    check_command_text,
    echo,
    normalize,
    parse_channel_mention,
    split_first_word,
)
from bot.digest import texts


class DigestAction(StrEnum):
    SHOW = "show"
    SET = "set"
    TEAMS = "teams"
    MENTIONS = "mentions"
    PREVIEW = "preview"
    NOW = "now"
    OFF = "off"


@dataclass(frozen=True)
class DigestCommand:
    """``weekday`` (0 = Monday) and ``local_time`` are None when not typed: the stored ones
    (Friday 16:00 unless set before) stay."""

    action: DigestAction
    channel_id: str | None = None
    weekday: int | None = None
    local_time: time | None = None
    team_digests: bool | None = None
    mentions: bool | None = None


_DAYS = {
    **{name: n for n, name in enumerate(("monday", "tuesday", "wednesday", "thursday"))},
    **{name: n + 4 for n, name in enumerate(("friday", "saturday", "sunday"))},
    **{name: n for n, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    "tues": 1,
    "thur": 3,
    "thurs": 3,
}
_CLOCK = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")
_TWELVE_HOUR = re.compile(r"^([0-9]{1,2})(?::([0-9]{2}))?([ap])\.?m\.?$", re.IGNORECASE)
_TIME_LIKE = re.compile(r"^[0-9][0-9:.]*([ap]\.?m\.?|h)?$", re.IGNORECASE)
_SINGLE_WORDS = {
    "preview": DigestAction.PREVIEW,
    "now": DigestAction.NOW,
    "off": DigestAction.OFF,
}
_SWITCH = {"on": True, "off": False}


def parse_digest(raw_text: str | None) -> DigestCommand:
    text = check_command_text(raw_text, usage=usage_for(split_first_word(normalize(raw_text))[0]))
    word, rest = split_first_word(text)
    if word in ("", "help", "?", "settings", "status"):
        if rest:
            raise UserInputError(texts.takes_nothing_more(word))
        return DigestCommand(DigestAction.SHOW)
    if word in _SINGLE_WORDS:
        if rest:
            raise UserInputError(texts.takes_nothing_more(word))
        return DigestCommand(_SINGLE_WORDS[word])
    if word == "teams":
        return _parse_teams(rest)
    if word in ("mentions", "mention"):
        return _parse_mentions(rest)
    if word == "on":  # "/align digest on #general" reads naturally too
        if not rest:
            raise UserInputError(texts.ON_NEEDS_CHANNEL)
        return _parse_schedule(rest.split(), after_on=True)
    return _parse_schedule(text.split())


def usage_for(word: str) -> str:
    """The form a mistake is explained with, from the first word typed."""
    if word == "teams":
        return texts.TEAMS_USAGE
    if word in ("mentions", "mention"):
        return texts.MENTIONS_USAGE
    if word in _SINGLE_WORDS:
        return f"`/align digest {word}`"
    return texts.SET_USAGE


def _parse_teams(rest: str) -> DigestCommand:
    switch = rest.lower()
    if switch not in _SWITCH:
        raise UserInputError(texts.TEAMS_NEEDS_ON_OR_OFF)
    return DigestCommand(DigestAction.TEAMS, team_digests=_SWITCH[switch])


def _parse_mentions(rest: str) -> DigestCommand:
    switch = rest.lower()
    if switch not in _SWITCH:
        raise UserInputError(texts.MENTIONS_NEEDS_ON_OR_OFF)
    return DigestCommand(DigestAction.MENTIONS, mentions=_SWITCH[switch])


def _parse_schedule(words: list[str], *, after_on: bool = False) -> DigestCommand:
    """``#channel [day] [time]``; the words may come in any order, each at most once.

    An unknown first word may be a subcommand misspelt, so that mistake lists every form.
    """
    channel_id: str | None = None
    weekday: int | None = None
    local_time: time | None = None
    for position, word in enumerate(words):
        mentioned = parse_channel_mention(word)
        if mentioned is not None:
            if channel_id is not None:
                raise UserInputError(texts.TWO_CHANNELS)
            channel_id = mentioned
            continue
        day = _DAYS.get(word.lower())
        if day is not None:
            if weekday is not None:
                raise UserInputError(texts.TWO_DAYS)
            weekday = day
            continue
        if _TIME_LIKE.match(word):
            if local_time is not None:
                raise UserInputError(texts.TWO_TIMES)
            local_time = parse_time(word)
            continue
        raise UserInputError(_what_is_wrong(word, first=position == 0 and not after_on))
    if channel_id is None:
        raise UserInputError(texts.MISSING_CHANNEL)
    return DigestCommand(
        DigestAction.SET, channel_id=channel_id, weekday=weekday, local_time=local_time
    )


def _what_is_wrong(word: str, *, first: bool) -> str:
    if word.startswith(("<#", "#")):
        return texts.unrecognised_channel(echo(word))
    if word.startswith(("<@", "<!", "@")):
        return texts.people_not_channel(echo(word))
    if first:
        return texts.unknown_word(echo(word))
    return texts.not_day_or_time(echo(word))


def parse_time(word: str) -> time:
    """``16:00``, ``9:30`` (24-hour clock), ``4pm``, ``4:30pm``, ``12am`` (midnight)."""
    clock = _CLOCK.match(word)
    if clock:
        hour, minute = int(clock.group(1)), int(clock.group(2))
        if hour < 24 and minute < 60:
            return time(hour, minute)
        raise UserInputError(texts.bad_time(echo(word)))
    twelve = _TWELVE_HOUR.match(word)
    if twelve:
        hour, minute = int(twelve.group(1)), int(twelve.group(2) or 0)
        if 1 <= hour <= 12 and minute < 60:
            afternoon = twelve.group(3).lower() == "p"
            return time(hour % 12 + (12 if afternoon else 0), minute)
    raise UserInputError(texts.bad_time(echo(word)))
