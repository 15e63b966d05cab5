"""``/align``: help, vision, mission, admins, teams, the digest and the workspace's data."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.align.commands import parse_align
from bot.align.service import run_align_command
from bot.slack.messages import Reply
from handlers.errors import reporting_errors
from handlers.listeners import command_request
from handlers.outcomes import act_on

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
        parsed = parse_align(command.get("text"))
        request = await command_request(context, client, command)

        async def notify(interim: Reply) -> None:
            await respond(**interim, response_type="ephemeral")

        await act_on(await run_align_command(parsed, request, notify=notify), request, respond)


def register(app: AsyncApp) -> None:
    app.command(COMMAND)(handle_align_command)
