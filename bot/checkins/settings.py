"""Check-in settings of a workspace, kept in ``workspace.settings["checkins"]``."""

from __future__ import annotations

import logging
from datetime import time
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

logger = logging.getLogger(__name__)

SETTINGS_KEY = "checkins"
MAX_QUESTIONS = 6
QUESTION_MAX_CHARS = 150
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Question(BaseModel):
    key: str = Field(max_length=32)
    text: str = Field(max_length=QUESTION_MAX_CHARS)
    kind: Literal["text", "mood"] = "text"
    required: bool = True


DEFAULT_QUESTIONS = [
    Question(key="moved", text="What moved forward toward your goals?", required=True),
    Question(key="blockers", text="What is blocking you?", required=False),
    Question(key="next", text="What will you focus on next?", required=True),
    Question(key="mood", text="How was your week, from 1 to 5?", kind="mood", required=False),
]


class CheckinSettings(BaseModel):
    """When and how check-ins go out.

    ``weekday`` counts from 0 = Monday; ``local_time`` is each person's own clock time;
    answers are taken until the end of the local day ``window_days`` after the prompt day;
    the reminder goes ``reminder_at`` of the way through that window (``None``: no reminder).
    ``team_refs`` empty means everyone takes part.
    """

    enabled: bool = True
    weekday: int = Field(default=0, ge=0, le=6)
    local_time: time = time(9, 0)
    window_days: int = Field(default=1, ge=0, le=6)
    reminder_at: float | None = Field(default=0.5, gt=0, lt=1)
    questions: list[Question] = Field(
        default_factory=lambda: [q.model_copy() for q in DEFAULT_QUESTIONS],
        min_length=1,
        max_length=MAX_QUESTIONS,
    )
    team_refs: list[int] = Field(default_factory=list)
    share_in_team_channels: bool = False


def read_settings(workspace_settings: dict[str, Any] | None) -> CheckinSettings:
    """The stored settings, or the defaults when none (or unreadable ones) are stored."""
    stored = (workspace_settings or {}).get(SETTINGS_KEY)
    if not isinstance(stored, dict):
        return CheckinSettings()
    try:
        return CheckinSettings.model_validate(stored)
    except ValidationError as error:
        logger.warning("stored check-in settings are unreadable, using defaults: %s", error)
        return CheckinSettings()


def with_settings(
    workspace_settings: dict[str, Any] | None, settings: CheckinSettings
) -> dict[str, Any]:
    """A copy of the workspace's settings with the check-in settings replaced."""
    return {**(workspace_settings or {}), SETTINGS_KEY: settings.model_dump(mode="json")}
