"""``/goal``, its modals, and the Update buttons that open the progress form."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.goals.blocks import modal as goal_modal
from bot.goals.commands import parse_goal
from bot.goals.service import open_update_form, run_goal_command
from bot.goals.submissions import submit_goal_form, submit_update_form
from bot.home.blocks import OPEN_UPDATE_ACTION
from handlers.errors import reporting_errors
from handlers.listeners import act_after, button_listener, command_request, modal_listener
from handlers.outcomes import act_on

COMMAND = "/goal"


async def handle_goal_command(
    ack: AsyncAck,
    command: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    async with reporting_errors(command, respond, client):
        request = await command_request(context, client, command)
        outcome = await run_goal_command(parse_goal(command.get("text")), request)
        await act_on(outcome, request, respond)


# Each modal is saved before it is acknowledged, so mistakes appear on the fields concerned.
handle_goal_form = modal_listener(submit_goal_form, act_after, fault_block=goal_modal.TITLE)
handle_update_form = modal_listener(
    submit_update_form, act_after, fault_block=goal_modal.CONFIDENCE
)
# The Home tab's Update buttons; the form keeps their response URL for the confirmation.
handle_open_update = button_listener(
    open_update_form, value_of=lambda value: str(value or ""), keep_response_url=True
)


def register(app: AsyncApp) -> None:
    app.command(COMMAND)(handle_goal_command)
    app.view(goal_modal.GOAL_FORM_CALLBACK)(handle_goal_form)
    app.view(goal_modal.GOAL_UPDATE_CALLBACK)(handle_update_form)
    app.action(OPEN_UPDATE_ACTION)(handle_open_update)
