"""The one fan-out: claim a recipient, send one direct message, record what happened.

Check-in prompts and reminders, survey invitations and survey reminders all go through
``deliver``, run for many people at once by ``fan_out``. Exactly-once rests on the claim: a
feature's ``claim`` wins a row (inserted or flipped with a conditional ``UPDATE``) with the
clock read at that moment, and only the winner sends and records. The claim, the send and the
record of one person run to the end even when the run is cancelled (a graceful shutdown), so no
row is left half-done and no DM Slack accepted goes unrecorded.

How Slack's answer is read is decided here once: an error that means the person can never get
a DM (``PERMANENT_ERRORS``) is final; any other error is retried by the next run; a timeout is
taken as delivered, since Slack may have posted it and a second copy is worse than none.

A large fan-out goes through ``fan_out_groups`` (``bot.slack.fanout_groups``) instead, a group
of rows claimed and recorded at a time. A 429 from Slack pauses every send of that method in the
workspace for as long as its ``Retry-After`` says (``RetryAfterPause``), and no longer.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_async_handlers
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.errors import error_code
from bot.slack.messages import Reply
from bot.slack.retries import say_retry, what_was_called

logger = logging.getLogger(__name__)

T = TypeVar("T")

SEND_CONCURRENCY = 8
"""DMs in flight at once per fan-out."""
POST_MESSAGE = "chat.postMessage"

# Slack errors that mean this person cannot get a DM; anything else is retried next run.
PERMANENT_ERRORS = frozenset(
    {
        "account_inactive",
        "user_not_found",
        "user_disabled",
        "cannot_dm_bot",
        "not_allowed",
        "channel_not_found",
        "is_archived",
        "invalid_channel",
        "restricted_action",
    }
)

TAKEN = "taken by another run"
RETRY_LATER = "retry later"


class Sent(StrEnum):
    """How one attempt to send a DM ended."""

    DELIVERED = "delivered"
    UNCONFIRMED = "unconfirmed"  # timed out: it may have arrived, so it is never sent again
    REFUSED = "refused"  # a permanent error: this person cannot get a DM
    RETRY = "retry"  # anything else: the next run tries again


@dataclass(frozen=True)
class Attempt:
    sent: Sent
    code: str = ""
    channel_id: str = ""
    message_ts: str = ""

    def outcome(self, delivered: str) -> str:
        """The line a job's report counts: ``delivered`` names success ("sent", "reminded")."""
        if self.sent is Sent.DELIVERED:
            return delivered
        if self.sent is Sent.UNCONFIRMED:
            return f"{delivered} (unconfirmed)"
        if self.sent is Sent.REFUSED:
            return f"failed ({self.code})"
        return RETRY_LATER


@dataclass
class FanOutReport:
    outcomes: Counter[str] = field(default_factory=Counter)

    def detail(self) -> str:
        if not self.outcomes:
            return "nothing due"
        return ", ".join(f"{count} {outcome}" for outcome, count in sorted(self.outcomes.items()))


async def send_dm(client: AsyncWebClient, user_id: str, message: Reply, *, what: str) -> Attempt:
    """Send ``message`` to ``user_id``'s DM and read Slack's answer; never raises."""
    await retry_after_pause(client).wait(POST_MESSAGE)
    try:
        response = await client.chat_postMessage(channel=user_id, **message)
    except SlackApiError as error:
        code = error_code(error)
        if code in PERMANENT_ERRORS:
            return Attempt(Sent.REFUSED, code=code)
        logger.warning("%s was not sent (%s); the next run retries it", what, code)
        return Attempt(Sent.RETRY, code=code)
    except (TimeoutError, aiohttp.ServerTimeoutError):
        logger.warning("%s timed out; taken as sent, unconfirmed", what)
        return Attempt(Sent.UNCONFIRMED)
    except Exception:
        logger.exception("%s was not sent; the next run retries it", what)
        return Attempt(Sent.RETRY)
    return Attempt(
        Sent.DELIVERED,
        channel_id=str(response.get("channel") or ""),
        message_ts=str(response.get("ts") or ""),
    )


