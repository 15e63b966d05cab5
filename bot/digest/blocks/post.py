"""The weekly alignment digest's channel post: short, visual, honest about what is off track.

Every list is cut to a few lines and a character budget of its own, so the post stays within
Slack's limits whatever the input; the rest goes to the thread (``bot.digest.blocks.thread``).
The budgets below add up to about 10,000 characters, under ``MESSAGE_CHARS_BUDGET``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from slack_sdk.models.blocks import DividerBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from bot.core.text_input import escape_mrkdwn
from bot.core.weeks import week_label
from bot.digest.blocks.actions import (
    ButtonIds,
    build_checkin_button,
    build_goal_buttons,
    build_more_goals_button,
)
from bot.digest.blocks.lines import (
    KPI_COMMANDS,
    STALE_DAYS,
    Item,
    attention_line,
    blocker_count_line,
    cut_markup,
    done_line,
    fit_shown,
    in_thread,
    kpi_line,
    kudos_line,
    mover_line,
    plural,
    pulse_command,
    pulse_line,
    quote,
    signed,
    statement_text,
)
from bot.digest.blocks.mentions import Mentions
from bot.digest.blocks.strategy import build_strategy_blocks
from bot.digest.model import (
    CheckinSection,
    Digest,
    GoalLine,
    KpiLine,
    KudosSection,
    PulseLine,
    WeekRate,
)
from bot.goals.alignment import AlignmentScore, ScorePart
from bot.goals.progress import STATUS_ICONS, Status
from bot.pulse.texts_commands import LIST_USAGE as PULSE_LIST_COMMAND
from bot.slack.messages import Reply, context, plain_fallback, section, truncate

HEADER_MAX = 150
VISION_MAX = 600
FIELDS_MAX = 10
FIELD_DETAIL_MAX = 150
TITLE_MAX = 60
PULSE_HEADLINES, HEADLINE_MAX = 2, 80
TREND_WEEKS = 4
LATE_NOTE = (
    ":hourglass: Posted late: Northstar was not running, or could not post here, when this"
    " digest was due."
)
NORTH_STAR_TITLE = ":star2: *Our north star*"
NO_GOALS = "No open goals yet — `/goal new` to add one."
NONE_SENT = "No check-ins went out this week, so there is no participation to show."
NO_KPIS = "No KPIs yet — `/kpi new` to add one."
NO_CHECKINS = "No check-in round this week."
PULSE_LIST_FOOTER = f"All surveys: {PULSE_LIST_COMMAND}"


@dataclass(frozen=True)
class ShortList:
    """How a list reads in the post: its title, at most ``most`` lines, ``budget`` characters."""

    title: str
    most: int
    budget: int


WINS_TITLE = ":trophy: *Wins this week*"
DONE = ShortList(WINS_TITLE, 5, 900)  # the title gets the counts: see ``wins_title``
KUDOS = ShortList(":clap: *Kudos*", 3, 1000)
KUDOS_TEXT_MAX, KUDOS_RECIPIENTS = 100, 2
MOVERS = ShortList(":chart_with_upwards_trend: *Biggest moves*", 3, 900)
ATTENTION = ShortList(":warning: *Needs attention*", 5, 1400)
KPIS = ShortList(":bar_chart: *KPIs*", 6, 1300)
BLOCKERS = ShortList(":construction: *Blockers*", 8, 800)
PULSES = ShortList(":clipboard: *Pulse surveys closed this week*", 5, 1000)


def digest_mentions(digest: Digest) -> Mentions:
    """The mentions of one channel digest: share it between its post and its thread."""
    return Mentions(digest.names, enabled=digest.mentions)


def build_digest_post(digest: Digest, mentions: Mentions | None = None) -> Reply:
    """The digest's main post: score, goals, KPIs, check-ins and surveys, with buttons to open
    goals and answer the check-in. Always within 50 blocks and ``MESSAGE_CHARS_BUDGET``
    characters. People are @-mentioned once each (``mentions``, shared with the thread)."""
    mentions = mentions or digest_mentions(digest)
    ids = ButtonIds()
    blocks: list[dict[str, Any]] = [HeaderBlock(text=_header(digest)).to_dict()]
    if digest.late:
        blocks.append(context(LATE_NOTE))
    if digest.vision.strip():
        north_star = statement_text(digest.vision.strip(), VISION_MAX)
        north_star = cut_markup(quote(north_star), VISION_MAX + 100)
        blocks.append(section(f"{NORTH_STAR_TITLE}\n{north_star}"))
    blocks += build_strategy_blocks(digest.strategy)
    blocks.append(_score_block(digest.score))
    buttoned: set[int] = set()
    sections = [_wins_blocks(digest, ids, buttoned)]
    sections += [_goal_blocks(digest, ids, buttoned), _kpi_blocks(digest.kpis)]
    sections.append(_checkin_blocks(digest.checkins, ids))
    if digest.pulse:
        sections.append(_pulse_blocks(digest.pulse))
    for part in sections:
        if part:
            blocks += [DividerBlock().to_dict(), *part]
    return Reply(text=_fallback(digest), blocks=mentions.rewrite_blocks(blocks))


def _header(digest: Digest) -> str:
    start = ":compass: Weekly alignment — "
    end = f" — {week_label(digest.week)}"
    name = truncate(" ".join(digest.scope_name.split()), HEADER_MAX - len(start) - len(end))
    return start + name + end


def score_change(score: AlignmentScore) -> str:
    change = score.change
    if change is None:
        return "no score from last week to compare" if score.previous is None else "no data"
    if change == 0:
        return "no change from last week"
    arrow = "▲" if change > 0 else "▼"
    return f"{arrow} {signed(change)} from last week"


def _score_block(score: AlignmentScore) -> dict[str, Any]:
    if score.score is None:
        text = "*Alignment score: no data yet*"
    else:
        text = f"*Alignment score: {score.score} / 100*  {score_change(score)}"
    fields = [MarkdownTextObject(text=_part_field(part)) for part in score.parts[:FIELDS_MAX]]
    return SectionBlock(text=MarkdownTextObject(text=text), fields=fields or None).to_dict()


def _part_field(part: ScorePart) -> str:
    value = "—" if part.value is None else f"{part.value}%"
    return f"*{part.label}*\n{value} · {cut_markup(escape_mrkdwn(part.detail), FIELD_DETAIL_MAX)}"


def wins_title(completed: int, kudos: KudosSection) -> str:
    """The Wins title with what it counts, e.g. "… · 2 goals done · 5 kudos"."""
    counts = [plural(completed, "goal") + " done"] if completed else []
    if kudos.count:
        counts.append(
            f"at least {kudos.count:,} kudos" if kudos.at_least else f"{kudos.count:,} kudos"
        )
    return " · ".join([WINS_TITLE, *counts])


def _wins_blocks(digest: Digest, ids: ButtonIds, buttoned: set[int]) -> list[dict[str, Any]]:
    """The week's completed goals and kudos, a few of each, with a button to open each goal
    shown. Nothing at all in a week without either: no noise on a quiet Friday."""
    done, kudos = digest.goals.completed, digest.kudos
    if not done and not kudos.count:
        return []
    title = wins_title(len(done), kudos)
    blocks: list[dict[str, Any]] = []
    if done:
        render = partial(done_line, title_max=TITLE_MAX)
        blocks += _goal_list(replace(DONE, title=title), done, render, ids, buttoned)
    if kudos.newest:
        render_kudos = partial(kudos_line, text_max=KUDOS_TEXT_MAX, recipients_max=KUDOS_RECIPIENTS)
        # Kudos past the loaded ones (a very busy week) are counted, not shown.
        unloaded = 0 if kudos.at_least else kudos.count - len(kudos.newest)
        shown = KUDOS if done else replace(KUDOS, title=title)
        blocks.append(_list(shown, kudos.newest, render_kudos, unloaded=unloaded)[0])
    elif not done:
        blocks.append(section(title))
    return blocks


def _goal_blocks(digest: Digest, ids: ButtonIds, buttoned: set[int]) -> list[dict[str, Any]]:
    goals = digest.goals
    team = (digest.team_ref, digest.scope_name) if digest.team_ref is not None else None
    more = build_more_goals_button(ids, team=team)
    if not goals.open_total and not goals.completed:
        return [section(f":dart: *Goals*\n{NO_GOALS}"), more]
    counts = (
        f"{STATUS_ICONS[Status.ON_TRACK]} {goals.on_track:,} on track · "
        f"{STATUS_ICONS[Status.AT_RISK]} {goals.at_risk:,} at risk · "
        f"{STATUS_ICONS[Status.OFF_TRACK]} {goals.off_track:,} off track · "
        f"{STATUS_ICONS[Status.DONE]} {len(goals.completed):,} completed this week"
    )
    blocks = [section(f":dart: *Goals*\n{counts}")]
    if goals.movers:
        render_mover = partial(mover_line, title_max=TITLE_MAX)
        block, shown = _list(MOVERS, goals.movers, render_mover)
        blocks.append(block)
        moved = [mover.goal for mover in goals.movers[:shown]]
        blocks += _buttons(ids, moved, buttoned, with_update=False)
    if goals.needs_attention:
        render = partial(attention_line, title_max=TITLE_MAX)
        blocks += _goal_list(ATTENTION, goals.needs_attention, render, ids, buttoned, update=True)
    if goals.stale:
        verb = "has" if len(goals.stale) == 1 else "have"
        stale = f"{plural(len(goals.stale), 'goal')} {verb} had no update in {STALE_DAYS} days."
        blocks.append(section(f":hourglass_flowing_sand: {stale}"))
    blocks.append(more)
    return blocks


def _goal_list(
    shown: ShortList,
    goals: Sequence[GoalLine],
    render: Callable[[GoalLine], str],
    ids: ButtonIds,
    buttoned: set[int],
    *,
    update: bool = False,
) -> list[dict[str, Any]]:
    """The list and, under it, a button to open each goal it shows (and to update it); a
    goal opened higher up (``buttoned``) gets no second Open button."""
    block, count = _list(shown, goals, render)
    return [block, *_buttons(ids, goals[:count], buttoned, with_update=update)]


def _buttons(
    ids: ButtonIds, goals: Sequence[GoalLine], opened: set[int], *, with_update: bool
) -> list[dict[str, Any]]:
    block = build_goal_buttons(ids, goals, with_update=with_update, opened=opened)
    return [block] if block is not None else []


def _kpi_blocks(kpis: tuple[KpiLine, ...]) -> list[dict[str, Any]]:
    if not kpis:
        return [section(f"{KPIS.title}\n{NO_KPIS}"), context(f"More: {KPI_COMMANDS}")]
    footer = f"More: {KPI_COMMANDS}"
    if any(kpi.charted and kpi.history for kpi in kpis):
        footer = f"The chart of the key KPIs is in the thread. {footer}"
    render = partial(kpi_line, name_max=TITLE_MAX)
    return [_list(KPIS, kpis, render)[0], context(footer)]


def rate_text(rate: WeekRate) -> str:
    return "—" if rate.rate is None else f"{rate.rate}%"


def _checkin_blocks(checkins: CheckinSection | None, ids: ButtonIds) -> list[dict[str, Any]]:
    title = ":speech_balloon: *Check-ins*"
    if checkins is None:
        return [section(f"{title}\n{NO_CHECKINS}")]
    week = checkins.this_week
    if week.any_sent:
        text = f"Participation this week: {rate_text(week)} ({week.answered:,} of {week.asked:,})"
    else:
        text = NONE_SENT
    if checkins.trend:
        weeks = [*checkins.trend[-TREND_WEEKS:], week]
        text += " · trend: " + " → ".join(rate_text(rate) for rate in weeks)
    blocks = [section(f"{title}\n{text}")]
    named = [team for team in checkins.blockers if team.count > 0]
    if named:
        shown = BLOCKERS
        if checkins.blockers_quoted:
            shown = replace(BLOCKERS, title=f"{BLOCKERS.title} (what they wrote is in the thread)")
        blocks.append(_list(shown, named, partial(blocker_count_line, name_max=TITLE_MAX))[0])
    else:
        blocks.append(section(":construction: Nobody named a blocker this week."))
    blocks.append(build_checkin_button(ids))
    return blocks


def _pulse_blocks(pulses: tuple[PulseLine, ...]) -> list[dict[str, Any]]:
    render = partial(
        pulse_line, title_max=TITLE_MAX, headlines=PULSE_HEADLINES, headline_max=HEADLINE_MAX
    )
    released = [pulse.number for pulse in pulses if pulse.responses is not None]
    footer = "Full results: " + " · ".join(map(pulse_command, released[:3]))
    block = _list(PULSES, pulses, render)[0]
    return [block, context(footer if released else PULSE_LIST_FOOTER)]


def _list(
    shown: ShortList,
    items: Sequence[Item],
    render: Callable[[Item], str],
    *,
    unloaded: int = 0,
) -> tuple[dict[str, Any], int]:
    """A section: the title, then the first lines that fit, then "…and N more in the thread"
    (counting ``unloaded`` more items than ``items`` holds); and how many of ``items`` it
    shows."""
    budget = shown.budget - len(shown.title) - 1
    lines, count = fit_shown(
        items,
        render,
        budget=budget,
        most=shown.most,
        more=lambda hidden: in_thread(hidden + unloaded),
    )
    return section("\n".join([shown.title, *lines])), count


def _fallback(digest: Digest) -> str:
    score = digest.score
    shown = "no data yet" if score.score is None else f"{score.score}/100 ({score_change(score)})"
    goals = digest.goals
    return plain_fallback(
        f"Weekly alignment — {escape_mrkdwn(truncate(digest.scope_name, 80))}, "
        f"{week_label(digest.week)}: score {shown}. Goals: {goals.on_track:,} on track, "
        f"{goals.at_risk:,} at risk, {goals.off_track:,} off track, "
        f"{len(goals.completed):,} completed this week."
        + (f" Kudos: {digest.kudos.count:,}." if digest.kudos.count else "")
        + (" Posted late." if digest.late else "")
    )
