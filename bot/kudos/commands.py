"""Parse the text of ``/kudos`` into who is thanked, for what, and the goal it names.

Slack sends the text escaped (``&lt;``) with mentions as ``<@U123|name>`` (the manifest's
``should_escape``) but with broadcasts and links left live. The people thanked are the leading
mentions and any mention further on; a mention inside the text stays a mention (the person is
thanked too), and everything else is escaped so no broadcast, link or stray mention survives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.errors import UserInputError
from bot.core.text_input import (
    check_command_text,
    escape_command_text,
    parse_user_reference,
    split_first_word,
)
from bot.kudos import texts
from bot.people.lookup import PersonRef
from storage.models import KUDOS_MAX_RECIPIENTS, KUDOS_TEXT_MAX_CHARS

_INNER_MENTION = re.compile(r"<@([UW][A-Z0-9]{2,})(?:\|[^<>]*)?>")
_GOAL_REF = re.compile(r"(?<!\S)[(\[]?#?[Gg]-?([0-9]{1,9})[)\]]?[.,;:!?]?(?!\S)")
_SPACES = re.compile(r"[ \t]{2,}")
_WORDY = re.compile(r"\w")
_SLACK_MARKUP = re.compile(r"<[@#!][^<>]*>")  # mentions and broadcasts say nothing by themselves
_HELP_WORDS = ("", "help", "?")


@dataclass(frozen=True)
class KudosCommand:
    people: list[PersonRef]
    """Everyone mentioned, in order, without repeats."""
    text: str
    """What for, as stored and shown: escaped, with the mentions inside it kept."""
    goal_number: int | None = None


def parse_kudos(raw_text: str | None) -> KudosCommand:
    text = check_command_text(raw_text, usage=texts.USAGE)
    if split_first_word(text)[0] in _HELP_WORDS and len(text.split()) <= 1:
        raise UserInputError(texts.HELP)
    leading, rest = _leading_people(text)
    people = list(dict.fromkeys([*leading, *((m, None) for m in _INNER_MENTION.findall(rest))]))
    if not people:
        raise UserInputError(texts.NO_RECIPIENT)
    if len(people) > KUDOS_MAX_RECIPIENTS:
        raise UserInputError(texts.too_many(len(people)))
    numbers = [int(match.group(1)) for match in _GOAL_REF.finditer(rest)]
    if len(set(numbers)) > 1:
        raise UserInputError(texts.TWO_GOALS)
    without_refs = _GOAL_REF.sub(" ", rest)
    if not _WORDY.search(_SLACK_MARKUP.sub(" ", without_refs)):
        raise UserInputError(texts.NO_TEXT)
    stored = _stored_text(without_refs)
    if len(stored) > KUDOS_TEXT_MAX_CHARS:
        raise UserInputError(texts.too_long(len(stored)))
    return KudosCommand(people=people, text=stored, goal_number=numbers[0] if numbers else None)


def _leading_people(text: str) -> tuple[list[PersonRef], str]:
    """The mentions (``<@U1|ada>`` or ``@ada``) before the first other word, and the rest."""
    people: list[PersonRef] = []
    rest = text
    while rest:
        parts = rest.split(maxsplit=1)
        word = parts[0].strip(",")
        if people and word.lower() in ("and", "&amp;", ""):
            rest = parts[1] if len(parts) > 1 else ""
            continue
        if not word.startswith(("<@", "@")):
            break
        user_id, handle = parse_user_reference(word)
        if user_id is None and handle is None:
            break
        people.append((user_id, handle))
        rest = parts[1] if len(parts) > 1 else ""
    return people, rest.strip()


def _stored_text(text: str) -> str:
    """Escape everything but the mentions, which become bare ``<@U1>``; tidy the spacing."""
    pieces: list[str] = []
    end = 0
    for match in _INNER_MENTION.finditer(text):
        pieces.append(escape_command_text(text[end : match.start()]))
        pieces.append(f"<@{match.group(1)}>")
        end = match.end()
    pieces.append(escape_command_text(text[end:]))
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(pieces).split("\n"))
    return "\n".join(lines).strip()
