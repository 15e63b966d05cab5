"""Workspace holidays and people's check-in pauses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    ALL_SETUPS,
    CheckinPause,
    Holiday,
)
from storage.upsert import insert_ignoring_conflict, upsert_rows


async def add_holiday(*, session: AsyncSession, team_id: str, day: date) -> bool:
    return await insert_ignoring_conflict(
        session, Holiday, {"team_id": team_id, "day": day}, ["team_id", "day"]
    )


async def remove_holiday(*, session: AsyncSession, team_id: str, day: date) -> bool:
    result = await session.exec(
        delete(Holiday).where(col(Holiday.team_id) == team_id, col(Holiday.day) == day)
    )
    return bool(getattr(result, "rowcount", 0))


async def list_holidays(
    *, session: AsyncSession, team_id: str, since: date | None = None
) -> list[date]:
    statement = select(Holiday).where(Holiday.team_id == team_id).order_by(col(Holiday.day))
    if since is not None:
        statement = statement.where(col(Holiday.day) >= since)
    return [holiday.day for holiday in (await session.exec(statement)).all()]


async def set_pause(
    *, session: AsyncSession, team_id: str, user_id: str, until: date, setup_id: int = ALL_SETUPS
) -> None:
    """Pause one setup for the person, or every setup (``ALL_SETUPS``)."""
    await upsert_rows(
        session,
        CheckinPause,
        [{"team_id": team_id, "user_id": user_id, "setup_id": setup_id, "until": until}],
        conflict_columns=["team_id", "user_id", "setup_id"],
        update_columns=["until"],
    )


async def clear_pause(
    *, session: AsyncSession, team_id: str, user_id: str, setup_id: int | None = None
) -> bool:
    """End the person's pause of one setup, or (``None``) every pause they have."""
    statement = delete(CheckinPause).where(
        col(CheckinPause.team_id) == team_id, col(CheckinPause.user_id) == user_id
    )
    if setup_id is not None:
        statement = statement.where(col(CheckinPause.setup_id) == setup_id)
    result = await session.exec(statement)
    return bool(getattr(result, "rowcount", 0))


async def pauses(
    *, session: AsyncSession, team_id: str, user_ids: Sequence[str] | None = None
) -> dict[str, date]:
    """Pauses of every setup, of the workspace or of ``user_ids`` only."""
    return {
        user_id: until
        for (user_id, setup_id), until in (
            await pauses_by_setup(session=session, team_id=team_id, user_ids=user_ids)
        ).items()
        if setup_id == ALL_SETUPS
    }


async def pauses_by_setup(
    *, session: AsyncSession, team_id: str, user_ids: Sequence[str] | None = None
) -> dict[tuple[str, int], date]:
    """Every pause, keyed by person and setup (``ALL_SETUPS`` for a pause of them all)."""
    statement = select(CheckinPause).where(CheckinPause.team_id == team_id)
    if user_ids is not None:
        statement = statement.where(col(CheckinPause.user_id).in_(list(user_ids)))
    return {(row.user_id, row.setup_id): row.until for row in (await session.exec(statement)).all()}


async def get_pause(
    *, session: AsyncSession, team_id: str, user_id: str, setup_id: int = ALL_SETUPS
) -> date | None:
    found = await session.get(CheckinPause, (team_id, user_id, setup_id))
    return found.until if found is not None else None


def paused_until(found: dict[tuple[str, int], date], user_id: str, setup_id: int) -> date | None:
    """The later end of the person's pause of this setup and of all setups."""
    ends = [found.get((user_id, setup_id)), found.get((user_id, ALL_SETUPS))]
    return max((end for end in ends if end is not None), default=None)
