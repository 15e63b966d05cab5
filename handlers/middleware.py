"""Global middleware: admit verified requests whose replies go to Slack, hand out the runtime,
create workspaces on first contact, drop retries.

Bolt runs these only after its own signature check (HTTP mode, behind ``bot.app.request_guard``)
or for Socket Mode requests, which the authenticated socket vouches for.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.response import BoltResponse

from bot.core.log_text import printable
from bot.core.runtime import Runtime
from bot.slack.response_urls import foreign_response_urls
from handlers.context import RUNTIME_KEY, VERIFIED_KEY
from storage.db import transaction
from storage.repositories.events import record_event
from storage.repositories.workspaces import ensure_workspace

logger = logging.getLogger(__name__)
# Another replica may delete a workspace's data (/align delete-workspace-data); this process
# makes sure the workspace row exists again at most this long after.
WORKSPACE_RECHECK_SECONDS = 300.0

Next = Callable[[], Awaitable[BoltResponse | None]]
Middleware = Callable[..., Awaitable[BoltResponse | None]]


def build_middleware(runtime: Runtime) -> list[Middleware]:
    prefix = runtime.settings.slack_response_url_prefix

    async def admit_verified_requests(
        body: dict[str, Any], context: AsyncBoltContext, next: Next
    ) -> BoltResponse | None:
        """Refuse a request whose replies would go somewhere other than Slack; mark the rest
        as verified, the only requests the error handler may answer."""
        foreign = foreign_response_urls(body, prefix)
        if foreign:
            logger.warning(
                "refused a request whose response_url is outside SLACK_RESPONSE_URL_PREFIX"
                " (%s): %s",
                prefix,
                printable(foreign[0], limit=100),
            )
            return BoltResponse(status=400, body="")
        context[VERIFIED_KEY] = True
        return await next()

    async def inject_runtime(context: AsyncBoltContext, next: Next) -> BoltResponse | None:
        context[RUNTIME_KEY] = runtime
        return await next()

    async def create_workspace_on_first_contact(
        context: AsyncBoltContext, next: Next
    ) -> BoltResponse | None:
        team_id = context.team_id or context.enterprise_id
        seen = runtime.known_team_ids.get(team_id or "")
        if team_id and (seen is None or time.monotonic() - seen > WORKSPACE_RECHECK_SECONDS):
            async with transaction(runtime.sessions) as session:
                if await ensure_workspace(session=session, team_id=team_id):
                    logger.info("new workspace %s", printable(team_id))
            runtime.known_team_ids[team_id] = time.monotonic()
        return await next()

    async def drop_redelivered_events(
        body: dict[str, Any], context: AsyncBoltContext, next: Next
    ) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        team_id = context.team_id or context.enterprise_id or ""
        if isinstance(event_id, str) and event_id:
            async with transaction(runtime.sessions) as session:
                first_time = await record_event(
                    session=session, team_id=team_id, event_id=event_id[:64]
                )
            if not first_time:
                logger.info("ignored redelivered event %s", printable(event_id))
                return BoltResponse(status=200, body="")
        return await next()

    return [
        admit_verified_requests,
        inject_runtime,
        create_workspace_on_first_contact,
        drop_redelivered_events,
    ]
