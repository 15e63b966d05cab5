"""The framework's floor: a bare Bolt ``AsyncApp`` whose one listener, ``/goal``, only
acknowledges, behind the same Starlette route and Bolt adapter as Northstar's HTTP app.

A server process of the acknowledgement benchmark (see ``bench.ack_protocol``):
``python -m bench.ack_floor API_URL``. It imports nothing of Northstar.
"""

from __future__ import annotations

import asyncio
import sys

from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.ack_protocol import serve_until_stopped

# fakeslack.app_requests.DEFAULT_SIGNING_SECRET, repeated so that this process loads nothing else
SIGNING_SECRET = "fake-slack-signing-secret-0123456789"


def build_floor_app(api_url: str) -> Starlette:
    bolt_app = AsyncApp(
        client=AsyncWebClient(token="xoxb-bench", base_url=api_url),
        signing_secret=SIGNING_SECRET,
        name="floor",
    )

    async def handle_goal_command(ack: AsyncAck) -> None:
        await ack()

    bolt_app.command("/goal")(handle_goal_command)
    slack_handler = AsyncSlackRequestHandler(bolt_app)

    async def to_bolt(request: Request) -> Response:
        return await slack_handler.handle(request)

    return Starlette(routes=[Route("/slack/events", to_bolt, methods=["POST"])])


def main() -> None:
    asyncio.run(serve_until_stopped(build_floor_app(sys.argv[1])))


if __name__ == "__main__":
    main()
