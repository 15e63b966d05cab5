"""``/align``: help, vision, mission, admins, teams, the digest and the workspace's data."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.align.commands import AlignAction, parse_align
from bot.align.service import run_align_command
from bot.home.service import publish_home
from bot.slack.messages import Reply
from handlers.context import ids_of, runtime_of
from handlers.errors import reporting_errors

COMMAND = "/align"


async def handle_align_command(
    ack: AsyncAck,
    command: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    async with reporting_errors(command, respond, client):
        runtime = runtime_of(context)
        team_id, user_id = ids_of(context)
        parsed = parse_align(command.get("text"))

        async def notify(interim: Reply) -> None:
            await respond(**interim, response_type="ephemeral")

        reply = await run_align_command(
            parsed, runtime=runtime, client=client, team_id=team_id, user_id=user_id, notify=notify
        )
        await respond(**reply, response_type="ephemeral")
        if parsed.action is AlignAction.SET_STATEMENT:
            await publish_home(client=client, runtime=runtime, team_id=team_id, user_id=user_id)


def register(app: AsyncApp) -> None:
    app.command(COMMAND)(handle_align_command)
