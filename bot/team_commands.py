"""Parse ``/align team …`` and ``/align teams``."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from enum import StrEnum

from bot.errors import UserInputError
from bot.people import PersonRef, parse_people
from bot.text_input import echo

TEAM_USAGE = (
    "`/align team add Sales #sales lead @ada`, `/align team Sales add @max @sam`, "
    "`/align team Sales remove @sam`, `/align team Sales lead @max` or `/align teams`"
)
_CHANNEL = re.compile(r"^<#([CG][A-Z0-9]{2,})(?:\|[^>]*)?>$")
_MEMBER_VERBS = ("add", "remove", "lead")


class TeamAction(StrEnum):
    LIST = "list"
    CREATE = "create"
    ADD_MEMBERS = "add"
    REMOVE_MEMBERS = "remove"
    SET_LEAD = "lead"


@dataclass(frozen=True)
class TeamCommand:
    action: TeamAction
    name: str = ""
    channel_id: str | None = None
    people: list[PersonRef] = field(default_factory=list)


def _words(text: str) -> list[str]:
    """Split on spaces, keeping "quoted team names" together."""
    try:
        return shlex.split(text.replace("“", '"').replace("”", '"'))
    except ValueError:
        raise UserInputError(f"A quote is not closed. Examples: {TEAM_USAGE}") from None


def parse_teams_list(rest: str) -> TeamCommand:
    if rest:
        raise UserInputError(f"`/align teams` takes nothing after it. Examples: {TEAM_USAGE}")
    return TeamCommand(TeamAction.LIST)


def parse_team(rest: str) -> TeamCommand:
    words = _words(rest)
    if not words:
        raise UserInputError(f"Which team? Examples: {TEAM_USAGE}")
    if words[0].lower() == "add":
        return _parse_create(words[1:])
    for position, word in enumerate(words):
        if word.lower() in _MEMBER_VERBS and position > 0:
            name = " ".join(words[:position])
            people = parse_people(" ".join(words[position + 1 :]), usage=TEAM_USAGE)
            action = TeamAction(word.lower())
            if action is TeamAction.SET_LEAD and len(people) != 1:
                raise UserInputError(f"A team has one lead: `/align team {name} lead @person`.")
            return TeamCommand(action, name=name, people=people)
    raise UserInputError(
        f"Say what to do with team {echo(' '.join(words))}: `add`, `remove` or `lead` and "
        f"people. Examples: {TEAM_USAGE}"
    )


def _parse_create(words: list[str]) -> TeamCommand:
    name_words: list[str] = []
    channel_id: str | None = None
    people: list[PersonRef] = []
    index = 0
    while index < len(words):
        word = words[index]
        channel = _CHANNEL.match(word)
        if channel:
            channel_id = channel.group(1)
        elif word.lower() == "lead":
            people = parse_people(" ".join(words[index + 1 : index + 2]), usage=TEAM_USAGE)
            index += 1
        elif word.startswith("<#") or word.startswith("#"):
            raise UserInputError(
                f"{echo(word)} is not a channel Slack recognised. Pick the channel from the "
                f"#-list so it turns blue. Examples: {TEAM_USAGE}"
            )
        elif channel_id is not None or people:
            raise UserInputError(
                f"Put the team name first, then the channel and the lead. Examples: {TEAM_USAGE}"
            )
        else:
            name_words.append(word)
        index += 1
    if not name_words:
        raise UserInputError(f"Give the new team a name. Examples: {TEAM_USAGE}")
    return TeamCommand(
        TeamAction.CREATE, name=" ".join(name_words), channel_id=channel_id, people=people
    )
