"""``/kpi``, the KPI form, and the "Sync now" button."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.errors import FormErrors, UserInputError
from bot.home.service import refresh_homes
from bot.kpis import texts
from bot.kpis.blocks.messages import SYNC_NOW_ACTION
from bot.kpis.blocks.modal import CALLBACK_ID, Field, FormOrigin
from bot.kpis.changes import submit_kpi_form
from bot.kpis.commands import parse_kpi
from bot.kpis.service import KpiChanged, KpiRequest, OpenKpiForm, run_kpi_command
from bot.kpis.sync import sync_now
from bot.slack.delivery import tell_user
from bot.slack.messages import build_notice
from handlers.context import ids_of, runtime_of
from handlers.errors import acknowledge_fault, reporting_errors

COMMAND = "/kpi"
KPI_ID = re.compile(r"^[0-9]{1,12}$")  # the Sync now button's value


def _request(
    context: AsyncBoltContext,
    client: AsyncWebClient,
    response_url: str | None,
    channel_id: str | None = None,
) -> KpiRequest:
    team_id, user_id = ids_of(context)
    return KpiRequest(runtime_of(context), client, team_id, user_id, response_url, channel_id)


async def handle_kpi_command(
    ack: AsyncAck,
    command: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    async with reporting_errors(command, respond, client):
        request = _request(context, client, command.get("response_url"), command.get("channel_id"))
        outcome = await run_kpi_command(parse_kpi(command.get("text")), request)
        if isinstance(outcome, OpenKpiForm):
            await client.views_open(trigger_id=command["trigger_id"], view=outcome.view)
        elif isinstance(outcome, KpiChanged):
            await respond(**outcome.reply, response_type="ephemeral")
            await _refresh_homes(request, outcome.owner_id)
        else:
            await respond(**outcome, response_type="ephemeral")


async def _refresh_homes(request: KpiRequest, owner_id: str) -> None:
    """The actor's and the owner's Home tabs show the KPI; redraw them after a change."""
    await refresh_homes(
        client=request.client,
        runtime=request.runtime,
        team_id=request.team_id,
        user_ids=[request.user_id, owner_id],
    )


async def handle_kpi_form(
    ack: AsyncAck,
    body: dict[str, Any],
    view: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    """Validate and save before acknowledging, so mistakes appear on the fields concerned."""
    origin = FormOrigin.from_metadata(view.get("private_metadata"))
    try:
        request = _request(context, client, origin.response_url, origin.channel_id)
        state = view.get("state")
        values = state.get("values") if isinstance(state, dict) else None
        kpi, created = await submit_kpi_form(request, origin, values)
    except FormErrors as error:
        await ack(response_action="errors", errors=error.errors)
        return
    except Exception:
        await acknowledge_fault(ack, Field.NAME.value)
        return
    await ack()
    async with reporting_errors(body, None, client):
        sentence = texts.kpi_saved(
            kpi.number, kpi.name, created=created, has_source=bool(kpi.source)
        )
        await tell_user(
            client=client,
            user_id=request.user_id,
            reply=build_notice(sentence),
            response_url=origin.response_url,
        )
        await _refresh_homes(request, kpi.owner_id)


async def handle_sync_now(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
    respond: AsyncRespond | None = None,
) -> None:
    await ack()
    async with reporting_errors(body, respond, client):
        value = str(action.get("value") or "")
        if not KPI_ID.match(value):
            raise UserInputError(texts.KPI_GONE)
        request = _request(context, client, body.get("response_url"))
        outcome = await sync_now(int(value), request)
        reply = outcome.reply if isinstance(outcome, KpiChanged) else outcome
        if respond is not None:
            await respond(**reply, response_type="ephemeral", replace_original=False)
        else:
            await tell_user(client=client, user_id=request.user_id, reply=reply)
        if isinstance(outcome, KpiChanged):
            await _refresh_homes(request, outcome.owner_id)


def register(app: AsyncApp) -> None:
    app.command(COMMAND)(handle_kpi_command)
    app.view(CALLBACK_ID)(handle_kpi_form)
    app.action(SYNC_NOW_ACTION)(handle_sync_now)
