"""When a check-in invitation takes answers, and when the next one comes.

An invitation can be answered from its prompt time until the setup's next round begins for
that person (their next prompt time, or the next round's first day if they are not invited),
and at most ``LATE_LIMIT`` after it closed. Answers after the invitation's ``closes_at`` are
kept and marked late. An invitation whose window passed before its prompt went out was never
offered, so it cannot be answered.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.checkins import texts_answers as texts
from bot.checkins.periods import is_week
from bot.core.errors import UserInputError
from bot.core.local_time import zone
from bot.core.weeks import week_monday
from storage.models import CheckinDelivery, CheckinRound, Workspace
from storage.repositories import checkins as repo
from storage.repositories.members import get_member
from storage.repositories.workspaces import get_workspace

LATE_LIMIT = timedelta(days=7)


async def ensure_answerable(
    *, session: AsyncSession, delivery: CheckinDelivery, round_: CheckinRound, now: datetime
) -> None:
    """Refuse an invitation that has not started, that closed before its prompt went out,
    or whose time has passed: the next round began for this person, or, with no next round,
    it closed more than ``LATE_LIMIT`` ago."""
    if now < delivery.prompt_at:
        tz = await zone_of(session=session, team_id=delivery.team_id, user_id=delivery.user_id)
        raise UserInputError(texts.none_open(delivery.prompt_at.astimezone(tz)))
    if delivery.state == repo.PENDING and now >= delivery.closes_at:
        raise UserInputError(texts.closed(round_.period))
    later = await repo.next_round(session=session, after=round_)
    if later is None or later.id is None:
        if now >= delivery.closes_at + LATE_LIMIT:
            raise UserInputError(texts.closed(round_.period))
        return
    mine = await repo.get_delivery(
        session=session, team_id=round_.team_id, round_id=later.id, user_id=delivery.user_id
    )
    first_day = (
        week_monday(later.week) if is_week(later.period) else date.fromisoformat(later.period)
    )
    # a round the person is not in never ends their own window before its deadline
    begins = (
        mine.prompt_at
        if mine
        else max(datetime.combine(first_day, time(), UTC), delivery.closes_at)
    )
    if now >= begins:
        raise UserInputError(texts.old_round(round_.period, later.period, invited=mine is not None))


def earliest_closing_first(
    invitations: Sequence[tuple[CheckinDelivery, CheckinRound]], now: datetime
) -> list[tuple[CheckinDelivery, CheckinRound]]:
    """Open invitations in the order ``/checkin`` offers them: those already out, the
    earliest closing first, then those still to come, the earliest first."""
    started = [pair for pair in invitations if pair[0].prompt_at <= now]
    coming = [pair for pair in invitations if pair[0].prompt_at > now]
    started.sort(key=lambda pair: (pair[0].closes_at, pair[0].id or 0))
    coming.sort(key=lambda pair: (pair[0].prompt_at, pair[0].id or 0))
    return started + coming


async def open_invitations(
    *, session: AsyncSession, team_id: str, user_id: str, now: datetime
) -> list[tuple[CheckinDelivery, CheckinRound]]:
    """The person's invitations still taking answers (or still to come), of every setup, in
    ``earliest_closing_first`` order."""
    found = await repo.open_deliveries_of_user(
        session=session, team_id=team_id, user_id=user_id, now=now
    )
    return earliest_closing_first(found, now)


async def zone_of(
    *, session: AsyncSession, team_id: str, user_id: str, workspace: Workspace | None = None
) -> ZoneInfo:
    """The person's Slack time zone, else the workspace's, else UTC."""
    workspace = workspace or await get_workspace(session=session, team_id=team_id)
    member = await get_member(session=session, team_id=team_id, user_id=user_id)
    return zone(member.tz if member else None, workspace.timezone if workspace else None)
