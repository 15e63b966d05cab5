"""Block Kit of the quarterly review: the summary post and its thread replies."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, HeaderBlock

from bot.slack.messages import (
    MESSAGE_BLOCKS_MAX,
    MESSAGE_CHARS_BUDGET,
    Reply,
    context,
    plain_fallback,
    section,
    truncate,
)
from bot.strategy import review_texts as texts
from bot.strategy.review_pack import ReviewPack
from bot.strategy.review_render import detail_sections, summary_lines

UPDATE_PRIORITIES_ACTION = "strategy_priorities_edit"
SECTION_CHARS = 2900


def review_summary(pack: ReviewPack, *, preview: bool = False) -> Reply:
    """The post: a score per priority, key results hit and missed, "Update priorities"."""
    header = texts.header(pack.label)
    blocks: list[dict[str, Any]] = [HeaderBlock(text=truncate(header, 150)).to_dict()]
    if preview:
        blocks.append(context(texts.PREVIEW_NOTE))
    lines = summary_lines(pack)
    blocks += [section(line) for line in lines[: MESSAGE_BLOCKS_MAX - 6]]
    blocks.append(context(texts.totals(pack.hits)))
    if not preview:
        button = ButtonElement(
            text=texts.UPDATE_BUTTON,
            action_id=UPDATE_PRIORITIES_ACTION,
            value=pack.period,
            style="primary",
        )
        blocks.append(ActionsBlock(elements=[button]).to_dict())
    return Reply(text=plain_fallback(f"{header}. {texts.totals(pack.hits)}"), blocks=blocks)


def _chunks(lines: list[str]) -> list[str]:
    chunks, current = [], ""
    for line in lines:
        line = truncate(line, SECTION_CHARS)
        if current and len(current) + len(line) + 1 > SECTION_CHARS:
            chunks.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    return [*chunks, current] if current else chunks


def _within_budget(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """As many blocks as Slack takes in one message; then a note that the canvas has all."""
    kept: list[dict[str, Any]] = []
    used = 0
    for block in blocks:
        size = len(str(block))
        if len(kept) >= MESSAGE_BLOCKS_MAX - 1 or used + size > MESSAGE_CHARS_BUDGET:
            return [*kept, context(texts.MORE_IN_CANVAS)]
        kept.append(block)
        used += size
    return kept


def review_details(pack: ReviewPack) -> list[Reply]:
    """One thread reply per part of the pack (each priority, KPIs, pulses, blockers,
    questions), cut into sections Slack accepts."""
    replies = []
    for heading, lines in detail_sections(pack):
        blocks = [section(f"*{heading}*")] + [section(chunk) for chunk in _chunks(lines)]
        replies.append(Reply(text=plain_fallback(heading), blocks=_within_budget(blocks)))
    return replies


def preview_blocks(pack: ReviewPack) -> Reply:
    """The summary and the details in one ephemeral message, for the admin alone."""
    summary = review_summary(pack, preview=True)
    blocks = list(summary["blocks"])
    for reply in review_details(pack):
        blocks += reply["blocks"]
    return Reply(text=summary["text"], blocks=_within_budget(blocks))
