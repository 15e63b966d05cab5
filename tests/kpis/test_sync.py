"""KPI sources: the "Sync now" button and the ``kpi-sync`` job against a real local HTTP server."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from apscheduler.triggers.cron import CronTrigger
from cryptography.fernet import Fernet

from bot.core.config import Settings
from bot.core.runtime import Runtime
from bot.kpis import texts as texts_kpi
from bot.kpis.blocks.messages import SYNC_NOW_ACTION
from bot.kpis.sources import fetch_value
from bot.kpis.sync import sync_is_due
from bot.slack.client import SingleWorkspaceClients, build_web_client
from fakeslack import FakeSlack
from scheduler.jobs import JobContext, run_job
from scheduler.runner import build_scheduler
from storage.models import Kpi
from tests.kpis.helpers import NOW, TODAY, ask, fix_clock, kpi_row, make_kpi, text_of, values_of
from tests.kpis.http_source_server import Reply, SourceServer
from tests.slack_requests import ADMIN_ID, MEMBER_ID, SlackSender

TOKEN_VARIABLE = "NORTHSTAR_KPI_SECRET_METRICS"


@pytest.fixture(autouse=True)
def fixed_clock(runtime: Runtime) -> None:
    fix_clock(runtime)


@pytest.fixture
def private_urls(runtime: Runtime) -> None:
    """The source server listens on loopback, which only NORTHSTAR_ALLOW_PRIVATE_URLS allows."""
    runtime.settings = runtime.settings.model_copy(update={"northstar_allow_private_urls": True})


@pytest.fixture
async def server() -> AsyncIterator[SourceServer]:
    async with SourceServer() as source_server:
        yield source_server


def json_source(url: str, path: str, **extra: str) -> dict[str, Any]:
    return {
        "kind": "json",
        "url": url,
        "path": path,
        "header_name": None,
        "secret_env": None,
    } | extra


def csv_source(url: str, column: str, match: tuple[str, str] | None = None) -> dict[str, Any]:
    return {
        "kind": "csv",
        "url": url,
        "column": column,
        "match_column": match[0] if match else None,
        "match_value": match[1] if match else None,
    }


async def press_sync_now(
    slack: SlackSender, fake_slack: FakeSlack, value: str, user: str = ADMIN_ID
) -> str:
    """Press "Sync now" in an ephemeral message; returns the ephemeral answer's text."""
    before = len(fake_slack.calls_to("response_url"))
    response = await slack.click(SYNC_NOW_ACTION, value, user_id=user, in_message=True)
    assert response.status_code == 200
    answer = (await fake_slack.wait_for("response_url", before + 1))[-1].args
    assert answer["response_type"] == "ephemeral"
    assert answer.get("replace_original") in (None, False)  # a new message, never a rewrite
    return text_of(answer["blocks"])


def job_context(runtime: Runtime, fake_slack: FakeSlack) -> JobContext:
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    return JobContext(runtime, SingleWorkspaceClients(client))


