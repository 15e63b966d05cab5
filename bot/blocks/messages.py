"""Small message payloads: a notice, an error. Every payload carries a plain-text fallback."""

from __future__ import annotations

import re
from typing import Any, TypedDict

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

SECTION_TEXT_MAX = 3000
FALLBACK_TEXT_MAX = 3000


class Reply(TypedDict):
    """Keyword arguments for ``respond``, ``chat_postMessage`` and friends."""

    text: str
    blocks: list[dict[str, Any]]


def plain_fallback(mrkdwn: str) -> str:
    """Notification/screen-reader text: mrkdwn without emoji codes, cut to a safe length."""
    text = re.sub(r":[a-z0-9_+-]+:\s?", "", mrkdwn).strip()
    return truncate(text, FALLBACK_TEXT_MAX)


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def section(mrkdwn: str) -> dict[str, Any]:
    return SectionBlock(text=MarkdownTextObject(text=truncate(mrkdwn, SECTION_TEXT_MAX))).to_dict()


def build_notice(mrkdwn: str) -> Reply:
    """One section of text: confirmations, short answers and error explanations."""
    return Reply(text=plain_fallback(mrkdwn), blocks=[section(mrkdwn)])
