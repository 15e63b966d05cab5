"""A round's place in its setup's own channel: the thread of its answers (``thread_ts``), or
its summary (``summary_ts``), one ``checkin_thread`` row per round.

The thread's parent message is claimed the way a team's weekly thread is
(``checkin_shares``): a marker in ``error`` while one process posts it. The summary is claimed
in ``summary_ts`` itself: ``claim:<UTC time>`` while it is posted (and after a refusal, so it
is tried again once the claim is old), then Slack's ts, or ``unconfirmed`` when Slack's answer
was lost; only a row without a summary or with an old claim can be claimed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlmodel import col, func, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import CheckinDelivery, CheckinRound, CheckinThread
from storage.repositories.checkin_shares import parent_claimable, posting_marker
from storage.upsert import insert_ignoring_conflict

SUMMARY_CLAIM = "claim:"
SUMMARY_UNCONFIRMED = "unconfirmed"


def summary_marker(moment: datetime) -> str:
    """``claim:20261203T090000Z``: sorts by time and fits the 32 characters of a ts."""
    return SUMMARY_CLAIM + moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


async def get_thread(*, session: AsyncSession, round_id: int) -> CheckinThread | None:
    return await session.get(CheckinThread, round_id)


async def _ensure_row(
    session: AsyncSession, *, team_id: str, round_id: int, channel_id: str, error: str = ""
) -> bool:
    """The round's row, inserted now if there was none (True then)."""
    values = {
        "round_id": round_id,
        "team_id": team_id,
        "channel_id": channel_id,
        "thread_ts": None,
        "summary_ts": None,
        "error": error,
    }
    return await insert_ignoring_conflict(session, CheckinThread, values, ["round_id"])


async def claim_thread(
    *,
    session: AsyncSession,
    team_id: str,
    round_id: int,
    channel_id: str,
    now: datetime,
    stale_after: timedelta,
) -> bool:
    """Take the right to post the round's parent message; exactly one caller at a time gets
    True. A setup whose channel changed since gets a new thread there."""
    if await _ensure_row(
        session,
        team_id=team_id,
        round_id=round_id,
        channel_id=channel_id,
        error=posting_marker(now),
    ):
        return True
    key = col(CheckinThread.round_id) == round_id
    await session.exec(
        update(CheckinThread)
        .where(key, col(CheckinThread.channel_id) != channel_id)
        .values(channel_id=channel_id, thread_ts=None, error="")
    )
    result = await session.exec(
        update(CheckinThread)
        .where(
            key,
            col(CheckinThread.thread_ts).is_(None),
            parent_claimable(CheckinThread.error, now, stale_after),
        )
        .values(error=posting_marker(now))
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


async def set_thread_ts(*, session: AsyncSession, round_id: int, thread_ts: str) -> None:
    """The parent message is posted: its thread takes the round's answers from now on."""
    await session.exec(
        update(CheckinThread)
        .where(col(CheckinThread.round_id) == round_id)
        .values(thread_ts=thread_ts, error="")
    )


async def record_error(*, session: AsyncSession, round_id: int, error: str) -> None:
    """Slack refused a post in the setup's channel; this also releases a parent claim."""
    await session.exec(
        update(CheckinThread)
        .where(col(CheckinThread.round_id) == round_id)
        .values(error=error[:200])
    )


async def clear_error(*, session: AsyncSession, round_id: int) -> None:
    await session.exec(
        update(CheckinThread).where(col(CheckinThread.round_id) == round_id).values(error="")
    )


# --- summaries --------------------------------------------------------------------------------


async def rounds_closed_between(
    *,
    session: AsyncSession,
    team_id: str,
    setup_ids: Sequence[int],
    since: datetime,
    until: datetime,
) -> list[CheckinRound]:
    """The rounds of ``setup_ids`` whose window closed for everyone (the latest ``closes_at``
    of their invitations) after ``since`` and by ``until``, and that have no summary yet
    (or only a claim on one), oldest first."""
    if not setup_ids:
        return []
    closed = (
        select(CheckinDelivery.round_id)
        .where(col(CheckinDelivery.team_id) == team_id)
        .group_by(col(CheckinDelivery.round_id))
        .having(
            func.max(CheckinDelivery.closes_at) > since,
            func.max(CheckinDelivery.closes_at) <= until,
        )
    )
    statement = (
        select(CheckinRound)
        .outerjoin(CheckinThread, col(CheckinThread.round_id) == col(CheckinRound.id))
        .where(
            col(CheckinRound.team_id) == team_id,
            col(CheckinRound.setup_id).in_(list(setup_ids)),
            col(CheckinRound.id).in_(closed),
            or_(
                col(CheckinThread.summary_ts).is_(None),
                col(CheckinThread.summary_ts).startswith(SUMMARY_CLAIM),
            ),
        )
        .order_by(col(CheckinRound.id))
    )
    return list((await session.exec(statement)).all())


async def claim_summary(
    *,
    session: AsyncSession,
    team_id: str,
    round_id: int,
    channel_id: str,
    now: datetime,
    retry_after: timedelta,
) -> bool:
    """Take the right to post the round's summary; exactly one caller gets True, and none
    once it is posted (or perhaps posted). A claim older than ``retry_after`` (a process
    that died, or a channel that refused it) can be taken again."""
    await _ensure_row(session, team_id=team_id, round_id=round_id, channel_id=channel_id)
    result = await session.exec(
        update(CheckinThread)
        .where(
            col(CheckinThread.round_id) == round_id,
            or_(
                col(CheckinThread.summary_ts).is_(None),
                (
                    col(CheckinThread.summary_ts).startswith(SUMMARY_CLAIM)
                    & (col(CheckinThread.summary_ts) < summary_marker(now - retry_after))
                ),
            ),
        )
        .values(summary_ts=summary_marker(now), channel_id=channel_id)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


async def set_summary_ts(*, session: AsyncSession, round_id: int, summary_ts: str) -> None:
    """The summary is posted (or ``SUMMARY_UNCONFIRMED``): never again for this round."""
    await session.exec(
        update(CheckinThread)
        .where(col(CheckinThread.round_id) == round_id)
        .values(summary_ts=summary_ts, error="")
    )
