"""Who the digest @-mentions: each person at most once across the post and its thread.

The lines are drawn with ``<@U…>`` for every person; ``Mentions`` then goes over what is
actually shown, in reading order (the post, then the thread), keeps the first mention of each
person and turns every later one into their plain name, escaped. With mentions off (the digest
setting) every mention becomes a plain name. People's typed text is escaped before it gets
here, so the only ``<@…>`` tokens are the digest's own and the vision's (stored as Slack sent
it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from bot.core.text_input import escape_mrkdwn
from bot.slack.messages import truncate

NAME_MAX = 40
UNKNOWN_NAME = "a former member"
_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^<>]*)?>")


class Mentions:
    """The people already @-mentioned in one channel digest (its post and thread)."""

    def __init__(self, names: Mapping[str, str], *, enabled: bool) -> None:
        self._names = names
        self._enabled = enabled
        self._seen: set[str] = set()

    def copy(self) -> Mentions:
        """The same people mentioned so far, counted apart from here on."""
        twin = Mentions(self._names, enabled=self._enabled)
        twin._seen = set(self._seen)
        return twin

    @property
    def mentioned(self) -> frozenset[str]:
        return frozenset(self._seen)

    def name(self, user_id: str) -> str:
        """The person's plain name, inert in mrkdwn."""
        name = " ".join((self._names.get(user_id) or "").split())
        return escape_mrkdwn(truncate(name, NAME_MAX)) if name else UNKNOWN_NAME

    def rewrite(self, mrkdwn: str) -> str:
        """``mrkdwn`` with every mention after a person's first one (or every mention, when
        mentions are off) replaced by the person's name."""
        return _MENTION.sub(self._replace, mrkdwn)

    def seen(self, user_ids: Iterable[str]) -> None:
        """Count these people as mentioned, as ``rewrite`` would on lines that @-mention
        them, without drawing the lines (lines past what a thread shows)."""
        if self._enabled:
            for user in set(user_ids) - self._seen:  # as ``rewrite`` reads ``<@user>``
                found = _MENTION.match(f"<@{user}>")
                if found is not None:
                    self._seen.add(found.group(1))

    def _replace(self, match: re.Match[str]) -> str:
        user_id = match.group(1)
        if self._enabled and user_id not in self._seen:
            self._seen.add(user_id)
            return match.group(0)
        return self.name(user_id)

    def rewrite_blocks(self, blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The blocks with every mrkdwn text rewritten, in the order Slack shows them."""
        return [_rewritten(block, self) for block in blocks]


def _rewritten(node: Any, mentions: Mentions) -> Any:
    if isinstance(node, list):
        return [_rewritten(item, mentions) for item in node]
    if not isinstance(node, dict):
        return node
    if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
        return {**node, "text": mentions.rewrite(node["text"])}
    return {key: _rewritten(value, mentions) for key, value in node.items()}
