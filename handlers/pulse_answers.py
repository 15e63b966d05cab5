"""The pulse invitation's Answer button and the answer modal's submission.

Nothing here logs or posts anything about an answer: the answerer alone is told it was stored.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.errors import FormErrors
from bot.pulse import texts_answers as texts
from bot.pulse.answer_modal import ANSWER_FORM_CALLBACK, answer_view, read_answer_form, take_answer
from bot.pulse.delivery import ANSWER_ACTION
from bot.slack.delivery import tell_user
from bot.slack.messages import build_notice
from handlers.context import ids_of, runtime_of
from handlers.errors import acknowledge_fault, reporting_errors


async def handle_answer_button(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
    respond: AsyncRespond | None = None,
) -> None:
    await ack()
    async with reporting_errors(body, respond, client):
        team_id, user_id = ids_of(context)
        view = await answer_view(
            runtime=runtime_of(context),
            team_id=team_id,
            user_id=user_id,
            survey_id=str(action.get("value") or ""),
            response_url=body.get("response_url"),
        )
        await client.views_open(trigger_id=body["trigger_id"], view=view)


async def handle_answer_form(
    ack: AsyncAck,
    body: dict[str, Any],
    view: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    form = read_answer_form(view)
    try:
        team_id, user_id = ids_of(context)
        await take_answer(runtime=runtime_of(context), team_id=team_id, user_id=user_id, form=form)
    except FormErrors as error:
        await ack(response_action="errors", errors=error.errors)
        return
    except Exception:
        await acknowledge_fault(ack, form.first_block)
        return
    await ack()  # closes the modal
    async with reporting_errors(body, None, client):
        await tell_user(
            client=client,
            user_id=user_id,
            reply=build_notice(texts.THANKS),
            response_url=form.response_url,
        )


def register(app: AsyncApp) -> None:
    app.action(ANSWER_ACTION)(handle_answer_button)
    app.view(ANSWER_FORM_CALLBACK)(handle_answer_form)
