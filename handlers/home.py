"""The App Home tab, published whenever a person opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.home_service import publish_home
from bot.members import ensure_member
from handlers.context import runtime_of


async def handle_app_home_opened(
    event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    if event.get("tab") != "home":
        return
    runtime = runtime_of(context)
    team_id = context.team_id or context.enterprise_id or ""
    user_id = str(event["user"])
    await ensure_member(client=client, sessions=runtime.sessions, team_id=team_id, user_id=user_id)
    await publish_home(client=client, runtime=runtime, team_id=team_id, user_id=user_id)


def register(app: AsyncApp) -> None:
    app.event("app_home_opened")(handle_app_home_opened)
