"""Getting a reply to a person when there is no slash-command ``respond`` at hand."""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.connections import webhook_client
from bot.slack.messages import Reply

logger = logging.getLogger(__name__)


async def tell_user(
    *, client: AsyncWebClient, user_id: str, reply: Reply, response_url: str | None = None
) -> None:
    """Answer ephemerally through ``response_url`` when there is one (a modal opened from a
    slash command keeps it in ``private_metadata``), otherwise by direct message."""
    if response_url:
        response = await webhook_client(response_url).send(
            text=reply["text"], blocks=reply["blocks"], response_type="ephemeral"
        )
        if response.status_code == 200:
            return
        logger.warning("response_url answered %s; sending a DM instead", response.status_code)
    await client.chat_postMessage(channel=user_id, **reply)
