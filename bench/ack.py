"""Acknowledgement latency in HTTP mode under load, beside the framework's floor.

Bursts of concurrent signed ``/goal list`` requests over real HTTP (one keep-alive
connection per request in flight) to two servers, each uvicorn in its own process:
Northstar's HTTP app on a migrated, seeded database (``bench.goals_seed`` at 1x: 2,000 goals)
with the fake Slack in a third process, and the floor: the same Starlette app and Bolt
adapter around a bare ``AsyncApp`` whose ``/goal`` listener only calls ``ack()``. Latency is
from a request's first byte sent to its HTTP response (the ack) received. Each round sends a
burst to both (alternating which goes first) and waits until Northstar's replies have all
reached the fake Slack's response URLs; the first round warms up and is not counted. Each
percentile is the median, over the measured rounds, of that round's percentile (the issue's
"median of three measured rounds"); the note under the table also gives the percentiles of all
requests pooled, and each round's p50 and p95.

The client is aiohttp's, not httpx's: with 200 connections in its pool, httpx spent about
1 s of CPU per burst of 200 requests against the floor (aiohttp: 0.03 s), so the figures
measured the client (see encode/httpx#3215).

Every round also counts lost replies: once the server says every acknowledged request has
done its work, the replies that did not reach the fake Slack, or came as an apology. With
``--charts N`` the server draws N survey charts during each burst (``bench.ack_charts``), in
a worker thread as ``/pulse results`` does, or on the event loop with ``--charts-on-loop``.

Run: ``python -m bench.ack [--requests 200 --rounds 3 --goals 2000] [--charts N
[--charts-on-loop]] [--json]``
(``make bench`` runs it through ``bench.all``).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import aiohttp

from bench.ack_protocol import Child
from bench.goals_seed import GoalsSize, seed
from bench.report import Row, print_rows
from bench.support import (
    ADMIN_ID,
    SIGNING_SECRET,
    TEAM_ID,
    database_url,
    percentile,
    prepare_database,
)
from fakeslack.app_requests import command_body, signed_headers

FORM = "application/x-www-form-urlencoded"
NORTHSTAR, FLOOR = "northstar", "floor"
NAMES = {NORTHSTAR: "ack: Northstar /goal list", FLOOR: "ack: bare Bolt app (floor)"}


@dataclass
class Server:
    kind: str
    child: Child
    url: str
    memory_idle: int
    rounds: list[list[float]] = field(default_factory=list)  # ms to each ack, by measured round
    busy_seconds: float = 0.0  # first request sent to last ack received, summed over rounds
    cpu_seconds: float = 0.0  # the server's, from a burst's start until its replies are out
    statements: int = 0
    errors: int = 0
    lost: int = 0  # replies that never reached the fake Slack, or came as an apology
    first_error: str = ""

    @property
    def latencies(self) -> list[float]:
        return [latency for round_ in self.rounds for latency in round_]

    def percentile(self, share: float) -> float:
        """The median, over the measured rounds, of each round's percentile: the issue's
        "median of three measured rounds", so that one round a stray pause hit (in either
        process, or the kernel) counts once instead of filling the pooled tail."""
        return statistics.median(percentile(round_, share) for round_ in self.rounds)

    async def figures(self) -> dict[str, Any]:
        return await self.child.ask({})

    def note(self) -> str:
        rounds = ", ".join(
            f"{percentile(round_, 0.50):,.0f}/{percentile(round_, 0.95):,.0f}"
            for round_ in self.rounds
        )
        pooled = self.latencies
        over_all = "/".join(f"{percentile(pooled, share):,.0f}" for share in (0.50, 0.95, 0.99))
        note = (
            f"p50/p95 by round {rounds} ms; p50/p95/p99 of all {len(pooled):,} requests pooled "
            f"{over_all} ms; "
            f"server CPU {self.cpu_seconds / len(self.latencies) * 1000:.2f} ms per request"
        )
        if self.kind == NORTHSTAR:
            note = f"{note}; replies lost: {self.lost:,} of {len(self.latencies):,}"
        if not self.errors:
            return note
        return f"{note}; {self.errors:,} errors logged, first: {self.first_error}"


def signed_requests(count: int, response_url: str, burst: str) -> list[tuple[str, dict[str, str]]]:
    """Bodies and headers, signed before the clock starts; each with its own response URL."""
    requests = []
    for index in range(count):
        body = command_body(
            "list",
            command="/goal",
            user_id=ADMIN_ID,
            team_id=TEAM_ID,
            response_url=f"{response_url}{burst}-{index}",
            trigger_id=f"1337.{index}.{burst}",
        )
        requests.append(
            (body, {"content-type": FORM, **signed_headers(body, secret=SIGNING_SECRET)})
        )
    return requests


async def burst(
    client: aiohttp.ClientSession, url: str, requests: list[tuple[str, dict[str, str]]]
) -> tuple[list[float], float]:
    """Send every request at once; milliseconds to each ack, and seconds for the burst.

    The client's cyclic garbage collector is off during the burst and runs after it: a full
    collection of this process took 60-75 ms and, landing in a burst, delayed every request
    of that round for a reason that is not the server's."""

    async def one(body: str, headers: dict[str, str]) -> float:
        started = time.perf_counter()
        async with client.post(url, data=body, headers=headers) as response:
            text = await response.text()
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status} {text[:200]}")
        return elapsed * 1000

    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        latencies = await asyncio.gather(*(one(body, headers) for body, headers in requests))
        seconds = time.perf_counter() - started
    finally:
        gc.enable()
    return list(latencies), seconds


