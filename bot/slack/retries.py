"""The Web API client's retries, each one said in the log at INFO.

The SDK says "A retry handler found" only while its client's logger has no level of its own,
and ``quiet_payload_loggers`` gives it one (so that the SDK stops building the DEBUG text of
every call's payload). These handlers say it instead, and say why: the method, and the HTTP
status or the kind of error. Never the payload (it names the person a DM is for), nor any
other URL than a Web API method's (a response URL's or an upload's path is a credential).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

logger = logging.getLogger(__name__)


def what_was_called(url: str) -> str:
    """The Web API method ``url`` calls (``chat.postMessage``); for any other URL only its
    kind, ``response URL`` or ``file upload``."""
    path = urlsplit(url).path
    if "/api/" in path:
        return path.rsplit("/", 1)[-1]
    return "file upload" if "/upload" in path else "response URL"


def say_retry(
    handler: AsyncRetryHandler,
    state: RetryState,
    request: HttpRequest,
    response: HttpResponse | None,
    error: Exception | None,
) -> None:
    """Log, at INFO, that ``handler`` is about to try ``request`` again, and why. The count is
    the call's (one ``RetryState`` for all its handlers), as is the SDK's limit for each."""
    if response is not None:
        reason = f"HTTP {response.status_code}"
    else:
        reason = type(error).__name__ if error is not None else "no answer"
    logger.info(
        "Slack %s: %s; trying again (the call's retry %d, at most %d)",
        what_was_called(request.url),
        reason,
        state.current_attempt + 1,
        handler.max_retry_count,
    )


class SaysItsRetries(AsyncRetryHandler):
    """Put before one of the SDK's handlers, it says each retry before the handler waits."""

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        say_retry(self, state, request, response, error)
        await super().prepare_for_next_attempt_async(
            state=state, request=request, response=response, error=error
        )


class ConnectionErrorRetry(SaysItsRetries, AsyncConnectionErrorRetryHandler):
    """The SDK's retry of a call whose connection failed, said in the log."""


class RateLimitRetry(SaysItsRetries, AsyncRateLimitErrorRetryHandler):
    """The SDK's retry after an HTTP 429 and its ``Retry-After``, said in the log."""


class ServerErrorRetry(SaysItsRetries, AsyncServerErrorRetryHandler):
    """The SDK's retry after an HTTP 500 or 503, said in the log."""
