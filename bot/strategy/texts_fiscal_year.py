"""What Northstar says about the fiscal year (``/align fiscal-year``)."""

from __future__ import annotations

import calendar

USAGE = "`/align fiscal-year april` (a month name or 1-12)"
ACTION = "set the fiscal year start"


def month_name(month: int) -> str:
    return calendar.month_name[month]


def shown(start_month: int, current_label: str) -> str:
    return (
        f":calendar: The fiscal year starts in *{month_name(start_month)}*. This quarter is "
        f"*{current_label}*. Admins change the start with {USAGE}."
    )


def not_a_month(echoed: str) -> str:
    return f"{echoed} is not a month. Name one, or give its number: {USAGE}"


def unchanged(start_month: int, current_label: str) -> str:
    return (
        f"The fiscal year already starts in *{month_name(start_month)}*; nothing changed. This "
        f"quarter is *{current_label}*."
    )


def changed(start_month: int, current_label: str, rekeyed: int, made_custom: int) -> str:
    lines = [
        f":white_check_mark: The fiscal year now starts in *{month_name(start_month)}*. This "
        f"quarter is *{current_label}*."
    ]
    if rekeyed:
        lines.append(
            f"{_goals(rekeyed)} whose quarter still runs on the same dates now carry its new name."
        )
    if made_custom:
        lines.append(
            f"{_goals(made_custom)} whose quarter is no longer a quarter of this fiscal year "
            "keep their dates as a custom period: move them with `/goal edit G-12`."
        )
    if not rekeyed and not made_custom:
        lines.append("No open goal needed a new quarter name.")
    return "\n".join(lines)


def _goals(count: int) -> str:
    return f"{count:,} open goal{'s' if count != 1 else ''}"
