"""Socket Mode: Slack connects over a websocket, no public URL needed.

Northstar keeps the connection itself rather than through Bolt's ``connect_async``: slack_sdk's
client retries a failed connection forever, every ten seconds, with a stack trace each time,
retries a refused token as if Slack were down, and does not return until it is connected. Run
inside the server's start-up, that also held start-up, and with it SIGTERM, hostage.

Here ``start`` returns at once and a task connects: it checks the bot token (``auth.test``),
opens the websocket and reconnects whenever it drops. While Slack cannot be reached it logs one
line per attempt and waits 1, 2, 4 … up to 60 seconds; a token Slack refuses ends the task and
is handed to ``on_stopped``, which ends the process. ``stop`` cancels whatever is in flight.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import aiohttp
from slack_bolt.adapter.socket_mode.async_internals import (
    run_async_bolt_app,
    send_async_response,
)
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import texts_cli
from bot.core.admission import AdmissionGate
from bot.core.config import ConfigError

logger = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 1.0
MAX_RETRY_SECONDS = 60.0
CALL_TIMEOUT_SECONDS = 10  # auth.test and apps.connections.open: Slack answers in well under 1 s
PING_SECONDS = 10.0
# A connection that lasts less than this before dropping makes the next reconnect wait.
STABLE_SECONDS = 30.0
WATCH_SECONDS = 1.0  # how often the supervisor looks whether the websocket is still open
CLOSE_SECONDS = 3.0  # the most a closing handshake may take on the way out

# Slack's answers that no retry can change: the token itself is wrong, revoked or of the wrong
# kind (a bot token where the app-level token belongs), or lacks connections:write.
REFUSALS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "account_inactive",
        "not_allowed_token_type",
        "missing_scope",
    }
)
Unreachable = (aiohttp.ClientError, OSError, TimeoutError, SlackApiError)
Stopped = Callable[[BaseException], None]


class SlackRefusedToken(ConfigError):
    """Slack answered that a configured token is not valid: retrying cannot help."""


def retry_delays(
    first: float = FIRST_RETRY_SECONDS, cap: float = MAX_RETRY_SECONDS
) -> Iterator[float]:
    """1, 2, 4 … seconds, doubling up to ``cap`` and staying there."""
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, cap)


def describe(error: BaseException) -> str:
    """One line about why Slack could not be reached; never a token."""
    if isinstance(error, SlackApiError):
        code = error.response.get("error") if isinstance(error.response.data, dict) else None
        return f"Slack answered {code or f'HTTP {error.response.status_code}'}"
    if isinstance(error, aiohttp.ClientResponseError):  # its text has the websocket URL's ticket
        return f"Slack answered HTTP {error.status}"
    if isinstance(error, TimeoutError):
        return f"no answer within {CALL_TIMEOUT_SECONDS} s"
    return str(error) or type(error).__name__


def _retry_after(error: BaseException) -> float:
    """Seconds Slack asked to wait (429 ``Retry-After``), else 0."""
    if isinstance(error, SlackApiError) and error.response.status_code == 429:
        for name, value in error.response.headers.items():
            if name.lower() == "retry-after":
                with contextlib.suppress(TypeError, ValueError):
                    return float(value if isinstance(value, str) else value[0])
    return 0.0


def _refused(error: SlackApiError, variable: str) -> SlackRefusedToken | None:
    code = error.response.get("error") if isinstance(error.response.data, dict) else None
    if code in REFUSALS:
        return SlackRefusedToken(texts_cli.slack_refused(str(code), variable))
    return None


class _Client(SocketModeClient):
    """slack_sdk's websocket client without its own reconnecting: ``connect`` makes one attempt
    and raises if it fails, and Slack's request to reconnect (a ``disconnect`` message) wakes the
    supervisor instead, which reconnects with back-off."""

    def __init__(self, app_token: str, web_client: AsyncWebClient, wake: asyncio.Event) -> None:
        async def woken(_message: aiohttp.WSMessage) -> None:
            wake.set()

        super().__init__(
            app_token=app_token,
            logger=logging.getLogger("slack_sdk.socket_mode"),
            web_client=web_client,
            auto_reconnect_enabled=False,
            ping_interval=PING_SECONDS,
            on_close_listeners=[woken],
        )
        self._wake = wake

    async def issue_new_wss_url(self) -> str:
        try:
            response = await self.web_client.apps_connections_open(app_token=self.app_token)
        except SlackApiError as error:
            refusal = _refused(error, "SLACK_APP_TOKEN")
            if refusal is None:
                raise  # Slack is there but not itself: retried
            raise refusal from error
        return str(response["url"])

    async def connect(self) -> None:
        await self._close_session()
        if self.aiohttp_client_session.closed:
            self.aiohttp_client_session = aiohttp.ClientSession()
        self.wss_uri = await self.issue_new_wss_url()
        session = await self.aiohttp_client_session.ws_connect(
            self.wss_uri,
            autoping=False,
            heartbeat=self.ping_interval,
            proxy=self.proxy,
            ssl=self.web_client.ssl if self.web_client.ssl is not None else True,
        )
        self.current_session, self.stale, self.last_ping_pong_time = session, False, None
        self._wake.clear()
        await session.ping(f"sdk-ping-pong:{time.time()}".encode())
        for task in (self.current_session_monitor, self.message_receiver):
            if task is not None:
                task.cancel()
        self.current_session_monitor = asyncio.ensure_future(self.monitor_current_session())
        self.message_receiver = asyncio.ensure_future(self.receive_messages())

    async def connect_to_new_endpoint(self, force: bool = False) -> None:
        self._wake.set()

    async def _close_session(self) -> None:
        session = self.current_session
        if session is not None and not session.closed:
            with contextlib.suppress(*Unreachable):
                await asyncio.wait_for(session.close(), CLOSE_SECONDS)

    async def close(self) -> None:
        self.closed = True
        await self._close_session()
        tasks = [self.message_processor, self.current_session_monitor, self.message_receiver]
        running = [task for task in tasks if task is not None and not task.done()]
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        await self.aiohttp_client_session.close()


class SocketModeConnection:
    """The websocket to Slack, kept open until ``stop``; ``verified`` is set once Slack has
    accepted the bot token, ``on_stopped`` hears of the error that ended it for good."""

    def __init__(
        self,
        app: AsyncApp,
        app_token: str,
        *,
        on_stopped: Stopped | None = None,
        first_retry: float = FIRST_RETRY_SECONDS,
        gate: AdmissionGate | None = None,
    ) -> None:
        self._app = app
        self._gate = gate
        self._app_token = app_token
        self._on_stopped = on_stopped
        self._first_retry = first_retry
        self.verified = asyncio.Event()
        self._wake = asyncio.Event()
        self._client: _Client | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        # Its own Web API client: no built-in retries (each would log a line of its own) and a
        # short timeout, so a Slack that does not answer is reported and retried soon.
        web_client = AsyncWebClient(
            base_url=self._app.client.base_url,
            timeout=CALL_TIMEOUT_SECONDS,
            ssl=self._app.client.ssl,
            proxy=self._app.client.proxy,
            retry_handlers=[],
        )
        self._client = _Client(self._app_token, web_client, self._wake)
        self._client.socket_mode_request_listeners.append(self._handle)  # type: ignore[arg-type]
        self._task = asyncio.create_task(self._supervise(self._client), name="socket-mode")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self._client is not None:
            await self._client.close()
        logger.info("Socket Mode connection closed")

    async def _handle(self, client: SocketModeClient, request: SocketModeRequest) -> None:
        started = time.time()
        counted = self._gate.answering_request() if self._gate else contextlib.nullcontext()
        with counted:  # acks before work after acks
            response = await run_async_bolt_app(self._app, request)
            await send_async_response(client, request, response, started)

    async def _supervise(self, client: _Client) -> None:
        try:
            await self._retrying(self._check_bot_token)
            self.verified.set()
            loop = asyncio.get_running_loop()
            quick_drops = retry_delays(self._first_retry)
            while True:
                await self._retrying(client.connect)
                logger.info("connected to Slack in Socket Mode")
                connected_at = loop.time()
                await self._until_dropped(client)
                if loop.time() - connected_at >= STABLE_SECONDS:
                    quick_drops = retry_delays(self._first_retry)
                    logger.info("Socket Mode connection dropped; reconnecting")
                    continue
                # Dropped soon after connecting: back off as for an outage, never a storm.
                delay = next(quick_drops)
                logger.warning(texts_cli.slack_dropped_quickly(delay))
                await asyncio.sleep(delay)
        except Exception as error:  # a refused token, or a fault: the process must end
            if self._on_stopped is None:
                raise
            self._on_stopped(error)

    async def _check_bot_token(self) -> None:
        token = self._app.client.token
        if token is None or self._client is None:
            return
        try:
            await self._client.web_client.auth_test(token=token)
        except SlackApiError as error:
            refusal = _refused(error, "SLACK_BOT_TOKEN")
            if refusal is None:
                raise  # Slack is there but not itself: retried
            raise refusal from error

    async def _retrying(self, attempt: Callable[[], Awaitable[Any]]) -> None:
        delays = retry_delays(self._first_retry)
        while True:
            try:
                await attempt()
                return
            except Unreachable as error:  # a refused token is none of these: it ends the loop
                delay = max(next(delays), _retry_after(error))
                logger.warning(texts_cli.slack_unreachable(describe(error), delay))
                await asyncio.sleep(delay)

    async def _until_dropped(self, client: _Client) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), WATCH_SECONDS)
            if self._wake.is_set() or not await client.is_connected():
                return
