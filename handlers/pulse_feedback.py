"""Anonymous feedback in Slack: the DMs' Reply, Reveal and Close buttons, and the send and
reply modals. Nothing here logs who the author is or what they wrote."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Protocol

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.errors import FormErrors, UserInputError
from bot.core.runtime import Runtime
from bot.feedback import blocks, texts
from bot.feedback.conversation import close, deliver_reply, reply_view, reveal, submit_reply
from bot.feedback.service import FeedbackRequest, submit_feedback_form
from bot.goals.blocks.modal import read_state
from bot.slack.delivery import tell_user
from bot.slack.messages import Reply, build_notice, view_metadata
from handlers.context import ids_of, runtime_of
from handlers.errors import acknowledge_fault, reporting_errors

FORM_ERROR_MAX = 2000


class ThreadAction(Protocol):
    """``reveal`` or ``close`` of bot/feedback/conversation.py."""

    def __call__(
        self,
        *,
        runtime: Runtime,
        client: AsyncWebClient,
        team_id: str,
        user_id: str,
        thread_id: str,
    ) -> Awaitable[Reply]: ...


def _thread_id(action: dict[str, Any]) -> str:
    return str(action.get("value") or "")[:64]


async def _open_reply(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
    respond: AsyncRespond | None,
    *,
    as_author: bool,
) -> None:
    await ack()
    async with reporting_errors(body, respond, client):
        team_id, user_id = ids_of(context)
        view = await reply_view(
            runtime=runtime_of(context),
            team_id=team_id,
            user_id=user_id,
            thread_id=_thread_id(action),
            as_author=as_author,
        )
        await client.views_open(trigger_id=body["trigger_id"], view=view)


async def handle_leader_reply_button(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
    respond: AsyncRespond | None = None,
) -> None:
    await _open_reply(ack, body, action, client, context, respond, as_author=False)


async def handle_author_reply_button(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
    respond: AsyncRespond | None = None,
) -> None:
    await _open_reply(ack, body, action, client, context, respond, as_author=True)


async def _thread_action(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
    respond: AsyncRespond | None,
    *,
    act: ThreadAction,
) -> None:
    """Reveal or close: carry it out, then tell the person who pressed the button."""
    await ack()
    async with reporting_errors(body, respond, client):
        team_id, user_id = ids_of(context)
        reply = await act(
            runtime=runtime_of(context),
            client=client,
            team_id=team_id,
            user_id=user_id,
            thread_id=_thread_id(action),
        )
        await tell_user(client=client, user_id=user_id, reply=reply)


async def handle_reveal_button(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
    respond: AsyncRespond | None = None,
) -> None:
    """Slack asked the author to confirm (the button's confirm dialog) before this arrives."""
    await _thread_action(ack, body, action, client, context, respond, act=reveal)


async def handle_close_button(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
    respond: AsyncRespond | None = None,
) -> None:
    await _thread_action(ack, body, action, client, context, respond, act=close)


async def handle_send_form(
    ack: AsyncAck,
    body: dict[str, Any],
    view: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    """Send the feedback before acknowledging, so mistakes show on the modal's fields."""
    metadata = view_metadata(view)
    response_url = metadata.get("response_url")
    try:
        team_id, user_id = ids_of(context)
        request = FeedbackRequest(
            runtime=runtime_of(context),
            client=client,
            team_id=team_id,
            user_id=user_id,
            response_url=response_url if isinstance(response_url, str) else None,
        )
        sent = await submit_feedback_form(request, read_state(view))
    except FormErrors as error:
        await ack(response_action="errors", errors=error.errors)
        return
    except Exception:
        await acknowledge_fault(ack, blocks.TEXT_BLOCK)
        return
    await ack()
    async with reporting_errors(body, None, client):
        await tell_user(
            client=client,
            user_id=user_id,
            reply=build_notice(texts.sent_notice(sent.code, sent.recipient)),
            response_url=request.response_url,
        )


async def handle_reply_form(
    ack: AsyncAck,
    body: dict[str, Any],
    view: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    """Save the reply before acknowledging (a closed thread refuses it on the modal), then
    relay it."""
    metadata = view_metadata(view)
    as_author = metadata.get("as") == "author"
    try:
        team_id, user_id = ids_of(context)
        relay = await submit_reply(
            runtime=runtime_of(context),
            team_id=team_id,
            user_id=user_id,
            thread_id=str(metadata.get("thread") or "")[:64],
            as_author=as_author,
            text=read_state(view).get(blocks.TEXT_BLOCK) or "",
        )
    except UserInputError as error:
        await ack(
            response_action="errors", errors={blocks.TEXT_BLOCK: error.message[:FORM_ERROR_MAX]}
        )
        return
    except Exception:
        await acknowledge_fault(ack, blocks.TEXT_BLOCK)
        return
    await ack()
    async with reporting_errors(body, None, client):
        await deliver_reply(client=client, relay=relay, sender_id=user_id, as_author=as_author)


def register(app: AsyncApp) -> None:
    app.action(blocks.LEADER_REPLY_ACTION)(handle_leader_reply_button)
    app.action(blocks.AUTHOR_REPLY_ACTION)(handle_author_reply_button)
    app.action(blocks.REVEAL_ACTION)(handle_reveal_button)
    app.action(blocks.CLOSE_ACTION)(handle_close_button)
    app.view(blocks.SEND_CALLBACK)(handle_send_form)
    app.view(blocks.REPLY_CALLBACK)(handle_reply_form)
