"""What runs beside request handling: the scheduler and the start-up catch-up."""

from __future__ import annotations

import asyncio
import logging

from scheduler.jobs import JobContext
from scheduler.runner import build_scheduler, catch_up

logger = logging.getLogger(__name__)

SHUTDOWN_GRACE_SECONDS = 20


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
        """Stop triggering, give running jobs ``SHUTDOWN_GRACE_SECONDS`` to finish (a fan-out
        records every DM it sent), then cancel what is left.

        The scheduler is paused first and shut down only after the wait: APScheduler's asyncio
        executor cancels the jobs it is running when it shuts down, which would cut the grace
        short."""
        if self._scheduler.running:
            self._scheduler.pause()
        try:
            await self._wait_for_running_jobs()
        finally:
            if self._scheduler.running:
                self._scheduler.shutdown(wait=False)

    async def _wait_for_running_jobs(self) -> None:
        running = [task for task in self._context.running if not task.done()]
        if self._catch_up is not None and not self._catch_up.done():
            running.append(self._catch_up)
        if not running:
            return
        _, unfinished = await asyncio.wait(running, timeout=SHUTDOWN_GRACE_SECONDS)
        for task in unfinished:
            task.cancel()
        await asyncio.gather(*unfinished, return_exceptions=True)
        if unfinished:
            logger.warning("%d job runs cancelled by shutdown", len(unfinished))
