"""The other direction: requests Slack sends to an app (slash commands, button presses, modal
submissions), shaped and signed as Slack does, posted to an ASGI app's ``/slack/events``.

The state of a submitted modal is built from the view the app opened: every input keeps its
initial value unless ``answers`` (by ``block_id``) says otherwise, as a person would leave it.
"""

from __future__ import annotations

import itertools
import json
import time
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

import httpx
from slack_sdk.signature import SignatureVerifier

DEFAULT_SIGNING_SECRET = "fake-slack-signing-secret-0123456789"
DEFAULT_TEAM_ID = "T0001"
DEFAULT_APP_ID = "A0001"
EVENTS_PATH = "/slack/events"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
TOKEN = "legacy-verification-token"  # the old verification token Slack still sends; unchecked
VIEW_ID = "V0001"

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
    app_id: str = DEFAULT_APP_ID,
    team_domain: str = "demo",
) -> str:
    """A slash command's form body, with the fields Slack sends."""
    return urlencode(
        {
            "token": TOKEN,
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
    event: Mapping[str, Any], *, event_id: str, team_id: str, app_id: str = DEFAULT_APP_ID
) -> str:
    """An Events API ``event_callback`` body, authorised for the app's bot user."""
    return json.dumps(
        {
            "token": TOKEN,
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
    multi = {
        "multi_users_select": "selected_users",
        "multi_conversations_select": "selected_conversations",
        "multi_channels_select": "selected_channels",
    }
    if kind in multi:
        return {"type": kind, multi[kind]: list(value) if isinstance(value, list) else []}
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


def _interaction_body(payload: Mapping[str, Any]) -> str:
    """An interaction (button press, modal submission) as Slack posts it: a form field."""
    return urlencode({"payload": json.dumps(payload)})


def _team(team_id: str, domain: str) -> dict[str, str]:
    return {"id": team_id, "domain": domain}


def _user(user_id: str, team_id: str) -> dict[str, str]:
    return {"id": user_id, "username": user_id.lower(), "team_id": team_id}


def block_action_body(
    action_id: str,
    value: str,
    *,
    user_id: str,
    team_id: str,
    trigger_id: str,
    container: Mapping[str, Any],
    channel_id: str | None = None,
    response_url: str | None = None,
    block_id: str = "actions",
    action_ts: str | None = None,
    app_id: str = DEFAULT_APP_ID,
    team_domain: str = "demo",
) -> str:
    """A button press (``block_actions``) in ``container``, a message or a view; ``channel_id``
    names the message's channel at the top, as Bolt reads it. ``action_ts`` is now unless given."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": _team(team_id, team_domain),
        "user": _user(user_id, team_id),
        "api_app_id": app_id,
        "token": TOKEN,
        "trigger_id": trigger_id,
        "container": dict(container),
    }
    if channel_id:
        payload["channel"] = {"id": channel_id}
    if response_url:
        payload["response_url"] = response_url
    payload["actions"] = [
        {
            "type": "button",
            "action_id": action_id,
            "block_id": block_id,
            "value": value,
            "action_ts": action_ts or f"{int(time.time())}.000100",
        }
    ]
    return _interaction_body(payload)


def view_submission_body(
    view: Mapping[str, Any],
    answers: Mapping[str, Answer],
    *,
    user_id: str,
    team_id: str,
    trigger_id: str,
    view_id: str = VIEW_ID,
    app_id: str = DEFAULT_APP_ID,
    team_domain: str = "demo",
) -> str:
    """The submission of a modal the app opened, with some inputs answered (see ``view_state``)."""
    payload = {
        "type": "view_submission",
        "team": _team(team_id, team_domain),
        "user": _user(user_id, team_id),
        "api_app_id": app_id,
        "token": TOKEN,
        "trigger_id": trigger_id,
        "view": {
            **view,
            "id": view_id,
            "team_id": team_id,
            "state": view_state(view, answers),
            "hash": "1.abc",
        },
        "response_urls": [],
        "is_enterprise_install": False,
    }
    return _interaction_body(payload)


class SignedSender:
    """Posts what Slack sends to the app at ``/slack/events`` for one workspace, signed with
    ``secret``: what every sender shares, whatever shape its commands and clicks take.

    Slack signs each delivery at the moment it sends it, so two deliveries of the same body
    never share a signature (an app refuses a repeated one as a replay). The same body sent
    again within a second is stamped a second later per earlier sending, well inside Slack's
    five-minute window.

    ``response_urls`` names a fresh ``response_url`` (the fake Slack's ``response_url``); by
    default every ``response_url`` and trigger id is numbered in one sequence.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        response_urls: Callable[[str], str],
        secret: str = DEFAULT_SIGNING_SECRET,
        team_id: str = DEFAULT_TEAM_ID,
        app_id: str = DEFAULT_APP_ID,
        team_domain: str = "demo",
    ) -> None:
        self.client = client
        self.team_id = team_id
        self.app_id = app_id
        self.team_domain = team_domain
        self._secret = secret
        self._response_urls = response_urls
        self._sequence = itertools.count(1)
        self._deliveries: Counter[str] = Counter()

    def next_response_url(self) -> str:
        return self._response_urls(f"request-{next(self._sequence)}")

    def trigger_id(self, kind: str) -> str:
        return f"1337.{next(self._sequence)}.{kind}"

    def _timestamp_for(self, body: str) -> int:
        earlier_sends = self._deliveries[body]
        self._deliveries[body] += 1
        return int(time.time()) + earlier_sends

    async def post(
        self, body: str, *, content_type: str = FORM, headers: Mapping[str, str] | None = None
    ) -> httpx.Response:
        """Sign ``body`` as it leaves and post it, with any extra ``headers``."""
        signed = signed_headers(body, secret=self._secret, timestamp=self._timestamp_for(body))
        all_headers = {"content-type": content_type, **signed, **(headers or {})}
        return await self.client.post(EVENTS_PATH, content=body, headers=all_headers)

    async def event(
        self, event: Mapping[str, Any], *, event_id: str, retry_num: int | None = None
    ) -> httpx.Response:
        """Deliver an Events API callback (``app_home_opened``, ``team_join`` …); with
        ``retry_num``, as Slack's retry of a delivery that timed out."""
        body = event_body(event, event_id=event_id, team_id=self.team_id, app_id=self.app_id)
        retry = {}
        if retry_num is not None:
            retry = {"x-slack-retry-num": str(retry_num), "x-slack-retry-reason": "http_timeout"}
        return await self.post(body, content_type=JSON, headers=retry)

    async def submit_view(
        self, view: Mapping[str, Any], answers: Mapping[str, Answer], *, user_id: str
    ) -> httpx.Response:
        """Submit a modal the app opened, with some inputs answered."""
        body = view_submission_body(
            view,
            answers,
            user_id=user_id,
            team_id=self.team_id,
            trigger_id=self.trigger_id("submit"),
            app_id=self.app_id,
            team_domain=self.team_domain,
        )
        return await self.post(body)


class SlackSender(SignedSender):
    """A person in the workspace typing commands and pressing buttons in the bot's messages;
    each returns the response and the ``response_url`` the request carried."""

    async def command(
        self, command: str, text: str, *, user_id: str, channel_id: str = "C0GENERAL"
    ) -> tuple[httpx.Response, str]:
        """Run ``command text`` as ``user_id``."""
        response_url = self.next_response_url()
        body = command_body(
            text,
            command=command,
            user_id=user_id,
            team_id=self.team_id,
            app_id=self.app_id,
            channel_id=channel_id,
            response_url=response_url,
            trigger_id=self.trigger_id("command"),
        )
        return await self.post(body), response_url

    async def click(
        self, action_id: str, value: str, *, user_id: str, in_dm: bool = True
    ) -> tuple[httpx.Response, str]:
        """Press a button in a message (``in_dm``: the bot's DM with ``user_id``)."""
        response_url = self.next_response_url()
        channel = "D" + user_id if in_dm else "C0GENERAL"
        body = block_action_body(
            action_id,
            value,
            user_id=user_id,
            team_id=self.team_id,
            trigger_id=self.trigger_id("click"),
            container={"type": "message", "is_ephemeral": False, "channel_id": channel},
            channel_id=channel,
            response_url=response_url,
            app_id=self.app_id,
            team_domain=self.team_domain,
        )
        return await self.post(body), response_url
