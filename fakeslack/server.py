"""A fake Slack Web API + Socket Mode server on 127.0.0.1, for tests and `northstar demo`.

async with FakeSlack() as slack:
    client = AsyncWebClient(base_url=slack.api_url, token="xoxb-test")
"""

# Waiters take an explicit timeout, as pytest-style waiters do.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import Counter
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from aiohttp import BodyPartReader, web
from aiohttp.web_request import FileField

from .methods import JsonDict, SlackWorkspace, error
from .socket_mode import SocketModeEndpoint

# Arguments slack_sdk (or a hand-made form post) may send as JSON strings.
JSON_ARGS = (
    "blocks",
    "attachments",
    "view",
    "files",
    "metadata",
    "user_auth_blocks",
    "document_content",
)
RESPONSE_URL_MAX_USES = 5


@dataclass
class Call:
    """One request the fake server received."""

    method: str
    args: dict[str, Any]
    token: str | None
    injected: bool = False


@dataclass
class _Fault:
    error: str | None
    status: int | None
    retry_after: int | None
    remaining: int


class FakeSlack(SlackWorkspace):
    """Fake Slack: Web API at `api_url`, response URLs, file uploads and Socket Mode."""

    def __init__(
        self,
        *,
        team_id: str = "T0001",
        team_name: str = "Acme",
        app_id: str = "A0001",
        host: str = "127.0.0.1",
    ) -> None:
        super().__init__(team_id=team_id, team_name=team_name, app_id=app_id)
        self.host = host
        self.calls: list[Call] = []
        # Seconds every Web API answer waits, to measure a fan-out against a slow Slack:
        # before the call is handled, or, with ``latency_from_arrival``, counted from the
        # call's arrival, the fake's own work included (a benchmark's Slack that answers in
        # exactly ``latency`` whatever the fake's checks cost).
        self.latency = 0.0
        self.latency_from_arrival = False
        # Slack error codes per channel (or DM user id): e.g. {"U123": "account_inactive"}.
        self.channel_errors: dict[str, str] = {}
        self.socket_mode = SocketModeEndpoint(app_id)
        self._faults: dict[str, list[_Fault]] = {}
        self._response_url_uses: Counter[str] = Counter()
        self._recorded = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        # (host, port) of every client connection a request came over: how many the app opened
        self.client_connections: set[tuple[str, int]] = set()

    # ---- lifecycle -------------------------------------------------------------------------
    async def start(self) -> FakeSlack:
        app = web.Application(client_max_size=64 * 1024 * 1024, middlewares=[self._note_peer])
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response_url)
        app.router.add_post("/upload/{file_id}", self._upload)
        self.socket_mode.install(app)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, 0).start()
        self._port = int(self._runner.addresses[0][1])
        return self

    @web.middleware
    async def _note_peer(self, request: web.Request, handler: Any) -> web.StreamResponse:
        peer = request.transport.get_extra_info("peername") if request.transport else None
        if peer:
            self.client_connections.add((str(peer[0]), int(peer[1])))
        response: web.StreamResponse = await handler(request)
        return response

    async def stop(self) -> None:
        if self._runner is not None:
            await self.socket_mode.close()
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeSlack:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # ---- addresses ---------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        if self._port is None:
            raise RuntimeError("FakeSlack is not started; call `await slack.start()` first")
        return f"http://{self.host}:{self._port}/"

    @property
    def api_url(self) -> str:
        return self.base_url + "api/"

    def url(self, path: str) -> str:
        return self.base_url + path.lstrip("/")

    def response_url(self, name: str = "cmd") -> str:
        return self.url(f"response/{name}")

    # ---- recorded calls ----------------------------------------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
    ) -> list[Call]:
        """Wait until at least `count` calls to `method` were recorded and return them all."""
        async with self._recorded:
            try:
                await asyncio.wait_for(
                    self._recorded.wait_for(lambda: len(self.calls_to(method)) >= count), timeout
                )
            except TimeoutError:
                seen = dict(Counter(call.method for call in self.calls))
                raise AssertionError(
                    f"expected {count} call(s) to {method} within {timeout}s, "
                    f"got {len(self.calls_to(method))}; methods seen: {seen or 'none'}"
                ) from None
        return self.calls_to(method)

    def clear(self) -> None:
        """Forget recorded calls (violations are kept: see `take_violations`); messages kept
        unchecked are checked first."""
        self.check_messages_now()
        self.calls.clear()

    def take_violations(self) -> list[str]:
        """Return the violations seen so far and forget them (for tests expecting some)."""
        self.check_messages_now()
        found, self.violations = self.violations, []
        return found

    def assert_no_violations(self) -> None:
        self.check_messages_now()
        if self.violations:
            listing = "\n".join(f"  - {v}" for v in self.violations)
            raise AssertionError(f"fake Slack saw {len(self.violations)} violation(s):\n{listing}")

    async def _record(self, call: Call) -> None:
        async with self._recorded:
            self.calls.append(call)
            self._recorded.notify_all()

    # ---- fault injection ---------------------------------------------------------------------
    def inject(
        self,
        method: str,
        *,
        error: str | None = None,
        status: int | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls to `method` fail (429, HTTP `status`, or ok:false)."""
        if error is None and status is None and retry_after is None:
            raise ValueError("inject() needs error, status or retry_after")
        if times < 1:
            raise ValueError("times must be >= 1")
        self._faults.setdefault(method, []).append(_Fault(error, status, retry_after, times))

    def _take_fault(self, method: str) -> _Fault | None:
        queue = self._faults.get(method)
        if not queue:
            return None
        fault = queue[0]
        fault.remaining -= 1
        if fault.remaining <= 0:
            queue.pop(0)
        return fault

    @staticmethod
    def _fault_response(fault: _Fault) -> web.Response:
        if fault.status == 429 or fault.retry_after is not None:
            retry_after = 1 if fault.retry_after is None else fault.retry_after
            return web.json_response(
                error("ratelimited"), status=429, headers={"Retry-After": str(retry_after)}
            )
        if fault.status is not None and fault.error is None:
            text = f"fake Slack: injected HTTP {fault.status}"
            return web.Response(status=fault.status, text=text)
        return web.json_response(error(str(fault.error)), status=fault.status or 200)

    # ---- HTTP handlers -------------------------------------------------------------------------
    async def _api(self, request: web.Request) -> web.Response:
        arrived = time.monotonic()
        method = request.match_info["method"]
        args: JsonDict = dict(request.query)
        body_problem = await self._read_body(request, args)
        auth = request.headers.get("Authorization", "")
        token = auth[len("Bearer ") :].strip() or None if auth.startswith("Bearer ") else None
        body_token = args.pop("token", None)
        token = token or (str(body_token) if body_token else None)
        for key in JSON_ARGS:
            if isinstance(args.get(key), str):
                with contextlib.suppress(ValueError):  # a bad string stays; validators report it
                    args[key] = json.loads(args[key])
        if self.latency and not self.latency_from_arrival:
            await asyncio.sleep(self.latency)
        fault = self._take_fault(method)
        channel_error = self.channel_errors.get(str(args.get("channel") or ""))
        if fault is not None:
            response = self._fault_response(fault)
        elif channel_error and method.startswith("chat."):
            response = web.json_response({"ok": False, "error": channel_error})
        elif body_problem:
            response = web.json_response(self.violate(method, [body_problem], "invalid_json"))
        else:
            response = web.json_response(self._answer(method, args, token))
        if self.latency and self.latency_from_arrival:
            await self._wait_until(arrived + self.latency)
        await self._record(Call(method, args, token, injected=fault is not None))
        return response

    async def _wait_until(self, deadline: float) -> None:
        """Hold a call's answer until ``deadline`` (``time.monotonic``)."""
        await asyncio.sleep(max(0.0, deadline - time.monotonic()))

    @staticmethod
    async def _read_body(request: web.Request, args: JsonDict) -> str | None:
        if request.method != "POST" or not request.can_read_body:
            return None
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError as exc:
                return f"request body is not valid JSON ({exc})"
            if not isinstance(body, dict):
                return "JSON request body must be an object"
            args.update(body)
        else:
            for key, value in (await request.post()).items():
                args[key] = value.file.read() if isinstance(value, FileField) else value
        return None

    def _answer(self, method: str, args: JsonDict, token: str | None) -> JsonDict:
        handler = self.handlers.get(method)
        if handler is None:
            return self.violate(method, [f"unknown method {method!r}"], "unknown_method")
        if method == "api.test":  # needs no token, like Slack's
            return handler(args)
        if token is None:
            return self.violate(method, ["called without a token"], "not_authed")
        wants_app_token = method == "apps.connections.open"
        if token.startswith("xapp-") != wants_app_token:
            kind = "an app-level (xapp-)" if wants_app_token else "a bot/user"
            return self.violate(
                method, [f"needs {kind} token, got {token[:5]}..."], "not_allowed_token_type"
            )
        return handler(args)

    async def _response_url(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        try:
            body: Any = await request.json()
        except ValueError:
            body = None
        args: JsonDict = {**body, "_name": name} if isinstance(body, dict) else {"_name": name}
        fault = self._take_fault("response_url")
        self._response_url_uses[name] += 1
        method = f"response_url({name})"
        if fault is not None:
            response = self._fault_response(fault)
        elif not isinstance(body, dict):
            self.violate(method, ["body must be a JSON object"])
            response = web.Response(status=400, text="invalid_payload")
        elif self._response_url_uses[name] > RESPONSE_URL_MAX_USES:
            self.violate(method, [f"used more than {RESPONSE_URL_MAX_USES} times"])
            response = web.Response(status=404, text="used_url")
        elif failed := self.message_error(method, body):
            response = web.Response(status=400, text=str(failed["error"]))
        else:
            response = web.Response(text="ok")
        await self._record(Call("response_url", args, None, injected=fault is not None))
        return response

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        if file_id not in self.files:
            self.violate("upload", [f"upload to unknown file id {file_id}"])
            return web.Response(status=404, text="file_not_found")
        data = b""
        if request.content_type.startswith("multipart/"):
            async for part in await request.multipart():
                if isinstance(part, BodyPartReader) and part.filename is not None:
                    data = await part.read()
        else:
            data = await request.read()
        self.uploads[file_id] = data
        return web.Response(text=f"OK - {len(data)}")

    # ---- Socket Mode shortcuts ---------------------------------------------------------------
    async def wait_connected(
        self,
        timeout: float = 5.0,
        *,
        accepted: int = 1,
    ) -> None:
        await self.socket_mode.wait_connected(timeout, accepted=accepted)

    async def wait_disconnected(self, timeout: float = 5.0) -> None:
        await self.socket_mode.wait_disconnected(timeout)

    async def send_envelope(
        self,
        type: str,
        payload: dict[str, Any],
        *,
        timeout: float = 5.0,
    ) -> dict[str, Any]:
        return await self.socket_mode.send_envelope(type, payload, timeout=timeout)
