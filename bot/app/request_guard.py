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

import asyncio
import hashlib
import hmac
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from slack_bolt.adapter.starlette.async_handler import to_async_bolt_request
from slack_bolt.request.async_request import AsyncBoltRequest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.core.log_text import printable
from bot.core.runtime import Runtime
from storage.db import SessionFactory, transaction
from storage.models import SeenRequest
from storage.repositories.seen_requests import record_request
from storage.upsert import insert_rows_ignoring_conflict

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


@dataclass(frozen=True)
class _Sighting:
    team_id: str
    signature_hash: str
    expires_at: datetime
    first_time: asyncio.Future[bool] = field(compare=False)

    def row(self) -> dict[str, Any]:
        return {
            "team_id": self.team_id,
            "signature_hash": self.signature_hash,
            "expires_at": self.expires_at,
        }


class _SeenBefore(Exception):
    """A batch held a signature recorded before: it is recorded again one by one."""


class ReplayLedger:
    """Records let-in signatures, those that arrive together in one transaction.

    Every signed request writes its signature before it is answered; a burst of 200 would be
    200 transactions queueing for the pool and (on SQLite) for the one write lock, all on the
    way to their acks. Instead one writer at a time takes every signature waiting and records
    them together: a burst costs a few commits, and a lone request still costs one. Of two
    copies of a signature in one batch, the second is the replay (the insert sees the first).
    """

    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions
        self._waiting: list[_Sighting] = []
        self._writer: asyncio.Task[None] | None = None

    async def first_time(self, *, team_id: str, signature_hash: str, expires_at: datetime) -> bool:
        """False when the signature was recorded before (here or on another replica)."""
        sighting = _Sighting(
            team_id, signature_hash, expires_at, asyncio.get_running_loop().create_future()
        )
        self._waiting.append(sighting)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all(), name="replay-ledger")
        return await sighting.first_time

    async def _write_all(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                answers = await self._record(batch)
            except Exception as error:  # every request of the batch fails as it would alone
                for sighting in batch:
                    if not sighting.first_time.done():
                        sighting.first_time.set_exception(error)
                continue
            for sighting, first_time in zip(batch, answers, strict=True):
                if not sighting.first_time.done():
                    sighting.first_time.set_result(first_time)

    async def _record(self, batch: list[_Sighting]) -> list[bool]:
        """One multi-row insert when every signature is new (the normal case); one insert per
        signature, which tells which ones were seen before, only when some were."""
        first_copies = {sighting.signature_hash: sighting for sighting in reversed(batch)}
        try:
            async with transaction(self._sessions) as session:
                rows = [sighting.row() for sighting in first_copies.values()]
                inserted = await insert_rows_ignoring_conflict(
                    session, SeenRequest, rows, ["signature_hash"]
                )
                if inserted != len(rows):
                    raise _SeenBefore  # rolls the batch back
        except _SeenBefore:
            return await self._record_one_by_one(batch)
        return [first_copies[sighting.signature_hash] is sighting for sighting in batch]

    async def _record_one_by_one(self, batch: list[_Sighting]) -> list[bool]:
        async with transaction(self._sessions) as session:
            return [await record_request(session=session, **sighting.row()) for sighting in batch]


@dataclass(frozen=True)
class Admission:
    """The guard's decision: ``answer`` to send as it is (a refusal, or the ssl_check's empty
    200), else the request for Bolt, ``parsed`` here once so that Bolt does not parse it again
    (``None`` when it could not be parsed: Bolt's own adapter then answers it)."""

    answer: Response | None = None
    parsed: AsyncBoltRequest | None = None


class RequestGuard:
    """Decides, per request, whether Bolt sees it."""

    def __init__(self, runtime: Runtime, *, wall_clock: Callable[[], float] = time.time) -> None:
        secret = runtime.settings.slack_signing_secret
        self._secret = secret.get_secret_value() if secret else ""
        self._ledger = ReplayLedger(runtime.sessions)
        self._wall_clock = wall_clock  # Slack's timestamps are wall-clock seconds

    async def admit(self, request: Request) -> Admission:
        body = await request.body()  # Starlette keeps it for Bolt's handler
        timestamp = request.headers.get("x-slack-request-timestamp")
        signature = request.headers.get("x-slack-signature")
        now = self._wall_clock()
        signed = is_signed_by_slack(
            secret=self._secret, body=body, timestamp=timestamp, signature=signature, now=now
        )
        if not signed or timestamp is None or signature is None:
            if is_ssl_check(body):
                return Admission(answer=Response(status_code=200))
            logger.info("refused a request without a valid Slack signature")
            return Admission(answer=_refused())
        try:
            parsed = to_async_bolt_request(request, body)  # as Bolt's adapter would
        except ValueError:  # signed but unreadable: Bolt answers it; nothing can act on it
            return Admission()
        if await self._is_replay(parsed, timestamp, signature):
            return Admission(answer=_refused())
        return Admission(parsed=parsed)

    async def _is_replay(self, parsed: AsyncBoltRequest, timestamp: str, signature: str) -> bool:
        if parsed.body.get("type") == "event_callback":
            return False  # deduplicated on event_id
        team_id = (parsed.context.team_id or parsed.context.enterprise_id or "")[:32]
        if not team_id:  # url_verification and the like: no workspace, nothing to act on
            return False
        expires_at = datetime.fromtimestamp(int(timestamp) + MAX_AGE_SECONDS, UTC)
        first_time = await self._ledger.first_time(
            team_id=team_id, signature_hash=signature_hash(signature), expires_at=expires_at
        )
        if not first_time:
            logger.warning("refused a replayed request for workspace %s", printable(team_id))
        return not first_time
