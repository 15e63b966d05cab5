"""What one check-in setup asks, of whom and when: the ``config`` of a ``checkin_setup`` row.

Before setups, the workspace had one check-in, kept in ``workspace.settings["checkins"]``;
migration 0011 moved it into the workspace's default setup. ``weekday`` in stored data from
that time reads as ``days`` = [weekday].
"""

from __future__ import annotations

import itertools
import logging
from datetime import time
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

logger = logging.getLogger(__name__)

MAX_QUESTIONS = 8
QUESTION_MAX_CHARS = 150
MAX_PEOPLE = 200
QuestionKind = Literal["text", "number", "mood", "goals"]
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Question(BaseModel):
    key: str = Field(max_length=32)
    text: str = Field(max_length=QUESTION_MAX_CHARS)
    kind: QuestionKind = "text"
    required: bool = True


DEFAULT_QUESTIONS = [
    Question(key="moved", text="What moved forward toward your goals?", required=True),
    Question(key="blockers", text="What is blocking you?", required=False),
    Question(key="next", text="What will you focus on next?", required=True),
    Question(key="mood", text="How was your week, from 1 to 5?", kind="mood", required=False),
    Question(key="goals", text="Update your goals' progress", kind="goals", required=False),
]


class CheckinSettings(BaseModel):
    """When and how one setup's check-ins go out.

    ``days`` are the weekdays it runs on, 0 = Monday. With one day it is a weekly check-in
    (a round per ISO week; a prompt day that is off moves to the next working day); with
    several it is a stand-up (a round per day; a holiday has none). ``every_weeks`` = 2 runs
    it in the weeks of the same parity as ``anchor_week``. ``local_time`` is each person's
    own clock time; answers are taken until the end of the local day ``window_days`` after
    the prompt day (a stand-up's window must close before its next day); the reminder goes
    ``reminder_at`` of the way through that window (``None``: no reminder).
    ``team_refs`` and ``user_ids`` both empty means everyone takes part; otherwise the
    chosen teams' members and the chosen people. Answers go to the participants' team
    channels (``share_in_team_channels``) and/or to ``channel_id``: one thread per round with
    every answer (``channel_mode`` "thread") or one summary when the round closes
    ("summary").
    """

    enabled: bool = True
    days: list[int] = Field(default_factory=lambda: [0], min_length=1, max_length=7)
    every_weeks: Literal[1, 2] = 1
    anchor_week: str | None = Field(default=None, max_length=10)
    local_time: time = time(9, 0)
    window_days: int = Field(default=1, ge=0, le=6)
    reminder_at: float | None = Field(default=0.5, gt=0, lt=1)
    questions: list[Question] = Field(
        default_factory=lambda: [q.model_copy() for q in DEFAULT_QUESTIONS],
        min_length=1,
        max_length=MAX_QUESTIONS,
    )
    team_refs: list[int] = Field(default_factory=list)
    user_ids: list[str] = Field(default_factory=list, max_length=MAX_PEOPLE)
    share_in_team_channels: bool = False
    channel_id: str | None = Field(default=None, max_length=32)
    channel_mode: Literal["thread", "summary"] = "thread"

    @model_validator(mode="before")
    @classmethod
    def _weekday_becomes_days(cls, data: Any) -> Any:
        if isinstance(data, dict) and "weekday" in data:
            data = dict(data)
            weekday = data.pop("weekday")
            data.setdefault("days", [weekday])
        return data

    @field_validator("days")
    @classmethod
    def _days_are_weekdays(cls, days: list[int]) -> list[int]:
        if any(day < 0 or day > 6 for day in days):
            raise ValueError("days are weekdays, 0 (Monday) to 6 (Sunday)")
        return sorted(set(days))

    @model_validator(mode="after")
    def _stand_up_window_fits(self) -> CheckinSettings:
        if self.is_stand_up and self.window_days > _shortest_gap(self.days) - 1:
            raise ValueError("a check-in on several days must close before its next day")
        return self

    @property
    def is_stand_up(self) -> bool:
        """Several days a week: a round per day rather than per week."""
        return len(self.days) > 1

    @property
    def weekday(self) -> int:
        """The first day it runs on: the day of a weekly check-in."""
        return self.days[0]

    @property
    def everyone(self) -> bool:
        return not self.team_refs and not self.user_ids


def _shortest_gap(days: list[int]) -> int:
    ordered = sorted(set(days))
    gaps = [later - earlier for earlier, later in itertools.pairwise(ordered)]
    return min([*gaps, ordered[0] + 7 - ordered[-1]])


def read_config(config: dict[str, Any] | None) -> CheckinSettings:
    """A setup's stored config, or the defaults when it is empty or unreadable."""
    if not isinstance(config, dict) or not config:
        return CheckinSettings()
    try:
        return CheckinSettings.model_validate(config)
    except ValidationError as error:
        logger.warning("stored check-in settings are unreadable, using defaults: %s", error)
        return CheckinSettings()


def config_of(settings: CheckinSettings) -> dict[str, Any]:
    return settings.model_dump(mode="json")