async def test_sync_now_fetches_json_with_the_secret_header_from_the_kpi_secrets(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    server: SourceServer,
    private_urls: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server.reply("/metrics", Reply.json({"data": {"total": "12,500"}}))
    runtime.kpi_secrets = {TOKEN_VARIABLE: "s3cret-value"}
    source = json_source(
        server.url("/metrics?period=month"),
        "data.total",
        header_name="X-Api-Key",
        secret_env=TOKEN_VARIABLE,
    )
    kpi = await make_kpi(
        runtime, unit="$", target=15_000, green_threshold=10_000, red_threshold=5_000, source=source
    )
    before = len(fake_slack.calls_to("response_url"))
    await slack.command("show K-1", command="/kpi")
    shown = (await fake_slack.wait_for("response_url", before + 1))[-1].args
    [button] = [
        element
        for block in shown["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert (button["action_id"], button["value"]) == (SYNC_NOW_ACTION, str(kpi.id))

    reply = await press_sync_now(slack, fake_slack, button["value"])
    assert "*K-1* Revenue synced: $12,500 for today" in reply
    assert ":large_green_circle: green" in reply
    [hit] = server.hits_to("/metrics?period=month")
    assert hit.headers["x-api-key"] == "s3cret-value"
    assert [(v.recorded_on, v.value, v.author_id) for v in await values_of(runtime, kpi)] == [
        (TODAY, 12_500.0, None)
    ]
    row = await kpi_row(runtime, 1)
    assert row is not None and row.last_synced_at == NOW and row.last_error == ""
    assert "s3cret" not in json.dumps(row.source)
    assert "$12,500" in await ask(slack, fake_slack, "show K-1")


async def test_a_failed_sync_now_is_stored_shown_and_not_messaged_to_the_owner_who_pressed(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    server: SourceServer,
    private_urls: None,
) -> None:
    server.reply("/down.json", Reply(status=503, body=b"maintenance"))
    kpi = await make_kpi(runtime, source=json_source(server.url("/down.json"), "total"))
    reply = await press_sync_now(slack, fake_slack, str(kpi.id))
    assert "could not be synced: The source answered HTTP 503." in reply
    assert "/kpi edit K-1" in reply
    row = await kpi_row(runtime, 1)
    assert row is not None
    assert (row.last_error, row.error_reported) == ("The source answered HTTP 503.", True)
    assert await values_of(runtime, kpi) == []
    assert fake_slack.calls_to("chat.postMessage") == []
    shown = await ask(slack, fake_slack, "show K-1")
    assert ":warning: The last sync failed: The source answered HTTP 503." in shown


async def test_sync_now_refuses_private_addresses_unless_the_setting_allows_them(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, server: SourceServer
) -> None:
    server.reply("/metrics", Reply.json({"total": 5}))
    kpi = await make_kpi(runtime, source=json_source(server.url("/metrics"), "total"))
    reply = await press_sync_now(slack, fake_slack, str(kpi.id))
    assert "a loopback address (127.0.0.1)" in reply
    assert "NORTHSTAR_ALLOW_PRIVATE_URLS=true" in reply
    assert server.hits == []


async def test_a_missing_secret_variable_is_named_and_nothing_is_fetched(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    server: SourceServer,
    private_urls: None,
) -> None:
    source = json_source(
        server.url("/metrics"), "total", header_name="Authorization", secret_env=TOKEN_VARIABLE
    )
    kpi = await make_kpi(runtime, source=source)
    reply = await press_sync_now(slack, fake_slack, str(kpi.id))
    assert f"The header's value {TOKEN_VARIABLE} is not available" in reply
    assert server.hits == []


async def test_only_those_who_may_change_a_kpi_sync_it_and_foreign_ids_look_missing(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    server: SourceServer,
    private_urls: None,
) -> None:
    server.reply("/metrics", Reply.json({"total": 5}))
    ours = await make_kpi(runtime, source=json_source(server.url("/metrics"), "total"))
    theirs = await make_kpi(
        runtime,
        team_id="T0OTHER",
        owner="UOTHER01",
        source=json_source(server.url("/metrics"), "total"),
    )
    refused = await press_sync_now(slack, fake_slack, str(ours.id), user=MEMBER_ID)
    assert "Only the owner of K-1, the lead of its team and Northstar admins can sync it" in refused
    foreign = await press_sync_now(slack, fake_slack, str(theirs.id))
    missing = await press_sync_now(slack, fake_slack, "987654")
    garbage = await press_sync_now(slack, fake_slack, "K-1; drop table kpi")
    superscript = await press_sync_now(slack, fake_slack, "²")
    assert foreign == missing == garbage == superscript
    assert "no longer exists in this workspace" in foreign
    assert server.hits == []
    assert await values_of(runtime, theirs) == []
    manual = await make_kpi(runtime, name="Manual")
    assert "has no source to sync" in await press_sync_now(slack, fake_slack, str(manual.id))


async def test_kpi_sync_job_fetches_due_kpis_and_tells_a_failing_kpis_owner_once(
    fake_slack: FakeSlack, runtime: Runtime, server: SourceServer, private_urls: None
) -> None:
    server.reply(
        "/mrr.csv",
        Reply.csv(
            'month,region,mrr\n2026-10,EMEA,"9,000"\n2026-11,EMEA,"10,500"\n2026-11,US,"20,000"\n'
        ),
    )
    server.reply("/signups.json", Reply(status=500))
    fake_slack.add_user("UOWNER01", name="olga")
    good = await make_kpi(
        runtime,
        name="MRR EMEA",
        cadence="hourly",
        source=csv_source(server.url("/mrr.csv"), "mrr", ("region", "emea")),
    )
    bad = await make_kpi(
        runtime,
        name="Signups",
        owner="UOWNER01",
        cadence="hourly",
        source=json_source(server.url("/signups.json"), "count"),
    )
    fresh = await make_kpi(
        runtime,
        name="Weekly",
        source=csv_source(server.url("/weekly.csv"), "n"),
        last_synced_at=NOW - timedelta(days=2),
    )
    await make_kpi(
        runtime, name="Old", archived=True, source=csv_source(server.url("/old.csv"), "n")
    )
    await make_kpi(runtime, name="Manual")
    context = job_context(runtime, fake_slack)

    [first] = await run_job("kpi-sync", context)
    assert (first.period, first.status) == ("2026-11-27T10", "done")
    assert first.detail == "1 synced, 1 failed, 1 owners told, 1 not due"
    assert [(v.recorded_on, v.value, v.author_id) for v in await values_of(runtime, good)] == [
        (TODAY, 10_500.0, None)
    ]
    failing = await kpi_row(runtime, bad.number)
    assert failing is not None and failing.last_error == "The source answered HTTP 500."
    [message] = fake_slack.calls_to("chat.postMessage")
    assert message.args["channel"] == "UOWNER01"
    told = text_of(message.args["blocks"])
    assert "*K-2* Signups could not be synced" in told and "HTTP 500" in told
    assert "/kpi edit K-2" in told
    assert server.hits_to("/weekly.csv") == [] and server.hits_to("/old.csv") == []
    untouched = await kpi_row(runtime, fresh.number)
    assert untouched is not None and untouched.last_synced_at == NOW - timedelta(days=2)

    [again] = await run_job("kpi-sync", context)
    assert again.ran is False  # the same hour, whoever triggers it

    fix_clock(runtime, NOW + timedelta(hours=1))
    [second] = await run_job("kpi-sync", context)
    assert second.detail == "1 synced, 1 failed, 0 owners told, 1 not due"
    assert len(fake_slack.calls_to("chat.postMessage")) == 1  # told once, not every hour
    assert len(server.hits_to("/signups.json")) == 2

    server.reply("/signups.json", Reply.json({"count": 7}))
    fix_clock(runtime, NOW + timedelta(hours=2))
    [third] = await run_job("kpi-sync", context)
    assert third.detail == "2 synced, 0 failed, 0 owners told, 1 not due"
    recovered = await kpi_row(runtime, bad.number)
    assert recovered is not None
    assert (recovered.last_error, recovered.error_reported) == ("", False)
    assert [v.value for v in await values_of(runtime, bad)] == [7.0]

    server.reply("/signups.json", Reply(status=404))
    fix_clock(runtime, NOW + timedelta(hours=3))
    await run_job("kpi-sync", context)
    assert len(fake_slack.calls_to("chat.postMessage")) == 2  # a new failure after a success


async def test_one_kpi_failing_unexpectedly_never_stops_the_others(
    fake_slack: FakeSlack,
    runtime: Runtime,
    server: SourceServer,
    private_urls: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server.reply("/a.json", Reply.json({"n": 1}))
    server.reply("/b.json", Reply.json({"n": 2}))
    real_fetch = fetch_value

    async def fetch_with_a_bug(source: Any, **kwargs: Any) -> float:
        if source.url.endswith("/a.json"):
            raise RuntimeError("a bug in Northstar")
        return await real_fetch(source, **kwargs)

    monkeypatch.setattr("bot.kpis.sync.fetch_value", fetch_with_a_bug)
    first = await make_kpi(runtime, name="A", source=json_source(server.url("/a.json"), "n"))
    second = await make_kpi(runtime, name="B", source=json_source(server.url("/b.json"), "n"))
    [outcome] = await run_job("kpi-sync", job_context(runtime, fake_slack))
    assert outcome.status == "done"
    assert outcome.detail == "1 synced, 1 failed, 1 owners told, 0 not due"
    assert [v.value for v in await values_of(runtime, second)] == [2.0]
    assert await values_of(runtime, first) == []
    row = await kpi_row(runtime, first.number)
    assert row is not None and row.last_error == texts_kpi.SYNC_UNEXPECTED


async def test_an_owner_who_could_not_be_told_is_told_at_the_next_failure(
    fake_slack: FakeSlack, runtime: Runtime, server: SourceServer, private_urls: None
) -> None:
    server.reply("/gone.json", Reply(status=410))
    kpi = await make_kpi(
        runtime, cadence="hourly", source=json_source(server.url("/gone.json"), "n")
    )
    fake_slack.inject("chat.postMessage", error="channel_not_found")
    context = job_context(runtime, fake_slack)
    [first] = await run_job("kpi-sync", context)
    assert first.detail == "0 synced, 1 failed, 0 owners told, 0 not due"
    row = await kpi_row(runtime, kpi.number)
    assert row is not None and row.error_reported is False
    fix_clock(runtime, NOW + timedelta(hours=1))
    [second] = await run_job("kpi-sync", context)
    assert second.detail == "0 synced, 1 failed, 1 owners told, 0 not due"
    delivered = [call for call in fake_slack.calls_to("chat.postMessage") if not call.injected]
    assert [call.args["channel"] for call in delivered] == [ADMIN_ID]


def _kpi(cadence: str, synced_ago: timedelta | None, **fields: Any) -> Kpi:
    return Kpi(
        team_id="T1",
        number=1,
        name="x",
        name_key="x",
        target=1,
        green_threshold=1,
        red_threshold=0,
        owner_id="U1",
        created_by="U1",
        cadence=cadence,
        source={"kind": "json", "url": "https://example.com", "path": "n"},
        last_synced_at=None if synced_ago is None else NOW - synced_ago,
        **fields,
    )


@pytest.mark.parametrize(
    ("cadence", "synced_ago", "due"),
    [
        ("hourly", None, True),
        ("hourly", timedelta(minutes=59, seconds=57), True),  # the job fired 3 s earlier
        ("hourly", timedelta(minutes=40), False),
        ("daily", timedelta(hours=23, minutes=58), True),
        ("daily", timedelta(hours=12), False),
        ("weekly", timedelta(days=6, hours=23, minutes=58), True),
        ("weekly", timedelta(days=6), False),
    ],
)
def test_a_source_is_due_once_its_cadence_has_passed(
    cadence: str, synced_ago: timedelta | None, due: bool
) -> None:
    assert sync_is_due(_kpi(cadence, synced_ago), NOW) is due


def test_archived_kpis_and_kpis_without_source_are_never_due() -> None:
    assert sync_is_due(_kpi("hourly", None, archived=True), NOW) is False
    manual = _kpi("hourly", None)
    manual.source = None
    assert sync_is_due(manual, NOW) is False


async def test_scheduler_runs_kpi_sync_every_hour_with_half_an_hour_of_grace(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    jobs = {job.id: job for job in build_scheduler(job_context(runtime, fake_slack)).get_jobs()}
    trigger = jobs["kpi-sync"].trigger
    assert isinstance(trigger, CronTrigger)
    after = datetime(2026, 11, 27, 10, 6, tzinfo=UTC)
    assert trigger.get_next_fire_time(None, after) == datetime(2026, 11, 27, 11, 5, tzinfo=UTC)
    assert jobs["kpi-sync"].misfire_grace_time == 30 * 60
    assert jobs["kpi-sync"].coalesce is True


def test_allowing_private_addresses_is_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = Fernet.generate_key().decode()
    assert Settings(_env_file=None, northstar_secret_key=key).northstar_allow_private_urls is False
    monkeypatch.setenv("NORTHSTAR_ALLOW_PRIVATE_URLS", "true")
    assert Settings(_env_file=None, northstar_secret_key=key).northstar_allow_private_urls is True
