"""Parse the text of ``/pulse`` into a command, or say exactly what was wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.core.errors import UserInputError
from bot.core.refs import parse_ref
from bot.core.text_input import check_command_text, echo, split_first_word
from bot.pulse import texts_commands as texts
from bot.pulse.reports import SURVEY_PREFIX

_WHOLE_NUMBER = re.compile(r"^[+-]?[0-9]{1,9}$")


class PulseAction(StrEnum):
    HELP = "help"
    NEW = "new"
    LIST = "list"
    RESULTS = "results"
    CLOSE = "close"
    THRESHOLD = "threshold"
    FEEDBACK = "feedback"


@dataclass(frozen=True)
class PulseCommand:
    action: PulseAction
    number: int | None = None  # the survey, ``P-4``
    min_responses: int | None = None  # ``threshold``
    text: str = ""  # ``feedback``: everything after the word, as typed


_SUBCOMMANDS = ("help", "new", "list", "results", "close", "threshold", "feedback")
_USAGE = {
    "results": texts.RESULTS_USAGE,
    "close": texts.CLOSE_USAGE,
    "threshold": texts.THRESHOLD_USAGE,
}


def parse_pulse(raw_text: str | None) -> PulseCommand:
    text = check_command_text(raw_text, usage=texts.PULSE_USAGE)
    word, rest = split_first_word(text)
    if word in ("", "help", "?"):
        return PulseCommand(PulseAction.HELP)
    if word == "feedback":
        return PulseCommand(PulseAction.FEEDBACK, text=rest)
    if word in ("new", "create"):
        return _nothing_after(PulseAction.NEW, rest)
    if word in ("list", "ls"):
        return _nothing_after(PulseAction.LIST, rest)
    if word in ("results", "close"):
        words = rest.split()
        if len(words) > 1:
            raise UserInputError(texts.too_much_after(word, _USAGE[word]))
        return PulseCommand(PulseAction(word), number=_survey(rest, _USAGE[word]))
    if word == "threshold":
        return _parse_threshold(rest)
    raise UserInputError(texts.unknown_subcommand(echo(word), _SUBCOMMANDS))


def _nothing_after(action: PulseAction, rest: str) -> PulseCommand:
    if rest:
        raise UserInputError(texts.takes_nothing(action.value))
    return PulseCommand(action)


def _survey(text: str, usage: str) -> int:
    cleaned = text.strip()
    if not cleaned:
        raise UserInputError(texts.which_survey(usage))
    try:
        number = parse_ref(cleaned, SURVEY_PREFIX, usage=usage)
    except UserInputError:
        raise UserInputError(texts.not_a_survey_number(echo(cleaned), usage)) from None
    if number < 1:
        raise UserInputError(texts.not_a_survey_number(echo(cleaned), usage))
    return number


def _parse_threshold(rest: str) -> PulseCommand:
    words = rest.split()
    usage = texts.THRESHOLD_USAGE
    if len(words) != 2:
        raise UserInputError(texts.threshold_needs_number(usage))
    number = _survey(words[0], usage)
    if not _WHOLE_NUMBER.match(words[1]):
        raise UserInputError(texts.not_a_whole_number(echo(words[1]), usage))
    # A number under the floor is passed on: the core says why it is refused.
    return PulseCommand(PulseAction.THRESHOLD, number=number, min_responses=int(words[1]))
