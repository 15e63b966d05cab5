"""The week's kudos as the digest's Wins section shows them: in scope, newest first, their
text read back as typed with every mention turned into a plain name."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from bot.core.text_input import unescape_stored
from bot.digest.model import KudosLine, KudosSection
from bot.digest.source import DigestSource
from storage.models import Kudos

_PERSON = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>")
SOMEONE = "someone"


def kudos_section(
    source: DigestSource, scoped_goals: Collection[int], people: set[str] | None
) -> KudosSection:
    """The week's kudos in scope, newest first. A team's are those given to one of its members
    or for one of its goals; its count is of the loaded (newest) kudos, so it is a floor when
    the week had more than were loaded. The company count is the exact one."""
    week = source.kudos
    if people is None:
        chosen = week.newest
        count, at_least = week.total, False
    else:
        chosen = [
            kudos
            for kudos in week.newest
            if people.intersection(kudos.recipient_ids) or kudos.goal_id in scoped_goals
        ]
        count, at_least = len(chosen), not week.complete
    lines = tuple(_kudos_line(source, kudos, source.goal_numbers) for kudos in chosen)
    return KudosSection(count=count, at_least=at_least, newest=lines)


def _kudos_line(source: DigestSource, kudos: Kudos, numbers: Mapping[int, int]) -> KudosLine:
    return KudosLine(
        giver_id=kudos.giver_id,
        recipient_ids=tuple(dict.fromkeys(kudos.recipient_ids)),
        # stored escaped, mentions kept: names instead, then as typed (the line escapes it)
        text=unescape_stored(named_people(kudos.text, source.names)),
        goal_number=numbers.get(kudos.goal_id) if kudos.goal_id is not None else None,
        given_on=kudos.created_at.astimezone(source.period.tz).date(),
    )


def named_people(text: str, names: Mapping[str, str]) -> str:
    """``text`` with every ``<@U…>`` mention turned into "@name": quoted in the digest, kudos
    text never notifies anyone."""

    def name(match: re.Match[str]) -> str:
        return "@" + (" ".join((names.get(match.group(1)) or "").split()) or SOMEONE)

    return _PERSON.sub(name, text)
