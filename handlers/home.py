"""The App Home tab, published whenever a person opens it, and its own buttons."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.home.buttons import HOME_BUTTONS
from bot.home.service import publish_home
from bot.kpis.log_form import LOG_FORM_CALLBACK, VALUE_BLOCK, submit_log_form
from bot.people.members import ensure_member
from handlers.context import ids_of, runtime_of
from handlers.errors import reporting_errors
from handlers.listeners import act_after, button_listener, modal_listener


async def handle_app_home_opened(
    body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    if event.get("tab") != "home":
        return
    async with reporting_errors(body, None, client):
        runtime = runtime_of(context)
        team_id, user_id = ids_of(context)
        await ensure_member(
            client=client, sessions=runtime.sessions, team_id=team_id, user_id=user_id
        )
        await publish_home(client=client, runtime=runtime, team_id=team_id, user_id=user_id)


# The Home's Log KPI modal, saved before it is acknowledged like every modal.
handle_log_form = modal_listener(submit_log_form, act_after, fault_block=VALUE_BLOCK)


def register(app: AsyncApp) -> None:
    app.event("app_home_opened")(handle_app_home_opened)
    # The Home's own buttons (New goal, Log KPI …): a modal, or an answer by DM.
    for action_id, use in HOME_BUTTONS.items():
        app.action(action_id)(button_listener(use))
    app.view(LOG_FORM_CALLBACK)(handle_log_form)
