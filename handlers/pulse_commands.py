"""``/pulse`` and the survey builder it opens."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.errors import FormErrors
from bot.pulse.blocks.builder import CALLBACK_ID, BuilderOrigin, Field
from bot.pulse.commands import PulseAction, parse_pulse
from bot.pulse.service import (
    OpenBuilder,
    PulseRequest,
    ResultsShown,
    created_sentence,
    run_pulse_command,
    send_chart,
    submit_builder,
)
from bot.slack.delivery import tell_user
from bot.slack.messages import build_notice
from handlers.context import ids_of, runtime_of
from handlers.errors import acknowledge_fault, reporting_errors

COMMAND = "/pulse"


def _request(
    context: AsyncBoltContext,
    client: AsyncWebClient,
    response_url: str | None,
    channel_id: str | None = None,
) -> PulseRequest:
    team_id, user_id = ids_of(context)
    return PulseRequest(runtime_of(context), client, team_id, user_id, response_url, channel_id)


async def handle_pulse_command(
    ack: AsyncAck,
    command: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    async with reporting_errors(command, respond, client):
        request = _request(context, client, command.get("response_url"), command.get("channel_id"))
        parsed = parse_pulse(command.get("text"))
        if parsed.action is PulseAction.FEEDBACK:
            await _feedback(parsed.text, request, command, respond)
            return
        outcome = await run_pulse_command(parsed, request)
        if isinstance(outcome, OpenBuilder):
            await client.views_open(trigger_id=command["trigger_id"], view=outcome.view)
        elif isinstance(outcome, ResultsShown):
            await respond(**outcome.reply, response_type="ephemeral")
            await send_chart(request, outcome)
        else:
            await respond(**outcome, response_type="ephemeral")


async def _feedback(
    text: str, request: PulseRequest, command: dict[str, Any], respond: AsyncRespond
) -> None:
    """``/pulse feedback …`` belongs to anonymous feedback; nothing about it is logged here."""
    # Imported here: anonymous feedback is its own feature with its own modules.
    from bot.feedback.service import (
        FeedbackModal,
        FeedbackRequest,
        run_feedback_command,
    )

    outcome = await run_feedback_command(
        text=text,
        request=FeedbackRequest(
            runtime=request.runtime,
            client=request.client,
            team_id=request.team_id,
            user_id=request.user_id,
            response_url=request.response_url,
        ),
    )
    if isinstance(outcome, FeedbackModal):
        await request.client.views_open(trigger_id=command["trigger_id"], view=outcome.view)
    else:
        await respond(**outcome, response_type="ephemeral")


async def handle_pulse_builder(
    ack: AsyncAck,
    body: dict[str, Any],
    view: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    """Validate and create before acknowledging, so mistakes appear on the fields concerned."""
    origin = BuilderOrigin.from_metadata(view.get("private_metadata"))
    try:
        request = _request(context, client, origin.response_url)
        state = view.get("state")
        values = state.get("values") if isinstance(state, dict) else None
        survey = await submit_builder(request, values)
    except FormErrors as error:
        await ack(response_action="errors", errors=error.errors)
        return
    except Exception:
        await acknowledge_fault(ack, Field.TITLE.value)
        return
    await ack()
    async with reporting_errors(body, None, client):
        await tell_user(
            client=client,
            user_id=request.user_id,
            reply=build_notice(created_sentence(survey)),
            response_url=origin.response_url,
        )


def register(app: AsyncApp) -> None:
    app.command(COMMAND)(handle_pulse_command)
    app.view(CALLBACK_ID)(handle_pulse_builder)
