"""Request signing, URL verification, health checks and redelivered events in HTTP mode."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import httpx
import pytest

from bot.app.factory import build_app
from bot.app.server import build_http_app
from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.db import create_engine, create_session_factory
from tests.conftest import make_settings
from tests.factories import workspace_row
from tests.slack_requests import (
    ADMIN_ID,
    MEMBER_ID,
    SlackSender,
    command_body,
    signed_headers,
)

FORM = "application/x-www-form-urlencoded"


async def test_url_verification_returns_the_challenge(slack: SlackSender) -> None:
    body = json.dumps(
        {"token": "t", "challenge": "3eZbrw1aBm2rZgRNFdxV", "type": "url_verification"}
    )
    response = await slack.post(body, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV"}


def _now() -> int:
    return int(time.time())


HEADER_FORGERIES: dict[str, Callable[[str], dict[str, str]]] = {
    "unsigned": lambda body: {},
    "no-timestamp": lambda body: {"x-slack-signature": signed_headers(body)["x-slack-signature"]},
    "garbage-signature": lambda body: {
        "x-slack-request-timestamp": str(_now()),
        "x-slack-signature": "v0=deadbeef",
    },
    "signature-of-another-body": lambda body: signed_headers(body + "&text=other"),
    "wrong-secret": lambda body: signed_headers(body, secret="guessed-secret"),
    "stale-over-5-minutes": lambda body: signed_headers(body, timestamp=_now() - 6 * 60),
    "from-the-future": lambda body: signed_headers(body, timestamp=_now() + 6 * 60),
}


@pytest.mark.parametrize("forgery", sorted(HEADER_FORGERIES))
async def test_requests_not_signed_by_slack_get_401_and_change_nothing(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, forgery: str
) -> None:
    body = command_body("vision Hijacked", user_id=ADMIN_ID, response_url=slack.next_response_url())
    headers = {"content-type": FORM, **HEADER_FORGERIES[forgery](body)}
    response = await slack.client.post("/slack/events", content=body, headers=headers)
    assert response.status_code == 401
    assert await workspace_row(runtime) is None
    assert fake_slack.calls == []


async def test_redelivered_event_has_no_second_effect(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    event = {"type": "app_home_opened", "user": MEMBER_ID, "channel": "D1", "tab": "home"}
    first = await slack.event(event, event_id="Ev0REDELIVER")
    assert first.status_code == 200
    await fake_slack.wait_for("views.publish")
    for retry in (1, 2, 3):
        again = await slack.event(event, event_id="Ev0REDELIVER", retry_num=retry)
        assert again.status_code == 200
    other = await slack.event(event, event_id="Ev0DIFFERENT")
    assert other.status_code == 200
    calls = await fake_slack.wait_for("views.publish", 2)
    assert len(calls) == 2  # the original and the different event; no retry counted


async def test_first_contact_creates_the_workspace_row(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    assert await workspace_row(runtime) is None
    await slack.command("help")
    await fake_slack.wait_for("response_url")
    workspace = await workspace_row(runtime)
    assert workspace is not None and workspace.team_id == "T0001"


async def test_healthz_is_200_when_the_database_answers(slack: SlackSender) -> None:
    response = await slack.client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_healthz_is_503_when_the_database_does_not_answer(fake_slack: FakeSlack) -> None:
    url = "postgresql+asyncpg://postgres@127.0.0.1:9/nothing-listens-here"
    engine = create_engine(url)
    settings = make_settings(database_url=url, api_url=fake_slack.api_url)
    runtime = Runtime(settings=settings, engine=engine, sessions=create_session_factory(engine))
    transport = httpx.ASGITransport(app=build_http_app(runtime, build_app(runtime)))
    async with httpx.AsyncClient(transport=transport, base_url="http://northstar.test") as client:
        response = await client.get("/healthz")
    await engine.dispose()
    assert response.status_code == 503
    assert response.json() == {"status": "database unavailable"}
