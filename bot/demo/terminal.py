"""Block Kit read aloud in a terminal: headers, sections, fields, context and quotes as lines
of styled text, mrkdwn undone, emoji codes as a few plain symbols, people by name.

Pure functions; ``bot.demo.picture`` draws the same lines into a PNG.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

WIDTH = 92
EM_SPACE = "\u2003"  # Slack indents with it; a terminal shows two spaces


class Style(StrEnum):
    PLAIN = "plain"
    TITLE = "title"
    BOLD = "bold"
    DIM = "dim"
    CODE = "code"
    GOOD = "good"
    WARN = "warn"
    BAD = "bad"


Span = tuple[str, Style]
Line = tuple[Span, ...]

EMOJI: dict[str, Span] = {
    "large_green_circle": ("●", Style.GOOD),
    "large_yellow_circle": ("●", Style.WARN),
    "red_circle": ("●", Style.BAD),
    "white_check_mark": ("✔", Style.GOOD),
    "heavy_minus_sign": ("\u2212", Style.DIM),
    "compass": ("✦", Style.TITLE),
    "star2": ("★", Style.WARN),
    "dart": ("◎", Style.TITLE),
    "bar_chart": ("▥", Style.TITLE),
    "speech_balloon": ("✎", Style.TITLE),
    "construction": ("⚑", Style.WARN),
    "clipboard": ("▤", Style.TITLE),
    "tada": ("✔", Style.GOOD),
    "warning": ("⚠", Style.BAD),
    "chart_with_upwards_trend": ("↗", Style.GOOD),
    "hourglass_flowing_sand": ("◷", Style.DIM),
    "hourglass": ("◷", Style.DIM),
}
UNKNOWN_EMOJI: Span = ("•", Style.PLAIN)
_TOKEN = re.compile(r"(:[a-z0-9_+-]+:|\*[^*\n]+\*|`[^`\n]+`)")
_SLACK_MARKUP = re.compile(r"<([@#!]?)([^<>|]+)(?:\|([^<>]*))?>")


def plain_markup(text: str, names: Mapping[str, str]) -> str:
    """Slack's ``<…>`` markup and entities as a person reads them: ``<@U1>`` → ``@Name``."""

    def replace(match: re.Match[str]) -> str:
        sigil, target, label = match.groups()
        if sigil == "@":
            return "@" + names.get(target, label or target)
        if sigil == "#":
            return "#" + (label or target)
        if sigil == "!":
            return label or "@" + target.split("^")[0]
        return label or target

    return html.unescape(_SLACK_MARKUP.sub(replace, text)).replace(EM_SPACE, "  ")


def styled(text: str, names: Mapping[str, str], base: Style = Style.PLAIN) -> list[Span]:
    """One line of mrkdwn as spans: ``*bold*``, ``code``, emoji codes."""
    spans: list[Span] = []
    for piece in _TOKEN.split(plain_markup(text, names)):
        if not piece:
            continue
        if piece.startswith(":") and piece.endswith(":") and len(piece) > 2:
            spans.append(EMOJI.get(piece[1:-1], UNKNOWN_EMOJI))
        elif piece.startswith("*") and piece.endswith("*") and len(piece) > 2:
            spans.append((piece[1:-1], Style.BOLD if base is Style.PLAIN else base))
        elif piece.startswith("`") and piece.endswith("`") and len(piece) > 2:
            spans.append((piece[1:-1], Style.CODE))
        else:
            spans.append((piece, base))
    return spans


def wrap(spans: Sequence[Span], *, indent: str = "", width: int = WIDTH) -> list[Line]:
    """Spans cut into lines of at most ``width`` characters at spaces; the first line starts
    with ``indent``, the ones after it two spaces further in."""
    words = [(part, style) for text, style in spans for part in re.split(r"( )", text) if part]
    lines: list[Line] = []
    current: list[Span] = [(indent, Style.PLAIN)] if indent else []
    used = start = len(indent)
    for text, style in words:
        if used + len(text) > width and used > start:
            lines.append(_trimmed(current))
            hanging = indent + "  "
            current, used = [(hanging, Style.PLAIN)], len(hanging)
            start = used
        if text == " " and used == start and lines:
            continue  # no leading space on a continued line
        current.append((text, style))
        used += len(text)
    lines.append(_trimmed(current))
    return lines


def _trimmed(spans: list[Span]) -> Line:
    while spans and spans[-1][0] == " ":
        spans.pop()
    return tuple(spans)


def _mrkdwn_lines(text: str, names: Mapping[str, str]) -> list[Line]:
    """Each line of a mrkdwn text, wrapped; a ``>`` quote line drawn with a bar."""
    lines: list[Line] = []
    for raw in text.split("\n"):
        if raw.startswith(">"):
            lines += wrap([("┃ ", Style.DIM), *styled(raw[1:], names, Style.DIM)], indent="  ")
        else:
            lines += wrap(styled(raw, names))
    return lines


def _field_line(text: str, names: Mapping[str, str]) -> list[Line]:
    """A field reads as ``Label      value``: its first line is the label."""
    label, _, rest = text.partition("\n")
    title = plain_markup(label, names).strip("*")
    spans = [(f"  {title:<12} ", Style.BOLD), *styled(rest.replace("\n", " "), names)]
    return wrap(spans, indent="")


def _block_lines(block: Mapping[str, Any], names: Mapping[str, str]) -> list[Line]:
    kind = block.get("type")
    if kind == "header":
        spans = styled(block["text"]["text"], names, Style.TITLE)
        width = min(WIDTH, sum(len(text) for text, _ in spans))
        return [tuple(spans), (("═" * width, Style.TITLE),)]
    if kind == "divider":
        return [(("─" * WIDTH, Style.DIM),)]
    if kind == "context":
        texts = [element.get("text", "") for element in block.get("elements", [])]
        return wrap(styled(" ".join(texts), names, Style.DIM), indent="  ")
    if kind == "image":
        return [((f"[picture: {block.get('alt_text', '')[: WIDTH - 12]}]", Style.DIM),)]
    lines: list[Line] = []
    if kind == "section":
        if "text" in block:
            lines += _mrkdwn_lines(block["text"]["text"], names)
        for field in block.get("fields") or []:
            lines += _field_line(field["text"], names)
    return lines


def render_message(blocks: Iterable[Mapping[str, Any]], names: Mapping[str, str]) -> list[Line]:
    """A message's blocks as terminal lines, a blank line between sections."""
    lines: list[Line] = []
    for block in blocks:
        rendered = _block_lines(block, names)
        if block.get("type") == "section" and lines and lines[-1]:
            lines.append(())
        lines += rendered
    return lines


def as_text(lines: Iterable[Line]) -> str:
    return "\n".join("".join(text for text, _ in line) for line in lines)


ANSI = {
    Style.PLAIN: "",
    Style.TITLE: "\033[1;36m",
    Style.BOLD: "\033[1m",
    Style.DIM: "\033[2m",
    Style.CODE: "\033[36m",
    Style.GOOD: "\033[32m",
    Style.WARN: "\033[33m",
    Style.BAD: "\033[31m",
}
RESET = "\033[0m"


def as_ansi(lines: Iterable[Line]) -> str:
    """The lines with colours, for a terminal that shows them."""
    return "\n".join(
        "".join(f"{ANSI[style]}{text}{RESET}" if ANSI[style] else text for text, style in line)
        for line in lines
    )