async def _start(kind: str, database: str, api_url: str) -> Server:
    if kind == NORTHSTAR:
        child = await Child.start(kind, "bench.ack_servers", "northstar", database, api_url)
    else:
        child = await Child.start(kind, "bench.ack_floor", api_url)
    ready = await child.receive(within=120)
    url = f"http://127.0.0.1:{ready['port']}/slack/events"
    return Server(kind, child, url, ready["memory_idle"])


@dataclass(frozen=True)
class Load:
    """What every burst goes through: the client, and the fake Slack that gets the replies."""

    client: aiohttp.ClientSession
    fake_slack: Child
    response_url: str
    requests: int
    charts: int = 0
    """Survey charts the server draws while each burst is in flight (``bench.ack_charts``)."""
    charts_on_loop: bool = False


SETTLE_POLL_SECONDS = 0.1
REPLY_GRACE_SECONDS = 10.0


async def _settled(server: Server) -> dict[str, Any]:
    """Wait until every acknowledged request has done its work and the charts are drawn."""
    while True:
        figures = await server.figures()
        if not figures["in_flight"] and not figures.get("charts_drawing"):
            return figures
        await asyncio.sleep(SETTLE_POLL_SECONDS)


async def _lost_replies(load: Load) -> int:
    """Replies of the last burst that did not reach the fake Slack, or came as apologies."""
    done = await load.fake_slack.ask({"replies": load.requests, "within": REPLY_GRACE_SECONDS})
    if done["violations"]:
        raise RuntimeError(f"fake Slack refused replies: {done['violations'][:3]}")
    return int(load.requests - done["received"] + done["apologies"])


async def _round(number: int, server: Server, load: Load) -> None:
    signed = signed_requests(load.requests, load.response_url, f"r{number}")
    charts = load.charts if server.kind == NORTHSTAR else 0
    before = await server.child.ask({"charts": charts, "on_loop": load.charts_on_loop})
    latencies, seconds = await burst(load.client, server.url, signed)
    lost = 0
    if server.kind == NORTHSTAR:
        await _settled(server)
        lost = await _lost_replies(load)
    after = await server.figures()
    if number:  # round 0 warms up: connections, caches, auth.test
        server.rounds.append(latencies)
        server.busy_seconds += seconds
        server.cpu_seconds += after["cpu_seconds"] - before["cpu_seconds"]
        server.statements += after["statements"] - before["statements"]
        server.errors += after["errors"] - before["errors"]
        server.lost += lost
    server.first_error = server.first_error or after["first_error"]


