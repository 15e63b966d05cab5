"""The other direction: requests Slack sends to an app (slash commands, button presses, modal
submissions), shaped and signed as Slack does, posted to an ASGI app's ``/slack/events``.

The state of a submitted modal is built from the view the app opened: every input keeps its
initial value unless ``answers`` (by ``block_id``) says otherwise, as a person would leave it.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

import httpx
from slack_sdk.signature import SignatureVerifier

DEFAULT_SIGNING_SECRET = "fake-slack-signing-secret-0123456789"
EVENTS_PATH = "/slack/events"
FORM = "application/x-www-form-urlencoded"

Answer = str | int | list[str] | None


def signed_headers(body: str, *, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """``x-slack-signature`` and ``x-slack-request-timestamp`` for ``body``."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    if signature is None:
        raise ValueError("could not sign the request")
    return {"x-slack-request-timestamp": stamp, "x-slack-signature": signature}


def command_body(
    text: str,
    *,
    command: str,
    user_id: str,
    team_id: str,
    response_url: str,
    trigger_id: str,
    channel_id: str = "C0GENERAL",
    app_id: str = "A0001",
    team_domain: str = "demo",
) -> str:
    """A slash command's form body, with the fields Slack sends."""
    return urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": team_id,
            "team_domain": team_domain,
            "channel_id": channel_id,
            "channel_name": "general",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": app_id,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
    )


def event_body(
    event: Mapping[str, Any], *, event_id: str, team_id: str, app_id: str = "A0001"
) -> str:
    """An Events API ``event_callback`` body, authorised for the app's bot user."""
    return json.dumps(
        {
            "token": "legacy-verification-token",
            "team_id": team_id,
            "api_app_id": app_id,
            "event": dict(event),
            "type": "event_callback",
            "event_id": event_id,
            "event_time": 1_764_000_000,
            "authorizations": [
                {"team_id": team_id, "user_id": "UBOT", "is_bot": True, "enterprise_id": None}
            ],
        }
    )


def _options(element: Mapping[str, Any]) -> list[dict[str, Any]]:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options += group["options"]
    return options


def _chosen(element: Mapping[str, Any], value: str) -> dict[str, Any]:
    found = next((option for option in _options(element) if option["value"] == value), None)
    return found or {"text": {"type": "plain_text", "text": value}, "value": value}


def _state_entry(element: Mapping[str, Any], value: Answer) -> dict[str, Any]:
    """What Slack puts in ``view.state`` for one input element holding ``value``."""
    kind = element["type"]
    if kind in ("plain_text_input", "number_input", "email_text_input", "url_text_input"):
        return {"type": kind, "value": value}
    if kind in ("static_select", "external_select", "radio_buttons"):
        chosen = None if value is None else _chosen(element, str(value))
        return {"type": kind, "selected_option": chosen}
    if kind in ("multi_static_select", "checkboxes"):
        values = value if isinstance(value, list) else []
        return {"type": kind, "selected_options": [_chosen(element, item) for item in values]}
    keys = {
        "users_select": "selected_user",
        "conversations_select": "selected_conversation",
        "channels_select": "selected_channel",
        "datepicker": "selected_date",
        "datetimepicker": "selected_date_time",
        "timepicker": "selected_time",
    }
    if kind in keys:
        return {"type": kind, keys[kind]: value}
    raise ValueError(f"no state for element type {kind}")


def _initial(element: Mapping[str, Any]) -> Answer:
    option = element.get("initial_option")
    if option:
        return str(option["value"])
    if "initial_options" in element:
        return [str(option["value"]) for option in element["initial_options"]]
    for key in ("initial_value", "initial_user", "initial_date", "initial_time"):
        if element.get(key) is not None:
            return str(element[key])
    moment = element.get("initial_date_time")
    return int(moment) if moment is not None else None


