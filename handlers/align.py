"""``/align``: help, vision, mission, admins, teams, the digest and the workspace's data."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.align.commands import parse_align
from bot.align.service import run_align_command
from bot.core.request import RequestContext
from bot.slack.messages import Reply
from bot.slack.outcome import Outcome
from handlers.listeners import register_command

COMMAND = "/align"


async def _run(request: RequestContext, text: str | None, respond: AsyncRespond) -> Outcome:
    async def notify(interim: Reply) -> None:
        await respond(**interim, response_type="ephemeral")

    return await run_align_command(parse_align(text), request, notify=notify)


def register(app: AsyncApp) -> None:
    register_command(app, COMMAND, _run)
