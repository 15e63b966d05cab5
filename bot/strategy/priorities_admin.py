"""PLACEHOLDER (the strategy helper replaces this file): the priorities."""

from __future__ import annotations

from bot.core.errors import UserInputError
from bot.core.request import RequestContext
from bot.slack.outcome import Outcome


async def run_priorities(text: str, request: RequestContext) -> Outcome:
    """``/align priorities ...``."""
    raise UserInputError("not built yet")
