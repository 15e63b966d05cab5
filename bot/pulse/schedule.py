"""When the next round of a repeating survey opens and closes."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

from bot.pulse.questions import REPEAT_PERIOD_DAYS, Repeat


def next_round_times(
    *,
    first_opens_at: datetime,
    opens_at: datetime,
    closes_at: datetime,
    repeat: str,
    now: datetime,
) -> tuple[datetime, datetime]:
    """Open and close times of the round after the one from ``opens_at`` to ``closes_at``.

    Weekly and fortnightly rounds follow each other by 7 and 14 days; monthly rounds open on
    the series' first day of the month (the month's last day when it is shorter). A round
    whose close time has already passed (Northstar was down) is skipped. Times are UTC, so a
    daylight-saving change moves the local time by an hour.
    """
    window = closes_at - opens_at
    step = 1
    while True:
        if repeat == Repeat.MONTHLY:
            next_opens = add_months(first_opens_at, step)
        else:
            next_opens = opens_at + timedelta(days=REPEAT_PERIOD_DAYS[Repeat(repeat)] * step)
        if next_opens > opens_at and next_opens + window > now:
            return next_opens, next_opens + window
        step += 1


def add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
