"""A workspace's check-in setups as the rest of the code reads them: id, name, settings.

Every workspace has a default setup (the weekly check-in everyone takes part in unless the
admins change it). It is created the first time anything needs it to be stored; reads before
then get its defaults.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.checkins.settings import CheckinSettings, config_of, read_config
from storage.models import CheckinSetup
from storage.repositories import checkin_setups as repo

DEFAULT_NAME = "Weekly check-in"


@dataclass(frozen=True)
class Setup:
    id: int
    name: str
    is_default: bool
    settings: CheckinSettings
    archived: bool = False


def _from_row(row: CheckinSetup) -> Setup:
    assert row.id is not None
    return Setup(
        id=row.id,
        name=row.name,
        is_default=row.default_key is not None,
        settings=read_config(row.config),
        archived=row.archived_at is not None,
    )


async def ensure_default_setup(session: AsyncSession, team_id: str) -> Setup:
    """The workspace's default setup, stored now if it was not yet (caller's transaction)."""
    found = await repo.get_default(session=session, team_id=team_id)
    if found is None:
        await repo.insert_setup(
            session=session,
            team_id=team_id,
            name=await _free_default_name(session, team_id),
            config=config_of(CheckinSettings()),
            default=True,
        )
        found = await repo.get_default(session=session, team_id=team_id)
    assert found is not None
    return _from_row(found)


async def _free_default_name(session: AsyncSession, team_id: str) -> str:
    name, number = DEFAULT_NAME, 1
    while await repo.find_by_name(session=session, team_id=team_id, name=name) is not None:
        number += 1
        name = f"{DEFAULT_NAME} {number}"
    return name


async def default_setup(session: AsyncSession, team_id: str) -> Setup | None:
    """The stored default setup, or None before it is stored (its settings: the defaults)."""
    found = await repo.get_default(session=session, team_id=team_id)
    return _from_row(found) if found is not None else None


async def default_or_unsaved(session: AsyncSession, team_id: str) -> Setup:
    """The stored default setup, or before it is stored its defaults, under an id no row
    has (0), so reads of its rounds find none."""
    found = await default_setup(session, team_id)
    return found or Setup(id=0, name=DEFAULT_NAME, is_default=True, settings=CheckinSettings())


async def default_settings(session: AsyncSession, team_id: str) -> CheckinSettings:
    found = await default_setup(session, team_id)
    return found.settings if found is not None else CheckinSettings()


async def active_setups(session: AsyncSession, team_id: str) -> list[Setup]:
    """Setups not archived, the default first."""
    return [_from_row(row) for row in await repo.list_setups(session=session, team_id=team_id)]


async def setup_by_id(session: AsyncSession, team_id: str, setup_id: int) -> Setup | None:
    found = await repo.get_setup(session=session, team_id=team_id, setup_id=setup_id)
    return _from_row(found) if found is not None else None


async def setups_by_id(
    session: AsyncSession, team_id: str, setup_ids: list[int]
) -> dict[int, Setup]:
    rows = await repo.get_setups(session=session, team_id=team_id, setup_ids=setup_ids)
    return {setup_id: _from_row(row) for setup_id, row in rows.items()}


async def setup_by_name(session: AsyncSession, team_id: str, name: str) -> Setup | None:
    found = await repo.find_by_name(session=session, team_id=team_id, name=name)
    return _from_row(found) if found is not None and found.archived_at is None else None


async def save_settings(
    session: AsyncSession, team_id: str, setup_id: int, settings: CheckinSettings
) -> None:
    await repo.save_setup(
        session=session, team_id=team_id, setup_id=setup_id, config=config_of(settings)
    )


async def store_default_settings(
    session: AsyncSession, team_id: str, settings: CheckinSettings
) -> Setup:
    """Give the workspace's default setup these settings (stored if it was not)."""
    found = await ensure_default_setup(session, team_id)
    await save_settings(session, team_id, found.id, settings)
    return Setup(found.id, found.name, found.is_default, settings)
