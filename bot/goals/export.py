"""``/goal export``: a CSV of every goal, uploaded to the person's direct messages."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.runtime import Runtime
from bot.goals.views import export_csv, load_snapshot
from storage.repositories.members import member_names


async def send_export(runtime: Runtime, client: AsyncWebClient, team_id: str, user_id: str) -> int:
    """Upload the CSV to ``user_id``'s DM with Northstar; returns how many goals it holds."""
    today = runtime.clock().date()
    snapshot = await load_snapshot(runtime=runtime, team_id=team_id, today=today)
    async with runtime.sessions() as session:
        names = await member_names(session=session, team_id=team_id)
    content = export_csv(snapshot, names)
    opened = await client.conversations_open(users=user_id)
    channel = opened["channel"]["id"]
    await client.files_upload_v2(
        channel=channel,
        content=content.encode("utf-8"),
        filename=f"northstar-goals-{today.isoformat()}.csv",
        title=f"Northstar goals, {today.isoformat()}",
        initial_comment=f"Every goal with its latest values, as of {today.isoformat()}.",
    )
    return len(snapshot.views)
