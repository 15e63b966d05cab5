"""A signed command, button press or form replayed within Slack's five minutes is refused
(issue 11, item 6): three identical ``/pulse feedback`` give the admins one DM, on every
replica sharing the database. Events are deduplicated on ``event_id`` instead, and the
prune-events job forgets signatures once Slack's window for them is over."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import httpx

from bot.app.factory import build_app
from bot.app.server import build_http_app
from bot.core.runtime import Runtime
from bot.slack.client import SingleWorkspaceClients, build_web_client
from fakeslack import FakeSlack
from scheduler.jobs import JobContext, run_job
from storage.models import SeenRequest
from storage.repositories.members import MemberProfile
from tests.conftest import drain_background_tasks
from tests.factories import add_members
from tests.reliability.helpers import count_rows
from tests.slack_requests import (
    ADMIN_ID,
    MEMBER_ID,
    TEAM_ID,
    SlackSender,
    command_body,
    event_body,
    signed_headers,
)

FORM = "application/x-www-form-urlencoded"
FEEDBACK = "The roadmap keeps changing."


def _now() -> int:
    return int(time.time())


async def _seen_rows(runtime: Runtime) -> int:
    return (await count_rows(runtime.engine, SeenRequest))["seen_request"]


async def _dms_with(fake_slack: FakeSlack, user_id: str, text: str) -> int:
    calls = fake_slack.calls_to("chat.postMessage")
    return sum(1 for c in calls if c.args["channel"] == user_id and text in json.dumps(c.args))


async def test_a_replayed_pulse_feedback_is_refused_so_the_admins_get_one_dm(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_members(
        runtime,
        MemberProfile(user_id=ADMIN_ID, real_name="Ada Admin", is_admin=True),
        MemberProfile(user_id=MEMBER_ID, real_name="Max Member"),
    )
    body = command_body(
        f"feedback {FEEDBACK}",
        command="/pulse",
        user_id=MEMBER_ID,
        response_url=slack.next_response_url(),
    )
    headers = {"content-type": FORM, **signed_headers(body)}  # captured once, sent three times
    statuses = []
    for _ in range(3):
        response = await slack.client.post("/slack/events", content=body, headers=headers)
        statuses.append(response.status_code)
    await drain_background_tasks()
    assert statuses == [200, 401, 401]
    assert await _dms_with(fake_slack, ADMIN_ID, FEEDBACK) == 1
    assert await _seen_rows(runtime) == 1


async def test_a_replay_sent_to_another_replica_is_refused_too(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    """Two app instances on one database, as two replicas behind a load balancer."""
    body = command_body("help", user_id=MEMBER_ID, response_url=slack.next_response_url())
    headers = {"content-type": FORM, **signed_headers(body)}
    first = await slack.client.post("/slack/events", content=body, headers=headers)
    transport = httpx.ASGITransport(app=build_http_app(runtime, build_app(runtime)))
    async with httpx.AsyncClient(transport=transport, base_url="http://replica.test") as other:
        again = await other.post("/slack/events", content=body, headers=headers)
    await drain_background_tasks()
    assert (first.status_code, again.status_code) == (200, 401)
    assert len(fake_slack.calls_to("response_url")) == 1


async def test_the_same_command_signed_again_later_is_a_new_request(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    """What is refused is the signature, not the text: Slack signs a person's second
    identical command with its own timestamp."""
    body = command_body("help", user_id=MEMBER_ID, response_url=slack.next_response_url())
    for stamp in (_now(), _now() + 1):
        headers = {"content-type": FORM, **signed_headers(body, timestamp=stamp)}
        response = await slack.client.post("/slack/events", content=body, headers=headers)
        assert response.status_code == 200
    assert len(await fake_slack.wait_for("response_url", 2)) == 2


async def test_an_event_delivered_twice_with_one_signature_gets_200_and_acts_once(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    """Events are not refused as replays (Slack may send one again; a 401 would count as a
    failed delivery): their ``event_id`` deduplicates them."""
    event = {"type": "app_home_opened", "user": MEMBER_ID, "channel": "D1", "tab": "home"}
    body = event_body(event, event_id="Ev0SAMESIG")
    headers = {"content-type": "application/json", **signed_headers(body)}
    for _ in range(2):
        response = await slack.client.post("/slack/events", content=body, headers=headers)
        assert response.status_code == 200
    await drain_background_tasks()
    assert len(fake_slack.calls_to("views.publish")) == 1
    assert await _seen_rows(runtime) == 0


async def test_prune_events_forgets_only_expired_signatures(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    for _ in range(2):
        await slack.post(
            command_body("help", user_id=MEMBER_ID, response_url=slack.next_response_url()),
            content_type=FORM,
        )
    await drain_background_tasks()
    assert await _seen_rows(runtime) == 2
    clients = SingleWorkspaceClients(build_web_client(token="xoxb-t", base_url=fake_slack.api_url))
    context = JobContext(runtime, clients)
    now = datetime.fromtimestamp(_now(), UTC)
    runtime.clock = lambda: now
    await run_job("prune-events", context, team_id=TEAM_ID)
    assert await _seen_rows(runtime) == 2  # still inside Slack's window: kept
    runtime.clock = lambda: now + timedelta(days=1)  # the next daily run
    await run_job("prune-events", context, team_id=TEAM_ID)
    assert await _seen_rows(runtime) == 0
