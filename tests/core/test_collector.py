"""The automatic collections of Python's cyclic collector are postponed while a request
awaits its ack (``bot.core.collector.hold_collector``, held by the admission gate), for at
most ``acks_first`` seconds, and a collector someone else turned off stays off."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.core.admission import AdmissionGate
from bot.core.collector import collector_held, hold_collector
from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from tests.conftest import drain_background_tasks
from tests.slack_requests import SlackSender


@pytest.fixture(autouse=True)
async def collector_as_found() -> AsyncIterator[None]:
    enabled, thresholds = gc.isenabled(), gc.get_threshold()
    yield
    await asyncio.sleep(0)  # holds are given back on the loop's next turn
    assert not collector_held()  # no hold outlives its requests
    gc.set_threshold(*thresholds)
    if enabled:
        gc.enable()
    else:
        gc.disable()


async def test_the_collector_waits_until_every_pending_ack_is_answered() -> None:
    gate = AdmissionGate(4)
    assert gc.isenabled()
    with gate.answering_request():
        assert not gc.isenabled()
        with gate.answering_request():
            assert not gc.isenabled()
        await asyncio.sleep(0)
        assert not gc.isenabled()  # one request still awaits its ack
    assert not gc.isenabled()  # given back on the loop's next turn: after the answer's bytes
    await asyncio.sleep(0)
    assert gc.isenabled()


async def test_the_collector_is_held_back_only_so_long() -> None:
    gate = AdmissionGate(4, acks_first=0.05)
    with gate.answering_request():  # never answered while the collector waits
        assert not gc.isenabled()
        await asyncio.sleep(0.1)  # the hold's own timer is due first, on the same clock
        assert gc.isenabled()
    assert gc.isenabled()
    with gate.answering_request():  # the next pending ack holds it again
        assert not gc.isenabled()
    await asyncio.sleep(0)
    assert gc.isenabled()


async def test_a_collector_turned_off_elsewhere_stays_off() -> None:
    gate = AdmissionGate(4)
    gc.disable()
    with gate.answering_request():
        assert not gc.isenabled()
    await asyncio.sleep(0)
    assert not gc.isenabled()


async def test_a_hold_whose_loop_went_away_lapses() -> None:
    """A hold taken on an event loop that closed before its timer fired (a request abandoned
    with its loop) gives the collector back at the next hold or release, once past due."""

    def abandon_a_hold() -> None:
        loop = asyncio.new_event_loop()

        async def take() -> None:
            hold_collector(longest=0.01)  # never released, and its timer never runs

        loop.run_until_complete(take())
        loop.close()

    await asyncio.to_thread(abandon_a_hold)
    assert not gc.isenabled()
    await asyncio.sleep(0.05)  # past the abandoned hold's end, on the same monotonic clock
    hold_collector(longest=5.0)()  # any later hold and release
    assert gc.isenabled()


async def test_no_collection_starts_during_a_burst_of_slash_commands(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    gate = runtime.after_ack
    gate.acks_first = 30.0  # longer than the test: only the answers end the hold
    started_while_answering: list[int] = []

    def note(phase: str, _info: dict[str, Any]) -> None:
        if phase == "start" and gate.answering:
            started_while_answering.append(gate.answering)

    gc.set_threshold(50)  # a collection every 50 new objects: dozens in a burst, unheld
    gc.callbacks.append(note)
    try:
        answers = await asyncio.gather(*(slack.command("help") for _ in range(20)))
        assert [answer.status_code for answer in answers] == [200] * 20
        assert gc.isenabled()  # every ack answered: the collector may run again
        await fake_slack.wait_for("response_url", 20)
        await drain_background_tasks()
    finally:
        gc.callbacks.remove(note)
    assert started_while_answering == []
