"""Text from a request, made safe to put in a log line.

A request can carry newlines and terminal control characters; logged as they are, they could
forge a second log line or rewrite what an operator's terminal shows. ``printable`` turns each
such character into its Python escape (``\\n``, ``\\x1b``, ``\\u2028``) and shortens long text.
"""

from __future__ import annotations

DEFAULT_LIMIT = 200


def printable(value: object, *, limit: int = DEFAULT_LIMIT) -> str:
    """``value`` as one line of visible characters, at most ``limit`` of them before ``…``."""
    text = str(value)
    shortened = len(text) > limit
    escaped = "".join(_escape(character) for character in text[:limit])
    return escaped + "…" if shortened else escaped


def _escape(character: str) -> str:
    if character == "\\":  # so an escape in the log always stands for an escaped character
        return "\\\\"
    if character.isprintable():
        return character
    return character.encode("unicode_escape").decode("ascii")
