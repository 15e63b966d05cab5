"""Parse ``/align team …`` and ``/align teams``: what to do with which team."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from enum import StrEnum

from bot.core.errors import UserInputError
from bot.core.text_input import echo, parse_channel_mention
from bot.people.lookup import PersonRef, parse_people

TEAM_USAGE = (
    "`/align team add Sales #sales lead @ada`, `/align team Sales add @max @sam`, "
    "`/align team Sales remove @sam`, `/align team Sales lead @max`, "
    "`/align team Sales channel #sales` or `/align teams`"
)
_MEMBER_VERBS = ("add", "remove", "lead")
_VERBS = (*_MEMBER_VERBS, "channel")
NO_CHANNEL_WORDS = ("none", "off")


class TeamAction(StrEnum):
    LIST = "list"
    CREATE = "create"
    ADD_MEMBERS = "add"
    REMOVE_MEMBERS = "remove"
    SET_LEAD = "lead"
    SET_CHANNEL = "channel"


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
        if word.lower() in _VERBS and position > 0:
            name = " ".join(words[:position])
            if word.lower() == "channel":
                return _parse_channel(name, words[position + 1 :])
            people = parse_people(" ".join(words[position + 1 :]), usage=TEAM_USAGE)
            action = TeamAction(word.lower())
            if action is TeamAction.SET_LEAD and len(people) != 1:
                raise UserInputError(f"A team has one lead: `/align team {name} lead @person`.")
            return TeamCommand(action, name=name, people=people)
    raise UserInputError(
        f"Say what to do with team {echo(' '.join(words))}: `add`, `remove` or `lead` and "
        f"people, or `channel` and a channel. Examples: {TEAM_USAGE}"
    )


def _parse_channel(name: str, words: list[str]) -> TeamCommand:
    """``/align team Sales channel #sales`` (or ``channel none`` to take it away)."""
    usage = f"`/align team {name} channel #channel` or `/align team {name} channel none`"
    if len(words) == 1 and words[0].lower() in NO_CHANNEL_WORDS:
        return TeamCommand(TeamAction.SET_CHANNEL, name=name, channel_id=None)
    channel_id = parse_channel_mention(words[0]) if len(words) == 1 else None
    if channel_id is None:
        raise UserInputError(f"Name one channel, picked from the #-list so it turns blue: {usage}.")
    return TeamCommand(TeamAction.SET_CHANNEL, name=name, channel_id=channel_id)


def _parse_create(words: list[str]) -> TeamCommand:
    name_words: list[str] = []
    channel_id: str | None = None
    people: list[PersonRef] = []
    index = 0
    while index < len(words):
        word = words[index]
        mentioned = parse_channel_mention(word)
        if mentioned:
            channel_id = mentioned
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
