"""``/pulse``, the survey builder it opens, and answering a survey: the invitation's Answer
button and the answer modal.

Nothing here logs or posts anything about an answer: the answerer alone is told it was stored.
``/pulse feedback …`` belongs to anonymous feedback (``bot.feedback``); nothing about it is
logged here either.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.feedback.service import run_feedback_command
from bot.pulse.answer_modal import ANSWER_FORM_CALLBACK, AnswerForm, answer_view, take_answer
from bot.pulse.blocks.builder import CALLBACK_ID, Field
from bot.pulse.commands import PulseAction, parse_pulse
from bot.pulse.delivery import ANSWER_ACTION
from bot.pulse.service import PulseShown, run_pulse_command, send_chart, submit_builder
from handlers.errors import reporting_errors
from handlers.listeners import (
    act_after,
    button_listener,
    command_request,
    modal_listener,
    read_modal_listener,
)
from handlers.outcomes import act_on

COMMAND = "/pulse"


async def handle_pulse_command(
    ack: AsyncAck,
    command: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    async with reporting_errors(command, respond, client):
        request = await command_request(context, client, command)
        parsed = parse_pulse(command.get("text"))
        shown: PulseShown
        if parsed.action is PulseAction.FEEDBACK:
            shown = await run_feedback_command(text=parsed.text, request=request), None
        else:
            shown = await run_pulse_command(parsed, request)
        outcome, chart = shown
        await act_on(outcome, request, respond)
        if chart is not None:
            await send_chart(request, chart)


# Each modal is saved before it is acknowledged, so mistakes appear on the fields concerned.
handle_pulse_builder = modal_listener(submit_builder, act_after, fault_block=Field.TITLE.value)
handle_answer_form = read_modal_listener(
    AnswerForm, take_answer, act_after, fault_block=lambda form: form.first_block
)
# The invitation's Answer button; the modal keeps its response URL for the confirmation.
handle_answer_button = button_listener(
    answer_view, value_of=lambda value: str(value or ""), keep_response_url=True
)


def register(app: AsyncApp) -> None:
    app.command(COMMAND)(handle_pulse_command)
    app.view(CALLBACK_ID)(handle_pulse_builder)
    app.action(ANSWER_ACTION)(handle_answer_button)
    app.view(ANSWER_FORM_CALLBACK)(handle_answer_form)
