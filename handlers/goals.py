"""``/goal``, its modals, and the Update buttons that open the progress form."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.errors import FormErrors, UserInputError
from bot.core.local_time import local_today
from bot.core.text_input import small_int
from bot.goals import texts
from bot.goals.blocks import modal as goal_modal
from bot.goals.commands import parse_goal
from bot.goals.service import Changed, GoalRequest, OpenModal, run_goal_command, update_form_view
from bot.goals.submissions import submit_goal_form, submit_update_form
from bot.home.blocks import OPEN_UPDATE_ACTION
from bot.home.service import refresh_homes
from bot.slack.delivery import tell_user
from bot.slack.messages import build_notice, view_metadata
from handlers.context import ids_of, runtime_of
from handlers.errors import acknowledge_fault, reporting_errors

logger = logging.getLogger(__name__)

COMMAND = "/goal"


async def _request(
    context: AsyncBoltContext, client: AsyncWebClient, response_url: str | None
) -> GoalRequest:
    team_id, user_id = ids_of(context)
    runtime = runtime_of(context)
    today = await local_today(runtime=runtime, team_id=team_id, user_id=user_id)
    return GoalRequest(runtime, client, team_id, user_id, response_url, today)


async def handle_goal_command(
    ack: AsyncAck,
    command: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    async with reporting_errors(command, respond, client):
        request = await _request(context, client, command.get("response_url"))
        outcome = await run_goal_command(parse_goal(command.get("text")), request)
        if isinstance(outcome, OpenModal):
            await client.views_open(trigger_id=command["trigger_id"], view=outcome.view)
        elif isinstance(outcome, Changed):
            await respond(**outcome.reply, response_type="ephemeral")
            await refresh_homes(
                client=client,
                runtime=request.runtime,
                team_id=request.team_id,
                user_ids=outcome.affected,
            )
        else:
            await respond(**outcome, response_type="ephemeral")


async def handle_goal_form(
    ack: AsyncAck,
    body: dict[str, Any],
    view: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    metadata = view_metadata(view)
    try:
        request = await _request(context, client, metadata.get("response_url"))
        goal, created = await submit_goal_form(request, metadata, goal_modal.read_state(view))
    except FormErrors as error:
        await ack(response_action="errors", errors=error.errors)
        return
    except Exception:
        await acknowledge_fault(ack, goal_modal.TITLE)
        return
    await ack()
    await _after_change(body, request, goal.owner_id, texts.goal_saved(goal, created))


async def handle_update_form(
    ack: AsyncAck,
    body: dict[str, Any],
    view: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    metadata = view_metadata(view)
    try:
        request = await _request(context, client, metadata.get("response_url"))
        goal = await submit_update_form(request, metadata, goal_modal.read_state(view))
    except FormErrors as error:
        await ack(response_action="errors", errors=error.errors)
        return
    except Exception:
        await acknowledge_fault(ack, goal_modal.CONFIDENCE)
        return
    await ack()
    await _after_change(body, request, goal.owner_id, texts.progress_recorded(goal, "recorded."))


async def _after_change(
    body: dict[str, Any], request: GoalRequest, owner_id: str, sentence: str
) -> None:
    """Confirm to the person and redraw the Home tabs the change affects."""
    async with reporting_errors(body, None, request.client):
        await tell_user(
            client=request.client,
            user_id=request.user_id,
            reply=build_notice(sentence),
            response_url=request.response_url,
        )
        await refresh_homes(
            client=request.client,
            runtime=request.runtime,
            team_id=request.team_id,
            user_ids=[request.user_id, owner_id],
        )


async def handle_open_update(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
    respond: AsyncRespond | None = None,
) -> None:
    await ack()
    async with reporting_errors(body, respond, client):
        request = await _request(context, client, body.get("response_url"))
        number = small_int(str(action.get("value") or ""))
        if number is None:
            raise UserInputError("That button no longer points at a goal. Try `/goal list`.")
        view = await update_form_view(request, number)
        await client.views_open(trigger_id=body["trigger_id"], view=view)


def register(app: AsyncApp) -> None:
    app.command(COMMAND)(handle_goal_command)
    app.view(goal_modal.GOAL_FORM_CALLBACK)(handle_goal_form)
    app.view(goal_modal.GOAL_UPDATE_CALLBACK)(handle_update_form)
    app.action(OPEN_UPDATE_ACTION)(handle_open_update)
