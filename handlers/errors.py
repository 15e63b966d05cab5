"""Errors at the handler boundary: people always hear back, faults are logged with traceback.

Only a request Bolt verified (``VERIFIED_KEY``, set by the global middleware) is ever
answered: an error in a request that did not get that far is logged, and nobody named in its
body hears from Northstar. Request text in the log is escaped (``bot.core.log_text``).

Listeners wrap their work after ``ack()`` in ``reporting_errors``. Letting an exception escape
a listener right after ``ack()`` makes Bolt (1.30) drop the acknowledgement and answer Slack
with 404, so Slack would show its own failure message beside ours.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.core import texts
from bot.core.errors import UserInputError
from bot.core.log_text import printable
from bot.slack.messages import build_notice
from handlers.context import VERIFIED_KEY

logger = logging.getLogger(__name__)


def _user_id(body: dict[str, Any]) -> str | None:
    user = body.get("user")
    if isinstance(user, dict):
        return user.get("id")
    value = body.get("user_id")
    return value if isinstance(value, str) else None


def _has_response_url(body: dict[str, Any]) -> bool:
    """Bolt hands out ``respond`` even when it cannot work (no response_url in the request)."""
    return bool(body.get("response_url") or body.get("response_urls"))


def _request_kind(body: dict[str, Any]) -> str:
    kind = body.get("type") or ("command " + str(body["command"]) if "command" in body else "?")
    return printable(kind, limit=60)


async def report_error(
    error: Exception,
    body: dict[str, Any],
    respond: AsyncRespond | None,
    client: AsyncWebClient | None,
) -> None:
    """Tell the person what happened; the request body is never logged (it may be private)."""
    if isinstance(error, UserInputError):
        reply = build_notice(error.message)
    else:
        logger.error(
            "unhandled error while handling a %s request", _request_kind(body), exc_info=error
        )
        reply = build_notice(texts.SOMETHING_WENT_WRONG)
    try:
        if respond is not None and _has_response_url(body):
            await respond(**reply, response_type="ephemeral")
            return
        user_id = _user_id(body)
        if client is not None and user_id and body.get("type") != "event_callback":
            await client.chat_postMessage(channel=user_id, **reply)
    except Exception:  # the person could not be told; leave a trace for the operator
        logger.exception("could not tell the user about an error")


@asynccontextmanager
async def reporting_errors(
    body: dict[str, Any], respond: AsyncRespond | None, client: AsyncWebClient | None
) -> AsyncIterator[None]:
    try:
        yield
    except Exception as error:
        await report_error(error, body, respond, client)


async def handle_error(
    error: Exception,
    body: dict[str, Any],
    context: AsyncBoltContext,
    respond: AsyncRespond | None,
    client: AsyncWebClient | None,
) -> None:
    """Bolt's global error handler, for what fails before a listener's own boundary."""
    if not context.get(VERIFIED_KEY):
        logger.error(
            "error before a %s request was verified; nobody is told",
            _request_kind(body),
            exc_info=error,
        )
        return
    await report_error(error, body, respond, client)


async def acknowledge_fault(ack: AsyncAck, block_id: str) -> None:
    """A modal submission failed on Northstar's side: keep the modal open with the person's
    input, say so on one field, and log the traceback."""
    logger.exception("could not handle a modal submission")
    await ack(response_action="errors", errors={block_id: texts.FORM_FAULT})
