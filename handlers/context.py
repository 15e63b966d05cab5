"""How handlers reach the ``Runtime``: a global middleware puts it in Bolt's context."""

from __future__ import annotations

from typing import cast

from slack_bolt.context.async_context import AsyncBoltContext

from bot.core.runtime import Runtime

RUNTIME_KEY = "northstar_runtime"
# Set once Bolt has verified the request and its reply address is Slack's; only such requests
# are ever answered.
VERIFIED_KEY = "northstar_verified"


def runtime_of(context: AsyncBoltContext) -> Runtime:
    return cast(Runtime, context[RUNTIME_KEY])


def ids_of(context: AsyncBoltContext) -> tuple[str, str]:
    """``(team_id, user_id)`` of the request; every Northstar listener needs both."""
    team_id = context.team_id or context.enterprise_id
    if not team_id or not context.user_id:
        raise LookupError("request carries no team or user id")
    return team_id, context.user_id
