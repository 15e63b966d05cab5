"""KPI source fetching cannot be turned on Northstar's own network: the cases
``tests/kpis/test_sources.py`` leaves out.

- Addresses written the ways URL parsers and resolvers disagree on (decimal, hex, short
  IPv4, ``0``, ``localhost``, IPv4-mapped IPv6, a scoped IPv6), resolved by the real system
  resolver: refused before any request, with a real server listening where they point.
- End to end, through Slack: a KPI whose source points at a service on Northstar's loopback
  (here the fake Slack API itself) is refused by **Sync now** and by the ``kpi-sync`` job,
  the secret header is never sent, and with ``NORTHSTAR_ALLOW_PRIVATE_URLS`` the same source
  works (so the refusal is the guard's doing).
- The KPI form refuses sources with other schemes or credentials on their field, saving
  nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.core.runtime import Runtime
from bot.kpis.blocks.modal import Field
from bot.kpis.sources import FetchPolicy, JsonSource, SourceError, fetch_value
from bot.slack.client import SingleWorkspaceClients, build_web_client
from fakeslack import FakeSlack
from scheduler.jobs import JobContext, run_job
from storage.db import transaction
from storage.models import Kpi, KpiValue
from storage.repositories.kpis import add_kpi
from tests.checkins import answer_helpers as checkin
from tests.conftest import drain_background_tasks
from tests.kpis import helpers as kpi_helpers
from tests.kpis.http_source_server import Reply, SourceServer
from tests.reliability.helpers import click, snapshot
from tests.slack_requests import ADMIN_ID, TEAM_ID, SlackSender

GUARDED = FetchPolicy()
OPEN = FetchPolicy(allow_private=True)  # even then, only http and https
SECRET_ENV = "NORTHSTAR_KPI_SECRET_FETCH_TEST"
SECRET = "fetch-secret-31415"


@pytest.fixture
async def server() -> AsyncIterator[SourceServer]:
    async with SourceServer() as server:
        server.reply("/metrics", Reply.json({"total": 1}))
        yield server


@pytest.mark.parametrize(
    ("host", "refusal"),
    [
        ("2130706433", "resolves to a loopback address (127.0.0.1)"),
        ("0x7f000001", "resolves to a loopback address (127.0.0.1)"),
        ("0x7f.0.0.1", "resolves to a loopback address (127.0.0.1)"),
        ("127.1", "resolves to a loopback address (127.0.0.1)"),
        ("0", "resolves to an unspecified address (0.0.0.0)"),
        ("localhost", "resolves to a loopback address"),
        ("LOCALHOST", "resolves to a loopback address"),
        ("[::ffff:7f00:1]", "is a loopback address (::ffff:7f00:1)"),
        ("[0:0:0:0:0:ffff:127.0.0.1]", "is a loopback address"),
        ("[fe80::1%25lo]", "is a link-local address"),
    ],
)
async def test_loopback_in_any_notation_is_refused_by_the_real_resolver(
    server: SourceServer, host: str, refusal: str
) -> None:
    url = f"http://{host}:{server.port}/metrics"
    with pytest.raises(SourceError) as refused:
        await fetch_value(JsonSource(url, "total"), policy=GUARDED, secrets={})
    assert refusal in refused.value.message
    assert server.hits == []  # the server was there to answer; the guard stopped the request


@pytest.mark.parametrize(
    "url",
    [
        "gopher://127.0.0.1:70/_stats",
        "javascript:alert(1)",
        'data:application/json,{"total": 5}',
        "file:///etc/passwd",
        "dict://127.0.0.1:11211/stat",
    ],
)
async def test_schemes_that_are_not_http_are_refused_before_any_connection(url: str) -> None:
    with pytest.raises(SourceError) as refused:
        await fetch_value(
            JsonSource(url, "total"), policy=FetchPolicy(allow_private=True), secrets={}
        )
    assert "Only http and https addresses can be fetched" in refused.value.message


# --- through Slack: Sync now and the kpi-sync job --------------------------------------------


async def kpi_at(runtime: Runtime, url: str) -> Kpi:
    await checkin.add_people(runtime)
    async with transaction(runtime.sessions) as session:
        return await add_kpi(
            session=session,
            kpi=Kpi(
                team_id=TEAM_ID,
                number=0,
                name="Revenue",
                name_key="",
                owner_id=ADMIN_ID,
                created_by=ADMIN_ID,
                target=100,
                green_threshold=80,
                red_threshold=50,
                cadence="hourly",
                source={
                    "kind": "json",
                    "url": url,
                    "path": "args.total",
                    "header_name": "Authorization",
                    "secret_env": SECRET_ENV,
                },
            ),
        )


def loopback_source(fake_slack: FakeSlack) -> str:
    """An address on Northstar's own machine that answers like a KPI source would."""
    return fake_slack.api_url + "api.test?total=5"


