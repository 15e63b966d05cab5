"""Which period a goal belongs to, and which goals a list of one period shows.

A goal of a quarter has ``period`` = the quarter's key and the quarter's dates; a goal of a
span of its own has ``period`` = ``custom`` and its start and due dates. Lists show one
period: by default the current quarter (its goals, and custom goals whose span includes
today); ``period 2026-Q3`` another quarter (its goals and custom goals overlapping it);
``period all`` every period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.errors import UserInputError
from bot.core.quarters import (
    CUSTOM,
    Quarter,
    next_quarter,
    quarter_by_key,
    quarter_of,
    read_fiscal_start,
)
from bot.core.runtime import Runtime
from bot.core.text_input import echo
from bot.goals import texts_periods as texts
from storage.models import Goal, Priority, Workspace
from storage.repositories.priorities import get_priority, list_priorities

ALL_PERIODS = "all"
PERIOD_WORD = re.compile(r"(?:^|\s)period\s+(\S+)\s*$", re.IGNORECASE)
QUARTER_KEY = re.compile(r"^[0-9]{4}-Q[1-4]$")


def split_period(text: str, *, usage: str) -> tuple[str, str]:
    """``team Sales period 2026-Q3`` -> (``team Sales``, ``2026-Q3``); the period is ``""``
    when none is named, ``all`` for every period. Bad periods raise ``UserInputError``."""
    found = PERIOD_WORD.search(text)
    if found is None:
        if re.search(r"(?:^|\s)period\s*$", text, re.IGNORECASE):
            raise UserInputError(texts.which_period(usage))
        return text, ""
    word = found.group(1).upper()
    if word.lower() == ALL_PERIODS:
        word = ALL_PERIODS
    elif not QUARTER_KEY.match(word):
        raise UserInputError(texts.bad_period(echo(found.group(1)), usage))
    return text[: found.start()].strip(), word


async def fiscal_start_of(*, session: AsyncSession, team_id: str) -> int:
    workspace = await session.get(Workspace, team_id)
    return read_fiscal_start(workspace.settings if workspace else None)


@dataclass(frozen=True)
class PeriodFilter:
    """The period a list shows: one quarter (``quarter``), or every period (None)."""

    quarter: Quarter | None
    today: date

    @property
    def is_current(self) -> bool:
        return self.quarter is not None and self.quarter.start <= self.today <= self.quarter.end

    @property
    def label(self) -> str:
        return texts.ALL_PERIODS_LABEL if self.quarter is None else self.quarter.label

    def shows(self, goal: Goal) -> bool:
        quarter = self.quarter
        if quarter is None or goal.period == quarter.key:
            return True
        if goal.period and goal.period != CUSTOM:
            return False
        # custom goals, and goals from before periods (no period: their own dates)
        start = goal.period_start or goal.start_date
        end = goal.period_end or goal.due_date
        if self.is_current:
            return start <= self.today <= end
        return start <= quarter.end and end >= quarter.start


def period_filter(word: str, *, today: date, fiscal_start: int) -> PeriodFilter:
    """The filter ``period <word>`` names (``""``: the current quarter)."""
    if word == ALL_PERIODS:
        return PeriodFilter(None, today)
    if not word:
        return PeriodFilter(quarter_of(today, fiscal_start), today)
    quarter = quarter_by_key(word, fiscal_start)
    if quarter is None:
        raise UserInputError(texts.bad_period(echo(word), "`/goal list period 2026-Q3`"))
    return PeriodFilter(quarter, today)


def place_in_quarter(goal: Goal, quarter: Quarter) -> None:
    goal.period = quarter.key
    goal.period_start = quarter.start
    goal.period_end = quarter.end


def place_in_own_span(goal: Goal) -> None:
    goal.period = CUSTOM
    goal.period_start = goal.start_date
    goal.period_end = goal.due_date


async def load_period_filter(
    *, runtime: Runtime, team_id: str, word: str, today: date
) -> PeriodFilter:
    """The filter of ``period <word>`` in this workspace's fiscal year."""
    async with runtime.sessions() as session:
        fiscal_start = await fiscal_start_of(session=session, team_id=team_id)
    return period_filter(word, today=today, fiscal_start=fiscal_start)


async def form_choices(
    *, session: AsyncSession, team_id: str, today: date, goal: Goal | None
) -> tuple[tuple[Quarter, Quarter], list[Priority]]:
    """What the goal form offers: this quarter and the next, and the priorities (the active
    ones, and the one ``goal`` serves even if it was archived since)."""
    fiscal_start = await fiscal_start_of(session=session, team_id=team_id)
    this = quarter_of(today, fiscal_start)
    priorities = await list_priorities(session=session, team_id=team_id)
    kept = goal.priority_id if goal is not None else None
    if kept is not None and all(priority.id != kept for priority in priorities):
        current = await get_priority(session=session, team_id=team_id, priority_id=kept)
        priorities += [current] if current is not None else []
    return (this, next_quarter(this, fiscal_start)), priorities
