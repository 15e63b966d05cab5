"""Global middleware: hand out the runtime, create workspaces on first contact, drop retries."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.response import BoltResponse

from bot.runtime import Runtime
from handlers.context import RUNTIME_KEY
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
                    logger.info("new workspace %s", team_id)
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
                logger.info("ignored redelivered event %s", event_id)
                return BoltResponse(status=200, body="")
        return await next()

    return [inject_runtime, create_workspace_on_first_contact, drop_redelivered_events]
