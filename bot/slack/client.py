"""The Slack Web API client Northstar uses, and how jobs find the client for a workspace."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any, Protocol, TypeVar

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.core.errors import NorthstarError
from bot.slack.connections import SLACK_TIMEOUT_SECONDS, open_pool
from bot.slack.installations import InstallationStore
from bot.slack.retries import ConnectionErrorRetry, RateLimitRetry, ServerErrorRetry

RATE_LIMIT_RETRIES = 3
SERVER_ERROR_RETRIES = 2
CLIENT_CACHE_SECONDS = 60.0  # how long another replica may keep using an uninstalled token
REVOKED = "token_revoked"  # what Slack answers for the token of an app that was removed

Client = TypeVar("Client", bound=AsyncWebClient)

_POOLED_SESSION: ContextVar[aiohttp.ClientSession | None] = ContextVar(
    "pooled_slack_session", default=None
)
_CLOSING: set[asyncio.Task[None]] = set()  # pools closing once their last sends are done


class PooledWebClient(AsyncWebClient):
    """An ``AsyncWebClient`` that, inside ``pooled_connections()``, sends every call over that
    block's one HTTP connection pool, and otherwise over the server's pool
    (``bot.slack.connections``) when one is open. Without either it behaves as the SDK's
    client does (a session of its own per call, so nothing outlives the event loop that made
    it). Bolt's client for each request takes its session from here, so it shares the pool."""

    @property
    def session(self) -> aiohttp.ClientSession | None:
        return _POOLED_SESSION.get() or self._own_session or open_pool()

    @session.setter
    def session(self, value: aiohttp.ClientSession | None) -> None:
        self._own_session = value


@asynccontextmanager
async def pooled_connections(
    running: Callable[[], Iterable[asyncio.Future[Any]]] = tuple,
) -> AsyncIterator[None]:
    """Calls made in this block (and in tasks it starts) share one connection pool, so a
    fan-out of thousands of DMs does not open a connection per DM. The pool is closed when the
    block ends, or, when it ends while tasks from ``running()`` still send (a cancelled fan-out
    lets its claimed groups finish), as soon as they are done."""
    # the SDK applies its client's timeout only to sessions it makes itself: this one says it
    timeout = aiohttp.ClientTimeout(total=SLACK_TIMEOUT_SECONDS)
    session = aiohttp.ClientSession(timeout=timeout)
    token = _POOLED_SESSION.set(session)
    try:
        yield
    finally:
        _POOLED_SESSION.reset(token)
        still_sending = [task for task in running() if not task.done()]
        closing = asyncio.ensure_future(_close_after(session, still_sending))
        _CLOSING.add(closing)
        closing.add_done_callback(_CLOSING.discard)
        if not still_sending:
            await asyncio.shield(closing)


async def _close_after(session: aiohttp.ClientSession, tasks: list[asyncio.Future[Any]]) -> None:
    if tasks:
        await asyncio.gather(*tasks, return_exceptions=True)
    await session.close()


def build_web_client(*, token: str | None, base_url: str) -> AsyncWebClient:
    """An ``AsyncWebClient`` that retries connection errors, 429 (after ``Retry-After``) and 5xx.

    The 429 sleep happens inside the call, so callers on a 3-second ack path must ``ack()`` first.
    """
    return _with_retries(
        PooledWebClient(token=token, base_url=base_url, timeout=SLACK_TIMEOUT_SECONDS)
    )


def _with_retries(client: Client) -> Client:
    """In place of the SDK's default (one retry of a failed connection): that retry, 429s, and
    HTTP 500 and 503, each retry said in the log (``bot.slack.retries``)."""
    client.retry_handlers = [
        ConnectionErrorRetry(),
        RateLimitRetry(max_retry_count=RATE_LIMIT_RETRIES),
        ServerErrorRetry(max_retry_count=SERVER_ERROR_RETRIES),
    ]
    return client


class WorkspaceClients(Protocol):
    """Where scheduled jobs get the workspaces to serve and a client for each."""

    async def team_ids(self) -> list[str]: ...

    async def client_for(self, team_id: str) -> AsyncWebClient: ...


class SingleWorkspaceClients:
    """One bot token, one workspace: the team id is learned once from ``auth.test``."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client
        self._team_id: str | None = None

    async def team_ids(self) -> list[str]:
        if self._team_id is None:
            response = await self._client.auth_test()
            self._team_id = str(response["team_id"])
        return [self._team_id]

    async def client_for(self, team_id: str) -> AsyncWebClient:
        if team_id not in await self.team_ids():
            raise LookupError(f"no Slack token for workspace {team_id}")
        return self._client


class WorkspaceNotInstalled(NorthstarError, LookupError):
    """Northstar has no installation (bot token) in this workspace: never installed, or removed."""


class _WorkspaceClient(PooledWebClient):
    """One installed workspace's client. Once the workspace is uninstalled, every call fails at
    once as Slack would answer it (``token_revoked``), so a job run in flight stops reaching
    Slack; fan-outs treat it like any refused call and leave the recipient for a later run."""

    uninstalled = False

    async def api_call(self, api_method: str, **kwargs: Any) -> AsyncSlackResponse:
        if self.uninstalled:
            answer = AsyncSlackResponse(
                client=self,
                http_verb=str(kwargs.get("http_verb", "POST")),
                api_url=self.base_url + api_method,
                req_args={},
                data={"ok": False, "error": REVOKED},
                headers={},
                status_code=200,
            )
            message = "Northstar was removed from this workspace"
            raise SlackApiError(message, answer)  # type: ignore[no-untyped-call]
        return await super().api_call(api_method, **kwargs)


class InstalledWorkspaceClients:
    """OAuth: the workspaces with a current installation, each served with its own bot token.

    Clients are cached for ``CLIENT_CACHE_SECONDS``. When this process deletes a workspace's bot
    (``app_uninstalled``, ``tokens_revoked``), its cached client is dropped and disabled at once;
    another replica notices at its next ``team_ids()`` (every job run asks) or when its cache
    entry expires.
    """

    def __init__(
        self,
        store: InstallationStore,
        *,
        base_url: str,
        cache_seconds: float = CLIENT_CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._base_url = base_url
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._cache: dict[str, tuple[float, _WorkspaceClient]] = {}
        store.on_removal(self.forget)

    async def team_ids(self) -> list[str]:
        return list(await self._store.installed_workspaces())

    async def client_for(self, team_id: str) -> AsyncWebClient:
        cached = self._cache.get(team_id)
        if cached is not None and cached[0] > self._clock():
            return cached[1]
        workspaces = await self._store.installed_workspaces()
        bot = None
        if team_id in workspaces:
            bot = await self._store.async_find_bot(
                enterprise_id=workspaces[team_id], team_id=team_id
            )
        if bot is None or not bot.bot_token:
            self.forget(team_id)
            raise WorkspaceNotInstalled(f"Northstar is not installed in workspace {team_id}")
        client = _with_retries(
            _WorkspaceClient(
                token=bot.bot_token, base_url=self._base_url, timeout=SLACK_TIMEOUT_SECONDS
            )
        )
        self._cache[team_id] = (self._clock() + self._cache_seconds, client)
        return client

    def forget(self, team_id: str) -> None:
        """Drop the workspace's client; calls still running on it fail from now on."""
        cached = self._cache.pop(team_id, None)
        if cached is not None:
            cached[1].uninstalled = True
