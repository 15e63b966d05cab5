"""One parent message per thread, however many processes share answers at once.

A thread's row says whether its parent is posted. Each sharer reads it; without a parent it
tries to claim the row (a conditional insert or update, see ``checkin_shares`` and
``checkin_threads``). The one that wins posts the parent and records its ts; the others wait a
little for that ts to appear. Team channels' weekly threads and setup channels' round threads
both go through ``thread_of``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.runtime import Runtime
from bot.slack.messages import Reply
from storage.db import transaction

# How long to wait for another process's parent message before giving up on this answer.
PARENT_WAITS = (0.2, 0.4, 0.8, 1.6)
POSTING_STALE_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class ShareOutcome:
    """Where an answer was to be posted, and whether it was."""

    channel_id: str
    posted: bool


@dataclass(frozen=True)
class Thread:
    ts: str
    had_error: bool  # the last post there failed: a success now clears that


class ParentRow(Protocol):
    """The row that holds one thread's parent: how to read, claim and complete it."""

    @property
    def channel_id(self) -> str: ...

    async def existing(self, session: AsyncSession) -> Thread | None: ...

    async def claim(self, session: AsyncSession, now: datetime) -> bool: ...

    async def posted(self, session: AsyncSession, ts: str) -> None: ...

    def parent_message(self) -> Reply: ...


async def thread_of(runtime: Runtime, client: AsyncWebClient, row: ParentRow) -> Thread | None:
    """The thread, posting its parent message if this process claims it; None if another
    process is posting it and it did not appear in time. Slack's refusal is raised."""
    for wait in (*PARENT_WAITS, None):
        async with transaction(runtime.sessions) as session:
            found = await row.existing(session)
            if found is not None:
                return found
            claimed = await row.claim(session, runtime.clock())
        if claimed:
            response = await client.chat_postMessage(channel=row.channel_id, **row.parent_message())
            ts = str(response.get("ts") or "")
            async with transaction(runtime.sessions) as session:
                await row.posted(session, ts)
            return Thread(ts, had_error=False)
        if wait is not None:
            await asyncio.sleep(wait)
    return None
