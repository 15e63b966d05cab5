"""The fan-out benchmark's fake Slack, in a process of its own (``python -m
bench.fanout_slack``), as Slack is another machine: its own work neither takes the fan-out's
CPU nor delays its event loop, so a call takes the latency asked for, as the floor the figures
are measured against assumes. The latency is counted from the call's arrival, so the fake's
own work on a call is inside it, not added to it; checking each message's Block Kit, which
Slack does on its own machines, waits for the report, so that on a small machine it neither
competes for a CPU during the run nor holds up the other calls' answers.

It speaks the ack benchmark's protocol (``bench.ack_protocol``: JSON lines on stdin and
stdout): it says its ``api_url``, then answers ``{"latency": s, "inject": n}`` (n HTTP 429s,
``Retry-After: 1``, for the next ``chat.postMessage`` calls), ``{"report": true}`` (what it
accepted, for the exactly-once check, when it said 429, and which messages break Slack's
limits) and ``{"stop": true}``.
"""

from __future__ import annotations

import asyncio
import selectors
import statistics
import time
from collections import Counter
from typing import Any

from aiohttp import web

from bench.ack_protocol import Message, receive, send
from fakeslack import FakeSlack
from fakeslack.server import Call

RETRY_AFTER = 1  # seconds, in every injected 429
POST_MESSAGE = "chat.postMessage"
CALIBRATION_SLEEPS, CALIBRATION_SLEEP = 50, 0.01  # seconds: the timers' calibration, 0.5 s
MAX_TIMER_LEAD = 0.001  # seconds: how early a calibration can ever set an answer's timer


class TimedFakeSlack(FakeSlack):
    """The fake Slack, noting when it answered each injected 429 (``time.perf_counter``, the
    same clock in every process of the machine), the time each call spent inside it and the
    CPU its answers took."""

    def __init__(self) -> None:
        super().__init__()
        self.rate_limited_at: list[float] = []
        self.busy_seconds = 0.0
        # a call takes the latency asked for from its arrival, the fake's own work included
        self.latency_from_arrival = True
        # each message's Block Kit is checked when the report is asked for (module docstring)
        self.check_messages_later = True
        # how much earlier than asked each answer's timer is set (``calibrate_timers``)
        self.timer_lead = 0.0

    async def calibrate_timers(self) -> None:
        """Learn how late this machine fires the loop's timers: about 0.3 ms here, with
        ``select`` as with ``epoll`` (a CPU waking from idle), which the floor does not allow
        for. Measured once, idle, before any call (so that a busy run cannot teach it
        anything), as the median lateness of ``CALIBRATION_SLEEPS`` sleeps of 10 ms."""
        lateness = []
        for _ in range(CALIBRATION_SLEEPS):
            asked = time.monotonic() + CALIBRATION_SLEEP
            await asyncio.sleep(CALIBRATION_SLEEP)
            lateness.append(time.monotonic() - asked)
        self.timer_lead = min(statistics.median(lateness), MAX_TIMER_LEAD)

    async def _wait_until(self, deadline: float) -> None:
        """Hold the answer until ``deadline``: on time, timers firing late as calibrated."""
        await asyncio.sleep(max(0.0, deadline - self.timer_lead - time.monotonic()))

    async def _api(self, request: web.Request) -> web.Response:
        started = time.perf_counter()
        try:
            return await super()._api(request)
        finally:
            self.busy_seconds += time.perf_counter() - started

    async def _record(self, call: Call) -> None:
        if call.injected:
            self.rate_limited_at.append(time.perf_counter())
        await super()._record(call)


def report(slack: TimedFakeSlack) -> Message:
    """What Slack accepted (each DM by channel and text), its 429s, its time and CPU (before
    the checks of the messages kept since the last report), and what those checks found."""
    cpu_seconds = time.process_time()
    slack.check_messages_now()
    accepted = Counter(
        (str(call.args["channel"]), str(call.args["text"]))
        for call in slack.calls_to(POST_MESSAGE)
        if not call.injected
    )
    return {
        "accepted": len(accepted),
        "sent_twice": sum(count > 1 for count in accepted.values()),
        "rate_limited_at": slack.rate_limited_at,
        "busy_seconds": slack.busy_seconds,
        "calls": len(slack.calls),
        "cpu_seconds": cpu_seconds,
        "violations": slack.take_violations(),
    }


async def serve() -> None:
    slack = TimedFakeSlack()
    async with slack:
        await slack.calibrate_timers()
        send({"api_url": slack.api_url})
        while not (message := await receive()).get("stop"):
            answer: dict[str, Any] = {}
            if "latency" in message:
                slack.latency = float(message["latency"])
            if message.get("inject"):
                slack.inject(
                    POST_MESSAGE, status=429, retry_after=RETRY_AFTER, times=message["inject"]
                )
            if message.get("report"):
                answer = report(slack)
            send(answer)
    send({})


def precise_timer_loop() -> asyncio.AbstractEventLoop:
    """An event loop whose timers fire on time to the microsecond: the default one waits in
    ``epoll``, whose timeouts are whole milliseconds rounded up, so each call's latency ran
    late by half a millisecond on average (20.56 ms for 20 ms asked); ``select`` takes
    microseconds, and the fake Slack holds only a few connections."""
    return asyncio.SelectorEventLoop(selectors.SelectSelector())


if __name__ == "__main__":
    with asyncio.Runner(loop_factory=precise_timer_loop) as runner:
        runner.run(serve())
