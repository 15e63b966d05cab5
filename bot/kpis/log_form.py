"""The "Log KPI" modal of the Home tab: pick one of the KPIs you may log, type the value,
optionally pick the day. Saving goes through ``/kpi log``'s own use case, so the checks
(archived, who may log, which days) are the command's."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    DatePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.core.errors import FormErrors, UserInputError
from bot.core.numbers import parse_number
from bot.core.request import RequestContext
from bot.core.text_input import small_int
from bot.kpis.commands import KpiAction, KpiCommand, KpiTarget, check_log_day
from bot.kpis.service import run_kpi_command
from bot.people.admins import is_admin
from bot.slack.forms import SubmittedForm
from bot.slack.messages import truncate
from bot.slack.outcome import Outcome
from storage.models import Kpi
from storage.repositories.kpis import list_kpis
from storage.repositories.teams import list_teams

LOG_FORM_CALLBACK = "kpi_log_form"
KPI_BLOCK = "kpi_log_kpi"
VALUE_BLOCK = "kpi_log_value"
DAY_BLOCK = "kpi_log_day"
OPTIONS_MAX = 100
FORM_ERROR_MAX = 150
NO_KPIS = (
    "You have no KPI to log a value for yet. Create one with *New KPI* or `/kpi new`; "
    "KPIs are logged by their owner, the lead of their team and admins."
)
PICK_KPI = "Pick one of your KPIs from the list."
NOT_A_NUMBER = "Type a number, for example 12,500, $3,000, 45% or 1.2k."


def build_log_form(kpis: Sequence[Kpi], *, metadata: dict[str, Any]) -> dict[str, Any]:
    options = [
        Option(value=str(kpi.number), text=truncate(f"K-{kpi.number} {kpi.name}", 75))
        for kpi in kpis[:OPTIONS_MAX]
    ]
    view = View(
        type="modal",
        callback_id=LOG_FORM_CALLBACK,
        title="Log a KPI value",
        submit="Log",
        close="Cancel",
        private_metadata=json.dumps(metadata),
        blocks=[
            InputBlock(
                block_id=KPI_BLOCK,
                label="KPI",
                element=StaticSelectElement(
                    action_id="select",
                    placeholder="Choose a KPI",
                    options=options,
                    initial_option=options[0] if len(options) == 1 else None,
                ),
            ),
            InputBlock(
                block_id=VALUE_BLOCK,
                label="Value",
                element=PlainTextInputElement(action_id="text", max_length=40),
                hint="For example 12,500, $3,000, 45% or 1.2k.",
            ),
            InputBlock(
                block_id=DAY_BLOCK,
                label="Day",
                element=DatePickerElement(action_id="date"),
                optional=True,
                hint="Leave empty for today.",
            ),
        ],
    )
    return view.to_dict()


async def loggable_kpis(request: RequestContext) -> list[Kpi]:
    """Active KPIs the person may log: their own, their led teams', or all for admins."""
    async with request.runtime.sessions() as session:
        admin = await is_admin(session=session, team_id=request.team_id, user_id=request.user_id)
        led = {
            team.id
            for team in await list_teams(session=session, team_id=request.team_id)
            if team.lead_user_id == request.user_id
        }
        kpis = await list_kpis(session=session, team_id=request.team_id)
    return [
        kpi
        for kpi in kpis
        if not kpi.archived and (admin or kpi.owner_id == request.user_id or (kpi.team_ref in led))
    ]


async def log_form_view(request: RequestContext) -> dict[str, Any]:
    kpis = await loggable_kpis(request)
    if not kpis:
        raise UserInputError(NO_KPIS)
    mine_first = sorted(kpis, key=lambda kpi: (kpi.owner_id != request.user_id, kpi.number))
    return build_log_form(mine_first, metadata={"response_url": request.response_url})


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise FormErrors({DAY_BLOCK: "Pick a day from the calendar."}) from None


async def submit_log_form(request: RequestContext, form: SubmittedForm) -> Outcome:
    """Log the value through ``/kpi log``; every mistake stays on its field."""
    number = small_int(form.value(KPI_BLOCK))
    if number is None:
        raise FormErrors({KPI_BLOCK: PICK_KPI})
    typed = form.text(VALUE_BLOCK)
    value = parse_number(typed)
    if value is None:
        raise FormErrors({VALUE_BLOCK: NOT_A_NUMBER})
    day = _day(form.value(DAY_BLOCK))
    if day is not None:
        try:
            check_log_day(day, today=await request.today())
        except UserInputError as error:
            raise FormErrors({DAY_BLOCK: error.message[:FORM_ERROR_MAX]}) from None
    command = KpiCommand(KpiAction.LOG, target=KpiTarget(number=number), value=value, day=day)
    try:
        return await run_kpi_command(command, request)
    except UserInputError as error:
        raise FormErrors({KPI_BLOCK: error.message[:FORM_ERROR_MAX]}) from None
