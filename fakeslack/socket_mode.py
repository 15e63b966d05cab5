"""The Socket Mode (websocket) side of the fake Slack server.

Wire format, as slack_sdk.socket_mode expects it:
- server -> client on connect: {"type": "hello", "num_connections", "debug_info", "connection_info"}
- server -> client: envelopes {"envelope_id", "type", "payload", "accepts_response_payload",
  "retry_attempt", "retry_reason"}; SocketModeRequest.from_dict needs type/envelope_id/payload.
- client -> server: acknowledgements {"envelope_id": ..., "payload": {...}?} as text frames.
- the SDK client pings with b"sdk-ping-pong:<time>" and needs the pong echoing that data;
  aiohttp's autoping answers it.
"""

# Waiters take an explicit timeout, as pytest-style waiters do.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from typing import Any

from aiohttp import WSMsgType, web

SOCKET_MODE_PATH = "/socket-mode"


class SocketModeEndpoint:
    """Serves `/socket-mode`, sends envelopes and collects the client's acknowledgements."""

    def __init__(self, app_id: str = "A0001") -> None:
        self.app_id = app_id
        self.acks: list[dict[str, Any]] = []
        self.received: list[Any] = []  # every text frame the client sent, parsed when JSON
        self.connection_count = 0  # connections accepted since start
        self._clients: list[web.WebSocketResponse] = []
        self._pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._changed = asyncio.Condition()

    def install(self, app: web.Application) -> None:
        app.router.add_get(SOCKET_MODE_PATH, self._handle)

    @property
    def connections(self) -> int:
        """Number of currently open websocket connections."""
        return len(self._clients)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._clients.append(ws)
        self.connection_count += 1
        try:
            await ws.send_json(
                {
                    "type": "hello",
                    "num_connections": len(self._clients),
                    "debug_info": {
                        "host": "applink-fake-northstar",
                        "build_number": 1,
                        "approximate_connection_time": 18060,
                    },
                    "connection_info": {"app_id": self.app_id},
                }
            )
            await self._notify()
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    self._on_text(msg.data)
        finally:
            self._clients.remove(ws)
            await self._notify()
        return ws

    def _on_text(self, data: str) -> None:
        try:
            message: Any = json.loads(data)
        except ValueError:
            self.received.append(data)
            return
        self.received.append(message)
        if isinstance(message, dict) and isinstance(message.get("envelope_id"), str):
            self.acks.append(message)
            future = self._pending.pop(message["envelope_id"], None)
            if future is not None and not future.done():
                future.set_result(message)

    async def _wait(
        self,
        connected: bool,
        timeout: float,
        accepted: int = 0,
    ) -> None:
        def ready() -> bool:
            return bool(self._clients) == connected and self.connection_count >= accepted

        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(ready), timeout)
            except TimeoutError:
                state = "connect" if connected else "disconnect"
                raise AssertionError(
                    f"no Socket Mode client did {state} within {timeout}s "
                    f"(open connections: {len(self._clients)}, "
                    f"accepted so far: {self.connection_count})"
                ) from None

    async def wait_connected(
        self,
        timeout: float = 5.0,
        *,
        accepted: int = 1,
    ) -> None:
        """Wait for an open connection, and for `accepted` connections in total (reconnects)."""
        await self._wait(True, timeout, accepted)

    async def wait_disconnected(self, timeout: float = 5.0) -> None:
        await self._wait(False, timeout)

    async def send_envelope(
        self,
        type: str,
        payload: dict[str, Any],
        *,
        timeout: float = 5.0,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> dict[str, Any]:
        """Send an envelope to the newest client and return its acknowledgement."""
        await self.wait_connected(timeout)
        envelope_id = str(uuid.uuid4())
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[envelope_id] = future
        envelope = {
            "envelope_id": envelope_id,
            "type": type,
            "payload": payload,
            "accepts_response_payload": True,
            "retry_attempt": retry_attempt,
            "retry_reason": retry_reason,
        }
        try:
            await self._clients[-1].send_json(envelope)
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise AssertionError(
                f"Socket Mode client did not acknowledge {type} envelope {envelope_id} "
                f"within {timeout}s; acks seen: {[a.get('envelope_id') for a in self.acks]}"
            ) from None
        finally:
            self._pending.pop(envelope_id, None)

    async def send_disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the connected clients to reconnect, as Slack does before rotating hosts."""
        for ws in list(self._clients):
            await ws.send_json(
                {
                    "type": "disconnect",
                    "reason": reason,
                    "debug_info": {"host": "applink-fake-northstar"},
                }
            )

    async def close(self) -> None:
        """Close every open connection and fail any envelope still waiting for an ack."""
        for ws in list(self._clients):
            with contextlib.suppress(ConnectionError, RuntimeError):
                await ws.close(code=1001, message=b"server shutting down")
        for future in self._pending.values():
            if not future.done():
                future.cancel()
        self._pending.clear()
