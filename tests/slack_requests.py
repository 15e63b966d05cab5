"""Build and sign requests exactly as Slack does, and send them into the HTTP app."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import httpx

from fakeslack import app_requests
from fakeslack.app_requests import view_state as view_state  # tests import it from here

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
TEAM_ID = "T0001"
ADMIN_ID = "UADMIN01"
MEMBER_ID = "UMEMBER1"


def signed_headers(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    """``x-slack-signature`` and ``x-slack-request-timestamp`` for ``body``."""
    return app_requests.signed_headers(body, secret=secret, timestamp=timestamp)


def command_body(
    text: str,
    *,
    command: str = "/align",
    user_id: str = ADMIN_ID,
    team_id: str = TEAM_ID,
    response_url: str = "https://hooks.slack.invalid/commands/none",
    trigger_id: str = "1337.42.abcdef",
) -> str:
    return app_requests.command_body(
        text,
        command=command,
        user_id=user_id,
        team_id=team_id,
        response_url=response_url,
        trigger_id=trigger_id,
        team_domain="acme",
    )


def event_body(event: dict[str, Any], *, event_id: str, team_id: str = TEAM_ID) -> str:
    return app_requests.event_body(event, event_id=event_id, team_id=team_id)


class SlackSender:
    """Posts signed requests to ``/slack/events`` of an ASGI app through httpx."""

    def __init__(self, client: httpx.AsyncClient, *, response_urls: Callable[[str], str]) -> None:
        self.client = client
        self._response_urls = response_urls
        self._commands_sent = 0
        self._deliveries: Counter[str] = Counter()

    def next_response_url(self) -> str:
        """A fresh ``response_url`` per command, as Slack gives."""
        self._commands_sent += 1
        return self._response_urls(f"command-{self._commands_sent}")

    def _timestamp_for(self, body: str) -> int:
        """Slack signs each delivery at the moment it sends it, so two deliveries of the same
        body never share a signature (Northstar refuses a repeated one as a replay). A test
        sends the same body again within a second; its n-th sending is stamped n seconds
        later, well inside Slack's five-minute window."""
        earlier_sends = self._deliveries[body]
        self._deliveries[body] += 1
        return int(time.time()) + earlier_sends

    async def post(
        self, body: str, *, content_type: str, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        signed = signed_headers(body, timestamp=self._timestamp_for(body))
        all_headers = {"content-type": content_type, **signed, **(headers or {})}
        return await self.client.post("/slack/events", content=body, headers=all_headers)

    async def command(
        self, text: str, *, command: str = "/align", user_id: str = ADMIN_ID
    ) -> httpx.Response:
        response_url = self.next_response_url()
        body = command_body(
            text,
            command=command,
            user_id=user_id,
            response_url=response_url,
            trigger_id=f"1337.{self._commands_sent}.command",
        )
        return await self.post(body, content_type="application/x-www-form-urlencoded")

    async def submit_view(
        self, view: dict[str, Any], answers: dict[str, str | None], *, user_id: str = ADMIN_ID
    ) -> httpx.Response:
        """Submit a modal Northstar opened, as Slack would, with some fields answered."""
        body = view_submission_body(view, answers, user_id=user_id)
        return await self.post(body, content_type="application/x-www-form-urlencoded")

    async def click(
        self, action_id: str, value: str, *, user_id: str = ADMIN_ID, in_message: bool = False
    ) -> httpx.Response:
        """Press a button, in the Home tab or (``in_message``) in an ephemeral message."""
        body = block_action_body(
            action_id,
            value,
            user_id=user_id,
            response_url=self.next_response_url() if in_message else None,
            container={"type": "message", "is_ephemeral": True} if in_message else None,
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


def view_submission_body(
    view: dict[str, Any], answers: dict[str, str | None], *, user_id: str, team_id: str = TEAM_ID
) -> str:
    payload = {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "acme"},
        "user": {"id": user_id, "username": user_id.lower(), "team_id": team_id},
        "api_app_id": "A0001",
        "token": "legacy-verification-token",
        "trigger_id": "1337.42.submit",
        "view": {
            **view,
            "id": "V0001",
            "team_id": team_id,
            "state": view_state(view, answers),
            "hash": "1.abc",
        },
        "response_urls": [],
        "is_enterprise_install": False,
    }
    return urlencode({"payload": json.dumps(payload)})


def block_action_body(
    action_id: str,
    value: str,
    *,
    user_id: str,
    team_id: str = TEAM_ID,
    response_url: str | None = None,
    container: dict[str, Any] | None = None,
) -> str:
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": team_id, "domain": "acme"},
        "user": {"id": user_id, "username": user_id.lower(), "team_id": team_id},
        "api_app_id": "A0001",
        "token": "legacy-verification-token",
        "trigger_id": "1337.42.click",
        "container": container or {"type": "view", "view_id": "VHOME"},
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b1",
                "value": value,
                "action_ts": "1764000000.000100",
            }
        ],
    }
    if response_url:
        payload["response_url"] = response_url
    return urlencode({"payload": json.dumps(payload)})
