"""Save a submitted KPI form: create or edit a KPI in one transaction.

Every mistake becomes a ``FormErrors`` entry on the field concerned, so the modal stays open
with what the person typed; nothing is written unless everything is right.
"""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.errors import FormErrors, UserInputError
from bot.core.request import RequestContext
from bot.kpis import texts
from bot.kpis import texts_form as form_texts
from bot.kpis.access import require_change
from bot.kpis.blocks.modal import Field, FormOrigin
from bot.kpis.form import FORM_ERROR_MAX, KpiForm, read_kpi_form
from bot.kpis.service import kpi_changed
from bot.kpis.source_data import source_to_data
from bot.kpis.sources import JsonSource
from bot.people.admins import is_admin
from bot.people.lookup import resolve_person
from bot.people.permissions import can_change_owned
from bot.slack.forms import SubmittedForm
from bot.slack.messages import build_notice
from bot.slack.outcome import Outcome
from storage.db import transaction
from storage.models import Kpi, Team
from storage.repositories.goals import get_goal
from storage.repositories.kpis import add_kpi, get_kpi_by_number, save_kpi
from storage.repositories.teams import get_teams


def _on(field: Field, message: str) -> FormErrors:
    return FormErrors({field.value: message[:FORM_ERROR_MAX]})


async def submit_kpi_form(request: RequestContext, submitted: SubmittedForm) -> Outcome:
    """Create the KPI (the form's origin names none) or edit it, and say which it was."""
    form = read_kpi_form(submitted)
    try:
        owner_id = await resolve_person(
            (form.owner_id, None),
            runtime=request.runtime,
            client=request.client,
            team_id=request.team_id,
        )
    except UserInputError as error:
        raise _on(Field.OWNER, error.message) from None
    number = FormOrigin.from_data(submitted.metadata).kpi_number
    if number is None:
        kpi = await _create(request, form, owner_id)
    else:
        kpi = await _edit(request, form, owner_id, number)
    sentence = texts.kpi_saved(
        kpi.number, kpi.name, created=number is None, has_source=bool(kpi.source)
    )
    return kpi_changed(request, build_notice(sentence), kpi.owner_id)


async def _create(request: RequestContext, form: KpiForm, owner_id: str) -> Kpi:
    team_id = request.team_id
    async with transaction(request.runtime.sessions) as session:
        team = await _chosen_team_and_goal(session, team_id, form)
        allowed = await can_change_owned(
            session=session,
            team_id=team_id,
            user_id=request.user_id,
            owner_id=owner_id,
            team=team,
        )
        if not allowed:
            raise _on(Field.OWNER, form_texts.FORM_OWNER_NOT_YOU)
        await _require_admin_for_header(session, request, form, stored=None)
        kpi = Kpi(
            team_id=team_id,
            number=0,
            name_key="",
            created_by=request.user_id,
            **_fields(form, owner_id),
        )
        return await add_kpi(session=session, kpi=kpi)


async def _edit(request: RequestContext, form: KpiForm, owner_id: str, number: int) -> Kpi:
    team_id = request.team_id
    async with transaction(request.runtime.sessions) as session:
        kpi = await get_kpi_by_number(
            session=session, team_id=team_id, number=number, for_update=True
        )
        if kpi is None:
            raise _on(Field.NAME, texts.no_such_kpi(number))
        if kpi.archived:
            raise _on(Field.NAME, texts.kpi_is_archived(number))
        try:
            await require_change(session=session, user_id=request.user_id, kpi=kpi, action="edit")
        except UserInputError as error:
            raise _on(Field.NAME, error.message) from None
        await _chosen_team_and_goal(session, team_id, form)
        await _require_admin_for_header(session, request, form, stored=kpi.source)
        fields = _fields(form, owner_id)
        if fields["source"] != kpi.source:
            # A new source is fetched at the next sync, and its owner may be told again.
            kpi.last_synced_at, kpi.last_error, kpi.error_reported = None, "", False
        for name, value in fields.items():
            setattr(kpi, name, value)
        return await save_kpi(session=session, kpi=kpi)


def _header_of(source: dict[str, Any] | None) -> tuple[str | None, str | None, str | None]:
    if not source:
        return None, None, None
    return source.get("url"), source.get("header_name"), source.get("secret_env")


async def _require_admin_for_header(
    session: AsyncSession, request: RequestContext, form: KpiForm, stored: dict[str, Any] | None
) -> None:
    """A header sends a server secret, so only admins set or change one, or the address it
    goes to; anyone who may edit the KPI can keep what an admin set, or remove the header."""
    source = form.source
    if not isinstance(source, JsonSource) or not (source.header_name or source.secret_env):
        return
    if (source.url, source.header_name, source.secret_env) == _header_of(stored):
        return
    if not await is_admin(session=session, team_id=request.team_id, user_id=request.user_id):
        raise _on(Field.HEADER, form_texts.FORM_HEADER_ADMINS_ONLY)


async def _chosen_team_and_goal(session: AsyncSession, team_id: str, form: KpiForm) -> Team | None:
    """The chosen team (or ``None``); the team and goal must still exist in the workspace."""
    team = None
    if form.team_ref is not None:
        team = (await get_teams(session=session, team_id=team_id, team_refs=[form.team_ref])).get(
            form.team_ref
        )
        if team is None:
            raise _on(Field.TEAM, form_texts.FORM_TEAM_GONE)
    if (
        form.goal_id is not None
        and await get_goal(session=session, team_id=team_id, goal_id=form.goal_id) is None
    ):
        raise _on(Field.GOAL, form_texts.FORM_GOAL_GONE)
    return team


def _fields(form: KpiForm, owner_id: str) -> dict[str, Any]:
    return {
        "name": form.name,
        "unit": form.unit,
        "higher_is_better": form.higher_is_better,
        "target": form.target,
        "green_threshold": form.green,
        "red_threshold": form.red,
        "owner_id": owner_id,
        "team_ref": form.team_ref,
        "goal_id": form.goal_id,
        "cadence": form.cadence,
        "source": source_to_data(form.source),
    }