@dataclass(frozen=True)
class Delivery:
    """One person's DM, with the feature's own steps around the send."""

    user_id: str
    what: str  # "a check-in DM", "a pulse reminder" … for the log
    delivered: str  # the outcome's name on success: "sent", "reminded"
    claim: Callable[[], Awaitable[str | None]]
    """Win this person's row; ``None`` to go on and send, else the outcome to report instead
    (``TAKEN``, or what the feature recorded after claiming, such as "skipped")."""
    message: Callable[[], Reply]
    record: Callable[[Attempt], Awaitable[None]]


async def deliver(client: AsyncWebClient, delivery: Delivery) -> str:
    """Claim, send, record: one person's DM, exactly once across runs and processes."""
    instead = await delivery.claim()
    if instead is not None:
        return instead
    attempt = await send_dm(client, delivery.user_id, delivery.message(), what=delivery.what)
    await delivery.record(attempt)
    return attempt.outcome(delivery.delivered)


async def fan_out(
    items: Iterable[T],
    deliver_one: Callable[[T], Awaitable[str | None]],
    *,
    concurrency: int = SEND_CONCURRENCY,
) -> FanOutReport:
    """Run ``deliver_one`` for every item, ``concurrency`` at a time, each shielded from
    cancellation; count the outcomes (``None`` is not counted)."""
    report = FanOutReport()
    gate = asyncio.Semaphore(concurrency)

    async def one(item: T) -> None:
        async with gate:
            outcome = await asyncio.shield(deliver_one(item))
        if outcome is not None:
            report.outcomes[outcome] += 1

    await asyncio.gather(*(one(item) for item in items))
    return report


class RetryAfterPause(AsyncRateLimitErrorRetryHandler):
    """The client's rate-limit retry, shared by all its calls: Slack's ``Retry-After`` applies
    to a method for the whole workspace (one client), so a 429 pauses every send of that method
    until then (``wait``), and the call that got it retries after exactly ``Retry-After``,
    without the SDK's random extra second (eight sends in flight would each add their own),
    said in the log as the client's other retries are (``bot.slack.retries``).
    It sleeps through the SDK handlers' ``asyncio``, as the handler it replaces did, so what
    watches the SDK's retry waits (tests/reliability) sees this one too."""

    def __init__(self, max_retry_count: int) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self._until: dict[str, float] = {}

    async def wait(self, method: str) -> None:
        """Return once no ``Retry-After`` of ``method`` is still running."""
        delay = self._until.get(method, 0.0) - asyncio.get_running_loop().time()
        if delay > 0:
            await asyncio.sleep(delay)
            await self.wait(method)  # a 429 seen meanwhile may have moved the end later

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is None:
            raise error or RuntimeError("a rate-limit retry without a response")
        method = what_was_called(request.url)
        seconds = _retry_after(response)
        until = asyncio.get_running_loop().time() + seconds
        self._until[method] = max(self._until.get(method, 0.0), until)
        state.next_attempt_requested = True
        say_retry(self, state, request, response, error)
        await builtin_async_handlers.asyncio.sleep(seconds)  # type: ignore[attr-defined]
        state.increment_current_attempt()


def _retry_after(response: HttpResponse) -> float:
    for name, values in response.headers.items():
        if name.lower() == "retry-after":
            value = values[0] if isinstance(values, list) else values
            try:
                return max(0.0, float(value))
            except ValueError:
                break
    return 1.0


def retry_after_pause(client: AsyncWebClient) -> RetryAfterPause:
    """The client's shared pause, put in place of the SDK's rate-limit retry on first use; a
    client without a rate-limit retry gets one that never pauses and never retries."""
    handlers = client.retry_handlers
    for index, handler in enumerate(handlers):
        if isinstance(handler, RetryAfterPause):
            return handler
        if isinstance(handler, AsyncRateLimitErrorRetryHandler):
            handlers[index] = RetryAfterPause(handler.max_retry_count)
            return handlers[index]  # type: ignore[return-value]
    return _NEVER_PAUSED


_NEVER_PAUSED = RetryAfterPause(max_retry_count=0)
