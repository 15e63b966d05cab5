"""The fixed words stored in state and kind columns, as enums: compare with these, never with
bare strings. Each is a ``StrEnum``, so a member equals the string stored in the database."""

from __future__ import annotations

from enum import StrEnum


class GoalLevel(StrEnum):
    """Where a goal sits in the cascade, from the top down."""

    COMPANY = "company"
    TEAM = "team"
    PERSONAL = "personal"
