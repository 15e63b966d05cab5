"""The short numbers people type for goals and KPIs: ``G-12``, ``K-3``."""

from __future__ import annotations

import re

from bot.core.errors import UserInputError
from bot.core.text_input import echo

_REF = re.compile(r"^#?([A-Za-z])-?([0-9]{1,9})$")


def format_ref(prefix: str, number: int) -> str:
    return f"{prefix}-{number}"


def parse_ref(text: str, prefix: str, *, usage: str) -> int:
    """The number in ``G-12`` (also ``g12``, ``#G-12``, or just ``12``) for ``prefix`` ``G``."""
    cleaned = text.strip()
    if cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= 9:
        return int(cleaned)
    match = _REF.match(cleaned)
    if match and match.group(1).upper() == prefix:
        return int(match.group(2))
    raise UserInputError(
        f"{echo(cleaned) if cleaned else 'Nothing'} is not a {prefix} number like "
        f"`{prefix}-12`. Try: {usage}"
    )


def looks_like_ref(text: str, prefix: str) -> bool:
    match = _REF.match(text.strip())
    return bool(match and match.group(1).upper() == prefix)
