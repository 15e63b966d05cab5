"""Finding the KPI a person named, and whether they may change it.

A KPI of another workspace is never found: every lookup is scoped by ``team_id``, so its
number answers exactly like a number that does not exist.
"""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.errors import PermissionDenied, UserInputError
from bot.kpis import texts
from bot.kpis.commands import KpiTarget
from bot.kpis.source_data import source_from_data
from bot.kpis.sources import SourceError, describe
from bot.people.permissions import can_change_owned
from storage.models import Kpi, Team
from storage.repositories.kpis import find_kpis_by_name, get_kpi_by_number
from storage.repositories.teams import get_teams


async def find_kpi(
    *, session: AsyncSession, team_id: str, target: KpiTarget, for_update: bool = False
) -> Kpi:
    """The KPI by number (archived ones too) or by name (active ones only)."""
    if target.number is not None:
        kpi = await get_kpi_by_number(
            session=session, team_id=team_id, number=target.number, for_update=for_update
        )
        if kpi is None:
            raise UserInputError(texts.no_such_kpi(target.number))
        return kpi
    name = target.name or ""
    matches = await find_kpis_by_name(session=session, team_id=team_id, name=name)
    if not matches:
        raise UserInputError(texts.no_kpi_named(name))
    if len(matches) > 1:
        raise UserInputError(texts.several_kpis_named(name, sorted(k.number for k in matches)))
    return matches[0]


async def team_of(*, session: AsyncSession, kpi: Kpi) -> Team | None:
    if kpi.team_ref is None:
        return None
    teams = await get_teams(session=session, team_id=kpi.team_id, team_refs=[kpi.team_ref])
    return teams.get(kpi.team_ref)


async def require_change(*, session: AsyncSession, user_id: str, kpi: Kpi, action: str) -> None:
    """Its owner, the lead of its team and admins may change, log, sync or archive a KPI."""
    allowed = await can_change_owned(
        session=session,
        team_id=kpi.team_id,
        user_id=user_id,
        owner_id=kpi.owner_id,
        team=await team_of(session=session, kpi=kpi),
    )
    if not allowed:
        raise PermissionDenied(texts.not_kpi_changer(kpi.number, action))


def require_active(kpi: Kpi) -> None:
    if kpi.archived:
        raise UserInputError(texts.kpi_is_archived(kpi.number))


def source_text(kpi: Kpi) -> str | None:
    """What the KPI's source is, for people (never a secret), or ``None`` without one."""
    try:
        source = source_from_data(kpi.source)
    except SourceError as error:
        return error.message
    return describe(source) if source is not None else None
