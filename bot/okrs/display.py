"""How key results read: numbers with their unit, drawn as goals and KPIs draw them (the
okrs room sits below goals, KPIs and check-ins, so it imports none of them), and the shared
progress bar."""

from __future__ import annotations

from bot.core.numbers import progress_bar as progress_bar  # the one bar every room draws

_LARGE = 1e15


def number_text(value: float) -> str:
    """A number a form is prefilled with, read back the same by ``parse_number``."""
    if value == int(value) and abs(value) < _LARGE:
        return f"{int(value):,}"
    return repr(value)


def value_text(value: float, unit: str = "") -> str:
    """A value for display, to two decimals, with its unit: ``45%``, ``$3,000``, ``12 shops``."""
    if abs(value) >= _LARGE:
        number = f"{value:.3g}"
    elif value == int(value):
        number = f"{int(value):,}"
    else:
        number = f"{value:,.2f}".rstrip("0").rstrip(".")
    if not unit:
        return number
    if unit == "%":
        return number + unit
    if unit in ("$", "€", "£"):
        return f"-{unit}{number[1:]}" if number.startswith("-") else unit + number
    return f"{number} {unit}"
