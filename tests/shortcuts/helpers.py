"""Slack's shortcut payloads, as Slack posts them: a global shortcut (the lightning menu; no
channel, no response URL) and a message shortcut (a message's menu; its channel, the message
and a response URL). Signed and posted by the tests' ``SlackSender``."""

from __future__ import annotations

import itertools
import json
from typing import Any
from urllib.parse import urlencode

import httpx

from tests.slack_requests import TEAM_DOMAIN, TEAM_ID, SlackSender

CHANNEL_ID = "C0GENERAL"
MESSAGE_TS = "1764000000.000200"
_triggers = itertools.count(1)


def _base(kind: str, callback_id: str, user_id: str) -> dict[str, Any]:
    return {
        "type": kind,
        "token": "legacy-verification-token",
        "action_ts": "1764000000.000300",
        "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
        "user": {"id": user_id, "username": user_id.lower(), "team_id": TEAM_ID},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": f"1337.{next(_triggers)}.shortcut",
    }


def global_shortcut_body(callback_id: str, *, user_id: str) -> str:
    return urlencode({"payload": json.dumps(_base("shortcut", callback_id, user_id))})


def message_shortcut_body(
    callback_id: str, *, user_id: str, text: str, author: str, response_url: str
) -> str:
    payload = _base("message_action", callback_id, user_id)
    payload.update(
        {
            "channel": {"id": CHANNEL_ID, "name": "general"},
            "message_ts": MESSAGE_TS,
            "response_url": response_url,
            "message": {"type": "message", "user": author, "ts": MESSAGE_TS, "text": text},
        }
    )
    return urlencode({"payload": json.dumps(payload)})


async def global_shortcut(slack: SlackSender, callback_id: str, *, user_id: str) -> httpx.Response:
    return await slack.post(global_shortcut_body(callback_id, user_id=user_id))


async def message_shortcut(
    slack: SlackSender, callback_id: str, *, user_id: str, text: str, author: str
) -> tuple[httpx.Response, str]:
    """Run a message shortcut on a message ``author`` wrote; the response and its URL."""
    url = slack.next_response_url()
    body = message_shortcut_body(
        callback_id, user_id=user_id, text=text, author=author, response_url=url
    )
    return await slack.post(body), url
