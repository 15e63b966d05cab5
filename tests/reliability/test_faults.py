"""Slack faults on every Web API method Northstar calls, in the operation that calls it: 429
storms (``Retry-After``), HTTP 5xx, Slack error codes and timeouts. Nothing is lost (a row
stays pending or failed and the next run completes it), nothing is duplicated, and a person
who must act hears about it once.

Methods and where they are called: ``chat.postMessage`` (check-in prompts, survey invitations,
digest posts and thread, DMs), ``views.publish`` (App Home), ``views.open`` (every modal),
``users.list`` (member sync), ``users.info`` (a person Northstar has not seen yet),
``conversations.open`` + ``files.getUploadURLExternal`` + ``files.completeUploadExternal``
(``files_upload_v2``: goal export, pulse chart, digest chart), ``auth.test`` (jobs learn their
workspace) and response URLs (every ephemeral reply). Northstar calls no ``chat.update`` or
``chat.postEphemeral``.

The client's retry sleeps are recorded instead of slept (``instant_retries``), so a 429 with
``Retry-After: 1`` costs no wall-clock time and the test can check the wait it asked for.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel import select

import bot.slack.client
from bot.checkins.rounds import open_rounds, send_due_prompts
from bot.core.runtime import Runtime
from bot.pulse.delivery import send_invitations
from bot.slack.client import (
    RATE_LIMIT_RETRIES,
    SERVER_ERROR_RETRIES,
    SingleWorkspaceClients,
    build_web_client,
)
from fakeslack import FakeSlack
from scheduler.jobs import JobContext, run_job
from scheduler.runner import trigger
from storage.models import CheckinDelivery, DigestPost, Member, RunLedger, SurveyInvite
from storage.repositories.members import MemberProfile
from tests.conftest import drain_background_tasks
from tests.digest import helpers as digest_helpers
from tests.factories import add_members
from tests.goals import helpers as goal_helpers
from tests.pulse.test_commands import answer_as
from tests.pulse.test_commands import open_survey as open_pulse_survey
from tests.reliability.helpers import (
    RetrySleeps,
    command,
    errors_logged,
    event,
    instant_retries,
    replies,
)
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender

PEOPLE = tuple(f"UFAULT{number:02d}" for number in range(12))
MONDAY = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # 09:00 in Berlin: everyone's prompt time


@dataclass(frozen=True)
class Fault:
    """What to inject, and what the Slack client does about it."""

    args: dict[str, Any]
    retried_in_call: bool  # the client's retry handlers absorb it within one call


FAULTS: dict[str, Fault] = {
    # One 429 with Retry-After 1: the client waits and retries within the same call.
    "429": Fault({"status": 429, "retry_after": 1, "times": 1}, retried_in_call=True),
    # More 429s in a row than the client retries: the call fails; the next run delivers.
    "429-storm": Fault(
        {"status": 429, "retry_after": 1, "times": RATE_LIMIT_RETRIES + 1}, retried_in_call=False
    ),
    "500": Fault({"status": 500, "times": SERVER_ERROR_RETRIES}, retried_in_call=True),
    "503-storm": Fault({"status": 503, "times": SERVER_ERROR_RETRIES + 1}, retried_in_call=False),
    # slack_sdk's server-error handler retries only 500 and 503.
    "502": Fault({"status": 502, "times": 1}, retried_in_call=False),
    "internal_error": Fault({"error": "internal_error", "times": 1}, retried_in_call=False),
    "ratelimited": Fault({"error": "ratelimited", "times": 1}, retried_in_call=False),
}


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> RetrySleeps:
    return instant_retries(monkeypatch)


def inject(fake_slack: FakeSlack, method: str, fault: Fault) -> None:
    fake_slack.inject(method, **fault.args)


def over_a_fan_out(fault: Fault, recipients: int) -> Fault:
    """A storm against a fan-out: enough faults that every concurrent DM exhausts its
    retries, however the eight sends in flight happen to share them out."""
    if fault.retried_in_call or fault.args["times"] == 1:
        return fault
    return Fault({**fault.args, "times": fault.args["times"] * recipients}, False)


def first_run_states(fault: Fault, recipients: int) -> Counter[str]:
    """After the first run: everyone sent, all but the one refused, or none (a storm)."""
    if fault.retried_in_call:
        return Counter({"sent": recipients})
    if fault.args["times"] == 1:
        return Counter({"sent": recipients - 1, "pending": 1})
    return Counter({"pending": recipients})


def check_retry_waits(fault: Fault, sleeps: RetrySleeps) -> None:
    """A 429 was waited out for at least its Retry-After (plus the SDK's jitter, under 1 s)."""
    if fault.args.get("status") == 429:
        assert sleeps.rate_limited, "the client did not wait out the 429"
        assert all(1.0 <= seconds < 2.0 for seconds in sleeps.rate_limited), sleeps


def client_for(fake_slack: FakeSlack) -> AsyncWebClient:
    return build_web_client(token="xoxb-test-token", base_url=fake_slack.api_url)


def delivered(fake_slack: FakeSlack, method: str = "chat.postMessage") -> Counter[str]:
    """Accepted calls (not the injected failures), by channel."""
    return Counter(
        str(call.args.get("channel") or call.args.get("channel_id"))
        for call in fake_slack.calls_to(method)
        if not call.injected
    )


# --- fan-outs: check-in prompts and survey invitations ----------------------------------------


async def berliners(runtime: Runtime) -> None:
    await add_members(
        runtime, *(MemberProfile(user_id=user, tz="Europe/Berlin") for user in PEOPLE)
    )


@pytest.mark.parametrize("name", sorted(FAULTS))
async def test_check_in_prompts_survive_slack_faults_without_losses_or_duplicates(
    runtime: Runtime, fake_slack: FakeSlack, sleeps: RetrySleeps, name: str
) -> None:
    fault = over_a_fan_out(FAULTS[name], len(PEOPLE))
    await berliners(runtime)
    client = client_for(fake_slack)
    await open_rounds(runtime=runtime, team_id=TEAM_ID, now=MONDAY)
    inject(fake_slack, "chat.postMessage", fault)
    first = await send_due_prompts(runtime=runtime, client=client, team_id=TEAM_ID, now=MONDAY)
    expected = first_run_states(fault, len(PEOPLE))
    assert first.outcomes["sent"] == expected["sent"]
    async with runtime.sessions() as session:
        states = Counter(row.state for row in (await session.exec(select(CheckinDelivery))).all())
    assert states == expected
    later = MONDAY + timedelta(minutes=5)
    await send_due_prompts(runtime=runtime, client=client, team_id=TEAM_ID, now=later)
    assert delivered(fake_slack) == Counter(dict.fromkeys(PEOPLE, 1))
    async with runtime.sessions() as session:
        rows = (await session.exec(select(CheckinDelivery))).all()
    assert {row.state for row in rows} == {"sent"} and all(row.message_ts for row in rows)
    injected = [call for call in fake_slack.calls_to("chat.postMessage") if call.injected]
    assert len(injected) == fault.args["times"]  # every injected fault was met
    check_retry_waits(fault, sleeps)


@pytest.mark.parametrize("name", sorted(FAULTS))
async def test_survey_invitations_survive_slack_faults_without_losses_or_duplicates(
    runtime: Runtime, fake_slack: FakeSlack, sleeps: RetrySleeps, name: str
) -> None:
    survey = await open_pulse_survey(runtime)  # seven people and the admin are invited
    async with runtime.sessions() as session:
        invited = len((await session.exec(select(SurveyInvite))).all())
    fault = over_a_fan_out(FAULTS[name], invited)
    now = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    client = client_for(fake_slack)
    inject(fake_slack, "chat.postMessage", fault)
    await send_invitations(runtime=runtime, client=client, team_id=TEAM_ID, now=now)
    async with runtime.sessions() as session:
        states = Counter(i.state for i in (await session.exec(select(SurveyInvite))).all())
    assert states == first_run_states(fault, invited)
    await send_invitations(runtime=runtime, client=client, team_id=TEAM_ID, now=now)
    async with runtime.sessions() as session:
        invites = (await session.exec(select(SurveyInvite))).all()
    assert delivered(fake_slack) == Counter({invite.user_id: 1 for invite in invites})
    assert {invite.state for invite in invites} == {"sent"}
    assert {call.args["blocks"][1]["elements"][0]["value"] for call in fake_slack.calls} == {
        str(survey.id)
    }
    check_retry_waits(fault, sleeps)


@pytest.mark.parametrize("code", ["account_inactive", "user_not_found", "cannot_dm_bot"])
async def test_people_slack_cannot_reach_are_failed_once_and_not_retried(
    runtime: Runtime, fake_slack: FakeSlack, code: str
) -> None:
    await berliners(runtime)
    fake_slack.channel_errors[PEOPLE[3]] = code
    client = client_for(fake_slack)
    await open_rounds(runtime=runtime, team_id=TEAM_ID, now=MONDAY)
    for minutes in (0, 5, 10):
        now = MONDAY + timedelta(minutes=minutes)
        await send_due_prompts(runtime=runtime, client=client, team_id=TEAM_ID, now=now)
    tries = [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == PEOPLE[3]]
    assert len(tries) == 1  # a person Slack refuses is not asked again every five minutes
    async with runtime.sessions() as session:
        row = (
            await session.exec(select(CheckinDelivery).where(CheckinDelivery.user_id == PEOPLE[3]))
        ).one()
    assert (row.state, row.error) == ("failed", code)


# --- the digest: main post, thread replies, chart upload ----------------------------------------


class OneWorkspace:
    """The job's clients for the one test workspace, without asking ``auth.test`` (which a
    slow fake Slack would time out before the digest is even built)."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def team_ids(self) -> list[str]:
        return [TEAM_ID]

    async def client_for(self, team_id: str) -> AsyncWebClient:
        return self._client


async def run_digest(runtime: Runtime, fake_slack: FakeSlack, after: timedelta) -> str:
    digest_helpers.clock_at(runtime, digest_helpers.DUE + after)
    context = JobContext(runtime, OneWorkspace(client_for(fake_slack)))
    [outcome] = await run_job("digest", context)
    return outcome.detail


CHANNELS = (digest_helpers.DIGEST_CHANNEL, digest_helpers.SALES_CHANNEL, digest_helpers.OPS_CHANNEL)


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("chat.postMessage", "503-storm"),  # the first post (the company's main message)
        ("chat.postMessage", "internal_error"),
        ("files.getUploadURLExternal", "429-storm"),
        ("files.completeUploadExternal", "502"),
        ("files.completeUploadExternal", "internal_error"),
    ],
)
async def test_the_digest_survives_slack_faults_posting_each_part_once(
    runtime: Runtime, fake_slack: FakeSlack, sleeps: RetrySleeps, method: str, name: str
) -> None:
    await digest_helpers.build_bakery(runtime)
    inject(fake_slack, method, FAULTS[name])
    await run_digest(runtime, fake_slack, timedelta(seconds=30))
    detail = await run_digest(runtime, fake_slack, timedelta(minutes=5, seconds=30))
    assert "failed" not in detail, detail
    main = Counter(
        call.args["channel"]
        for call in fake_slack.calls_to("chat.postMessage")
        if not call.injected and "thread_ts" not in call.args
    )
    assert main == Counter(dict.fromkeys(CHANNELS, 1))
    replies_per_channel = Counter(
        (call.args["channel"], call.args["text"])
        for call in fake_slack.calls_to("chat.postMessage")
        if not call.injected and "thread_ts" in call.args
    )
    assert set(replies_per_channel.values()) == {1}, "a thread reply was posted twice"
    assert delivered(fake_slack, "files.completeUploadExternal") == Counter(
        dict.fromkeys(CHANNELS, 1)
    )
    async with runtime.sessions() as session:
        posts = (await session.exec(select(DigestPost))).all()
        ledger = (await session.exec(select(RunLedger).where(RunLedger.job == "digest"))).all()
    assert all(post.chart_done for post in posts) and len(posts) == 3
    assert {row.status for row in ledger} == {"done"}


@pytest.mark.parametrize("code", ["channel_not_found", "is_archived", "not_in_channel"])
async def test_admins_hear_once_where_the_digest_cannot_be_posted(
    runtime: Runtime, fake_slack: FakeSlack, code: str
) -> None:
    ops = digest_helpers.OPS_CHANNEL
    await digest_helpers.build_bakery(runtime)
    fake_slack.channel_errors[ops] = code
    for minutes in (0, 5, 10, 60):
        await run_digest(runtime, fake_slack, timedelta(minutes=minutes, seconds=30))
    told = [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == ADMIN_ID]
    assert len(told) == 1
    assert ops in told[0].args["text"] and code in str(told[0].args)
    assert len(main_posts(fake_slack, ops)) == 4  # tried again at every run
    refused = len(fake_slack.calls)
    del fake_slack.channel_errors[ops]
    await run_digest(runtime, fake_slack, timedelta(hours=2))
    assert len(main_posts(fake_slack, ops, since=refused)) == 1
    for channel in (digest_helpers.DIGEST_CHANNEL, digest_helpers.SALES_CHANNEL):
        assert len(main_posts(fake_slack, channel)) == 1
    assert (
        len([c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == ADMIN_ID])
        == 1
    )


def main_posts(fake_slack: FakeSlack, channel: str, since: int = 0) -> list[Any]:
    return [
        call
        for call in fake_slack.calls[since:]
        if call.method == "chat.postMessage"
        and call.args.get("channel") == channel
        and "thread_ts" not in call.args
    ]


# --- App Home, member sync, people Northstar has not seen -----------------------------------


@pytest.mark.parametrize("name", ["429", "500", "429-storm", "internal_error"])
async def test_app_home_is_published_once_or_next_time_it_is_opened(
    slack: SlackSender, fake_slack: FakeSlack, sleeps: RetrySleeps, name: str
) -> None:
    fault = FAULTS[name]
    inject(fake_slack, "views.publish", fault)
    opened = {"type": "app_home_opened", "user": MEMBER_ID, "channel": "D1", "tab": "home"}
    assert (await event(slack, opened, event_id="EvFAULT1")).status_code == 200
    await drain_background_tasks()
    published = [c for c in fake_slack.calls_to("views.publish") if not c.injected]
    assert len(published) == (1 if fault.retried_in_call else 0)
    if not fault.retried_in_call:  # an event is never answered; the next opening publishes
        assert (await event(slack, opened, event_id="EvFAULT2")).status_code == 200
        await drain_background_tasks()
    assert len([c for c in fake_slack.calls_to("views.publish") if not c.injected]) == 1
    assert not [c for c in fake_slack.calls_to("chat.postMessage")]  # nobody is DMed about it
    check_retry_waits(fault, sleeps)


@pytest.mark.parametrize("name", ["429", "500", "429-storm", "503-storm", "internal_error"])
async def test_member_sync_writes_all_or_nothing_and_a_rerun_completes(
    runtime: Runtime, fake_slack: FakeSlack, sleeps: RetrySleeps, name: str
) -> None:
    fault = FAULTS[name]
    for user in PEOPLE:
        fake_slack.add_user(user, name=user.lower())
    runtime.clock = lambda: MONDAY
    context = JobContext(runtime, SingleWorkspaceClients(client_for(fake_slack)))
    calls_before = len(fake_slack.calls)
    inject(fake_slack, "users.list", fault)
    [first] = await run_job("member-sync", context)
    async with runtime.sessions() as session:
        members = (await session.exec(select(Member))).all()
    if fault.retried_in_call:
        assert first.status == "done" and len(members) == len(PEOPLE) + 2
    else:
        assert first.status == "failed" and members == []
        [again] = await run_job("member-sync", context)  # a failed period may run again
        assert again.status == "done"
        async with runtime.sessions() as session:
            members = (await session.exec(select(Member))).all()
    assert len(members) == len(PEOPLE) + 2
    assert fake_slack.calls[calls_before:]
    check_retry_waits(fault, sleeps)


@pytest.mark.parametrize("name", ["429", "500", "internal_error"])
async def test_a_person_northstar_has_not_seen_is_fetched_once_or_told(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, sleeps: RetrySleeps, name: str
) -> None:
    fault = FAULTS[name]
    inject(fake_slack, "users.info", fault)
    response, _ = await command(slack, "history", name="/checkin", user_id=MEMBER_ID)
    assert response.status_code == 200
    await drain_background_tasks()
    [answer] = [c.args for c in fake_slack.calls_to("response_url")]
    async with runtime.sessions() as session:
        known = (await session.exec(select(Member).where(Member.user_id == MEMBER_ID))).all()
    if fault.retried_in_call:
        assert len(known) == 1 and "went wrong" not in answer["text"].lower()
    else:
        assert known == [] and "went wrong" in answer["text"].lower()
    check_retry_waits(fault, sleeps)


# --- modals, exports and charts: the person is waiting and must hear back once -----------------


@pytest.mark.parametrize(
    ("name", "code"), [("429", None), ("500", None), ("error", "expired_trigger_id")]
)
async def test_a_modal_slack_will_not_open_is_retried_or_explained_once(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    sleeps: RetrySleeps,
    name: str,
    code: str | None,
) -> None:
    goal_helpers.fix_clock(runtime)
    if code:
        fake_slack.inject("views.open", error=code)
    else:
        inject(fake_slack, "views.open", FAULTS[name])
    before = len(fake_slack.calls)
    response, _ = await command(slack, "new", name="/goal")
    assert response.status_code == 200
    await drain_background_tasks()
    opened = [c for c in fake_slack.calls_to("views.open") if not c.injected]
    told = [c for c in replies(fake_slack, before) if c.method == "response_url"]
    if code:
        assert opened == [] and len(told) == 1
        assert "went wrong" in told[0].args["text"].lower()
    else:
        assert len(opened) == 1 and told == []


UPLOAD_METHODS = (
    "conversations.open",
    "files.getUploadURLExternal",
    "files.completeUploadExternal",
)


@pytest.mark.parametrize("method", UPLOAD_METHODS)
@pytest.mark.parametrize("name", ["429", "500", "internal_error"])
async def test_goal_export_is_uploaded_once_or_the_person_is_told(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    sleeps: RetrySleeps,
    method: str,
    name: str,
) -> None:
    fault = FAULTS[name]
    goal_helpers.fix_clock(runtime)
    await goal_helpers.create_goal(slack, fake_slack, title="Ship the export", target_value="3")
    inject(fake_slack, method, fault)
    before = len(fake_slack.calls)
    response, _ = await command(slack, "export", name="/goal")
    assert response.status_code == 200
    await drain_background_tasks()
    shared = [c for c in fake_slack.calls_to("files.completeUploadExternal") if not c.injected]
    told = [c.args["text"] for c in replies(fake_slack, before) if c.method == "response_url"]
    assert len(told) == 1, told
    if fault.retried_in_call:
        assert len(shared) == 1 and "exported" in told[0]
    else:
        assert shared == [] and "went wrong" in told[0].lower()
    check_retry_waits(fault, sleeps)


@pytest.mark.parametrize("method", UPLOAD_METHODS)
@pytest.mark.parametrize("name", ["429", "internal_error"])
async def test_pulse_results_chart_is_uploaded_once_or_the_person_is_told(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    sleeps: RetrySleeps,
    method: str,
    name: str,
) -> None:
    fault = FAULTS[name]
    now = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    runtime.clock = lambda: now
    survey = await open_pulse_survey(runtime)
    await answer_as(runtime, survey, tuple(f"UPULSE{n:03d}" for n in range(1, 6)))
    runtime.clock = lambda: now + timedelta(hours=2)
    await command(slack, "close P-1", name="/pulse")
    await drain_background_tasks()
    inject(fake_slack, method, fault)
    before = len(fake_slack.calls)
    response, _ = await command(slack, "results P-1", name="/pulse")
    assert response.status_code == 200
    await drain_background_tasks()
    shared = [c for c in fake_slack.calls_to("files.completeUploadExternal") if not c.injected]
    told = [c.args["text"] for c in replies(fake_slack, before) if c.method == "response_url"]
    if fault.retried_in_call:
        assert len(shared) == 1 and len(told) == 1
    else:
        # The results were shown; the chart could not follow, and the person hears that.
        assert shared == [] and len(told) == 2 and "went wrong" in told[1].lower()
    check_retry_waits(fault, sleeps)


# --- jobs that cannot learn their workspace, and response URLs ---------------------------------


async def test_a_job_that_cannot_reach_auth_test_is_logged_and_the_next_trigger_runs(
    runtime: Runtime, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    await berliners(runtime)
    runtime.clock = lambda: MONDAY
    context = JobContext(runtime, SingleWorkspaceClients(client_for(fake_slack)))
    fake_slack.inject("auth.test", error="invalid_auth")
    await trigger("checkins", context)  # must not raise: the scheduler keeps going
    assert "scheduled job checkins could not start" in caplog.text
    assert fake_slack.calls_to("chat.postMessage") == []
    await trigger("checkins", context)
    assert delivered(fake_slack) == Counter(dict.fromkeys(PEOPLE, 1))


async def test_a_reply_the_response_url_refuses_reaches_no_one_twice(
    slack: SlackSender, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """Bolt's ``respond`` does not retry: a 5xx on the response URL loses the ephemeral reply,
    and Northstar logs that it could not tell the person, once."""
    fake_slack.inject("response_url", status=500, times=5)
    response, _ = await command(slack, "help", name="/goal")
    assert response.status_code == 200
    await drain_background_tasks()
    attempts = fake_slack.calls_to("response_url")
    assert 1 <= len(attempts) <= 2  # the reply, and at most one attempt to say it failed
    assert caplog.text.count("could not tell the user about an error") <= 1


# --- timeouts ---------------------------------------------------------------------------------

SHORT_TIMEOUT = 0.2  # seconds; the fake Slack answers after LATENCY


@pytest.fixture
def slow_slack(monkeypatch: pytest.MonkeyPatch, fake_slack: FakeSlack) -> FakeSlack:
    """Every answer of the fake Slack comes after the client gave up waiting.

    The fake Slack's latency applies to every call (it has no per-call latency), so the client
    timeout is shortened instead of waiting 15 s; the fake still records (accepts) each call
    after its latency, as Slack may have posted a message whose answer was lost.
    """
    monkeypatch.setattr(bot.slack.client, "SLACK_TIMEOUT_SECONDS", SHORT_TIMEOUT)
    fake_slack.latency = SHORT_TIMEOUT * 2
    return fake_slack


async def test_a_timed_out_prompt_is_never_sent_twice(
    runtime: Runtime, slow_slack: FakeSlack
) -> None:
    await berliners(runtime)
    client = client_for(slow_slack)
    await open_rounds(runtime=runtime, team_id=TEAM_ID, now=MONDAY)
    report = await send_due_prompts(runtime=runtime, client=client, team_id=TEAM_ID, now=MONDAY)
    assert report.outcomes == Counter({"sent (unconfirmed)": len(PEOPLE)})
    await slow_slack.wait_for("chat.postMessage", len(PEOPLE))  # Slack did take them all
    slow_slack.latency = 0
    later = MONDAY + timedelta(minutes=15)
    again = await send_due_prompts(runtime=runtime, client=client, team_id=TEAM_ID, now=later)
    assert again.outcomes == Counter()
    assert delivered(slow_slack) == Counter(dict.fromkeys(PEOPLE, 1))
    async with runtime.sessions() as session:
        rows = (await session.exec(select(CheckinDelivery))).all()
    assert {(row.state, row.error) for row in rows} == {("sent", "unconfirmed")}


async def test_a_timed_out_digest_post_is_not_posted_twice(
    runtime: Runtime, slow_slack: FakeSlack
) -> None:
    await digest_helpers.build_bakery(runtime)
    await run_digest(runtime, slow_slack, timedelta(seconds=30))
    await slow_slack.wait_for("chat.postMessage", len(CHANNELS))
    slow_slack.latency = 0
    await run_digest(runtime, slow_slack, timedelta(minutes=5, seconds=30))
    main = Counter(
        call.args["channel"]
        for call in slow_slack.calls_to("chat.postMessage")
        if "thread_ts" not in call.args
    )
    assert main == Counter(dict.fromkeys(CHANNELS, 1))


async def test_no_fault_above_leaves_an_unexpected_error_in_the_logs(
    runtime: Runtime, fake_slack: FakeSlack, sleeps: RetrySleeps, caplog: pytest.LogCaptureFixture
) -> None:
    """Faults Slack is known for are warnings, not tracebacks: operators page on ERROR."""
    caplog.set_level(logging.INFO)
    await berliners(runtime)
    client = client_for(fake_slack)
    await open_rounds(runtime=runtime, team_id=TEAM_ID, now=MONDAY)
    for fault in FAULTS.values():
        inject(fake_slack, "chat.postMessage", fault)
    for minutes in range(0, 60, 5):
        now = MONDAY + timedelta(minutes=minutes)
        await send_due_prompts(runtime=runtime, client=client, team_id=TEAM_ID, now=now)
    assert delivered(fake_slack) == Counter(dict.fromkeys(PEOPLE, 1))
    assert errors_logged(caplog.records) == []