def view_state(view: Mapping[str, Any], answers: Mapping[str, Answer]) -> dict[str, Any]:
    """The state Slack would submit for ``view``: initial values, overridden by ``answers``."""
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        block_id = block["block_id"]
        value = answers[block_id] if block_id in answers else _initial(element)
        values[block_id] = {element["action_id"]: _state_entry(element, value)}
    return {"values": values}


class SlackSender:
    """Sends what Slack would send to the app at ``/slack/events``, signed with ``secret``.

    ``response_urls`` names a fresh ``response_url`` (the fake Slack's ``response_url``).
    Every command, click and submission carries a trigger id of its own.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        response_urls: Callable[[str], str],
        secret: str = DEFAULT_SIGNING_SECRET,
        team_id: str = "T0001",
        app_id: str = "A0001",
    ) -> None:
        self.client = client
        self.team_id = team_id
        self.app_id = app_id
        self._secret = secret
        self._response_urls = response_urls
        self._sequence = itertools.count(1)

    def next_response_url(self) -> str:
        return self._response_urls(f"request-{next(self._sequence)}")

    def _trigger_id(self, kind: str) -> str:
        return f"1337.{next(self._sequence)}.{kind}"

    async def post(self, body: str, *, content_type: str = FORM) -> httpx.Response:
        headers = {"content-type": content_type, **signed_headers(body, secret=self._secret)}
        return await self.client.post(EVENTS_PATH, content=body, headers=headers)

    def _who(self, user_id: str) -> dict[str, Any]:
        return {"id": user_id, "username": user_id.lower(), "team_id": self.team_id}

    async def command(
        self, command: str, text: str, *, user_id: str, channel_id: str = "C0GENERAL"
    ) -> tuple[httpx.Response, str]:
        """Run ``command text`` as ``user_id``; returns the response and its ``response_url``."""
        response_url = self.next_response_url()
        body = command_body(
            text,
            command=command,
            user_id=user_id,
            team_id=self.team_id,
            app_id=self.app_id,
            channel_id=channel_id,
            response_url=response_url,
            trigger_id=self._trigger_id("command"),
        )
        return await self.post(body), response_url

    async def event(self, event: Mapping[str, Any], *, event_id: str) -> httpx.Response:
        """Deliver an Events API callback (``app_home_opened``, ``team_join`` …)."""
        body = event_body(event, event_id=event_id, team_id=self.team_id, app_id=self.app_id)
        return await self.post(body, content_type="application/json")

    async def click(
        self, action_id: str, value: str, *, user_id: str, in_dm: bool = True
    ) -> tuple[httpx.Response, str]:
        """Press a button in a message (``in_dm``: the bot's DM with ``user_id``); returns
        the response and the ``response_url`` the press carried."""
        response_url = self.next_response_url()
        channel = "D" + user_id if in_dm else "C0GENERAL"
        payload = {
            "type": "block_actions",
            "team": {"id": self.team_id, "domain": "demo"},
            "user": self._who(user_id),
            "api_app_id": self.app_id,
            "trigger_id": self._trigger_id("click"),
            "container": {"type": "message", "is_ephemeral": False, "channel_id": channel},
            "channel": {"id": channel},
            "response_url": response_url,
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "actions",
                    "value": value,
                    "action_ts": f"{int(time.time())}.000100",
                }
            ],
        }
        return await self.post(urlencode({"payload": json.dumps(payload)})), response_url

    async def submit_view(
        self, view: Mapping[str, Any], answers: Mapping[str, Answer], *, user_id: str
    ) -> httpx.Response:
        """Submit a modal the app opened, with some inputs answered."""
        payload = {
            "type": "view_submission",
            "team": {"id": self.team_id, "domain": "demo"},
            "user": self._who(user_id),
            "api_app_id": self.app_id,
            "trigger_id": self._trigger_id("submit"),
            "view": {
                **view,
                "id": "V0001",
                "team_id": self.team_id,
                "state": view_state(view, answers),
                "hash": "1.abc",
            },
            "response_urls": [],
            "is_enterprise_install": False,
        }
        return await self.post(urlencode({"payload": json.dumps(payload)}))