async def _row(server: Server, size: str) -> Row:
    last = await server.child.stop()
    latencies = server.latencies
    return Row(
        benchmark=NAMES[server.kind],
        size=size,
        samples=len(latencies),
        p50=server.percentile(0.50),
        p95=server.percentile(0.95),
        p99=server.percentile(0.99),
        rate=len(latencies) / server.busy_seconds,
        rate_unit="acks/s",
        sql_per_op=server.statements / len(latencies),
        memory_idle=server.memory_idle,
        memory_peak=last["memory_peak"],
        note=server.note(),
    )


async def _measure(
    database: str, requests: int, rounds: int, goals: int, charts: tuple[int, bool]
) -> list[Row]:
    children = [fake_slack := await Child.start("fake Slack", "bench.ack_servers", "fake-slack")]
    try:
        slack = await fake_slack.receive(within=120)
        servers = list(
            await asyncio.gather(*(_start(kind, database, slack["api_url"]) for kind in NAMES))
        )
        children += [server.child for server in servers]
        # every connection kept open between rounds, as uvicorn keeps its end open
        connector = aiohttp.TCPConnector(
            limit=2 * requests, limit_per_host=requests, keepalive_timeout=600
        )
        timeout = aiohttp.ClientTimeout(total=600)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as client:
            load = Load(client, fake_slack, slack["response_url"], requests, *charts)
            for number in range(rounds + 1):
                for server in servers if number % 2 else servers[::-1]:
                    await _round(number, server, load)
                print(f"ack: round {number} of {rounds} done", file=sys.stderr)
        size = f"{requests} concurrent, {goals:,} goals{_charts_label(*charts)}"
        northstar, floor = [await _row(server, size) for server in servers]
        await fake_slack.stop()
    finally:
        for child in children:
            await child.kill()
    return [northstar, floor, ratio_row(northstar, floor)]


def _charts_label(count: int, on_loop: bool) -> str:
    if not count:
        return ""
    return f", {count} charts {'on the loop' if on_loop else 'in a thread'}"


def ratio_row(northstar: Row, floor: Row) -> Row:
    assert northstar.p50 and northstar.p95 and northstar.p99
    assert floor.p50 and floor.p95 and floor.p99
    return Row(
        benchmark="ack: Northstar ÷ floor",
        size=northstar.size,
        samples=northstar.samples,
        p50=northstar.p50 / floor.p50,
        p95=northstar.p95 / floor.p95,
        p99=northstar.p99 / floor.p99,
        ratio=True,
    )


def run(
    requests: int = 200,
    rounds: int = 3,
    goals: int = 2_000,
    *,
    charts: int = 0,
    charts_on_loop: bool = False,
) -> list[Row]:
    """Rows for Northstar, the floor, and their ratio."""
    with database_url() as database:
        prepare_database(database, partial(seed, size=GoalsSize(goals, kpis=0)))
        drawing = (charts, charts_on_loop)
        return asyncio.run(_measure(database, requests, rounds, goals, drawing))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200, help="concurrent, per burst")
    parser.add_argument("--rounds", type=int, default=3, help="measured, after one warm-up")
    parser.add_argument("--goals", type=int, default=2_000, help="in the seeded workspace")
    parser.add_argument(
        "--charts", type=int, default=0, help="survey charts drawn during each burst"
    )
    parser.add_argument(
        "--charts-on-loop", action="store_true", help="draw them on the event loop, not a thread"
    )
    parser.add_argument("--json", action="store_true", help="rows as JSON lines for bench.all")
    arguments = parser.parse_args()
    rows = run(
        arguments.requests,
        max(1, arguments.rounds),
        arguments.goals,
        charts=arguments.charts,
        charts_on_loop=arguments.charts_on_loop,
    )
    print_rows(rows, as_json=arguments.json)


if __name__ == "__main__":
    main()
