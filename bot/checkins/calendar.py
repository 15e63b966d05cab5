"""The workspace's working calendar, shared by every setup: its work week and holidays.

The work week is kept in ``workspace.settings["work_week"]`` as weekdays (0 = Monday); the
default is Monday to Friday. A day a setup names itself is a working day for that setup
even outside the work week (an admin who picks Saturday means Saturday).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.repositories import checkin_calendar as calendar_repo

WORK_WEEK_KEY = "work_week"
MONDAY_TO_FRIDAY = frozenset(range(5))


@dataclass(frozen=True)
class WorkCalendar:
    work_days: frozenset[int] = MONDAY_TO_FRIDAY
    holidays: frozenset[date] = field(default_factory=frozenset)

    def is_off(self, day: date, chosen_days: Collection[int] = ()) -> bool:
        """A holiday, or a day outside the work week that the setup did not choose."""
        if day in self.holidays:
            return True
        return day.weekday() not in self.work_days and day.weekday() not in chosen_days


def read_work_days(workspace_settings: dict[str, Any] | None) -> frozenset[int]:
    stored = (workspace_settings or {}).get(WORK_WEEK_KEY)
    if isinstance(stored, list):
        days = {day for day in stored if isinstance(day, int) and 0 <= day <= 6}
        if days:
            return frozenset(days)
    return MONDAY_TO_FRIDAY


def with_work_days(
    workspace_settings: dict[str, Any] | None, days: Iterable[int]
) -> dict[str, Any]:
    return {**(workspace_settings or {}), WORK_WEEK_KEY: sorted(set(days))}


async def read_calendar(
    session: AsyncSession, team_id: str, workspace_settings: dict[str, Any] | None
) -> WorkCalendar:
    holidays = await calendar_repo.list_holidays(session=session, team_id=team_id)
    return WorkCalendar(read_work_days(workspace_settings), frozenset(holidays))
