"""The weekly thread per team channel where check-in answers are shared."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import col, or_, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    CheckinShare,
)
from storage.upsert import insert_ignoring_conflict

# While a process posts a thread's parent message, ``error`` holds this and the time, so
# others wait for the thread instead of posting a second parent, and a process that died
# mid-way is taken over once the time is old enough. Setup channels' threads
# (``checkin_threads``) claim their parent the same way.
POSTING_PARENT = "posting since "


def posting_marker(moment: datetime) -> str:
    return POSTING_PARENT + moment.astimezone(UTC).isoformat(timespec="seconds")


def parent_claimable(error: Any, now: datetime, stale_after: timedelta) -> Any:
    """The condition on an ``error`` column under which a thread without its parent message
    may be claimed: nobody is posting it, or whoever was has been at it too long."""
    return or_(
        col(error).not_like(POSTING_PARENT + "%"),
        col(error) < posting_marker(now - stale_after),
    )


async def get_share(*, session: AsyncSession, round_id: int, team_ref: int) -> CheckinShare | None:
    return await session.get(CheckinShare, (round_id, team_ref))


async def claim_share_thread(
    *,
    session: AsyncSession,
    team_id: str,
    round_id: int,
    team_ref: int,
    channel_id: str,
    now: datetime,
    stale_after: timedelta,
) -> bool:
    """Take the right to post the weekly parent message of a team; exactly one caller at a
    time gets True. A team whose channel changed since gets a new thread there."""
    values = {
        "round_id": round_id,
        "team_ref": team_ref,
        "team_id": team_id,
        "channel_id": channel_id,
        "thread_ts": None,
        "error": posting_marker(now),
        "error_reported": False,
    }
    if await insert_ignoring_conflict(session, CheckinShare, values, ["round_id", "team_ref"]):
        return True
    key = (col(CheckinShare.round_id) == round_id, col(CheckinShare.team_ref) == team_ref)
    await session.exec(
        update(CheckinShare)
        .where(*key, col(CheckinShare.channel_id) != channel_id)
        .values(channel_id=channel_id, thread_ts=None, error="", error_reported=False)
    )
    result = await session.exec(
        update(CheckinShare)
        .where(
            *key,
            col(CheckinShare.thread_ts).is_(None),
            parent_claimable(CheckinShare.error, now, stale_after),
        )
        .values(error=posting_marker(now))
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


async def set_share_thread(
    *, session: AsyncSession, round_id: int, team_ref: int, thread_ts: str
) -> None:
    """The parent message is posted: its thread takes the week's answers from now on."""
    await session.exec(
        update(CheckinShare)
        .where(col(CheckinShare.round_id) == round_id, col(CheckinShare.team_ref) == team_ref)
        .values(thread_ts=thread_ts, error="", error_reported=False)
    )


async def record_share_error(
    *, session: AsyncSession, round_id: int, team_ref: int, error: str
) -> None:
    """Slack refused a post in the team's channel; this also releases a parent claim."""
    await session.exec(
        update(CheckinShare)
        .where(col(CheckinShare.round_id) == round_id, col(CheckinShare.team_ref) == team_ref)
        .values(error=error[:200])
    )


async def clear_share_error(*, session: AsyncSession, round_id: int, team_ref: int) -> None:
    """A post worked again: a later failure is reported anew."""
    await session.exec(
        update(CheckinShare)
        .where(col(CheckinShare.round_id) == round_id, col(CheckinShare.team_ref) == team_ref)
        .values(error="", error_reported=False)
    )


async def claim_share_error_report(*, session: AsyncSession, round_id: int, team_ref: int) -> bool:
    """Take the right to tell the team's lead about the failure; exactly one caller gets True
    until the failure is cleared or the report released."""
    result = await session.exec(
        update(CheckinShare)
        .where(
            col(CheckinShare.round_id) == round_id,
            col(CheckinShare.team_ref) == team_ref,
            col(CheckinShare.error_reported).is_(False),
        )
        .values(error_reported=True)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


async def release_share_error_report(
    *, session: AsyncSession, round_id: int, team_ref: int
) -> None:
    """The lead could not be told: let the next failure try again."""
    await session.exec(
        update(CheckinShare)
        .where(col(CheckinShare.round_id) == round_id, col(CheckinShare.team_ref) == team_ref)
        .values(error_reported=False)
    )
