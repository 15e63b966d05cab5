"""Lines of the weekly digest, shared by its channel post and its thread: how one goal, mover,
KPI or survey reads, the commands that show more, and cutting mrkdwn without breaking it.

Titles, names, headlines and quotes are stored as people typed them and are escaped here. The
vision is stored as Slack sent it (``&amp;``, mentions as ``<@U…>``), as Home shows it:
``statement_text`` keeps those tokens and escapes anything else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from bot.core.refs import format_ref
from bot.core.text_input import escape_mrkdwn
from bot.digest.model import GoalLine, KpiLine, KudosLine, Mover, PulseLine, TeamBlockers
from bot.goals.progress import STALE_AFTER_DAYS, STATUS_ICONS, STATUS_LABELS, Status, progress_bar
from bot.kpis import texts as texts_kpi
from bot.kpis.health import format_value, sparkline
from bot.slack.messages import truncate

Item = TypeVar("Item")

GOAL_LIST_COMMAND = "`/goal list all`"
KPI_COMMANDS = "`/kpi list`"
CHECKIN_COMMANDS = "`/checkin status`"
STALE_DAYS = STALE_AFTER_DAYS
MINUS = "\u2212"

# Slack's own markup in stored command text: entities, mentions, channels and links.
_SLACK_TOKEN = re.compile(
    r"(&(?:amp|lt|gt);|<(?:[@#][A-Z0-9]+|(?:https?://|mailto:)[^\s<>|]+)(?:\|[^<>]*)?>)"
)
_OPEN_TAG = re.compile(r"<[^>]*$")
_OPEN_ENTITY = re.compile(r"&[a-z]{0,4}$")


def cut_markup(mrkdwn: str, limit: int) -> str:
    """``mrkdwn`` within ``limit`` characters, never cutting a mention, link or ``&amp;``."""
    if len(mrkdwn) <= limit:
        return mrkdwn
    kept = _OPEN_ENTITY.sub("", _OPEN_TAG.sub("", mrkdwn[: limit - 1]))
    return kept.rstrip() + "…"


def statement_text(stored: str, limit: int) -> str:
    """A statement stored as Slack sent it, within ``limit`` characters: Slack's tokens kept
    whole, any other ``& < >`` escaped (so raw text is shown safely too)."""
    shown: list[str] = []
    used = 0
    for index, part in enumerate(_SLACK_TOKEN.split(stored)):
        pieces = [part] if index % 2 else [escape_mrkdwn(char) for char in part]
        for piece in pieces:
            if used + len(piece) > limit - 1:
                return "".join(shown).rstrip() + "…"
            shown.append(piece)
            used += len(piece)
    return "".join(shown)


def quote(mrkdwn: str) -> str:
    return "\n".join(f">{line}" for line in mrkdwn.splitlines() or [""])


def fit_lines(
    items: Sequence[Item],
    render: Callable[[Item], str],
    *,
    budget: int,
    most: int,
    more: Callable[[int], str],
) -> list[str]:
    """Rendered lines of the first ``items`` that fit ``most`` lines and ``budget`` characters
    (newlines counted), then "…and N more" when any were left out."""
    return fit_shown(items, render, budget=budget, most=most, more=more)[0]


def fit_shown(
    items: Sequence[Item],
    render: Callable[[Item], str],
    *,
    budget: int,
    most: int,
    more: Callable[[int], str],
) -> tuple[list[str], int]:
    """``fit_lines`` and how many of ``items`` it shows (the first ones)."""
    reserve = len(more(len(items))) + 1
    shown: list[str] = []
    used = 0
    for item in items[:most]:
        line = render(item)
        if used + len(line) + 1 + reserve > budget:
            break
        shown.append(line)
        used += len(line) + 1
    hidden = len(items) - len(shown)
    return ([*shown, more(hidden)] if hidden else shown), len(shown)


def in_thread(count: int) -> str:
    return f"…and {count:,} more in the thread."


def title_text(title: str, limit: int) -> str:
    """A title people typed, on one line, cut to ``limit`` characters, inert in mrkdwn."""
    return escape_mrkdwn(truncate(" ".join(title.split()), limit))


def signed(number: int) -> str:
    if number > 0:
        return f"+{number}"
    return f"{MINUS}{-number}" if number < 0 else "0"


def percent_of(progress: float) -> int:
    """Progress as the whole percentage ``progress_bar`` shows."""
    return round(progress * 100)


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"


def listed(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def goal_ref(goal: GoalLine) -> str:
    return f"*{format_ref('G', goal.number)}*"


def attention_line(goal: GoalLine, *, title_max: int) -> str:
    return (
        f"{STATUS_ICONS[goal.status]} {goal_ref(goal)} {title_text(goal.title, title_max)} · "
        f"<@{goal.owner_id}> · {percent_of(goal.progress)}% · due {goal.due_date.isoformat()}"
    )


def goal_detail_line(goal: GoalLine, *, title_max: int, tail: str = "") -> str:
    return (
        f"{STATUS_ICONS[goal.status]} {goal_ref(goal)} {title_text(goal.title, title_max)} · "
        f"<@{goal.owner_id}>\n`{progress_bar(goal.progress)}` · {STATUS_LABELS[goal.status]} · "
        f"due {goal.due_date.isoformat()}{tail}"
    )


def stale_line(goal: GoalLine, *, title_max: int) -> str:
    tail = f" · last update {goal.last_update.isoformat()}"
    return goal_detail_line(goal, title_max=title_max, tail=tail)


def mover_line(mover: Mover, *, title_max: int) -> str:
    before, after = percent_of(mover.before), percent_of(mover.after)
    goal = mover.goal
    return (
        f"{goal_ref(goal)} {title_text(goal.title, title_max)} {before}% → {after}% "
        f"({signed(after - before)} pts) <@{goal.owner_id}>"
    )


def done_line(goal: GoalLine, *, title_max: int) -> str:
    title = title_text(goal.title, title_max)
    return f"{STATUS_ICONS[Status.DONE]} {goal_ref(goal)} {title} — <@{goal.owner_id}>"


def kudos_line(kudos: KudosLine, *, text_max: int, recipients_max: int) -> str:
    """Who thanked whom, for which goal, then what they wrote: escaped, on one line, cut to
    ``text_max`` characters, and last, so stray ``*`` or ``_`` in it cannot reach our own
    markup (Slack's formatting never runs past the end of a line)."""
    people = [f"<@{user_id}>" for user_id in kudos.recipient_ids[:recipients_max]]
    rest = len(kudos.recipient_ids) - len(people)
    if rest:
        people.append(plural(rest, "other"))
    to = f" → {listed(people)}" if people else ""
    goal = f" · *{format_ref('G', kudos.goal_number)}*" if kudos.goal_number is not None else ""
    text = escape_mrkdwn(truncate(" ".join(kudos.text.split()), text_max))
    return f"<@{kudos.giver_id}>{to}{goal}: “{text}”"


def kpi_line(kpi: KpiLine, *, name_max: int, with_sparkline: bool = False) -> str:
    latest = texts_kpi.NO_VALUE if kpi.latest is None else format_value(kpi.latest, kpi.unit)
    line = texts_kpi.list_line(
        kpi.number,
        truncate(" ".join(kpi.name.split()), name_max),
        escape_mrkdwn(latest),
        escape_mrkdwn(format_value(kpi.target, kpi.unit)),
        kpi.health.value,
        kpi.arrow,
    )
    trend = sparkline([point.value for point in kpi.history]) if with_sparkline else ""
    return f"{line} · `{trend}`" if trend else line


def pulse_line(pulse: PulseLine, *, title_max: int, headlines: int, headline_max: int) -> str:
    """One closed survey: its response count and headlines, or why nothing is shown."""
    ref = f"*{format_ref('P', pulse.number)}* {title_text(pulse.title, title_max)}"
    if pulse.responses is None:
        return (
            f"{ref} closed; fewer than {pulse.threshold} answered, so no results are shown "
            "(anonymity)."
        )
    parts = [f"{ref}: {plural(pulse.responses, 'response')}"]
    parts += [title_text(text, headline_max) for text in pulse.headlines[:headlines]]
    return " · ".join(parts)


def pulse_command(number: int) -> str:
    return f"`/pulse results {format_ref('P', number)}`"


def blocker_count_line(team: TeamBlockers, *, name_max: int) -> str:
    people = plural(team.count, "person", "people")
    return f"{escape_mrkdwn(truncate(team.team, name_max))}: {people} named a blocker"
