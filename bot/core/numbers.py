"""Reading a number the way people write it in a spreadsheet or a dashboard."""

from __future__ import annotations

import math
import re

_CURRENCY = "$€£"
_MINUS = "-\u2212"  # ASCII hyphen-minus and the Unicode minus sign some spreadsheets emit
_SUFFIX_EXPONENTS = {"%": 0, "k": 3, "m": 6, "b": 9}
# Commas only as thousands separators in groups of three, so "3,5" is refused, not read as 35.
_DIGITS = re.compile(
    r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?"
    r"|\.[0-9]+(?:[eE][-+]?[0-9]+)?"
)
_SPACES = " \t\r\n\u00a0\u202f"


def parse_number(text: str) -> float | None:
    """Read ``text`` as a finite number, or return ``None`` if it is not one.

    Accepts what people type in sheets and dashboards: ``"12,500"``, ``"$3,000"``, ``"45%"``
    (read as 45), ``"1.2k"``, ``"-3.5"``, ``" 7 "``, ``"(1,200)"`` (accounting negative),
    ``"-€4"`` and ``"4 €"``. A suffix ``k``, ``m`` or ``b`` multiplies by a thousand, a million
    or a billion. Never raises; NaN and infinities give ``None``.
    """
    body = text.strip(_SPACES)
    negative = False
    if len(body) >= 2 and body[0] == "(" and body[-1] == ")":
        negative, body = True, body[1:-1].strip(_SPACES)
    # Sign and currency symbol come in either order: "-$3" and "$-3".
    for _ in range(2):
        if body[:1] in _MINUS and body and not negative:
            negative, body = True, body[1:].lstrip(_SPACES)
        elif body[:1] == "+" or (body and body[0] in _CURRENCY):
            body = body[1:].lstrip(_SPACES)
    if body and body[-1] in _CURRENCY:
        body = body[:-1].rstrip(_SPACES)
    exponent = 0
    if body and body[-1].lower() in _SUFFIX_EXPONENTS:
        exponent, body = _SUFFIX_EXPONENTS[body[-1].lower()], body[:-1].rstrip(_SPACES)
    if not _DIGITS.fullmatch(body) or (exponent and "e" in body.lower()):
        return None
    # Scaling through the exponent keeps "1.1k" exactly 1100 rather than 1100.0000000000002.
    value = float(body.replace(",", "") + (f"e{exponent}" if exponent else ""))
    if not math.isfinite(value):
        return None
    return -value if negative else value


BAR_WIDTH = 10


def progress_bar(progress: float, width: int = BAR_WIDTH) -> str:
    """``▓▓▓░░░░░░░ 30%``: how goals, key results and the digest draw progress (0..1)."""
    filled = round(progress * width)
    return "▓" * filled + "░" * (width - filled) + f" {round(progress * 100)}%"


_LARGE = 1e15


def format_number(value: float) -> str:
    """A number as people write it (``12,500``, ``0.25``, ``-3.5``), exact enough to read
    back with ``bot.core.numbers.parse_number`` when a form is prefilled."""
    if value == int(value) and abs(value) < _LARGE:
        return f"{int(value):,}"
    text = repr(value)  # the shortest form that reads back as the same float
    if "e" in text:
        return text
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, fraction = digits.partition(".")
    return f"{sign}{int(whole):,}.{fraction}"


def format_value(value: float, unit: str = "") -> str:
    """A value for display, rounded to two decimals, with its unit: ``45%``, ``$3,000``,
    ``12,500 users``."""
    if abs(value) >= _LARGE:
        number = f"{value:.3g}"
    elif value == int(value):
        number = f"{int(value):,}"
    else:
        number = f"{value:,.2f}".rstrip("0").rstrip(".")
        if number in ("-0", ""):
            number = "0"
    if not unit:
        return number
    if unit == "%":
        return number + unit
    if unit in ("$", "€", "£"):
        return f"-{unit}{number[1:]}" if number.startswith("-") else unit + number
    return f"{number} {unit}"
