"""PLACEHOLDER (the periods helper replaces this file): the fiscal year start."""

from __future__ import annotations

from bot.core.errors import UserInputError
from bot.core.request import RequestContext
from bot.slack.outcome import Outcome


async def run_fiscal_year(text: str, request: RequestContext) -> Outcome:
    """``/align fiscal-year ...``."""
    raise UserInputError("not built yet")
