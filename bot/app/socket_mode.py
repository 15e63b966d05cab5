"""Socket Mode: Slack connects over a websocket, no public URL needed."""

from __future__ import annotations

import logging

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

logger = logging.getLogger(__name__)


class SocketModeConnection:
    """The websocket to Slack; it reconnects by itself until ``stop``."""

    def __init__(self, app: AsyncApp, app_token: str) -> None:
        self._handler = AsyncSocketModeHandler(app, app_token, web_client=app.client)

    async def start(self) -> None:
        await self._handler.connect_async()  # type: ignore[no-untyped-call]
        logger.info("connected to Slack in Socket Mode")

    async def stop(self) -> None:
        await self._handler.close_async()  # type: ignore[no-untyped-call]
        logger.info("Socket Mode connection closed")
