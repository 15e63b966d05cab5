"""Parse the text of ``/goal`` into a command, or say exactly what was wrong."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from bot.core.errors import UserInputError
from bot.core.refs import parse_ref
from bot.core.text_input import check_command_text, echo, split_first_word
from bot.goals.period_choice import split_period
from bot.people.lookup import PersonRef, parse_people

GOAL_USAGE = "`/goal help`"
USAGE = {
    "new": "`/goal new Grow revenue to $2M`",
    "list": "`/goal list [mine | team Sales | company | @person | all] [period 2026-Q3 | all]`",
    "show": "`/goal show G-12`",
    "update": "`/goal update G-12 45 [note]` (or `/goal update G-12` for a form)",
    "close": "`/goal close G-12 done|dropped [note]`",
    "reopen": "`/goal reopen G-12`",
    "edit": "`/goal edit G-12`",
    "link": "`/goal link G-12 to G-3` (or `to none`)",
    "tree": "`/goal tree [G-3 | team Sales] [period 2026-Q3 | all]`",
    "carry": "`/goal carry G-12`",
    "kr": "`/goal kr G-12` (a form) or `/goal kr G-12 2 45 [confidence 8]`",
    "export": "`/goal export`",
}


class GoalAction(StrEnum):
    HELP = "help"
    NEW = "new"
    LIST = "list"
    SHOW = "show"
    UPDATE = "update"
    CLOSE = "close"
    REOPEN = "reopen"
    EDIT = "edit"
    LINK = "link"
    TREE = "tree"
    EXPORT = "export"
    CARRY = "carry"
    KR = "kr"


class ListScope(StrEnum):
    MINE = "mine"
    TEAM = "team"
    COMPANY = "company"
    PERSON = "person"
    ALL = "all"


@dataclass(frozen=True)
class GoalCommand:
    action: GoalAction
    number: int | None = None
    text: str = ""
    note: str = ""
    scope: ListScope = ListScope.MINE
    team_name: str = ""
    person: PersonRef | None = None
    parent_number: int | None = None
    period: str = ""  # "" the current quarter, "2026-Q3", or "all"


def parse_goal(raw_text: str | None) -> GoalCommand:
    text = check_command_text(raw_text, usage=GOAL_USAGE)
    word, rest = split_first_word(text)
    if word in ("", "help", "?"):
        return GoalCommand(GoalAction.HELP)
    if word not in USAGE:
        raise UserInputError(
            f"`/goal` has no subcommand {echo(word)}. It knows: "
            + ", ".join(f"`{name}`" for name in USAGE)
            + f". Type {GOAL_USAGE} for examples."
        )
    action = GoalAction(word)
    if action is GoalAction.NEW:
        return GoalCommand(action, text=rest)
    if action is GoalAction.LIST:
        return _parse_list(rest)
    if action is GoalAction.TREE:
        return _parse_tree(rest)
    if action is GoalAction.EXPORT:
        if rest:
            raise UserInputError(f"`/goal export` takes nothing after it: {USAGE['export']}")
        return GoalCommand(action)
    ref, rest = _split_keep_case(rest)
    if not ref:
        raise UserInputError(f"Which goal? Try: {USAGE[word]}")
    number = parse_ref(ref, "G", usage=USAGE[word])
    if action is GoalAction.UPDATE:
        value, note = _split_keep_case(rest)
        return GoalCommand(action, number=number, text=value, note=note)
    if action is GoalAction.CLOSE:
        outcome, note = _split_keep_case(rest)
        if outcome.lower() not in ("done", "dropped"):
            raise UserInputError(f"Close it as `done` or `dropped`: {USAGE['close']}")
        return GoalCommand(action, number=number, text=outcome.lower(), note=note)
    if action is GoalAction.LINK:
        return _parse_link(number, rest)
    if action is GoalAction.KR:  # parsed by bot.okrs.commands
        return GoalCommand(action, number=number, text=rest)
    if rest:
        raise UserInputError(f"Nothing goes after the goal number: {USAGE[word]}")
    return GoalCommand(action, number=number)


def _split_keep_case(text: str) -> tuple[str, str]:
    parts = text.strip().split(maxsplit=1)
    if not parts:
        return "", ""
    return parts[0], parts[1].strip() if len(parts) > 1 else ""


def _parse_list(text: str) -> GoalCommand:
    rest, period = split_period(text, usage=USAGE["list"])
    return replace(_parse_list_scope(rest), period=period)


def _parse_list_scope(rest: str) -> GoalCommand:
    word, arg = split_first_word(rest)
    if word in ("", "mine"):
        scope = ListScope.MINE
    elif word in ("company", "all"):
        scope = ListScope(word)
    elif word == "team":
        if not arg:
            raise UserInputError(f"Which team? Try: {USAGE['list']}")
        return GoalCommand(GoalAction.LIST, scope=ListScope.TEAM, team_name=arg)
    else:
        people = parse_people(rest, usage=USAGE["list"])
        if len(people) != 1:
            raise UserInputError(f"List the goals of one person at a time: {USAGE['list']}")
        return GoalCommand(GoalAction.LIST, scope=ListScope.PERSON, person=people[0])
    if arg:
        raise UserInputError(f"Nothing goes after `{word}`: {USAGE['list']}")
    return GoalCommand(GoalAction.LIST, scope=scope)


def _parse_tree(text: str) -> GoalCommand:
    rest, period = split_period(text, usage=USAGE["tree"])
    return replace(_parse_tree_scope(rest), period=period)


def _parse_tree_scope(rest: str) -> GoalCommand:
    word, arg = split_first_word(rest)
    if not word:
        return GoalCommand(GoalAction.TREE)
    if word == "team":
        if not arg:
            raise UserInputError(f"Which team? Try: {USAGE['tree']}")
        return GoalCommand(GoalAction.TREE, scope=ListScope.TEAM, team_name=arg)
    if arg:
        raise UserInputError(f"Give one goal or one team: {USAGE['tree']}")
    return GoalCommand(GoalAction.TREE, number=parse_ref(word, "G", usage=USAGE["tree"]))


def _parse_link(number: int, rest: str) -> GoalCommand:
    word, target = split_first_word(rest)
    if word != "to" or not target or len(target.split()) != 1:
        raise UserInputError(f"Say which goal it contributes to: {USAGE['link']}")
    if target.lower() in ("none", "nothing"):
        return GoalCommand(GoalAction.LINK, number=number, parent_number=None)
    parent = parse_ref(target, "G", usage=USAGE["link"])
    return GoalCommand(GoalAction.LINK, number=number, parent_number=parent)
