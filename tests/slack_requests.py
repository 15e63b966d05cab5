"""Build and sign requests exactly as Slack does, and send them into the HTTP app."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import httpx
from slack_sdk.signature import SignatureVerifier

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
TEAM_ID = "T0001"
ADMIN_ID = "UADMIN01"
MEMBER_ID = "UMEMBER1"


def signed_headers(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    """``x-slack-signature`` and ``x-slack-request-timestamp`` for ``body``."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    assert signature is not None
    return {"x-slack-request-timestamp": stamp, "x-slack-signature": signature}


def command_body(
    text: str,
    *,
    command: str = "/align",
    user_id: str = ADMIN_ID,
    team_id: str = TEAM_ID,
    response_url: str = "https://hooks.slack.invalid/commands/none",
) -> str:
    return urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": team_id,
            "team_domain": "acme",
            "channel_id": "C0GENERAL",
            "channel_name": "general",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0001",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": "1337.42.abcdef",
        }
    )


def event_body(event: dict[str, Any], *, event_id: str, team_id: str = TEAM_ID) -> str:
    return json.dumps(
        {
            "token": "legacy-verification-token",
            "team_id": team_id,
            "api_app_id": "A0001",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": 1_764_000_000,
            "authorizations": [
                {"team_id": team_id, "user_id": "UBOT", "is_bot": True, "enterprise_id": None}
            ],
        }
    )


class SlackSender:
    """Posts signed requests to ``/slack/events`` of an ASGI app through httpx."""

    def __init__(self, client: httpx.AsyncClient, *, response_urls: Callable[[str], str]) -> None:
        self.client = client
        self._response_urls = response_urls
        self._commands_sent = 0

    def next_response_url(self) -> str:
        """A fresh ``response_url`` per command, as Slack gives."""
        self._commands_sent += 1
        return self._response_urls(f"command-{self._commands_sent}")

    async def post(
        self, body: str, *, content_type: str, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        all_headers = {"content-type": content_type, **signed_headers(body), **(headers or {})}
        return await self.client.post("/slack/events", content=body, headers=all_headers)

    async def command(
        self, text: str, *, command: str = "/align", user_id: str = ADMIN_ID
    ) -> httpx.Response:
        body = command_body(
            text, command=command, user_id=user_id, response_url=self.next_response_url()
        )
        return await self.post(body, content_type="application/x-www-form-urlencoded")

    async def event(
        self, event: dict[str, Any], *, event_id: str, retry_num: int | None = None
    ) -> httpx.Response:
        headers = {}
        if retry_num is not None:
            headers = {"x-slack-retry-num": str(retry_num), "x-slack-retry-reason": "http_timeout"}
        return await self.post(
            event_body(event, event_id=event_id), content_type="application/json", headers=headers
        )
