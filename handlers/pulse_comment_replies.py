"""Replying to survey comments from ``/pulse results``: the *Reply* button and its modal.
Nothing here logs who wrote a comment or what anyone wrote."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.errors import UserInputError
from bot.feedback.comment_reply_form import (
    CALLBACK,
    TEXT_BLOCK,
    comment_reply_view,
    submit_comment_reply,
    token_of,
)
from bot.feedback.conversation import deliver_comment_reply
from bot.goals.blocks.modal import read_state
from bot.pulse.blocks.results import COMMENT_REPLY_ACTION
from bot.slack.messages import view_metadata
from handlers.context import ids_of, runtime_of
from handlers.errors import acknowledge_fault, reporting_errors

FORM_ERROR_MAX = 2000


async def handle_reply_button(
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
        view = await comment_reply_view(
            runtime=runtime_of(context),
            team_id=team_id,
            user_id=user_id,
            token_id=token_of(action.get("value")),
        )
        await client.views_open(trigger_id=body["trigger_id"], view=view)


async def handle_reply_form(
    ack: AsyncAck,
    body: dict[str, Any],
    view: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    """Save the reply before acknowledging, so a refusal shows on the modal; then relay it."""
    try:
        team_id, user_id = ids_of(context)
        saved = await submit_comment_reply(
            runtime=runtime_of(context),
            team_id=team_id,
            user_id=user_id,
            token_id=token_of(view_metadata(view).get("token")),
            text=read_state(view).get(TEXT_BLOCK) or "",
        )
    except UserInputError as error:
        await ack(response_action="errors", errors={TEXT_BLOCK: error.message[:FORM_ERROR_MAX]})
        return
    except Exception:
        await acknowledge_fault(ack, TEXT_BLOCK)
        return
    await ack()
    async with reporting_errors(body, None, client):
        await deliver_comment_reply(
            client=client, relay=saved.relay, sender_id=user_id, comment=saved.comment
        )


def register(app: AsyncApp) -> None:
    app.action(COMMENT_REPLY_ACTION)(handle_reply_button)
    app.view(CALLBACK)(handle_reply_form)
