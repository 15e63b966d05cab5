"""Work after an ack waits in line (``Runtime.after_ack``); the ack itself never does.

Bolt runs each listener in a task of its own and answers Slack as soon as the listener has
called ``ack()``; what the listener does after that (read the goals, build the reply, send it)
is the work this module puts through the admission gate:

- a middleware gives every request a ``GatedAck``: it records the answer first, so Bolt sends
  the ack at once, and then, inside the listener's task, waits for a place at the gate before
  the listener goes on;
- events are acknowledged by Bolt itself before their listener starts, and slash commands by
  ``handlers.listeners.ACK_AT_ONCE``, so the listener start hook takes the place for them;
- the listener completion hook gives the place back, whatever happened;
- the server (or Socket Mode) counts each request from its arrival until its answer is sent
  (``AdmissionGate.answering_request``): no work after an ack starts while a request waits
  for its ack to be sent (for at most half a second).

What runs before an ack (the replay guard, a modal's save) does not pass the gate, and the
gate is smaller than the connection pool, so a burst of replies waiting for a connection can
never take the last connection an ack needs, and no reply fails for lack of one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.listener.async_listener_completion_handler import (
    AsyncListenerCompletionHandler,
)
from slack_bolt.listener.async_listener_start_handler import AsyncListenerStartHandler
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.models.attachments import Attachment
from slack_sdk.models.blocks import Block
from slack_sdk.webhook.webhook_response import WebhookResponse

from bot.core.admission import AdmissionGate
from bot.slack.connections import open_pool, webhook_client

# Set only inside a listener's own task (Bolt starts each with a copy of the
# request's context), so it describes that one listener run.
_in_listener: ContextVar[bool] = ContextVar("northstar_in_listener", default=False)

Next = Callable[[], Awaitable[BoltResponse | None]]


class GatedAck(AsyncAck):
    """Bolt's ``ack``, then a place at the gate before the listener continues."""

    def __init__(self, gate: AdmissionGate) -> None:
        self.response: BoltResponse | None = None  # as AsyncAck.__init__, which is untyped
        self._gate = gate

    async def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        response = await super().__call__(*args, **kwargs)
        # Called by Bolt itself (an event's automatic ack) the request's task must not wait:
        # the listener start hook takes the place in the listener's task instead.
        if _in_listener.get() and not self._gate.held_here:
            await self._gate.enter_here()
        return response


class _TakePlace(AsyncListenerStartHandler):
    def __init__(self, gate: AdmissionGate) -> None:
        self._gate = gate

    async def handle(self, request: AsyncBoltRequest, response: BoltResponse | None) -> None:
        _in_listener.set(True)
        if request.context.ack.response is not None:  # acknowledged before the listener
            await self._gate.enter_here()


class _GivePlaceBack(AsyncListenerCompletionHandler):
    def __init__(self, gate: AdmissionGate) -> None:
        self._gate = gate

    async def handle(self, request: AsyncBoltRequest, response: BoltResponse | None) -> None:
        self._gate.leave_here()


class _GateTheAck(AsyncMiddleware):
    """Gives the request a ``GatedAck`` and, when it has a response URL, a ``PooledRespond``.
    An ``AsyncMiddleware`` instance, which Bolt calls as it is (a function would have its
    arguments worked out afresh for every request)."""

    def __init__(self, gate: AdmissionGate) -> None:
        self._gate = gate

    async def async_process(
        self, *, req: AsyncBoltRequest, resp: BoltResponse, next: Next
    ) -> BoltResponse | None:
        context = req.context
        context["ack"] = GatedAck(self._gate)
        if context.response_url is not None:  # replies share the server's connections
            context["respond"] = PooledRespond(response_url=context.response_url)
        return await next()


def gate_work_after_ack(app: AsyncApp, gate: AdmissionGate) -> None:
    """Put every listener's work after its ack through ``gate``; register before any other
    middleware, so that no one holds Bolt's plain ``ack``."""
    app.use(_GateTheAck(gate))
    runner = app.listener_runner
    runner.listener_start_handler = _TakePlace(gate)
    runner.listener_completion_handler = _GivePlaceBack(gate)


class PooledRespond(AsyncRespond):
    """Bolt's ``respond``, sending over the server's open connection pool when there is one
    (``bot.slack.connections``); the body is the one Bolt's would send."""

    async def __call__(
        self,
        text: str | dict[str, Any] = "",
        blocks: Sequence[dict[str, Any] | Block] | None = None,
        attachments: Sequence[dict[str, Any] | Attachment] | None = None,
        response_type: str | None = None,
        replace_original: bool | None = None,
        delete_original: bool | None = None,
        unfurl_links: bool | None = None,
        unfurl_media: bool | None = None,
        thread_ts: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> WebhookResponse:
        optional: dict[str, Any] = {
            "response_type": response_type,
            "replace_original": replace_original,
            "delete_original": delete_original,
            "unfurl_links": unfurl_links,
            "unfurl_media": unfurl_media,
            "thread_ts": thread_ts,
            "metadata": metadata,
        }
        if self.response_url is None or not isinstance(text, str) or open_pool() is None:
            return await super().__call__(text, blocks, attachments, **optional)
        message: dict[str, Any] = {"text": text}
        for key, items in (("blocks", blocks), ("attachments", attachments)):
            if items:  # as Bolt: an empty list is left out
                message[key] = [i if isinstance(i, dict) else i.to_dict() for i in items]
        message.update({key: value for key, value in optional.items() if value is not None})
        return await webhook_client(self.response_url).send_dict(message)
