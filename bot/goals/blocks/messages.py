"""Messages about goals: help, list, one goal in full, the cascade as a tree."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from slack_sdk.models.blocks import HeaderBlock, MarkdownTextObject, SectionBlock

from bot.goals import texts
from bot.goals.pages import SHOWN_CHILDREN, GoalPage
from bot.goals.progress import STATUS_ICONS, STATUS_LABELS, GoalView, progress_bar
from bot.okrs.blocks.lines import tree_key_result_lines
from bot.slack.messages import (
    SECTION_TEXT_MAX,
    Reply,
    build_lines,
    context,
    plain_fallback,
    section,
    truncate,
)
from storage.models import Goal, GoalUpdate, KeyResult
from storage.repositories.goal_pages import COUNT_CAP
from storage.states import GoalLevel, GoalState

TREE_INDENT = "\u2003\u2003"
TREE_CHARS_BUDGET = 10_500
LIST_SECTIONS_MAX = 30


def fmt_number(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def measure_text(view: GoalView, snapshot: GoalPage) -> str:
    goal = view.goal
    if goal.measure == "milestone":
        return "milestone: " + ("done" if goal.current_value >= 1 else "not done yet")
    if goal.measure == "children":
        count = snapshot.child_count(goal)
        return f"from {count} sub-goal{'s' if count != 1 else ''}"
    if goal.measure == "key_results":
        return "from its key results"
    unit = f" {goal.unit}" if goal.unit else ""
    return f"{fmt_number(goal.current_value)} / {fmt_number(goal.target_value)}{unit}"


def status_text(view: GoalView) -> str:
    return f"{STATUS_ICONS[view.status]} {STATUS_LABELS[view.status]}"


def goal_line(view: GoalView, snapshot: GoalPage) -> str:
    goal = view.goal
    team = snapshot.team_name(goal)
    where = f" · {team}" if team else ""
    aligned = "" if view.aligned else f" · _{texts.NOT_ALIGNED}_"
    return (
        f"*G-{goal.number}* {goal.title} · <@{goal.owner_id}>{where}\n"
        f"`{progress_bar(view.progress)}` · {status_text(view)} · {measure_text(view, snapshot)}"
        f" · due {goal.due_date.isoformat()}{aligned}"
    )


def at_least(total: int | None) -> str:
    """ "+" when ``total`` is a count that stopped at ``COUNT_CAP`` (there may be more)."""
    return "+" if total is not None and total >= COUNT_CAP else ""


def build_goal_help() -> Reply:
    lines = "\n".join(f"`{command}` {text}" for command, text in texts.GOAL_HELP_COMMANDS)
    blocks = [
        HeaderBlock(text=truncate(texts.GOAL_HELP_TITLE, 150)).to_dict(),
        section(texts.GOAL_HELP_INTRO),
        section(lines),
        context(texts.GOAL_HELP_FOOTER),
    ]
    return Reply(text=plain_fallback(texts.GOAL_HELP_TITLE), blocks=blocks)


def build_goal_list(
    title: str,
    views: Sequence[GoalView],
    snapshot: GoalPage,
    empty: str,
    total: int | None = None,
) -> Reply:
    """The first of a list's goals (``views``, a page) out of ``total`` (``len(views)``
    when they are all there)."""
    if not views:
        return Reply(text=plain_fallback(empty), blocks=[section(empty)])
    lines = [goal_line(view, snapshot) for view in views]
    unread = (len(views) if total is None else total) - len(views)
    plus = at_least(total)
    header = f"{title} ({len(views) + unread:,}{plus})"
    reply = build_lines(
        header,
        lines,
        more=lambda count: (
            f"…and {count + unread:,}{plus} more. Narrow the list, e.g. `/goal list team Sales`."
        ),
        footer="Details: `/goal show G-12` · progress: `/goal update G-12 45`",
        max_sections=LIST_SECTIONS_MAX,
    )
    if unread and len(reply["blocks"]) == len(lines) + 2:  # all read lines shown, no "more"
        more = context(
            f"…and {unread:,}{plus} more. Narrow the list, e.g. `/goal list team Sales`."
        )
        reply["blocks"].insert(-1, more)
    return Reply(
        text=plain_fallback(f"{header}: {len(views) + unread:,}{plus}"), blocks=reply["blocks"]
    )


def build_goal_show(
    view: GoalView,
    snapshot: GoalPage,
    updates: Sequence[GoalUpdate],
    key_results_section: str = "",
) -> Reply:
    """One goal in full; ``key_results_section`` lists an objective's key results."""
    goal = view.goal
    level = goal.level + (f" · {snapshot.team_name(goal)}" if goal.team_ref else "")
    fields = [
        f"*Owner*\n<@{goal.owner_id}>",
        f"*Level*\n{level}",
        f"*Status*\n{status_text(view)}"
        + (" (set by owner)" if goal.status_override and goal.state == GoalState.OPEN else ""),
        f"*Progress*\n`{progress_bar(view.progress)}`\n{measure_text(view, snapshot)}",
        f"*Due*\n{goal.due_date.isoformat()} (started {goal.start_date.isoformat()})",
        f"*Confidence*\n{goal.confidence}/10",
    ]
    blocks: list[dict[str, Any]] = [
        HeaderBlock(text=truncate(f"G-{goal.number} {goal.title}", 150)).to_dict(),
        SectionBlock(fields=[MarkdownTextObject(text=text) for text in fields]).to_dict(),
    ]
    if goal.description:
        blocks.append(section(goal.description))
    if key_results_section:
        blocks.append(section(truncate(key_results_section, SECTION_TEXT_MAX)))
    blocks.append(section(_chain_text(goal, snapshot)))
    children = snapshot.child_views(goal)
    if children:
        lines = [
            f"{status_text(child)} *G-{child.goal.number}* {child.goal.title} "
            f"`{progress_bar(child.progress)}`"
            for child in children[:SHOWN_CHILDREN]
        ]
        more = snapshot.child_count(goal) - SHOWN_CHILDREN
        tail = f"\n…and {more} more: `/goal tree G-{goal.number}`" if more > 0 else ""
        blocks.append(
            section(
                truncate("*Sub-goals*\n" + "\n".join(lines), SECTION_TEXT_MAX - len(tail)) + tail
            )
        )
    if updates:
        blocks.append(
            section(
                truncate(
                    "*Latest updates*\n"
                    + "\n".join(_update_line(u, goal.measure == "key_results") for u in updates),
                    SECTION_TEXT_MAX,
                )
            )
        )
    progress_hint = (
        f"`/goal kr G-{goal.number} 1 &lt;value&gt;`"
        if goal.measure == "key_results"
        else f"`/goal update G-{goal.number} &lt;value&gt; [note]`"
    )
    blocks.append(
        context(
            f"{progress_hint} · `/goal edit G-{goal.number}` · `/goal close G-{goal.number} done`"
        )
    )
    return Reply(text=plain_fallback(f"G-{goal.number} {goal.title}"), blocks=blocks)


