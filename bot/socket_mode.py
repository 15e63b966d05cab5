"""Socket Mode: Slack connects over a websocket, no public URL needed."""

from __future__ import annotations

import asyncio
import logging
import signal

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

logger = logging.getLogger(__name__)


async def serve_socket_mode(app: AsyncApp, app_token: str, stop: asyncio.Event) -> None:
    """Connect, then serve until ``stop`` is set; the websocket is closed cleanly."""
    handler = AsyncSocketModeHandler(app, app_token, web_client=app.client)
    await handler.connect_async()  # type: ignore[no-untyped-call]
    logger.info("connected to Slack in Socket Mode")
    try:
        await stop.wait()
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
        logger.info("Socket Mode connection closed")


def stop_on_signals(stop: asyncio.Event) -> None:
    """SIGTERM and SIGINT set ``stop`` so the process shuts down gracefully."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
