"""Kudos settings of a workspace, kept in ``workspace.settings["kudos"]``."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.repositories.workspaces import get_workspace

logger = logging.getLogger(__name__)

SETTINGS_KEY = "kudos"


class KudosSettings(BaseModel):
    """Whether people can give kudos, and the channel kudos go to (``None``: the giver's team
    channel, else only the recipients' DMs)."""

    enabled: bool = True
    channel_id: str | None = Field(default=None, max_length=32)


def read_kudos_settings(workspace_settings: dict[str, Any] | None) -> KudosSettings:
    """The stored settings, or the defaults (on, no channel) when none or unreadable ones exist."""
    stored = (workspace_settings or {}).get(SETTINGS_KEY)
    if not isinstance(stored, dict):
        return KudosSettings()
    try:
        return KudosSettings.model_validate(stored)
    except ValidationError as error:
        logger.warning("stored kudos settings are unreadable, using defaults: %s", error)
        return KudosSettings()


async def load_kudos_settings(*, session: AsyncSession, team_id: str) -> KudosSettings:
    workspace = await get_workspace(session=session, team_id=team_id)
    return read_kudos_settings(workspace.settings if workspace else None)


def with_kudos_settings(
    workspace_settings: dict[str, Any] | None, settings: KudosSettings
) -> dict[str, Any]:
    """A copy of the workspace's settings with the kudos settings replaced."""
    return {**(workspace_settings or {}), SETTINGS_KEY: settings.model_dump(mode="json")}
