"""A key result bound to a KPI takes the KPI's latest value when one is recorded: by
``/kpi log`` and by the ``kpi-sync`` job, re-rolling its objective in the same transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.core.runtime import Runtime
from bot.slack.client import SingleWorkspaceClients, build_web_client
from fakeslack import FakeSlack
from scheduler.jobs import JobContext, run_job
from tests.goals.helpers import fix_clock
from tests.kpis.helpers import TODAY, make_kpi
from tests.kpis.http_source_server import Reply, SourceServer
from tests.okrs.helpers import (
    create_goal,
    goal_of,
    key_results_of,
    open_form,
    reply,
    updates_of,
)
from tests.slack_requests import ADMIN_ID, SlackSender


@pytest.fixture(autouse=True)
def fixed_clock(runtime: Runtime) -> None:
    fix_clock(runtime, TODAY)


@pytest.fixture
async def server() -> AsyncIterator[SourceServer]:
    async with SourceServer() as source_server:
        yield source_server


async def kpi_command(slack: SlackSender, fake_slack: FakeSlack, text: str) -> str:
    before = len(fake_slack.calls_to("response_url"))
    assert (await slack.command(text, command="/kpi", user_id=ADMIN_ID)).status_code == 200
    return str((await fake_slack.wait_for("response_url", before + 1))[-1].args["text"])


async def bound_objective(slack: SlackSender, fake_slack: FakeSlack, kpi_id: int | None) -> None:
    await create_goal(slack, fake_slack, title="Grow the bakery")
    revenue = {"title": "Monthly revenue 20k", "start": "10k", "target": "20k"}
    view = await open_form(slack, fake_slack, "kr G-1")
    kpi_block = next(b for b in view["blocks"] if b.get("block_id") == "kr1_kpi")
    assert kpi_block["element"]["options"][0]["text"]["text"] == "No KPI (I update it)"
    answers: dict[str, str | None] = {f"kr1_{k}": v for k, v in revenue.items()}
    answers |= {"kr1_kpi": str(kpi_id), "kr2_title": "Two new shops", "kr2_start": "0"}
    answers |= {"kr2_target": "2"}
    before = len(fake_slack.calls_to("response_url"))
    response = await slack.submit_view(view, answers)
    assert response.status_code == 200 and response.text == "", response.text
    await fake_slack.wait_for("response_url", before + 1)


async def test_kpi_log_updates_the_bound_key_result_and_its_objective(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    kpi = await make_kpi(runtime, name="Revenue", values=[(TODAY - timedelta(days=3), 12_000)])
    await bound_objective(slack, fake_slack, kpi.id)
    [revenue, shops] = await key_results_of(runtime, 1)
    assert revenue.current_value == 12_000  # bound: it starts from the KPI's latest value
    assert (await goal_of(runtime, 1)).current_value == pytest.approx(0.1)
    assert "Logged" in await kpi_command(slack, fake_slack, "log K-1 15k")
    [revenue, shops] = await key_results_of(runtime, 1)
    assert (revenue.current_value, shops.current_value) == (15_000, 0)
    assert (await goal_of(runtime, 1)).current_value == pytest.approx(0.25)
    last = (await updates_of(runtime, revenue))[-1]
    assert (last.source, last.value, last.author_id) == ("kpi-sync", 15_000, ADMIN_ID)
    # A value for an earlier day is not the latest: the key result keeps 15k.
    await kpi_command(slack, fake_slack, f"log K-1 11k {(TODAY - timedelta(days=1)).isoformat()}")
    assert (await key_results_of(runtime, 1))[0].current_value == 15_000
    assert len(await updates_of(runtime, revenue)) == 2


async def test_the_kpi_sync_job_updates_bound_key_results_once_per_new_value(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    server: SourceServer,
) -> None:
    runtime.settings = runtime.settings.model_copy(update={"northstar_allow_private_urls": True})
    server.reply("/revenue.json", Reply.json({"revenue": 18000}))
    source = {
        "kind": "json",
        "url": server.url("/revenue.json"),
        "path": "revenue",
        "header_name": None,
        "secret_env": None,
    }
    kpi = await make_kpi(runtime, name="Revenue", cadence="hourly", source=source)
    await bound_objective(slack, fake_slack, kpi.id)
    assert (await key_results_of(runtime, 1))[0].current_value == 10_000  # no value yet
    context = JobContext(
        runtime,
        SingleWorkspaceClients(build_web_client(token="xoxb-test", base_url=fake_slack.api_url)),
    )
    [outcome] = await run_job("kpi-sync", context)
    assert outcome.status == "done"
    [revenue, _] = await key_results_of(runtime, 1)
    assert revenue.current_value == 18_000
    assert (await goal_of(runtime, 1)).current_value == pytest.approx(0.4)
    history = await updates_of(runtime, revenue)
    assert [(u.source, u.value, u.author_id) for u in history[1:]] == [("kpi-sync", 18_000, "")]
    text = await reply(slack, fake_slack, "show G-1")
    assert "18,000 / 20,000" in text and "_from a KPI_" in text


async def test_an_objective_measured_otherwise_again_is_left_alone_by_its_kpi(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    kpi = await make_kpi(runtime, name="Revenue", values=[(TODAY - timedelta(days=3), 12_000)])
    await bound_objective(slack, fake_slack, kpi.id)
    view = await open_form(slack, fake_slack, "edit G-1")
    measured = {"measure": "number", "start_value": "0", "target_value": "100", "unit": "shops"}
    before = len(fake_slack.calls_to("response_url"))
    response = await slack.submit_view(view, measured, user_id=ADMIN_ID)
    assert response.status_code == 200 and response.text == "", response.text
    await fake_slack.wait_for("response_url", before + 1)  # the edit's confirmation first

    assert "Logged 15,000" in await kpi_command(slack, fake_slack, "log K-1 15k")
    goal = await goal_of(runtime, 1)
    assert (goal.measure, goal.target_value, goal.unit) == ("number", 100.0, "shops")
    refused = await reply(slack, fake_slack, "kr G-1 2 1")
    assert "no longer measured by its key results" in str(refused)
