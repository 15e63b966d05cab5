"""Workspace holidays and people's check-in pauses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
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


async def set_pause(*, session: AsyncSession, team_id: str, user_id: str, until: date) -> None:
    await upsert_rows(
        session,
        CheckinPause,
        [{"team_id": team_id, "user_id": user_id, "until": until}],
        conflict_columns=["team_id", "user_id"],
        update_columns=["until"],
    )


async def clear_pause(*, session: AsyncSession, team_id: str, user_id: str) -> bool:
    result = await session.exec(
        delete(CheckinPause).where(
            col(CheckinPause.team_id) == team_id, col(CheckinPause.user_id) == user_id
        )
    )
    return bool(getattr(result, "rowcount", 0))


async def pauses(
    *, session: AsyncSession, team_id: str, user_ids: Sequence[str] | None = None
) -> dict[str, date]:
    """Pauses of the workspace, or of ``user_ids`` only."""
    statement = select(CheckinPause).where(CheckinPause.team_id == team_id)
    if user_ids is not None:
        statement = statement.where(col(CheckinPause.user_id).in_(list(user_ids)))
    return {row.user_id: row.until for row in (await session.exec(statement)).all()}


async def get_pause(*, session: AsyncSession, team_id: str, user_id: str) -> date | None:
    found = await session.get(CheckinPause, (team_id, user_id))
    return found.until if found is not None else None
