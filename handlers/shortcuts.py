"""Global shortcuts (the ⚡ menu: New goal, Check in now, Anonymous feedback) and message
shortcuts (a message's ⋮ menu: Add as goal update, Create goal from message).

A global shortcut has no channel and no response URL: a modal opens with its trigger id, and
anything to say (none open, not allowed) goes to the person by DM. A message shortcut has a
response URL, so its answers are ephemeral in that channel. The callback ids are those of
``manifest.yaml``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.checkins.service import open_current_checkin
from bot.core.request import RequestContext
from bot.feedback.service import run_feedback_command
from bot.goals.blocks.note_modal import NOTE, NOTE_FORM_CALLBACK
from bot.goals.commands import parse_goal
from bot.goals.from_message import (
    new_goal_from_message,
    note_form_from_message,
    submit_note_form,
)
from bot.goals.service import run_goal_command
from bot.slack.outcome import Outcome
from handlers.errors import reporting_errors
from handlers.listeners import Listener, act_after, modal_listener
from handlers.outcomes import act_on, request_of

NEW_GOAL = "new_goal"
CHECK_IN_NOW = "check_in_now"
ANONYMOUS_FEEDBACK = "anonymous_feedback"
ADD_AS_GOAL_UPDATE = "add_as_goal_update"
GOAL_FROM_MESSAGE = "goal_from_message"

ShortcutUse = Callable[[RequestContext, dict[str, Any]], Awaitable[Outcome]]
"""What a shortcut does with its payload (a message shortcut reads ``message``)."""


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def shortcut_listener(use: ShortcutUse) -> Listener:
    """Acknowledge, then, with errors reported to the person (in the channel of a message
    shortcut, else by DM), act on ``use(request, payload)``."""

    async def listener(
        ack: AsyncAck,
        body: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
        respond: AsyncRespond | None = None,
    ) -> None:
        await ack()
        async with reporting_errors(body, respond, client):
            channel = body.get("channel")
            request = await request_of(
                context,
                client,
                response_url=_text(body.get("response_url")),
                channel_id=_text(channel.get("id")) if isinstance(channel, dict) else None,
                trigger_id=_text(body.get("trigger_id")),
            )
            await act_on(await use(request, body), request)

    return listener


async def _new_goal(request: RequestContext, _: dict[str, Any]) -> Outcome:
    return await run_goal_command(parse_goal("new"), request)


async def _check_in_now(request: RequestContext, _: dict[str, Any]) -> Outcome:
    return await open_current_checkin(request)


async def _feedback(request: RequestContext, _: dict[str, Any]) -> Outcome:
    return await run_feedback_command(text="", request=request)


def _message(payload: dict[str, Any]) -> dict[str, Any] | None:
    message = payload.get("message")
    return message if isinstance(message, dict) else None


async def _add_as_update(request: RequestContext, payload: dict[str, Any]) -> Outcome:
    return await note_form_from_message(request, _message(payload))


async def _goal_from_message(request: RequestContext, payload: dict[str, Any]) -> Outcome:
    return await new_goal_from_message(request, _message(payload))


# Saved before it is acknowledged: a goal that is not the person's own stays on the form.
handle_note_form = modal_listener(submit_note_form, act_after, fault_block=NOTE)


def register(app: AsyncApp) -> None:
    app.global_shortcut(NEW_GOAL)(shortcut_listener(_new_goal))
    app.global_shortcut(CHECK_IN_NOW)(shortcut_listener(_check_in_now))
    app.global_shortcut(ANONYMOUS_FEEDBACK)(shortcut_listener(_feedback))
    app.message_shortcut(ADD_AS_GOAL_UPDATE)(shortcut_listener(_add_as_update))
    app.message_shortcut(GOAL_FROM_MESSAGE)(shortcut_listener(_goal_from_message))
    app.view(NOTE_FORM_CALLBACK)(handle_note_form)