def _chain_text(goal: Goal, snapshot: GoalPage) -> str:
    if goal.level == GoalLevel.COMPANY:
        return "*Serves*\nthe company's north star (a company goal)"
    chain = snapshot.chain(goal)
    if not chain:
        return (
            f"*Serves*\n_{texts.NOT_ALIGNED}: no goal above it._ "
            f"`/goal link G-{goal.number} to G-…`"
        )
    return "*Serves*\n" + " → ".join(
        f"G-{above.number} {truncate(above.title, 60)}" for above in chain
    )


def _update_line(update: GoalUpdate, rolled_up: bool = False) -> str:
    """One history line; an objective's values are its rolled-up share, shown as a percent."""
    when = update.created_at.date().isoformat()
    parts = [when, f"<@{update.author_id}>", update.kind]
    if update.value is not None:
        parts.append(f"{update.value:.0%}" if rolled_up else fmt_number(update.value))
    if update.confidence is not None and update.kind == "update":
        parts.append(f"confidence {update.confidence}")
    if update.status_override:
        parts.append(STATUS_LABELS.get(update.status_override, update.status_override))  # type: ignore[call-overload]
    line = " · ".join(parts)
    return line + (f" — {truncate(update.note, 300)}" if update.note else "")


def build_goal_tree(
    title: str,
    lines: Sequence[tuple[int, GoalView]],
    empty: str,
    key_results: Mapping[int, Sequence[KeyResult]] | None = None,
    total: int | None = None,
) -> Reply:
    """The cascade; an objective's ``key_results`` (by goal id) are listed under it.
    ``total``: how many goals the whole tree holds when ``lines`` are only its first."""
    if not lines:
        return Reply(text=plain_fallback(empty), blocks=[section(empty)])
    rendered: list[str] = []
    for depth, view in lines:
        rendered.append(
            f"{TREE_INDENT * depth}{STATUS_ICONS[view.status]} *G-{view.goal.number}* "
            f"{truncate(view.goal.title, 80)} `{progress_bar(view.progress)}`"
        )
        own = (key_results or {}).get(view.goal.id or 0, ())
        if own and view.goal.measure == "key_results":
            rendered += tree_key_result_lines(own, TREE_INDENT * (depth + 1))
    blocks: list[dict[str, Any]] = [HeaderBlock(text=truncate(title, 150)).to_dict()]
    chunk: list[str] = []
    used = shown = 0
    for line in rendered:
        if used + len(line) > TREE_CHARS_BUDGET:
            break
        if sum(len(part) + 1 for part in chunk) + len(line) > SECTION_TEXT_MAX:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
        used += len(line) + 1
        shown += 1
    if chunk:
        blocks.append(section("\n".join(chunk)))
    hidden = len(rendered) - shown + max(0, (total or len(lines)) - len(lines))
    if hidden > 0:
        blocks.append(
            context(f"…and {hidden:,}{at_least(total)} more. Show one branch: `/goal tree G-3`.")
        )
    blocks.append(
        context("Progress of goals measured by sub-goals is the average of their sub-goals.")
    )
    return Reply(text=plain_fallback(title), blocks=blocks)
