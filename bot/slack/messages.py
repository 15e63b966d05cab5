"""Small message payloads: a notice, an error. Every payload carries a plain-text fallback."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TypedDict

from slack_sdk.models.blocks import HeaderBlock

SECTION_TEXT_MAX = 3000
FALLBACK_TEXT_MAX = 3000


class Reply(TypedDict):
    """Keyword arguments for ``respond``, ``chat_postMessage`` and friends."""

    text: str
    blocks: list[dict[str, Any]]


def plain_fallback(mrkdwn: str) -> str:
    """Notification/screen-reader text: mrkdwn without emoji codes, cut to a safe length."""
    text = re.sub(r":[a-z0-9_+-]+:\s?", "", mrkdwn).strip()
    # Text that was nothing but emoji codes keeps them: a fallback is never empty.
    return truncate(text or mrkdwn.strip() or "Northstar", FALLBACK_TEXT_MAX)


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mrkdwn_text(text: str) -> dict[str, Any]:
    """A mrkdwn text object, as slack_sdk's ``MarkdownTextObject(text=…).to_dict()`` writes
    it (empty text left out), built directly: messages of many sections (the digest's thread)
    spent most of their time in slack_sdk's generic validation of these two keys."""
    return {"text": text, "type": "mrkdwn"} if text else {"type": "mrkdwn"}


def section(mrkdwn: str) -> dict[str, Any]:
    return {"text": mrkdwn_text(truncate(mrkdwn, SECTION_TEXT_MAX)), "type": "section"}


def build_notice(mrkdwn: str) -> Reply:
    """One section of text: confirmations, short answers and error explanations."""
    return Reply(text=plain_fallback(mrkdwn), blocks=[section(mrkdwn)])


MESSAGE_BLOCKS_MAX = 50
MESSAGE_CHARS_BUDGET = 11_000  # Slack refuses messages near 13k characters of block text


def build_lines(
    header: str,
    lines: list[str],
    *,
    more: Callable[[int], str],
    footer: str = "",
    max_sections: int = 45,
) -> Reply:
    """A header and one section per line, ending with "and N more" before Slack's limits."""
    blocks: list[dict[str, Any]] = [HeaderBlock(text=truncate(header, 150)).to_dict()]
    used = len(header) + len(footer)
    shown = 0
    for line in lines:
        text = truncate(line, SECTION_TEXT_MAX)
        if shown >= max_sections or used + len(text) > MESSAGE_CHARS_BUDGET:
            break
        blocks.append(section(text))
        used += len(text)
        shown += 1
    if shown < len(lines):
        blocks.append(context(more(len(lines) - shown)))
    if footer:
        blocks.append(context(footer))
    return Reply(text=plain_fallback(f"{header}: {len(lines)}"), blocks=blocks)


def context(mrkdwn: str) -> dict[str, Any]:
    return {"elements": [mrkdwn_text(truncate(mrkdwn, 3000))], "type": "context"}


def view_metadata(view: dict[str, Any]) -> dict[str, Any]:
    """A modal's ``private_metadata`` as the JSON object Northstar put there; ``{}`` when it
    is missing, not text or not an object (a forged or stale submission)."""
    raw = view.get("private_metadata")
    if not isinstance(raw, str) or not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
