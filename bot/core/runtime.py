"""What every handler, service call and job needs at run time, built once by the app factory."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.config import Settings
from bot.core.key_ring import KeyRing
from storage.db import SessionFactory, steady_connections
from storage.models import utc_now

Clock = Callable[[], datetime]


class AdmissionGate:
    """How many requests may work after their ack at once; the others wait in line.

    A burst of slash commands all acknowledged at once would otherwise all ask the connection
    pool for a connection at once, and those still waiting after the pool's timeout would fail:
    a reply lost. Waiting here has no timeout, and the gate is sized to the pool's steady
    connections so that the overflow stays free for what runs before an ack
    (``bot.app.after_ack``). Work already running is not interrupted."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._slots = asyncio.Semaphore(limit)
        self.waiting = 0
        self.running = 0
        self.most_running = 0
        """The highest ``running`` seen, for tests and benchmarks."""

    @property
    def in_flight(self) -> int:
        """Requests acknowledged whose work is not finished (waiting or running)."""
        return self.waiting + self.running

    async def enter(self) -> None:
        self.waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self.waiting -= 1
        self.running += 1
        self.most_running = max(self.most_running, self.running)

    def leave(self) -> None:
        self.running -= 1
        self._slots.release()

    @property
    def held_here(self) -> bool:
        """Whether the running task (a listener's own, with its own context) holds a place."""
        return _HOLDING_A_PLACE.get()

    async def enter_here(self) -> None:
        await self.enter()
        _HOLDING_A_PLACE.set(True)

    def leave_here(self) -> None:
        """Give back the running task's place, if it holds one (else nothing happens)."""
        if _HOLDING_A_PLACE.get():
            _HOLDING_A_PLACE.set(False)
            self.leave()


# Set only inside a listener's own task (Bolt starts each with a copy of the request's
# context), so it describes that one listener run.
_HOLDING_A_PLACE: ContextVar[bool] = ContextVar("northstar_after_ack_place", default=False)


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessions: SessionFactory
    clock: Clock = utc_now
    # Workspaces whose row this process has seen, and when (time.monotonic()); re-checked after
    # a while, since another replica may have deleted the workspace's data.
    known_team_ids: dict[str, float] = field(default_factory=dict)
    # The NORTHSTAR_KPI_SECRET_* variables (bot/kpis/secrets.py): all a KPI header may send.
    kpi_secrets: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def after_ack(self) -> AdmissionGate:
        """The line that work after an ack waits in, sized to the engine's connection pool."""
        return AdmissionGate(steady_connections(self.engine))

    @cached_property
    def key_ring(self) -> KeyRing:
        """The secret keys of the settings; everything sealed or opened goes through it."""
        return KeyRing.from_settings(self.settings)
