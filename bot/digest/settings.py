"""Digest settings of a workspace, kept in ``workspace.settings["digest"]``."""

from __future__ import annotations

import logging
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.local_time import zone
from bot.core.weeks import iso_week
from storage.repositories.workspaces import get_workspace

logger = logging.getLogger(__name__)

SETTINGS_KEY = "digest"
DEFAULT_WEEKDAY = 4  # Friday
DEFAULT_TIME = time(16, 0)


class DigestSettings(BaseModel):
    """Where and when the weekly digest goes.

    ``weekday`` counts from 0 = Monday and ``local_time`` is clock time in ``timezone`` (the
    time zone of the admin who set the digest up, unless they named one).
    ``configured_at`` is when an admin last set the schedule: a week whose posting moment
    came before it is not posted late (setting a Friday digest on Saturday waits a week).
    ``team_digests`` adds one digest per team to each team's own channel, with that team's
    slice. ``mentions`` off: the digest names people in plain text and never @-mentions them
    (on, each person is @-mentioned at most once per post and its thread).
    """

    channel_id: str | None = Field(default=None, max_length=32)
    weekday: int = Field(default=DEFAULT_WEEKDAY, ge=0, le=6)
    local_time: time = DEFAULT_TIME
    timezone: str = Field(default="UTC", max_length=64)
    team_digests: bool = False
    mentions: bool = True
    configured_at: datetime | None = None

    @property
    def enabled(self) -> bool:
        return self.channel_id is not None

    @property
    def zone(self) -> ZoneInfo:
        return zone(self.timezone)

    def week_at(self, now: datetime) -> str:
        """The ISO week (``2026-W48``) that ``now`` falls in, in the digest's time zone."""
        return iso_week(now.astimezone(self.zone).date())


def read_digest_settings(workspace_settings: dict[str, Any] | None) -> DigestSettings:
    """The stored settings, or the defaults (no digest) when none or unreadable ones exist."""
    stored = (workspace_settings or {}).get(SETTINGS_KEY)
    if not isinstance(stored, dict):
        return DigestSettings()
    try:
        return DigestSettings.model_validate(stored)
    except ValidationError as error:
        logger.warning("stored digest settings are unreadable, using defaults: %s", error)
        return DigestSettings()


async def load_digest_settings(*, session: AsyncSession, team_id: str) -> DigestSettings:
    """The workspace's digest settings, read from its row (defaults when there is none)."""
    workspace = await get_workspace(session=session, team_id=team_id)
    return read_digest_settings(workspace.settings if workspace else None)


def with_digest_settings(
    workspace_settings: dict[str, Any] | None, settings: DigestSettings
) -> dict[str, Any]:
    """A copy of the workspace's settings with the digest settings replaced."""
    return {**(workspace_settings or {}), SETTINGS_KEY: settings.model_dump(mode="json")}