async def sync_now(slack: SlackSender, fake_slack: FakeSlack, kpi: Kpi) -> str:
    response, _ = await click(slack, "kpi_sync_now", str(kpi.id))
    assert response.status_code == 200
    await drain_background_tasks()
    return str(fake_slack.calls_to("response_url")[-1].args["text"])


async def test_sync_now_refuses_a_source_on_northstars_own_machine(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runtime.kpi_secrets = {SECRET_ENV: SECRET}
    kpi_helpers.fix_clock(runtime)
    kpi = await kpi_at(runtime, loopback_source(fake_slack))
    before = await snapshot(runtime.engine)
    said = await sync_now(slack, fake_slack, kpi)
    assert "loopback address" in said and SECRET not in said
    assert fake_slack.calls_to("api.test") == []  # no request reached the loopback service
    after = await snapshot(runtime.engine)
    assert after["kpi_value"] == before["kpi_value"]
    async with runtime.sessions() as session:
        stored = await session.get(Kpi, kpi.id)
    assert stored is not None and "loopback address" in stored.last_error


async def test_the_kpi_sync_job_refuses_it_too_and_tells_the_owner_once(
    fake_slack: FakeSlack, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime.kpi_secrets = {SECRET_ENV: SECRET}
    await kpi_at(runtime, loopback_source(fake_slack))
    client = build_web_client(token="xoxb-test-token", base_url=fake_slack.api_url)
    context = JobContext(runtime, SingleWorkspaceClients(client))
    for hour in (10, 11, 12):
        runtime.clock = lambda hour=hour: datetime(2026, 11, 27, hour, 6, tzinfo=UTC)  # type: ignore[misc]
        [outcome] = await run_job("kpi-sync", context)
        assert outcome.status == "done" and "1 failed" in outcome.detail, outcome.detail
    assert fake_slack.calls_to("api.test") == []
    told = [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == ADMIN_ID]
    assert len(told) == 1 and "loopback address" in str(told[0].args["text"])
    assert SECRET not in str(told[0].args)


async def test_with_private_addresses_allowed_the_same_source_is_fetched(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The control: the refusals above are the address guard's, not a broken source."""
    runtime.kpi_secrets = {SECRET_ENV: SECRET}
    runtime.settings = runtime.settings.model_copy(update={"northstar_allow_private_urls": True})
    kpi_helpers.fix_clock(runtime)
    kpi = await kpi_at(runtime, loopback_source(fake_slack))
    said = await sync_now(slack, fake_slack, kpi)
    assert "K-1" in said and "loopback" not in said, said
    [fetched] = fake_slack.calls_to("api.test")
    assert fetched.args["total"] == "5"
    async with runtime.sessions() as session:
        [value] = (await session.exec(select(KpiValue))).all()
    assert value.value == 5


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("file:///etc/passwd", "Only http and https"),
        ("gopher://127.0.0.1:70/_", "Only http and https"),
        ("http://admin:hunter2@metrics.example.com/kpi", "user name or password"),
        ("metrics.example.com/kpi", "Only http and https"),
    ],
)
async def test_the_kpi_form_refuses_a_source_it_could_never_fetch_and_saves_nothing(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, url: str, problem: str
) -> None:
    view = await kpi_helpers.open_form(slack, fake_slack)
    before = await snapshot(runtime.engine)
    form = kpi_helpers.answers(source="json", url=url, path="total")
    errors = kpi_helpers.inline_errors(await kpi_helpers.submit(slack, view, form))
    assert problem in errors.get(Field.URL.value, ""), errors
    assert "hunter2" not in str(errors)
    assert await snapshot(runtime.engine) == before
