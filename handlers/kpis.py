"""``/kpi``, the KPI form, and the "Sync now" button."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.kpis.blocks.messages import SYNC_NOW_ACTION
from bot.kpis.blocks.modal import CALLBACK_ID, Field
from bot.kpis.changes import submit_kpi_form
from bot.kpis.commands import parse_kpi
from bot.kpis.service import run_kpi_command
from bot.kpis.sync import sync_now
from handlers.errors import reporting_errors
from handlers.listeners import act_after, button_listener, command_request, modal_listener
from handlers.outcomes import act_on

COMMAND = "/kpi"


async def handle_kpi_command(
    ack: AsyncAck,
    command: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    async with reporting_errors(command, respond, client):
        request = await command_request(context, client, command)
        outcome = await run_kpi_command(parse_kpi(command.get("text")), request)
        await act_on(outcome, request, respond)


# Saved before it is acknowledged, so mistakes appear on the fields concerned.
handle_kpi_form = modal_listener(submit_kpi_form, act_after, fault_block=Field.NAME.value)
# In a /kpi message the answer goes to the button's response URL; in the Home tab, by DM.
handle_sync_now = button_listener(
    sync_now, value_of=lambda value: str(value or ""), keep_response_url=True
)


def register(app: AsyncApp) -> None:
    app.command(COMMAND)(handle_kpi_command)
    app.view(CALLBACK_ID)(handle_kpi_form)
    app.action(SYNC_NOW_ACTION)(handle_sync_now)
