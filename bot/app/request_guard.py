"""The door of ``POST /slack/events`` in HTTP mode: a request reaches Bolt only when Slack
signed it within the last five minutes and it was not let in before.

Anything else gets a plain 401 before Bolt, or any other code of Northstar, reads the body: a
forged request is never parsed, acted on, answered or logged. (Bolt checks signatures too, but
a timestamp such as ``x`` or ``1e3`` made its check raise instead of refuse, and its error
handler then answered the forged request.) Slack's ``ssl_check`` probes, which Slack sends
unsigned, get an empty 200 and nothing else, as Bolt gives them. Socket Mode requests come
through the authenticated socket and never pass here.

A replayed signature is refused with 401 as well: Slack never sends a command, button press
or form twice (a person's second click is a new request with its own timestamp), so the same
signature twice means someone else is sending it. Events are the exception: Slack re-sends
them on failure, each delivery signed afresh, and they are already deduplicated on
``event_id`` (``handlers/middleware.py``), so refusing a repeated event signature could only
count against Northstar's delivery record with Slack.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime

from slack_bolt.request.async_request import AsyncBoltRequest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.core.log_text import printable
from bot.core.runtime import Runtime
from storage.db import transaction
from storage.repositories.seen_requests import record_request

logger = logging.getLogger(__name__)

MAX_AGE_SECONDS = 300  # Slack's window, as in slack_sdk.signature
SSL_CHECK_MAX_BYTES = 512  # "ssl_check=1&token=…"; nothing larger is parsed unsigned
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


def is_signed_by_slack(
    *, secret: str, body: bytes, timestamp: str | None, signature: str | None, now: float
) -> bool:
    """Slack's v0 scheme: HMAC-SHA256 of ``v0:{timestamp}:{body}`` with the signing secret,
    a timestamp of digits within five minutes of ``now``. A malformed header is a refusal,
    never an exception."""
    if not secret or timestamp is None or signature is None:
        return False
    if not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
        return False
    if abs(now - int(timestamp)) > MAX_AGE_SECONDS:
        return False
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    expected = "v0=" + hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def is_ssl_check(body: bytes) -> bool:
    """Slack's unsigned certificate probe: a small form body with ``ssl_check=1``."""
    return len(body) <= SSL_CHECK_MAX_BYTES and b"ssl_check=1" in body.split(b"&")


def signature_hash(signature: str) -> str:
    return hashlib.sha256(signature.encode("ascii")).hexdigest()


def _refused() -> Response:
    return JSONResponse({"error": "invalid request"}, status_code=401)


class RequestGuard:
    """Decides, per request, whether Bolt sees it; ``None`` means yes."""

    def __init__(self, runtime: Runtime, *, wall_clock: Callable[[], float] = time.time) -> None:
        secret = runtime.settings.slack_signing_secret
        self._secret = secret.get_secret_value() if secret else ""
        self._runtime = runtime
        self._wall_clock = wall_clock  # Slack's timestamps are wall-clock seconds

    async def refusal(self, request: Request) -> Response | None:
        body = await request.body()  # Starlette keeps it for Bolt's handler
        timestamp = request.headers.get("x-slack-request-timestamp")
        signature = request.headers.get("x-slack-signature")
        now = self._wall_clock()
        signed = is_signed_by_slack(
            secret=self._secret, body=body, timestamp=timestamp, signature=signature, now=now
        )
        if not signed or timestamp is None or signature is None:
            if is_ssl_check(body):
                return Response(status_code=200)
            logger.info("refused a request without a valid Slack signature")
            return _refused()
        if await self._is_replay(request, body, timestamp, signature):
            return _refused()
        return None

    async def _is_replay(
        self, request: Request, body: bytes, timestamp: str, signature: str
    ) -> bool:
        try:
            parsed = AsyncBoltRequest(body=body.decode("utf-8"), headers=dict(request.headers))
        except ValueError:  # signed but unreadable: Bolt answers it; nothing can act on it
            return False
        if parsed.body.get("type") == "event_callback":
            return False  # deduplicated on event_id
        team_id = (parsed.context.team_id or parsed.context.enterprise_id or "")[:32]
        if not team_id:  # url_verification and the like: no workspace, nothing to act on
            return False
        expires_at = datetime.fromtimestamp(int(timestamp) + MAX_AGE_SECONDS, UTC)
        async with transaction(self._runtime.sessions) as session:
            first_time = await record_request(
                session=session,
                team_id=team_id,
                signature_hash=signature_hash(signature),
                expires_at=expires_at,
            )
        if not first_time:
            logger.warning("refused a replayed request for workspace %s", printable(team_id))
        return not first_time
