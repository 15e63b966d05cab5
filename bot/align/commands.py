"""Parse the text of ``/align`` into a command, or say exactly what was wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.align.texts import ALIGN_USAGE
from bot.core.errors import UserInputError
from bot.core.text_input import (
    check_command_text,
    echo,
    normalize,
    parse_user_reference,
    split_first_word,
)
from bot.digest.commands import DigestCommand, parse_digest
from bot.kudos.admin import KudosSettingCommand, parse_kudos_setting
from bot.people.commands import TeamCommand, parse_team, parse_teams_list
from bot.workspace_data import texts as data_texts
from storage.models import VISION_MAX_CHARS


class AlignAction(StrEnum):
    HELP = "help"
    SHOW_STATEMENT = "show_statement"
    SET_STATEMENT = "set_statement"
    LIST_ADMINS = "list_admins"
    ADD_ADMIN = "add_admin"
    REMOVE_ADMIN = "remove_admin"
    TEAM = "team"
    DIGEST = "digest"
    KUDOS = "kudos"
    PRIORITIES = "priorities"
    SWOT = "swot"
    FISCAL_YEAR = "fiscal-year"
    REVIEW = "review"
    WELCOME = "welcome"
    EXPORT = "export"
    SHOW_RETENTION = "show_retention"
    SET_RETENTION = "set_retention"
    DELETE_WORKSPACE_DATA = "delete_workspace_data"


@dataclass(frozen=True)
class AlignCommand:
    action: AlignAction
    field: str = ""
    text: str = ""
    user_id: str | None = None
    handle: str | None = None
    team: TeamCommand | None = None
    digest: DigestCommand | None = None
    kudos: KudosSettingCommand | None = None
    retention_days: int | None = None  # SET_RETENTION: None turns retention off


STATEMENT_FIELDS = ("vision", "mission")
DELETE_WORD = "delete-workspace-data"
_SUBCOMMANDS = (
    "help",
    *STATEMENT_FIELDS,
    "admins",
    "team",
    "teams",
    "digest",
    "kudos",
    "priorities",
    "swot",
    "fiscal-year",
    "review",
    "welcome",
    "export",
    "retention",
    DELETE_WORD,
)
# Subcommands whose text the strategy and onboarding rooms parse themselves.
STRATEGY_WORDS = ("priorities", "swot", "fiscal-year", "review", "welcome")
_STRATEGY_ALIASES = {
    "priority": "priorities",
    "fiscal": "fiscal-year",
    "fiscal-year-start": "fiscal-year",
}
_RETENTION_DAYS = re.compile(r"^([0-9]+)\s*(?:d|days?)?$", re.IGNORECASE)
_RETENTION_MAX_DIGITS = 6  # beyond any allowed value, and far below int()'s own limit
_RETENTION_OFF = ("off", "never", "none", "forever")


def statement_usage(field: str) -> str:
    return f"`/align {field} &lt;text&gt;` (up to {VISION_MAX_CHARS:,} characters)"


def parse_align(raw_text: str | None) -> AlignCommand:
    word, rest = split_first_word(normalize(raw_text))
    if word == "digest":  # checks its own text, so mistakes name the digest's forms
        return AlignCommand(AlignAction.DIGEST, digest=parse_digest(rest))
    text = check_command_text(raw_text, usage=ALIGN_USAGE)
    word, rest = split_first_word(text)
    if word in ("", "help", "?"):
        return AlignCommand(AlignAction.HELP)
    if word in STATEMENT_FIELDS:
        if not rest:
            return AlignCommand(AlignAction.SHOW_STATEMENT, field=word)
        return AlignCommand(AlignAction.SET_STATEMENT, field=word, text=rest)
    if word == "admins":
        return _parse_admins(rest)
    if word == "team":
        return AlignCommand(AlignAction.TEAM, team=parse_team(rest))
    if word == "teams":
        return AlignCommand(AlignAction.TEAM, team=parse_teams_list(rest))
    if word == "kudos":
        return AlignCommand(AlignAction.KUDOS, kudos=parse_kudos_setting(rest))
    word = _STRATEGY_ALIASES.get(word, word)
    if word in STRATEGY_WORDS:  # each feature reads its own text: its mistakes name its forms
        return AlignCommand(AlignAction(word), text=rest)
    if word == "export":
        if rest:
            raise UserInputError(data_texts.EXPORT_TAKES_NOTHING)
        return AlignCommand(AlignAction.EXPORT)
    if word == "retention":
        return _parse_retention(rest)
    if word == DELETE_WORD:  # the text after it is the confirmation, checked by the service
        return AlignCommand(AlignAction.DELETE_WORKSPACE_DATA, text=rest)
    raise UserInputError(
        f"`/align` has no subcommand {echo(word)}. It knows: "
        + ", ".join(f"`{name}`" for name in _SUBCOMMANDS)
        + f". Type {ALIGN_USAGE} for examples."
    )


def _parse_admins(rest: str) -> AlignCommand:
    if not rest:
        return AlignCommand(AlignAction.LIST_ADMINS)
    verb, target = split_first_word(rest)
    usage = "`/align admins add @person` or `/align admins remove @person`"
    if verb not in ("add", "remove"):
        raise UserInputError(f"`/align admins` takes `add` or `remove` and a person: {usage}.")
    user_id, handle = parse_user_reference(target)
    if user_id is None and handle is None:
        raise UserInputError(f"Name exactly one person with an @-mention: {usage}.")
    action = AlignAction.ADD_ADMIN if verb == "add" else AlignAction.REMOVE_ADMIN
    return AlignCommand(action, user_id=user_id, handle=handle)


def _parse_retention(rest: str) -> AlignCommand:
    if not rest:
        return AlignCommand(AlignAction.SHOW_RETENTION)
    if rest.lower() in _RETENTION_OFF:
        return AlignCommand(AlignAction.SET_RETENTION, retention_days=None)
    days = _RETENTION_DAYS.match(rest)
    if days is None:
        raise UserInputError(data_texts.retention_usage_error(echo(rest)))
    digits = days.group(1).lstrip("0") or "0"
    count = int(digits) if len(digits) <= _RETENTION_MAX_DIGITS else None
    if count is None or not data_texts.RETENTION_MIN_DAYS <= count <= data_texts.RETENTION_MAX_DAYS:
        raise UserInputError(data_texts.retention_out_of_range(count))
    return AlignCommand(AlignAction.SET_RETENTION, retention_days=count)
