"""``/kpi``, the KPI form, and the "Sync now" button."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.core.request import RequestContext
from bot.kpis.blocks.messages import SYNC_NOW_ACTION
from bot.kpis.blocks.modal import CALLBACK_ID, Field
from bot.kpis.changes import submit_kpi_form
from bot.kpis.commands import parse_kpi
from bot.kpis.service import run_kpi_command
from bot.kpis.sync import sync_now
from bot.slack.outcome import Outcome
from handlers.listeners import (
    act_after,
    button_listener,
    modal_listener,
    register_command,
)

COMMAND = "/kpi"


async def _run(request: RequestContext, text: str | None, _: AsyncRespond) -> Outcome:
    return await run_kpi_command(parse_kpi(text), request)


# Saved before it is acknowledged, so mistakes appear on the fields concerned.
handle_kpi_form = modal_listener(submit_kpi_form, act_after, fault_block=Field.NAME.value)
# In a /kpi message the answer goes to the button's response URL; in the Home tab, by DM.
handle_sync_now = button_listener(sync_now, keep_response_url=True)


def register(app: AsyncApp) -> None:
    register_command(app, COMMAND, _run)
    app.view(CALLBACK_ID)(handle_kpi_form)
    app.action(SYNC_NOW_ACTION)(handle_sync_now)
