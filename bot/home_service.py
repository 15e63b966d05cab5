"""Build and publish a person's App Home tab."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.admins import is_admin
from bot.blocks.home import build_home_view
from bot.runtime import Runtime
from storage.repositories.workspaces import get_workspace


async def publish_home(
    *, client: AsyncWebClient, runtime: Runtime, team_id: str, user_id: str
) -> None:
    async with runtime.sessions() as session:
        workspace = await get_workspace(session=session, team_id=team_id)
        viewer_is_admin = await is_admin(session=session, team_id=team_id, user_id=user_id)
    view = build_home_view(
        vision=workspace.vision if workspace else "",
        mission=workspace.mission if workspace else "",
        viewer_is_admin=viewer_is_admin,
    )
    await client.views_publish(user_id=user_id, view=view)
