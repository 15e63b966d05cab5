"""PLACEHOLDER (the review helper replaces this file): the quarterly review."""

from __future__ import annotations

from bot.core.errors import UserInputError
from bot.core.request import RequestContext
from bot.slack.outcome import Outcome


async def run_review(text: str, request: RequestContext) -> Outcome:
    """``/align review ...``."""
    raise UserInputError("not built yet")
