"""Keep members current from ``team_join`` and ``user_change`` events."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from bot.people.members import apply_user_change
from handlers.context import runtime_of
from handlers.errors import reporting_errors


async def handle_member_event(
    body: dict[str, Any], event: dict[str, Any], context: AsyncBoltContext
) -> None:
    user = event.get("user")
    team_id = context.team_id or context.enterprise_id
    if isinstance(user, dict) and team_id:
        async with reporting_errors(body, None, None):
            await apply_user_change(
                sessions=runtime_of(context).sessions, team_id=team_id, user=user
            )


def register(app: AsyncApp) -> None:
    app.event("team_join")(handle_member_event)
    app.event("user_change")(handle_member_event)
