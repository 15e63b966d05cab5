"""Global middleware: admit verified requests whose replies go to Slack, hand out the runtime,
create workspaces on first contact, drop retries.

Bolt runs it only after its own signature check (HTTP mode, behind ``bot.app.request_guard``)
or for Socket Mode requests, which the authenticated socket vouches for. It is one
``AsyncMiddleware`` rather than a function per step: Bolt calls an instance as it is, where
it works out each function's arguments afresh for every request (about 40 µs a function).
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
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

Next = Callable[[], Awaitable[BoltResponse]]


class NorthstarMiddleware(AsyncMiddleware):
    """Each request, in order: refused if its replies would go elsewhere than Slack, else
    marked verified (the only requests the error handler may answer) and given the runtime;
    its workspace created on first contact; a redelivered event dropped."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self._prefix = runtime.settings.slack_response_url_prefix

    async def async_process(
        self, *, req: AsyncBoltRequest, resp: BoltResponse, next: Next
    ) -> BoltResponse | None:
        body, context = req.body, req.context
        refusal = self._foreign_replies(body)
        if refusal is not None:
            return refusal
        context[VERIFIED_KEY] = True
        context[RUNTIME_KEY] = self._runtime
        await self._create_workspace_on_first_contact(context)
        if await self._is_redelivered_event(body, context):
            return BoltResponse(status=200, body="")
        return await next()

    def _foreign_replies(self, body: dict[str, Any]) -> BoltResponse | None:
        foreign = foreign_response_urls(body, self._prefix)
        if not foreign:
            return None
        logger.warning(
            "refused a request whose response_url is outside SLACK_RESPONSE_URL_PREFIX (%s): %s",
            self._prefix,
            printable(foreign[0], limit=100),
        )
        return BoltResponse(status=400, body="")

    async def _create_workspace_on_first_contact(self, context: AsyncBoltContext) -> None:
        """Make sure the workspace's row exists, once per ``WORKSPACE_RECHECK_SECONDS``. One
        check at a time for a workspace: the requests of a burst that arrive while it is under
        way wait for it, rather than each writing the same row (200 transactions, all before
        their acks, for a burst of 200 slash commands at first contact)."""
        team_id = context.team_id or context.enterprise_id
        if not team_id:
            return
        seen = self._runtime.known_team_ids.get(team_id)
        if seen is not None and time.monotonic() - seen <= WORKSPACE_RECHECK_SECONDS:
            return
        checks = self._runtime.workspace_checks
        check = checks.get(team_id)
        if check is None:
            # in a context of its own: nothing of the first waiting request's carries over
            check = asyncio.get_running_loop().create_task(
                self._ensure_workspace(team_id), context=contextvars.Context()
            )
            checks[team_id] = check
            check.add_done_callback(partial(self._checked, team_id))
        # shielded: a request that goes away does not cancel the check the others wait for
        await asyncio.shield(check)

    async def _ensure_workspace(self, team_id: str) -> None:
        async with transaction(self._runtime.sessions) as session:
            if await ensure_workspace(session=session, team_id=team_id):
                logger.info("new workspace %s", printable(team_id))
        if self._runtime.workspace_checks.get(team_id) is asyncio.current_task():
            # not when the workspace's data was deleted meanwhile (Runtime.forget_workspace)
            self._runtime.known_team_ids[team_id] = time.monotonic()

    def _checked(self, team_id: str, check: asyncio.Future[None]) -> None:
        checks = self._runtime.workspace_checks
        if checks.get(team_id) is check:
            del checks[team_id]  # a failed check is tried again by the next request
        if not check.cancelled():
            check.exception()  # raised in every request that waited; not "never retrieved"

    async def _is_redelivered_event(self, body: dict[str, Any], context: AsyncBoltContext) -> bool:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if not isinstance(event_id, str) or not event_id:
            return False
        team_id = context.team_id or context.enterprise_id or ""
        async with transaction(self._runtime.sessions) as session:
            first_time = await record_event(
                session=session, team_id=team_id, event_id=event_id[:64]
            )
        if not first_time:
            logger.info("ignored redelivered event %s", printable(event_id))
        return not first_time
