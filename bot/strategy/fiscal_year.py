"""``/align fiscal-year``: show the fiscal year start and this quarter; admins set the start
(``april`` or ``4``). Changing it renames the quarters of open goals: a goal whose quarter
runs on the same dates in the new fiscal year takes the new key (Oct-Dec 2026 is 2026-Q4
with a January start, 2027-Q3 with an April start); a goal whose quarter's dates are no
longer a quarter keeps its dates as a custom period."""

from __future__ import annotations

import calendar

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.errors import UserInputError
from bot.core.quarters import CUSTOM, quarter_by_key, quarter_of, read_fiscal_start
from bot.core.request import RequestContext
from bot.core.text_input import echo
from bot.goals.period_choice import place_in_quarter
from bot.people.admins import require_admin
from bot.slack.messages import build_notice
from bot.slack.outcome import Outcome
from bot.strategy import texts_fiscal_year as texts
from bot.strategy.settings import with_strategy
from storage.db import transaction
from storage.models import Review, Workspace
from storage.repositories.goals import workspace_goals

MONTHS: dict[str, int] = {
    **{name.lower(): number for number, name in enumerate(calendar.month_name) if name},
    **{name.lower(): number for number, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
}


def parse_month(text: str) -> int:
    word = text.strip().lower().rstrip(".")
    if word.isdigit() and 1 <= int(word) <= 12:
        return int(word)
    if word in MONTHS:
        return MONTHS[word]
    raise UserInputError(texts.not_a_month(echo(text.strip())))


async def run_fiscal_year(text: str, request: RequestContext) -> Outcome:
    """``/align fiscal-year [month]``."""
    today = await request.today()
    if not text.strip():
        async with request.runtime.sessions() as session:
            workspace = await session.get(Workspace, request.team_id)
        start = read_fiscal_start(workspace.settings if workspace else None)
        return Outcome.replying(build_notice(texts.shown(start, quarter_of(today, start).label)))
    month = parse_month(text)
    async with transaction(request.runtime.sessions) as session:
        await require_admin(
            session=session, team_id=request.team_id, user_id=request.user_id, action=texts.ACTION
        )
        workspace = await session.get(Workspace, request.team_id, with_for_update=True)
        if workspace is None:
            raise UserInputError(texts.not_a_month(echo(text.strip())))
        old = read_fiscal_start(workspace.settings)
        current = quarter_of(today, month).label
        if old == month:
            return Outcome.replying(build_notice(texts.unchanged(month, current)))
        workspace.settings = with_strategy(workspace.settings, fiscal_year_start=month)
        session.add(workspace)
        rekeyed, made_custom = await rekey_open_goals(
            session=session, team_id=request.team_id, old_start=old, new_start=month
        )
    return Outcome.replying(
        build_notice(texts.changed(month, current, rekeyed, made_custom)),
        homes=(request.user_id,),
    )


async def _rekey_reviews(
    session: AsyncSession, team_id: str, old_start: int, new_start: int
) -> None:
    """A review keeps naming the months it covered: re-keyed when they are still a quarter,
    so the daily job does not review those months again under their new key."""
    reviews = (await session.exec(select(Review).where(Review.team_id == team_id))).all()
    for review in reviews:
        old = quarter_by_key(review.period, old_start)
        if old is None:
            continue
        new = quarter_of(old.start, new_start)
        if (new.start, new.end) == (old.start, old.end) and new.key != review.period:
            review.period = new.key
            session.add(review)


async def rekey_open_goals(
    *, session: AsyncSession, team_id: str, old_start: int, new_start: int
) -> tuple[int, int]:
    """Rename the quarters of goals (closed ones too: a review reads them by key) and of
    posted reviews for a new fiscal year start; how many goals took a new key, and how many
    became custom periods (their quarter is no longer one)."""
    rekeyed = made_custom = 0
    await _rekey_reviews(session, team_id, old_start, new_start)
    for goal in await workspace_goals(session=session, team_id=team_id, include_closed=True):
        if goal.period == CUSTOM or not goal.period:
            continue
        old = quarter_by_key(goal.period, old_start)
        start = goal.period_start or (old.start if old else goal.start_date)
        end = goal.period_end or (old.end if old else goal.due_date)
        new = quarter_of(start, new_start)
        if (new.start, new.end) == (start, end):
            if new.key != goal.period:
                place_in_quarter(goal, new)
                rekeyed += 1
        else:
            goal.period_start, goal.period_end = start, end
            goal.period = CUSTOM
            made_custom += 1
        session.add(goal)
    await session.flush()
    return rekeyed, made_custom
