"""Check-in setups of a workspace: the weekly check-in, stand-ups and any others."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    DEFAULT_SETUP_KEY,
    SETUP_NAME_MAX_CHARS,
    CheckinRound,
    CheckinSetup,
    utc_now,
)
from storage.upsert import insert_ignoring_conflict


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


async def list_setups(
    *, session: AsyncSession, team_id: str, include_archived: bool = False
) -> list[CheckinSetup]:
    """The workspace's setups, the default first, then by name."""
    statement = select(CheckinSetup).where(CheckinSetup.team_id == team_id)
    if not include_archived:
        statement = statement.where(col(CheckinSetup.archived_at).is_(None))
    rows = list((await session.exec(statement)).all())
    return sorted(rows, key=lambda row: (row.default_key is None, row.name_key))


async def get_setup(*, session: AsyncSession, team_id: str, setup_id: int) -> CheckinSetup | None:
    found = await session.get(CheckinSetup, setup_id)
    return found if found is not None and found.team_id == team_id else None


async def get_setups(
    *, session: AsyncSession, team_id: str, setup_ids: list[int]
) -> dict[int, CheckinSetup]:
    if not setup_ids:
        return {}
    statement = select(CheckinSetup).where(
        CheckinSetup.team_id == team_id, col(CheckinSetup.id).in_(sorted(set(setup_ids)))
    )
    return {row.id: row for row in (await session.exec(statement)).all() if row.id is not None}


async def find_by_name(*, session: AsyncSession, team_id: str, name: str) -> CheckinSetup | None:
    """The setup called ``name`` (any case, any spacing), archived ones too."""
    statement = select(CheckinSetup).where(
        CheckinSetup.team_id == team_id, CheckinSetup.name_key == name_key(name)
    )
    return (await session.exec(statement)).first()


async def get_default(*, session: AsyncSession, team_id: str) -> CheckinSetup | None:
    statement = select(CheckinSetup).where(
        CheckinSetup.team_id == team_id, CheckinSetup.default_key == DEFAULT_SETUP_KEY
    )
    return (await session.exec(statement)).first()


async def insert_setup(
    *,
    session: AsyncSession,
    team_id: str,
    name: str,
    config: dict[str, Any],
    created_by: str = "",
    default: bool = False,
) -> CheckinSetup | None:
    """Add a setup; None when the name (or, for the default, the default) is taken."""
    now = utc_now()
    values = {
        "team_id": team_id,
        "name": " ".join(name.split()),
        "name_key": name_key(name),
        "default_key": DEFAULT_SETUP_KEY if default else None,
        "config": config,
        "created_by": created_by,
        "created_at": now,
        "updated_at": now,
    }
    conflict = ["team_id", "default_key"] if default else ["team_id", "name_key"]
    if default and await get_default(session=session, team_id=team_id) is not None:
        return None
    if await find_by_name(session=session, team_id=team_id, name=name) is not None:
        return None
    if not await insert_ignoring_conflict(session, CheckinSetup, values, conflict):
        return None
    return await find_by_name(session=session, team_id=team_id, name=name)


async def save_setup(
    *,
    session: AsyncSession,
    team_id: str,
    setup_id: int,
    config: dict[str, Any],
    name: str | None = None,
) -> None:
    values: dict[str, Any] = {"config": config, "updated_at": utc_now()}
    if name is not None:
        values |= {"name": " ".join(name.split()), "name_key": name_key(name)}
    await session.exec(
        update(CheckinSetup)
        .where(col(CheckinSetup.team_id) == team_id, col(CheckinSetup.id) == setup_id)
        .values(**values)
    )


async def archive_setup(
    *, session: AsyncSession, team_id: str, setup_id: int, now: datetime
) -> bool:
    """Retire a setup (never the default): it opens no more rounds; its history stays. Its
    name is freed: the archived row's ``name_key`` becomes ``<key>#<id>``, unique."""
    found = await get_setup(session=session, team_id=team_id, setup_id=setup_id)
    if found is None:
        return False
    suffix = f"#{setup_id}"
    retired_key = found.name_key[: SETUP_NAME_MAX_CHARS - len(suffix)] + suffix
    result = await session.exec(
        update(CheckinSetup)
        .where(
            col(CheckinSetup.team_id) == team_id,
            col(CheckinSetup.id) == setup_id,
            col(CheckinSetup.default_key).is_(None),
            col(CheckinSetup.archived_at).is_(None),
        )
        .values(archived_at=now, updated_at=now, name_key=retired_key)
    )
    return bool(getattr(result, "rowcount", 0))


async def existing_periods(
    *, session: AsyncSession, team_id: str, periods: Sequence[str]
) -> set[tuple[int, str]]:
    """Which (setup, period) rounds exist among ``periods``: one query for every setup."""
    if not periods:
        return set()
    statement = select(CheckinRound.setup_id, CheckinRound.period).where(
        CheckinRound.team_id == team_id, col(CheckinRound.period).in_(sorted(set(periods)))
    )
    return {(setup_id, period) for setup_id, period in (await session.exec(statement)).all()}


async def setups_of_rounds(
    *, session: AsyncSession, team_id: str, round_ids: Sequence[int]
) -> dict[int, CheckinSetup]:
    """The setup of each of ``round_ids``, by round id."""
    if not round_ids:
        return {}
    statement = (
        select(CheckinRound.id, CheckinSetup)
        .join(CheckinSetup, col(CheckinSetup.id) == col(CheckinRound.setup_id))
        .where(CheckinRound.team_id == team_id, col(CheckinRound.id).in_(sorted(set(round_ids))))
    )
    return {
        round_id: setup
        for round_id, setup in (await session.exec(statement)).all()
        if round_id is not None
    }
