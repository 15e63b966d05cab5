"""The digest's thread: each list of the post in full, as replies within Slack's limits.

A long list is split into pages, one reply each. At most ``THREAD_REPLIES_MAX`` replies are
posted, shared out so that every list gets at least one; a list that still does not fit ends
with "…and N more" and the command that shows everything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from bot.core.text_input import escape_mrkdwn
from bot.digest.blocks.lines import (
    CHECKIN_COMMANDS,
    GOAL_LIST_COMMAND,
    KPI_COMMANDS,
    STALE_DAYS,
    blocker_count_line,
    cut_markup,
    done_line,
    goal_detail_line,
    kpi_line,
    kudos_line,
    mover_line,
    pulse_line,
    quote,
    stale_line,
)
from bot.digest.blocks.mentions import Mentions
from bot.digest.blocks.post import build_digest_post, digest_mentions
from bot.digest.goal_lists import Entries
from bot.digest.model import CheckinSection, Digest, GoalLine, KudosSection, Mover
from bot.pulse.texts_commands import LIST_USAGE as PULSE_LIST_COMMAND
from bot.slack.messages import (
    MESSAGE_CHARS_BUDGET,
    SECTION_TEXT_MAX,
    Reply,
    context,
    plain_fallback,
    section,
    truncate,
)

THREAD_REPLIES_MAX = 10
PAGE_CHARS = MESSAGE_CHARS_BUDGET - 1_000  # room for the title and the "…and N more" line
LINE_MAX = 1_500
TITLE_MAX = 150
QUOTE_MAX = 600
KUDOS_TEXT_MAX = 600
T = TypeVar("T")


@dataclass(frozen=True)
class Drawn(Generic[T]):
    """A list's lines, each drawn when it is read: a long list is drawn only as far as the
    thread's pages reach, and ``people`` names whom each line @-mentions, so the lines past
    the last page count in who was already mentioned without being drawn."""

    items: Sequence[T]
    draw: Callable[[T], str]
    person: Callable[[T], str]  # the one person the item's line mentions

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[str]:
        return (self.draw(item) for item in self.items)

    def people_from(self, start: int) -> Iterator[str]:
        """Whom the lines from ``start`` on mention, without drawing their entries when the
        list can say so (``Entries.owner_ids``: each entry's line mentions its goal's owner)."""
        if isinstance(self.items, Entries):
            return self.items.owner_ids(start)
        return (self.person(item) for item in self.items[start:])


@dataclass(frozen=True)
class DetailList:
    """One list of the thread: ``title`` is mrkdwn, ``label`` plain (the notification)."""

    title: str
    label: str
    lines: tuple[str, ...] | Drawn[Any]
    noun: str  # what "…and N more" counts
    command: str  # shows the whole list ("": none does)
    note: str = ""  # said once, under the title
    total: int | None = None  # how many there are, when more than ``lines`` (not all loaded)

    @property
    def count(self) -> int:
        return max(self.total or 0, len(self.lines))


def build_digest_thread(digest: Digest, mentions: Mentions | None = None) -> list[Reply]:
    """The digest's details as thread replies, in order: goals needing attention, movers,
    stale goals, completed goals, kudos, KPIs, blockers, surveys. Empty lists are left out. People
    already @-mentioned (``mentions``, shared with the post; by default those the post of
    ``digest`` mentions) are named in plain text."""
    if mentions is None:
        mentions = digest_mentions(digest)
        build_digest_post(digest, mentions)
    lists = [detail for detail in detail_lists(digest) if len(detail.lines)]
    # Names replace repeated mentions before paging, so a page is measured as it is sent.
    # Each list's pages are drawn from the mentions as they stand after the lists before it
    # (everyone those lists name, shown or not), and only as many as it is given.
    sources = []
    for detail in lists:
        sources.append(named_pages(detail.lines, mentions.copy()))
        _mention_all(detail.lines, mentions)
    replies: list[Reply] = []
    for detail, shown in zip(lists, share_out(sources, THREAD_REPLIES_MAX), strict=True):
        hidden = detail.count - sum(len(page) for page in shown)
        for index, lines in enumerate(shown):
            last = index == len(shown) - 1
            replies.append(
                _reply(detail, list(lines), (index + 1, len(shown)), hidden if last else 0)
            )
    return replies


def detail_lists(digest: Digest) -> list[DetailList]:
    goals = digest.goals
    return [
        DetailList(
            ":warning: *Needs attention*",
            "Goals that need attention",
            Drawn(goals.needs_attention, _attention, _owner),
            "goals needing attention",
            GOAL_LIST_COMMAND,
            "Off track first, then at risk.",
        ),
        DetailList(
            ":chart_with_upwards_trend: *Biggest moves this week*",
            "Biggest moves this week",
            Drawn(goals.movers, _mover, _mover_owner),
            "moves",
            GOAL_LIST_COMMAND,
        ),
        DetailList(
            f":hourglass_flowing_sand: *No update in {STALE_DAYS} days*",
            f"Goals with no update in {STALE_DAYS} days",
            Drawn(goals.stale, _stale, _owner),
            "goals without updates",
            GOAL_LIST_COMMAND,
            "A quick `/goal update G-12 45` keeps a goal's status honest.",
        ),
        DetailList(
            ":tada: *Done this week*",
            "Goals done this week",
            Drawn(goals.completed, _done, _owner),
            "completed goals",
            GOAL_LIST_COMMAND,
        ),
        _kudos(digest.kudos),
        DetailList(
            ":bar_chart: *KPIs*",
            "KPIs",
            tuple(kpi_line(kpi, name_max=TITLE_MAX, with_sparkline=True) for kpi in digest.kpis),
            "KPIs",
            KPI_COMMANDS,
        ),
        _blockers(digest.checkins),
        DetailList(
            ":clipboard: *Pulse surveys closed this week*",
            "Pulse surveys closed this week",
            tuple(
                pulse_line(pulse, title_max=TITLE_MAX, headlines=50, headline_max=300)
                for pulse in digest.pulse
            ),
            "surveys",
            PULSE_LIST_COMMAND,
        ),
    ]


def _attention(goal: GoalLine) -> str:
    return goal_detail_line(goal, title_max=TITLE_MAX)


def _mover(mover: Mover) -> str:
    return mover_line(mover, title_max=TITLE_MAX)


def _stale(goal: GoalLine) -> str:
    return stale_line(goal, title_max=TITLE_MAX)


def _done(goal: GoalLine) -> str:
    return done_line(goal, title_max=TITLE_MAX)


def _owner(goal: GoalLine) -> str:
    return goal.owner_id


def _mover_owner(mover: Mover) -> str:
    return mover.goal.owner_id


def _kudos(kudos: KudosSection) -> DetailList:
    lines = tuple(
        kudos_line(line, text_max=KUDOS_TEXT_MAX, recipients_max=len(line.recipient_ids))
        for line in kudos.newest
    )
    note = "Newest first." + (
        f" Counted from the newest {len(lines):,} of a busy week." if kudos.at_least else ""
    )
    return DetailList(
        ":clap: *Kudos this week*", "Kudos this week", lines, "kudos", "", note, kudos.count
    )


def _blockers(checkins: CheckinSection | None) -> DetailList:
    title, label = ":construction: *Blockers*", "Blockers named in this week's check-ins"
    teams = [team for team in checkins.blockers if team.count > 0] if checkins else []
    if checkins is None or not checkins.blockers_quoted:
        lines = tuple(blocker_count_line(team, name_max=TITLE_MAX) for team in teams)
        note = "Check-in answers are not shared in team channels, so only counts are shown."
        return DetailList(title, label, lines, "teams", CHECKIN_COMMANDS, note)
    quoted: list[str] = []
    for team in teams:
        name = escape_mrkdwn(truncate(team.team, TITLE_MAX))
        if not team.quotes:
            quoted.append(blocker_count_line(team, name_max=TITLE_MAX))
        for user_id, text in team.quotes:
            quoted.append(
                f"*{name}* · <@{user_id}>\n{quote(escape_mrkdwn(truncate(text, QUOTE_MAX)))}"
            )
    return DetailList(title, label, tuple(quoted), "blockers", CHECKIN_COMMANDS)


def named_pages(lines: tuple[str, ...] | Drawn[Any], mentions: Mentions) -> Iterator[list[str]]:
    """``lines`` with repeated mentions turned into names (``Mentions.rewrite``), each cut to
    ``LINE_MAX``, in pages of at most ``PAGE_CHARS`` characters, drawn as they are asked for:
    a list of 20,000 goals is drawn only as far as the pages it is given."""
    page: list[str] = []
    used = 0
    for line in lines:
        cut = cut_markup(mentions.rewrite(line), LINE_MAX)
        if page and used + len(cut) + 1 > PAGE_CHARS:
            yield page
            page, used = [], 0
        page.append(cut)
        used += len(cut) + 1
    if page:
        yield page


def _mention_all(lines: tuple[str, ...] | Drawn[Any], mentions: Mentions) -> None:
    """Count everyone ``lines`` mention as mentioned, drawn or not."""
    if isinstance(lines, Drawn):
        mentions.seen(lines.people_from(0))
    else:
        for line in lines:
            mentions.rewrite(line)


def share_out(sources: Sequence[Iterator[list[str]]], slots: int) -> list[list[list[str]]]:
    """The pages each list gets: one each in turn, in the lists' order, until ``slots`` run
    out or no list has another page."""
    given: list[list[list[str]]] = [[] for _ in sources]
    open_lists = list(range(len(sources)))
    while slots > 0 and open_lists:
        for index in list(open_lists):
            if slots == 0:
                break
            page = next(sources[index], None)
            if page is None:
                open_lists.remove(index)
                continue
            given[index].append(page)
            slots -= 1
    return given


def _reply(detail: DetailList, page: list[str], part: tuple[int, int], hidden: int) -> Reply:
    number, parts = part
    heading = f"{detail.title} ({detail.count:,})"
    if parts > 1:
        heading += f" · part {number} of {parts}"
    if detail.note and number == 1:
        heading += f"\n{detail.note}"
    blocks: list[dict[str, Any]] = [section(heading)]
    chunk: list[str] = []
    for line in page:
        if chunk and len("\n".join([*chunk, line])) > SECTION_TEXT_MAX:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(section("\n".join(chunk)))
    if hidden:
        where = f": {detail.command}" if detail.command else "."
        blocks.append(context(f"…and {hidden:,} more {detail.noun}{where}"))
    label = f"{detail.label} ({detail.count:,})" + (f", part {number}" if parts > 1 else "")
    return Reply(text=plain_fallback(label), blocks=blocks)
