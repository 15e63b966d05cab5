"""The global error handler: users always hear back, faults are logged with traceback."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot import texts
from bot.blocks.messages import build_notice
from bot.errors import UserInputError

logger = logging.getLogger(__name__)


def _user_id(body: dict[str, Any]) -> str | None:
    user = body.get("user")
    if isinstance(user, dict):
        return user.get("id")
    value = body.get("user_id")
    return value if isinstance(value, str) else None


async def handle_error(
    error: Exception,
    body: dict[str, Any],
    respond: AsyncRespond | None,
    client: AsyncWebClient | None,
) -> None:
    """Tell the person what happened; the request body is never logged (it may be private)."""
    if isinstance(error, UserInputError):
        reply = build_notice(error.message)
    else:
        kind = body.get("type") or ("command" if "command" in body else "unknown")
        logger.error("unhandled error while handling a %s request", kind, exc_info=error)
        reply = build_notice(texts.SOMETHING_WENT_WRONG)
    try:
        if respond is not None:  # Bolt only provides it when the request has a response_url
            await respond(**reply, response_type="ephemeral")
            return
        user_id = _user_id(body)
        if client is not None and user_id and body.get("type") != "event_callback":
            await client.chat_postMessage(channel=user_id, **reply)
    except Exception:  # the person could not be told; leave a trace for the operator
        logger.exception("could not tell the user about an error")
