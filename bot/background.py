"""What runs beside request handling: the scheduler and the start-up catch-up."""

from __future__ import annotations

import asyncio
import logging

from scheduler.jobs import JobContext
from scheduler.runner import build_scheduler, catch_up

logger = logging.getLogger(__name__)


class Background:
    def __init__(self, context: JobContext) -> None:
        self._scheduler = build_scheduler(context)
        self._context = context
        self._catch_up: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start the scheduler (inside the running loop) and catch up in the background."""
        self._scheduler.start()
        self._catch_up = asyncio.create_task(catch_up(self._context), name="catch-up")

    async def stop(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        if self._catch_up is not None and not self._catch_up.done():
            self._catch_up.cancel()
            try:
                await self._catch_up
            except asyncio.CancelledError:
                logger.info("start-up catch-up cancelled by shutdown")
