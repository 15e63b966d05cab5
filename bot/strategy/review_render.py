"""The review pack as lines of text: escaped mrkdwn for Slack and markdown for the canvas.

Every piece of people's text (titles, names, blocker words) goes through ``escape_mrkdwn``.
"""

from __future__ import annotations

import re

from bot.core.text_input import escape_mrkdwn, unescape_stored
from bot.strategy import review_texts as texts
from bot.strategy.review_pack import KpiTrend, PrioritySection, PulseLine, ReviewPack

_BOLD = re.compile(r"\*([^*\n]+)\*")  # Slack's *bold* is **bold** in canvas markdown


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def section_title(section: PrioritySection) -> str:
    return escape_mrkdwn(section.title) if section.title is not None else texts.NO_PRIORITY


def summary_lines(pack: ReviewPack) -> list[str]:
    return [
        texts.score_line(
            section_title(section),
            section.score,
            section.hits,
            section.on_track,
            len(section.goals),
        )
        for section in pack.priorities
    ]


def priority_lines(section: PrioritySection) -> list[str]:
    if not section.goals:
        return [texts.NO_GOALS]
    lines = []
    for goal in section.goals:
        status = texts.STATUS_WORDS.get(goal.status, goal.status)
        lines.append(
            f"• {goal.ref} {escape_mrkdwn(goal.title)}: {round(goal.progress * 100)}%, {status}"
        )
        for kr in goal.key_results:
            mark = "hit" if kr.hit else "missed"
            unit = f" {escape_mrkdwn(kr.unit)}" if kr.unit else ""
            lines.append(
                f"    ◦ {escape_mrkdwn(kr.title)}: {_number(kr.current)} of "
                f"{_number(kr.target)}{unit} ({mark})"
            )
    return lines


def kpi_line(kpi: KpiTrend) -> str:
    unit = f" {escape_mrkdwn(kpi.unit)}" if kpi.unit else ""
    arrow = texts.ARROWS[kpi.direction]
    return (
        f"• {kpi.ref} {escape_mrkdwn(kpi.name)}: {_number(kpi.first)} → {_number(kpi.last)}{unit}"
        f" {arrow} ({kpi.health.value})"
    )


def pulse_lines(pulse: PulseLine) -> list[str]:
    label = escape_mrkdwn(pulse.label)
    if pulse.withheld:
        return [f"• {label}: {texts.WITHHELD}"]
    lines = [f"• {label}: {pulse.responses} answers"]
    lines += [f"    ◦ {escape_mrkdwn(text)}: {score}" for text, score in pulse.scores]
    if pulse.trend:
        lines.append("    ◦ earlier rounds: " + ", ".join(pulse.trend))
    return lines


def blocker_lines(pack: ReviewPack) -> list[str]:
    if not pack.blockers:
        return [texts.NO_BLOCKERS]
    return [f"• {escape_mrkdwn(theme.word)}: {theme.mentions} mentions" for theme in pack.blockers]


def detail_sections(pack: ReviewPack) -> list[tuple[str, list[str]]]:
    """(heading, lines) of each part of the pack, in reading order."""
    parts = [(section_title(section), priority_lines(section)) for section in pack.priorities]
    parts.append(("KPI trends", [kpi_line(kpi) for kpi in pack.kpis] or [texts.NO_KPIS]))
    pulses = [line for pulse in pack.pulses for line in pulse_lines(pulse)]
    parts.append(("Pulse results", pulses or [texts.NO_PULSES]))
    parts.append(("Recurring check-in blockers", blocker_lines(pack)))
    parts.append(
        ("Questions for the meeting", [f"{n}. {q}" for n, q in enumerate(pack.questions, 1)])
    )
    return parts


def _markdown_line(line: str) -> str:
    stripped = line.lstrip()
    indent = "  " if line.startswith("    ") else ""
    if stripped.startswith(("• ", "◦ ")):
        return f"{indent}- {stripped[2:]}"
    return line


def _canvas_safe(line: str) -> str:
    """A line escaped for Slack, made safe as canvas markdown: Slack's entities back to their
    characters, backslash-escaped, and brackets escaped too, so a title like
    ``[Verify](https://evil)`` or ``![](@U1)`` stays text instead of a link or a mention."""
    plain = unescape_stored(line)
    for char in "\\[]<>":
        plain = plain.replace(char, "\\" + char)
    return plain


def canvas_markdown(pack: ReviewPack) -> str:
    """The whole pack as canvas markdown: headings, bullets, the meeting questions."""
    out = [f"# {texts.header(pack.label)}", ""]
    out.append("## Scores by priority")
    out += ["- " + _BOLD.sub(r"**\1**", _canvas_safe(line)) for line in summary_lines(pack)]
    for heading, lines in detail_sections(pack):
        out += ["", f"## {_canvas_safe(heading)}"]
        out += [_markdown_line(_canvas_safe(line)) for line in lines]
    out += ["", f"_{texts.BLOCKERS_NOTE}_", ""]
    return "\n".join(out)
