"""What every handler, service call and job needs at run time, built once by the app factory."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.admission import AdmissionGate
from bot.core.config import Settings
from bot.core.key_ring import KeyRing
from storage.db import SessionFactory, steady_connections
from storage.models import utc_now

Clock = Callable[[], datetime]


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessions: SessionFactory
    clock: Clock = utc_now
    # Workspaces whose row this process has seen, and when (time.monotonic()); re-checked after
    # a while, since another replica may have deleted the workspace's data.
    known_team_ids: dict[str, float] = field(default_factory=dict)
    # The check of each workspace's row under way (handlers/middleware.py), by workspace.
    workspace_checks: dict[str, asyncio.Future[None]] = field(default_factory=dict)
    # The NORTHSTAR_KPI_SECRET_* variables (bot/kpis/secrets.py): all a KPI header may send.
    kpi_secrets: Mapping[str, str] = field(default_factory=dict)

    def forget_workspace(self, team_id: str) -> None:
        """The workspace's data was deleted: its next request must create its row again,
        even while a check begun before the deletion is still under way."""
        self.known_team_ids.pop(team_id, None)
        self.workspace_checks.pop(team_id, None)

    @cached_property
    def after_ack(self) -> AdmissionGate:
        """The line that work after an ack waits in, sized to the engine's connection pool."""
        return AdmissionGate(steady_connections(self.engine))

    @cached_property
    def key_ring(self) -> KeyRing:
        """The secret keys of the settings; everything sealed or opened goes through it."""
        return KeyRing.from_settings(self.settings)
