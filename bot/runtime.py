"""What every handler, service call and job needs at run time, built once by the app factory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from storage.db import SessionFactory
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
