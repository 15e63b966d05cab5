"""PLACEHOLDER (the onboarding helper replaces this file): the welcome switch."""

from __future__ import annotations

from bot.core.errors import UserInputError
from bot.core.request import RequestContext
from bot.slack.outcome import Outcome


async def run_welcome(text: str, request: RequestContext) -> Outcome:
    """``/align welcome ...``."""
    raise UserInputError("not built yet")
