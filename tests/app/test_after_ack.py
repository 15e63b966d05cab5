"""Work after an ack waits in line for a place (``Runtime.after_ack``), never the ack itself,
and no reply is lost when more requests arrive at once than the pool has connections."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request

from bot.app.request_guard import Admission, RequestGuard
from bot.core.runtime import Runtime
from bot.core.texts import SOMETHING_WENT_WRONG
from fakeslack import FakeSlack
from tests.conftest import drain_background_tasks
from tests.slack_requests import ADMIN_ID, SlackSender


def pool_capacity(engine: AsyncEngine) -> int:
    pool = engine.sync_engine.pool
    assert isinstance(pool, sa.pool.QueuePool)
    return pool.size() + pool._max_overflow


async def test_a_burst_larger_than_the_pool_gets_every_reply(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    gate = runtime.after_ack
    count = pool_capacity(runtime.engine) + 5
    answers = await asyncio.gather(
        *(slack.command("teams", command="/align") for _ in range(count))
    )
    assert [answer.status_code for answer in answers] == [200] * count
    replies = await fake_slack.wait_for("response_url", count, timeout=60)
    await drain_background_tasks()
    assert len({call.args["_name"] for call in replies}) == count  # each to its own URL
    assert not any(SOMETHING_WENT_WRONG in str(call.args) for call in replies)
    assert gate.most_running <= gate.limit
    assert gate.in_flight == 0


async def test_the_ack_does_not_wait_for_a_place(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    gate = runtime.after_ack
    for _ in range(gate.limit):  # every place taken
        await gate.enter()
    answer = await slack.command("teams", command="/align")
    assert answer.status_code == 200  # acknowledged before the listener started
    for _ in range(100):  # the listener's task starts on a later turn of the loop
        if gate.waiting:
            break
        await asyncio.sleep(0)
    assert gate.waiting == 1  # the listener reached the line, after the ack
    assert fake_slack.calls_to("response_url") == []  # its work waits in line
    for _ in range(gate.limit):
        gate.leave()
    await fake_slack.wait_for("response_url", 1)
    await drain_background_tasks()
    assert gate.in_flight == 0


async def test_an_event_takes_and_gives_back_a_place(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    gate = runtime.after_ack
    event = {"type": "app_home_opened", "user": ADMIN_ID, "tab": "home", "channel": "D1"}
    answer = await slack.event(event, event_id="Ev1")
    assert answer.status_code == 200
    await fake_slack.wait_for("views.publish", 1)
    await drain_background_tasks()
    assert gate.most_running == 1
    assert gate.in_flight == 0


async def test_work_after_an_ack_waits_while_another_request_awaits_its_ack(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    gate = runtime.after_ack
    gate.acks_first = 30.0  # longer than the test: only the other answer can let the work go
    with contextlib.ExitStack() as other_request:
        other_request.enter_context(gate.answering_request())  # arrived, not yet answered
        answer = await slack.command("teams", command="/align")
        assert answer.status_code == 200  # this one is acknowledged at once
        assert gate.answering == 1  # its own request counted out once answered
        await asyncio.sleep(0.05)
        assert gate.waiting == 1 and fake_slack.calls_to("response_url") == []
        other_request.close()  # the other request answered
        await fake_slack.wait_for("response_url", 1)
    await drain_background_tasks()
    assert gate.answering == 0 and gate.in_flight == 0


async def test_requests_that_never_stop_hold_work_back_only_so_long(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    gate = runtime.after_ack
    gate.acks_first = 0.2
    clock = asyncio.get_running_loop().time
    with gate.answering_request():  # never answered while the work waits
        started = clock()
        await slack.command("teams", command="/align")
        await fake_slack.wait_for("response_url", 1)
        waited = clock() - started
    await drain_background_tasks()
    assert 0.2 <= waited < 5  # held back for acks_first, then let go
    assert gate.answering == 0 and gate.in_flight == 0


async def test_a_request_is_counted_until_answered_refused_or_failed(
    slack: SlackSender, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = runtime.after_ack
    seen: list[int] = []
    admit = RequestGuard.admit

    async def counting_admit(guard: RequestGuard, request: Request) -> Admission:
        seen.append(gate.answering)
        return await admit(guard, request)

    monkeypatch.setattr(RequestGuard, "admit", counting_admit)
    forged = await slack.client.post(
        "/slack/events", content=b"command=%2Fgoal", headers={"x-slack-signature": "v0=00"}
    )
    assert forged.status_code == 401
    unknown = await slack.command("", command="/no-such-command")
    assert unknown.status_code == 404
    assert seen == [1, 1] and gate.answering == 0

    async def failing_admit(guard: RequestGuard, request: Request) -> Admission:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(RequestGuard, "admit", failing_admit)
    with pytest.raises(RuntimeError):  # the test client passes the server's fault on
        await slack.command("list", command="/goal")
    assert gate.answering == 0


def test_building_the_app_imports_no_charting() -> None:
    """matplotlib and numpy (about 50 MiB) wait until a chart is drawn, httpx until a KPI is
    fetched, cryptography until something is sealed or opened."""
    script = (
        "import sys\n"
        "import bot.app.process, bot.app.factory, bot.app.server, scheduler.jobs\n"
        "heavy = ('matplotlib', 'numpy', 'httpx', 'cryptography')\n"
        "print(sorted(n for n in heavy if n in sys.modules))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "[]"
