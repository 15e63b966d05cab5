"""Nobody but the person behind a request verified as Slack's ever hears back, and only
through Slack (issue 11, item 2; replays are in ``test_security_replay.py``).

- A malformed signature or timestamp (``""``, ``x``, ``1e3``, ``1_764…``) is a plain 401
  before Bolt runs: nothing reaches the fake Slack or the request's ``response_url``, and
  nothing is written. Slack's unsigned ``ssl_check`` probe still gets its empty 200.
- A signed request whose ``response_url`` lies outside ``SLACK_RESPONSE_URL_PREFIX`` is refused
  and the URL is never fetched; each refusal is logged once.
- The error handler answers only verified requests; request text in log lines is escaped.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from cryptography.fernet import Fernet
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.core.config import DEFAULT_RESPONSE_URL_PREFIX, Settings
from bot.core.log_text import printable
from bot.core.runtime import Runtime
from bot.slack.client import build_web_client
from bot.slack.response_urls import is_allowed_response_url
from fakeslack import FakeSlack
from handlers.context import VERIFIED_KEY
from handlers.errors import handle_error
from storage.models import SeenRequest
from tests.conftest import drain_background_tasks
from tests.factories import workspace_row
from tests.kpis.http_source_server import SourceServer
from tests.reliability.helpers import count_rows, snapshot
from tests.slack_requests import (
    ADMIN_ID,
    MEMBER_ID,
    SIGNING_SECRET,
    SlackSender,
    block_action_body,
    command_body,
    signed_headers,
)

FORM = "application/x-www-form-urlencoded"


def _now() -> int:
    return int(time.time())


def _with_timestamp(stamp: str) -> Callable[[str], dict[str, str]]:
    """A correct signature of ``body`` at now, sent with ``stamp`` as its timestamp."""
    return lambda body: {**signed_headers(body), "x-slack-request-timestamp": stamp}


def _signed_at(stamp: str) -> Callable[[str], dict[str, str]]:
    """Signed over ``stamp`` exactly as given, as someone holding the secret could."""

    def headers(body: str) -> dict[str, str]:
        digest = hmac.new(
            SIGNING_SECRET.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256
        ).hexdigest()
        return {"x-slack-request-timestamp": stamp, "x-slack-signature": f"v0={digest}"}

    return headers


MALFORMED: dict[str, Callable[[str], dict[str, str]]] = {
    "empty-timestamp": _with_timestamp(""),
    "letter-timestamp": _with_timestamp("x"),
    "exponent-timestamp": _with_timestamp("1e3"),
    "negative-timestamp": _with_timestamp("-1"),
    "timestamp-with-spaces": lambda body: {
        **signed_headers(body),
        "x-slack-request-timestamp": f" {_now()} ",
    },
    # int() reads these as the current time; a signature over them is still not Slack's form.
    "underscored-timestamp": lambda body: _signed_at(f"{_now() // 1000}_{_now() % 1000:03d}")(body),
    "empty-signature": lambda body: {**signed_headers(body), "x-slack-signature": ""},
    "signature-not-hex": lambda body: {
        **signed_headers(body),
        "x-slack-signature": "v0=" + "z" * 64,
    },
    "signature-upper-case": lambda body: {
        **signed_headers(body),
        "x-slack-signature": signed_headers(body)["x-slack-signature"].upper(),
    },
    "signature-with-newline": lambda body: {
        **signed_headers(body),
        "x-slack-signature": signed_headers(body)["x-slack-signature"] + "\n",
    },
}


async def _seen_rows(runtime: Runtime) -> int:
    return (await count_rows(runtime.engine, SeenRequest))["seen_request"]


@pytest.mark.parametrize("malformed", sorted(MALFORMED))
async def test_a_malformed_signature_or_timestamp_is_a_plain_401_and_nobody_hears_back(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, malformed: str
) -> None:
    before = await snapshot(runtime.engine)
    requests = {
        "command": command_body(
            "vision Hijacked", user_id=ADMIN_ID, response_url=slack.next_response_url()
        ),
        "button": block_action_body(
            "no_such_action", "1", user_id=MEMBER_ID, response_url=slack.next_response_url()
        ),
    }
    for kind, body in requests.items():
        headers = {"content-type": FORM, **MALFORMED[malformed](body)}
        response = await slack.client.post("/slack/events", content=body, headers=headers)
        assert response.status_code == 401, (kind, response.status_code, response.text)
    await drain_background_tasks()
    assert fake_slack.calls == []  # no DM, and the response_urls (the fake's) got nothing
    assert await workspace_row(runtime) is None
    assert await snapshot(runtime.engine) == before
    assert await _seen_rows(runtime) == 0


async def test_slacks_unsigned_ssl_check_gets_an_empty_200_and_nothing_else(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    body = urlencode({"ssl_check": "1", "token": "legacy-verification-token"})
    response = await slack.client.post(
        "/slack/events", content=body, headers={"content-type": FORM}
    )
    assert (response.status_code, response.text) == (200, "")
    smuggled = command_body("vision Hijacked", response_url=slack.next_response_url())
    response = await slack.client.post(
        "/slack/events", content=smuggled + "&ssl_check=1", headers={"content-type": FORM}
    )
    assert (response.status_code, response.text) == (200, "")  # answered as a probe, no more
    await drain_background_tasks()
    assert fake_slack.calls == []
    assert await workspace_row(runtime) is None


# --- response URLs ---------------------------------------------------------------------------


def _view_submission(response_url: str) -> str:
    payload = {
        "type": "view_submission",
        "team": {"id": "T0001", "domain": "acme"},
        "user": {"id": ADMIN_ID, "username": "uadmin01", "team_id": "T0001"},
        "api_app_id": "A0001",
        "trigger_id": "1337.9.hostile",
        "view": {
            "id": "V0001",
            "type": "modal",
            "callback_id": "no_such_form",
            "private_metadata": json.dumps({"response_url": response_url}),
            "state": {"values": {}},
        },
        "response_urls": [],
    }
    return urlencode({"payload": json.dumps(payload)})


async def test_a_signed_request_with_a_foreign_response_url_is_refused_and_it_is_never_fetched(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    async with SourceServer() as internal:
        hostile = [internal.url("/hook"), "https://evil.example/hook", internal.url("/kept")]
        bodies = [
            command_body("help", user_id=MEMBER_ID, response_url=hostile[0]),
            block_action_body("no_such_action", "1", user_id=MEMBER_ID, response_url=hostile[1]),
            _view_submission(hostile[2]),
        ]
        caplog.set_level(logging.WARNING)
        for body in bodies:
            response = await slack.post(body, content_type=FORM)
            assert response.status_code == 400, response.text
        await drain_background_tasks()
        assert internal.hits == []
    # Bolt's auth.test (authorization runs first), and no DM to the user in the request
    assert {call.method for call in fake_slack.calls} <= {"auth.test"}
    refusals = [r for r in caplog.records if "SLACK_RESPONSE_URL_PREFIX" in r.getMessage()]
    assert len(refusals) == len(bodies)  # one line per refused request
    assert [r.levelno for r in refusals] == [logging.WARNING] * len(bodies)


async def test_a_signed_command_with_slacks_response_url_is_answered_there(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    """The control: the same command, its response_url under the prefix, is answered."""
    response = await slack.post(
        command_body("help", user_id=MEMBER_ID, response_url=slack.next_response_url()),
        content_type=FORM,
    )
    assert response.status_code == 200
    assert len(await fake_slack.wait_for("response_url")) == 1


# --- logs --------------------------------------------------------------------------------------


async def test_request_text_in_log_lines_is_escaped(
    slack: SlackSender, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    forged_line = "\nERROR root: the database was dropped\x1b[2J"
    event = {"type": "app_home_opened", "user": MEMBER_ID, "channel": "D1", "tab": "home"}
    for _ in range(2):  # the second delivery is logged as redelivered, with its event id
        await slack.event(event, event_id="Ev1" + forged_line)
    await slack.post(
        command_body("help", user_id=MEMBER_ID, response_url="https://evil.example/" + forged_line),
        content_type=FORM,
    )
    await drain_background_tasks()
    mentioning = [
        r.getMessage() for r in caplog.records if "the database was dropped" in r.getMessage()
    ]
    assert len(mentioning) == 2, mentioning  # the redelivered event and the refused URL
    for message in mentioning:
        assert "\n" not in message and "\x1b" not in message
        assert "\\nERROR root: the database was dropped\\x1b[2J" in message


@pytest.mark.parametrize("verified", [False, True])
async def test_the_error_handler_answers_only_verified_requests(
    fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture, verified: bool
) -> None:
    """Bolt's global error handler, given what it gets for a request that failed before
    Northstar's middleware admitted it (no ``VERIFIED_KEY``): it tells nobody. The control,
    a verified request, is answered at its response_url."""
    body = {
        "command": "/pulse\nforged",
        "user_id": MEMBER_ID,
        "response_url": fake_slack.response_url("error"),
    }
    context = AsyncBoltContext()
    if verified:
        context[VERIFIED_KEY] = True
    respond = AsyncRespond(response_url=body["response_url"])
    client = build_web_client(token="xoxb-t", base_url=fake_slack.api_url)
    caplog.set_level(logging.ERROR)
    await handle_error(RuntimeError("boom"), body, context, respond, client)
    assert len(fake_slack.calls_to("response_url")) == (1 if verified else 0)
    assert fake_slack.calls_to("chat.postMessage") == []
    [logged] = [r.getMessage() for r in caplog.records if "request" in r.getMessage()]
    assert "command /pulse\\nforged" in logged and "\n" not in logged


def test_printable_escapes_control_characters_and_backslashes_and_shortens() -> None:
    assert printable("a\nb\r\tc\x1b[2J\u2028d") == "a\\nb\\r\\tc\\x1b[2J\\u2028d"
    assert printable("C:\\n is not a newline") == "C:\\\\n is not a newline"
    assert printable("x" * 300, limit=10) == "x" * 10 + "…"
    assert printable("Ünïcödé ok") == "Ünïcödé ok"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://hooks.slack.com/commands/T1/2/abc", True),
        ("https://hooks.slack.com.evil.example/commands", False),
        ("https://hooks.slack.com@evil.example/", False),
        ("http://hooks.slack.com/commands/T1/2/abc", False),
        ("https://evil.example/https://hooks.slack.com/", False),
        ("https://hooks.slack.com/commands/\nHost: evil", False),
    ],
)
def test_only_response_urls_under_the_prefix_are_allowed(url: str, allowed: bool) -> None:
    assert is_allowed_response_url(url, DEFAULT_RESPONSE_URL_PREFIX) is allowed


def test_the_response_url_prefix_setting_is_a_url_ending_with_a_slash() -> None:
    key = Fernet.generate_key().decode()
    custom = Settings(
        _env_file=None, northstar_secret_key=key, slack_response_url_prefix="https://hooks.x"
    )
    assert custom.slack_response_url_prefix == "https://hooks.x/"
    assert Settings(_env_file=None, northstar_secret_key=key).slack_response_url_prefix == (
        "https://hooks.slack.com/"
    )
    with pytest.raises(ValidationError):
        Settings(_env_file=None, northstar_secret_key=key, slack_response_url_prefix="hooks.x")


@given(st.text(alphabet=st.characters(), max_size=40))
def test_a_url_is_allowed_only_when_every_character_is_printable_and_not_a_space(
    tail: str,
) -> None:
    url = DEFAULT_RESPONSE_URL_PREFIX + tail
    each_character = all(c.isprintable() and not c.isspace() for c in url)
    assert is_allowed_response_url(url, DEFAULT_RESPONSE_URL_PREFIX) == each_character
