"""``/pulse``, the survey builder it opens, and answering a survey: the invitation's Answer
button and the answer modal.

Nothing here logs or posts anything about an answer: the answerer alone is told it was stored.
``/pulse feedback …`` belongs to anonymous feedback (``bot.feedback``); nothing about it is
logged here either.
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.core.request import RequestContext
from bot.feedback.service import run_feedback_command
from bot.pulse.answer_modal import ANSWER_FORM_CALLBACK, AnswerForm, answer_view, take_answer
from bot.pulse.blocks.builder import CALLBACK_ID, Field
from bot.pulse.commands import PulseAction, parse_pulse
from bot.pulse.delivery import ANSWER_ACTION
from bot.pulse.service import PulseShown, run_pulse_command, send_chart, submit_builder
from handlers.listeners import (
    act_after,
    button_listener,
    modal_listener,
    read_modal_listener,
    register_command,
)
from handlers.outcomes import act_on

COMMAND = "/pulse"


async def _run(request: RequestContext, text: str | None, respond: AsyncRespond) -> None:
    parsed = parse_pulse(text)
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
handle_answer_button = button_listener(answer_view, keep_response_url=True)


def register(app: AsyncApp) -> None:
    register_command(app, COMMAND, _run)
    app.view(CALLBACK_ID)(handle_pulse_builder)
    app.action(ANSWER_ACTION)(handle_answer_button)
    app.view(ANSWER_FORM_CALLBACK)(handle_answer_form)
