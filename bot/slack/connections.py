"""One HTTP connection pool to Slack for a running server, so replies and Web API calls reuse
connections instead of opening (and, over HTTPS, handshaking) one per call.

Slack's SDK opens a session of its own for every call it makes without one, and Bolt's
``respond`` does the same for every reply to a response URL. A server (``northstar run``,
``northstar run-job``) opens the pool with ``open_slack_connections()`` on its event loop and
closes it on the way out; until then, and in code that never opens one, every call makes its
own session as the SDK does, so nothing outlives the event loop that made it.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.slack.retries import ConnectionErrorRetry

SLACK_TIMEOUT_SECONDS = 15

_POOLS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aiohttp.ClientSession] = (
    weakref.WeakKeyDictionary()
)


def open_slack_connections() -> aiohttp.ClientSession:
    """The running event loop's pool, opened if it is not open yet."""
    loop = asyncio.get_running_loop()
    pool = _POOLS.get(loop)
    if pool is None or pool.closed:
        # the SDK applies its timeout only to sessions it makes itself: this one says it; and
        # as many connections as calls in flight (as when each call had its own), so a call
        # never spends its timeout waiting for a connection; and no cookies kept, as a session
        # per call kept none: one workspace's calls never carry what Slack set for another's
        connections = aiohttp.TCPConnector(limit=0)
        timeout = aiohttp.ClientTimeout(total=SLACK_TIMEOUT_SECONDS)
        pool = aiohttp.ClientSession(
            connector=connections, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
        )
        _POOLS[loop] = pool
    return pool


async def close_slack_connections() -> None:
    """Close the running event loop's pool, if one is open."""
    pool = _POOLS.pop(asyncio.get_running_loop(), None)
    if pool is not None:
        await pool.close()


@asynccontextmanager
async def slack_connections() -> AsyncIterator[aiohttp.ClientSession]:
    """The pool, open for the block's duration (closed after it only if the block opened it)."""
    opened = open_pool() is None
    pool = open_slack_connections()
    try:
        yield pool
    finally:
        if opened:
            await close_slack_connections()


def open_pool() -> aiohttp.ClientSession | None:
    """The running event loop's open pool; None when none is open (or outside a loop)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    pool = _POOLS.get(loop)
    return pool if pool is not None and not pool.closed else None


def webhook_client(url: str) -> AsyncWebhookClient:
    """A client for one response URL, over the open pool when there is one; it retries a
    failed connection once, as the SDK's does, and says so in the log (``bot.slack.retries``)."""
    return AsyncWebhookClient(url, session=open_pool(), retry_handlers=[ConnectionErrorRetry()])
