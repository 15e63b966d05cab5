"""Parse the text of ``/kpi`` into a command, or say exactly what was wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.core.errors import UserInputError
from bot.core.numbers import parse_number
from bot.core.refs import looks_like_ref, parse_ref
from bot.core.text_input import (
    check_command_text,
    check_name,
    echo,
    split_first_word,
    unescape_stored,
)
from bot.kpis import texts as texts_kpi
from storage.models import KPI_NAME_MAX_CHARS

PREFIX = "K"
# ASCII digits only: str.isdigit() and \d also accept "²" or "٣", which int() may refuse.
_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$")
_REF_LIKE = re.compile(r"^#?[Kk]-?[0-9]+$|^[0-9]+$")
_OTHER_DAY = re.compile(r"^[0-9]{1,4}[./-][0-9]{1,2}[./-][0-9]{1,4}$")
LOG_HISTORY_YEARS = 2


class KpiAction(StrEnum):
    HELP = "help"
    NEW = "new"
    LOG = "log"
    LIST = "list"
    SHOW = "show"
    EDIT = "edit"
    ARCHIVE = "archive"
    UNARCHIVE = "unarchive"


@dataclass(frozen=True)
class KpiTarget:
    """A KPI as the person named it: by number (``K-3``) or by name; exactly one is set."""

    number: int | None = None
    name: str | None = None


@dataclass(frozen=True)
class KpiCommand:
    action: KpiAction
    target: KpiTarget | None = None
    name: str = ""  # ``/kpi new <name>`` prefills the form
    value: float | None = None
    day: date | None = None  # ``None``: today


_BY_TARGET = {
    "show": KpiAction.SHOW,
    "edit": KpiAction.EDIT,
    "archive": KpiAction.ARCHIVE,
    "unarchive": KpiAction.UNARCHIVE,
}
_SUBCOMMANDS = ("help", "new", "log", "list", *_BY_TARGET)


def parse_kpi(raw_text: str | None) -> KpiCommand:
    text = check_command_text(raw_text, usage=texts_kpi.KPI_USAGE)
    word, rest = split_first_word(text)
    if word in ("", "help", "?"):
        return KpiCommand(KpiAction.HELP)
    if word in ("new", "create", "add"):
        name = _name(rest, usage=texts_kpi.NEW_USAGE) if rest else ""
        return KpiCommand(KpiAction.NEW, name=name)
    if word in ("list", "ls"):
        if rest:
            raise UserInputError(texts_kpi.takes_nothing(word))
        return KpiCommand(KpiAction.LIST)
    if word in _BY_TARGET:
        return KpiCommand(_BY_TARGET[word], target=parse_target(rest, verb=word))
    if word == "log":
        return _parse_log(rest)
    if looks_like_ref(word, PREFIX) and not rest:
        return KpiCommand(KpiAction.SHOW, target=parse_target(word, verb="show"))
    raise UserInputError(texts_kpi.unknown_subcommand(echo(word), _SUBCOMMANDS))


def _name(text: str, *, usage: str) -> str:
    return check_name(
        unescape_stored(text), what="KPI name", max_chars=KPI_NAME_MAX_CHARS, usage=usage
    )


def parse_target(text: str, *, verb: str) -> KpiTarget:
    """``K-3``, ``k3``, ``#K-3``, ``3`` or a KPI's name."""
    cleaned = text.strip()
    usage = texts_kpi.target_usage(verb)
    if not cleaned:
        raise UserInputError(texts_kpi.which_kpi(verb))
    if _REF_LIKE.match(cleaned):
        return KpiTarget(number=parse_ref(cleaned, PREFIX, usage=usage))
    return KpiTarget(name=_name(cleaned, usage=usage))


def _parse_log(rest: str) -> KpiCommand:
    words = rest.split()
    day = None
    if words and (_ISO_DAY.match(words[-1]) or _OTHER_DAY.match(words[-1])):
        day = parse_day(words.pop())
    if len(words) < 2:
        raise UserInputError(texts_kpi.LOG_NEEDS_VALUE)
    value = parse_number(unescape_stored(words[-1]))
    if value is None:
        raise UserInputError(texts_kpi.not_a_number(echo(words[-1])))
    target = parse_target(" ".join(words[:-1]), verb="log")
    return KpiCommand(KpiAction.LOG, target=target, value=value, day=day)


def parse_day(text: str) -> date:
    if not _ISO_DAY.match(text):
        raise UserInputError(texts_kpi.not_a_date(echo(text)))
    year, month, day = (int(part) for part in text.split("-"))
    try:
        return date(year, month, day)
    except ValueError:
        raise UserInputError(texts_kpi.not_a_date(echo(text))) from None


def earliest_log_day(today: date) -> date:
    """The same calendar day two years back (28 February for a 29 February)."""
    try:
        return today.replace(year=today.year - LOG_HISTORY_YEARS)
    except ValueError:
        return today.replace(year=today.year - LOG_HISTORY_YEARS, day=28)


def check_log_day(day: date, *, today: date) -> date:
    """``day`` if values may be logged for it: not in the future, not over two years back."""
    if day > today:
        raise UserInputError(texts_kpi.date_in_future(day, today))
    earliest = earliest_log_day(today)
    if day < earliest:
        raise UserInputError(texts_kpi.date_too_old(day, earliest))
    return day
