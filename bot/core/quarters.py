"""Fiscal quarters, the periods goals belong to.

A workspace's fiscal year starts on the first day of ``strategy.fiscal_year_start`` (a month,
1 = January, the default) in ``workspace.settings``. A quarter is keyed ``2027-Q1``: the
fiscal year is named by the calendar year it ends in (a year starting in April 2026 is
FY2027), so with a January start the key is the calendar quarter. A goal of a span of its own
has the period ``custom`` and its dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

SETTINGS_KEY = "strategy"
CUSTOM = "custom"
_KEY = re.compile(r"^([0-9]{4})-Q([1-4])$")


@dataclass(frozen=True)
class Quarter:
    key: str  # 2027-Q1
    start: date
    end: date  # the last day, included

    @property
    def label(self) -> str:
        """``Q1 FY2027 (Apr-Jun 2026)``, with an en dash: as people read it."""
        year, number = self.key.split("-Q")
        span = f"{self.start:%b}\u2013{self.end:%b %Y}"
        return f"Q{number} FY{year} ({span})"


def read_fiscal_start(workspace_settings: dict[str, Any] | None) -> int:
    stored = ((workspace_settings or {}).get(SETTINGS_KEY) or {}).get("fiscal_year_start")
    return stored if isinstance(stored, int) and 1 <= stored <= 12 else 1


def _first_of(year: int, month: int) -> date:
    year += (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


def quarter_of(day: date, fiscal_start: int = 1) -> Quarter:
    """The fiscal quarter ``day`` falls in."""
    months_in = (day.month - fiscal_start) % 12
    fy_start = _first_of(day.year - (1 if day.month < fiscal_start else 0), fiscal_start)
    number = months_in // 3 + 1
    start = _first_of(fy_start.year, fy_start.month + 3 * (number - 1))
    end = _first_of(start.year, start.month + 3) - timedelta(days=1)
    fiscal_year = fy_start.year + (1 if fiscal_start != 1 else 0)
    return Quarter(f"{fiscal_year}-Q{number}", start, end)


def quarter_by_key(key: str, fiscal_start: int = 1) -> Quarter | None:
    """The quarter ``2027-Q1`` names, or None when ``key`` is not a quarter key."""
    found = _KEY.match(key)
    if found is None:
        return None
    fiscal_year, number = int(found.group(1)), int(found.group(2))
    first_year = fiscal_year - (1 if fiscal_start != 1 else 0)
    start = _first_of(first_year, fiscal_start + 3 * (number - 1))
    return quarter_of(start, fiscal_start)


def next_quarter(quarter: Quarter, fiscal_start: int = 1) -> Quarter:
    return quarter_of(quarter.end + timedelta(days=1), fiscal_start)


def previous_quarter(quarter: Quarter, fiscal_start: int = 1) -> Quarter:
    return quarter_of(quarter.start - timedelta(days=1), fiscal_start)
