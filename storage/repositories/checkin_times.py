"""Check-in invitations moved in time: settings saved mid-week reschedule what is not sent
yet (and bring back what turning check-ins off cancelled), and a snoozed reminder is due again.
Every change is a conditional UPDATE, so a row the fan-out has claimed (``sending``) or sent
keeps what it had."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import and_, col, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import CheckinDelivery, CheckinRound
from storage.repositories.checkins import ANSWERED, PENDING, SENDING, SENT, SKIPPED, of_setup


async def rounds_from(
    *, session: AsyncSession, team_id: str, week: str, setup_id: int | None = None
) -> list[CheckinRound]:
    """A setup's rounds (None: the default setup's) of ``week`` and later: this week's and
    those opened ahead of time."""
    statement = (
        select(CheckinRound)
        .where(of_setup(team_id, setup_id), col(CheckinRound.week) >= week)
        .order_by(col(CheckinRound.week), col(CheckinRound.period))
    )
    return list((await session.exec(statement)).all())


# Ids per UPDATE: far below every database's limit on bound parameters.
IDS_PER_STATEMENT = 500


def _chunks(ids: Sequence[int]) -> list[list[int]]:
    return [list(ids[i : i + IDS_PER_STATEMENT]) for i in range(0, len(ids), IDS_PER_STATEMENT)]


async def _changed(session: AsyncSession, statement: Any) -> int:
    result = await session.exec(statement)
    return int(getattr(result, "rowcount", 0) or 0)


async def reschedule_pending(
    *,
    session: AsyncSession,
    delivery_ids: Sequence[int],
    prompt_at: datetime,
    remind_at: datetime | None,
    closes_at: datetime,
) -> int:
    """New times for invitations nobody has claimed; a row being sent (or sent) keeps its
    times. Returns how many rows changed."""
    changed = 0
    for ids in _chunks(delivery_ids):
        statement = (
            update(CheckinDelivery)
            .where(col(CheckinDelivery.id).in_(ids), col(CheckinDelivery.state) == PENDING)
            .values(prompt_at=prompt_at, remind_at=remind_at, closes_at=closes_at)
        )
        changed += await _changed(session, statement)
    return changed


async def cancel_pending(*, session: AsyncSession, delivery_ids: Sequence[int], reason: str) -> int:
    """Never send these invitations (check-ins turned off, or the person no longer takes
    part), unless somebody is already sending one. Returns how many rows changed."""
    changed = 0
    for ids in _chunks(delivery_ids):
        statement = (
            update(CheckinDelivery)
            .where(col(CheckinDelivery.id).in_(ids), col(CheckinDelivery.state) == PENDING)
            .values(state=SKIPPED, error=reason)
        )
        changed += await _changed(session, statement)
    return changed


async def revive_cancelled(
    *,
    session: AsyncSession,
    delivery_ids: Sequence[int],
    reasons: Sequence[str],
    prompt_at: datetime,
    remind_at: datetime | None,
    closes_at: datetime,
) -> int:
    """Invite again, at new times, people whose invitation was cancelled for one of
    ``reasons`` before it was sent. A skip of the person's own (no reason) or one made when
    the fan-out found them paused keeps its reason and stays. Returns how many rows changed."""
    changed = 0
    for ids in _chunks(delivery_ids):
        statement = (
            update(CheckinDelivery)
            .where(
                col(CheckinDelivery.id).in_(ids),
                col(CheckinDelivery.state) == SKIPPED,
                col(CheckinDelivery.sent_at).is_(None),
                col(CheckinDelivery.error).in_(list(reasons)),
            )
            .values(
                state=PENDING,
                prompt_at=prompt_at,
                remind_at=remind_at,
                closes_at=closes_at,
                error="",
            )
        )
        changed += await _changed(session, statement)
    return changed


async def unsent_by_week(
    *,
    session: AsyncSession,
    team_id: str,
    weeks: Sequence[str],
    now: datetime,
    setup_id: int | None = None,
) -> dict[str, list[CheckinDelivery]]:
    """A setup's rounds (None: the default's) in ``weeks`` that exist, by period, each with
    its invitations still to go out (``pending``, answer window not closed at ``now``),
    earliest prompt first; a round with none has an empty list. One query."""
    if not weeks:
        return {}
    waiting = and_(
        col(CheckinDelivery.round_id) == col(CheckinRound.id),
        col(CheckinDelivery.state) == PENDING,
        col(CheckinDelivery.closes_at) > now,
    )
    statement = (
        select(CheckinRound.period, CheckinDelivery)
        .outerjoin(CheckinDelivery, waiting)
        .where(of_setup(team_id, setup_id), col(CheckinRound.week).in_(list(weeks)))
        .order_by(col(CheckinDelivery.prompt_at), col(CheckinDelivery.id))
        # rows moved by an UPDATE earlier in this transaction are read as they are now
        .execution_options(populate_existing=True)
    )
    found: dict[str, list[CheckinDelivery]] = {}
    for week, delivery in (await session.exec(statement)).all():
        rows = found.setdefault(week, [])
        if delivery is not None:
            rows.append(delivery)
    return found


async def replace_questions_if_unsent(
    *, session: AsyncSession, round_id: int, questions: list[dict[str, Any]]
) -> bool:
    """The round's questions, changed only while none of its prompts has been sent or is
    being sent (nobody has read the old ones)."""
    started = select(CheckinDelivery.id).where(
        col(CheckinDelivery.round_id) == round_id,
        or_(
            col(CheckinDelivery.state).in_([SENDING, SENT, ANSWERED]),
            col(CheckinDelivery.sent_at).is_not(None),
        ),
    )
    statement = (
        update(CheckinRound)
        .where(col(CheckinRound.id) == round_id, ~sa.exists(started))
        .values(questions=questions)
    )
    result = await session.exec(statement)
    return int(getattr(result, "rowcount", 0) or 0) == 1


async def snooze_reminder(
    *, session: AsyncSession, team_id: str, delivery_id: int, user_id: str, remind_at: datetime
) -> bool:
    """Send the reminder of this sent, unanswered invitation again at ``remind_at``."""
    statement = (
        update(CheckinDelivery)
        .where(
            col(CheckinDelivery.id) == delivery_id,
            col(CheckinDelivery.team_id) == team_id,
            col(CheckinDelivery.user_id) == user_id,
            col(CheckinDelivery.state) == SENT,
            col(CheckinDelivery.closes_at) > remind_at,
        )
        .values(remind_at=remind_at, reminded_at=None)
    )
    result = await session.exec(statement)
    return int(getattr(result, "rowcount", 0) or 0) == 1
