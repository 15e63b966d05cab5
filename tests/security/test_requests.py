"""Request signatures on every kind of request Slack sends, not only slash commands
(``tests/security/test_http.py`` covers those): events, button presses and modal submissions
that are tampered with, stale, unsigned or signed the wrong way get 401 and change nothing,
neither in the database nor in Slack."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest

from bot.core.runtime import Runtime
from bot.home.blocks import OPEN_UPDATE_ACTION
from fakeslack import FakeSlack
from tests.conftest import drain_background_tasks
from tests.goals import helpers as goal_helpers
from tests.reliability.helpers import FORM, snapshot, submission_body
from tests.slack_requests import (
    ADMIN_ID,
    MEMBER_ID,
    SIGNING_SECRET,
    SlackSender,
    block_action_body,
    command_body,
    event_body,
    signed_headers,
)

JSON = "application/json"


def _now() -> int:
    return int(time.time())


def _tampered(body: str) -> str:
    """The same request, claiming to come from the admin, and saying something else."""
    changed = body.replace("Forged", "Evil")
    for genuine, forged in ((MEMBER_ID, ADMIN_ID), (MEMBER_ID.lower(), ADMIN_ID.lower())):
        changed = changed.replace(genuine, forged)
    assert changed != body
    return changed


# Each forgery: (what is sent, the headers sent with it), from the genuine body.
Forgery = Callable[[str], tuple[str, dict[str, str]]]
FORGERIES: dict[str, Forgery] = {
    "body-changed-after-signing": lambda body: (_tampered(body), signed_headers(body)),
    "stale-timestamp": lambda body: (body, signed_headers(body, timestamp=_now() - 301)),
    "an-hour-old-replay": lambda body: (body, signed_headers(body, timestamp=_now() - 3600)),
    "timestamp-swapped-after-signing": lambda body: (
        body,
        {
            **signed_headers(body, timestamp=_now() - 600),
            "x-slack-request-timestamp": str(_now()),
        },
    ),
    "no-signature": lambda body: (
        body,
        {"x-slack-request-timestamp": signed_headers(body)["x-slack-request-timestamp"]},
    ),
    "no-headers": lambda body: (body, {}),
    "other-version": lambda body: (
        body,
        {
            **signed_headers(body),
            "x-slack-signature": signed_headers(body)["x-slack-signature"].replace("v0=", "v1="),
        },
    ),
    "truncated-signature": lambda body: (
        body,
        {
            **signed_headers(body),
            "x-slack-signature": signed_headers(body)["x-slack-signature"][:-2],
        },
    ),
    "signed-with-the-bot-token": lambda body: (
        body,
        signed_headers(body, secret="xoxb-test-token"),
    ),
    "retry-headers-do-not-help": lambda body: (
        body,
        {"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"},
    ),
}


async def genuine_requests(slack: SlackSender, fake_slack: FakeSlack) -> dict[str, tuple[str, str]]:
    """A member's request of each kind, as Slack would sign it, that would change something."""
    view = await goal_helpers.open_form(slack, fake_slack, "new", MEMBER_ID)
    view_answers = goal_helpers.goal_answers(title="Forged goal", level="company")
    newcomer = {"id": "UFORGED01", "name": "forged", "real_name": "Forged Person", "tz": "UTC"}
    return {
        "command": (
            command_body(
                "vision Forged vision", user_id=MEMBER_ID, response_url=slack.next_response_url()
            ),
            FORM,
        ),
        "event": (
            event_body({"type": "team_join", "user": newcomer}, event_id="EvFORGED1"),
            JSON,
        ),
        "button": (
            block_action_body(
                OPEN_UPDATE_ACTION, "1", user_id=MEMBER_ID, response_url=slack.next_response_url()
            ),
            FORM,
        ),
        "modal": (submission_body(view, user_id=MEMBER_ID, answers=view_answers), FORM),
    }


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
async def test_forged_events_buttons_and_modals_get_401_and_change_nothing(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, forgery: str
) -> None:
    goal_helpers.fix_clock(runtime)
    await goal_helpers.create_goal(slack, fake_slack, title="Existing goal", target_value="10")
    requests = await genuine_requests(slack, fake_slack)
    await drain_background_tasks()
    fake_slack.clear()
    before = await snapshot(runtime.engine)
    for kind, (body, content_type) in requests.items():
        sent, headers = FORGERIES[forgery](body)
        response = await slack.client.post(
            "/slack/events", content=sent, headers={"content-type": content_type, **headers}
        )
        assert response.status_code == 401, (kind, response.status_code, response.text)
    await drain_background_tasks()
    assert fake_slack.calls == []
    assert await snapshot(runtime.engine) == before


async def test_the_same_requests_signed_properly_do_take_effect(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    """The control: without the forgery each request is accepted, so the 401s above are the
    signature check's doing and not a broken request."""
    goal_helpers.fix_clock(runtime)
    await goal_helpers.create_goal(slack, fake_slack, title="Existing goal", target_value="10")
    requests = await genuine_requests(slack, fake_slack)
    await drain_background_tasks()
    fake_slack.clear()
    before = await snapshot(runtime.engine)
    for kind, (body, content_type) in requests.items():
        response = await slack.post(body, content_type=content_type)
        assert response.status_code == 200, (kind, response.text)
    await drain_background_tasks()
    after = await snapshot(runtime.engine)
    assert after["member"] != before["member"]  # the event added the newcomer
    assert len(fake_slack.calls_to("response_url")) == 2  # the command's and the button's
    assert "Only Northstar admins" in str(fake_slack.calls_to("response_url")[0].args["text"])
    modal_answer = json.loads(
        (await slack.post(requests["modal"][0], content_type=FORM)).text or "{}"
    )
    assert "level" in modal_answer.get("errors", {})  # a member may not create company goals


async def test_a_body_too_large_to_be_slacks_is_refused_before_anything_runs(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    """An unsigned request of several megabytes is refused like any unsigned one."""
    before = await snapshot(runtime.engine)
    body = urlencode({"payload": json.dumps({"type": "block_actions", "pad": "x" * 3_000_000})})
    response = await slack.client.post(
        "/slack/events", content=body, headers={"content-type": FORM}
    )
    assert response.status_code == 401
    assert fake_slack.calls == []
    assert await snapshot(runtime.engine) == before


def test_the_signatures_here_are_what_slack_would_send() -> None:
    """``signed_headers`` is Slack's scheme (v0, HMAC-SHA256 of ``v0:ts:body``), so the
    accepted controls and refused forgeries above differ only in what the test changed."""
    import hashlib
    import hmac

    body = "token=x&team_id=T0001"
    headers = signed_headers(body, timestamp=1_700_000_000)
    digest = hmac.new(
        SIGNING_SECRET.encode(), f"v0:1700000000:{body}".encode(), hashlib.sha256
    ).hexdigest()
    assert headers == {
        "x-slack-request-timestamp": "1700000000",
        "x-slack-signature": f"v0={digest}",
    }
    parsed: dict[str, Any] = parse_qs(body)
    assert parsed["team_id"] == ["T0001"]
