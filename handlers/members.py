"""Keep members current from ``team_join`` and ``user_change`` events; welcome who joins."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.onboarding.service import Reason, welcome_people
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


async def handle_team_join(
    body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    """Store the newcomer as ``user_change`` does, then welcome them (the member sync decides
    who is a person of this workspace: bots and guests of other organisations are not)."""
    user = event.get("user")
    team_id = context.team_id or context.enterprise_id
    if isinstance(user, dict) and team_id and user.get("id"):
        async with reporting_errors(body, None, None):
            runtime = runtime_of(context)
            await apply_user_change(sessions=runtime.sessions, team_id=team_id, user=user)
            await welcome_people(
                runtime=runtime,
                client=client,
                team_id=team_id,
                user_ids=[str(user["id"])],
                reason=Reason.JOINED,
            )


def register(app: AsyncApp) -> None:
    app.event("team_join")(handle_team_join)
    app.event("user_change")(handle_member_event)
