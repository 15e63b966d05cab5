"""Time and SQL statements for the big read paths of goals and KPIs, at 1x and 10x.

Seeds a workspace (``bench.goals_seed``; 1x is 2,000 goals and 200 KPIs with a year of daily
values) in a fresh migrated SQLite database (or DATABASE_URL), then drives ``/goal list
all``, ``/goal tree``, ``/kpi list`` and the App Home tab through the real HTTP app with
signed requests (in-process ASGI), each from the request to the reply reaching the fake
Slack. The statement count should be the same at every size (no N+1).

Run: ``python -m bench.goals [--scale 1 --scale 10 | --goals 2000 --kpis 200]
[--repeats 10] [--json]`` (``make bench`` runs it through ``bench.all``).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from functools import partial

import httpx

from bench.goals_seed import NOW, GoalsSize, seed
from bench.memory import peak_during, rss
from bench.report import Row, print_rows
from bench.support import (
    ADMIN_ID,
    StatementCounter,
    bench_settings,
    database_url,
    percentile,
    prepare_database,
    start_as_northstar_does,
)
from bot.app.factory import build_app
from bot.app.server import build_http_app
from bot.core.runtime import Runtime
from bot.slack.connections import slack_connections
from fakeslack import FakeSlack
from fakeslack.app_requests import SlackSender
from storage.db import create_engine, create_session_factory

COMMANDS = (
    ("/goal list all", "/goal", "list all"),
    ("/goal tree", "/goal", "tree"),
    ("/kpi list", "/kpi", "list"),
)
HOME = "App Home"


async def _command(sender: SlackSender, slack: FakeSlack, command: str, text: str) -> float:
    seen = len(slack.calls_to("response_url"))
    started = time.perf_counter()
    await sender.command(command, text, user_id=ADMIN_ID)
    await slack.wait_for("response_url", seen + 1, timeout=120)
    return (time.perf_counter() - started) * 1000


async def _home(sender: SlackSender, slack: FakeSlack) -> float:
    seen = len(slack.calls_to("views.publish"))
    started = time.perf_counter()
    await sender.event(
        {"type": "app_home_opened", "user": ADMIN_ID, "channel": "D1", "tab": "home"},
        event_id=f"EvBench{time.time_ns()}",
    )
    await slack.wait_for("views.publish", seen + 1, timeout=120)
    return (time.perf_counter() - started) * 1000


async def _time_operations(
    sender: SlackSender, slack: FakeSlack, counter: StatementCounter, repeats: int
) -> list[tuple[str, list[float], float, int]]:
    """(name, milliseconds per run, statements per run, peak memory) of each operation."""
    operations: dict[str, Callable[[], Awaitable[float]]] = {
        name: partial(_command, sender, slack, command, text) for name, command, text in COMMANDS
    }
    operations[HOME] = partial(_home, sender, slack)
    measured = []
    for name, operation in operations.items():
        before = counter.count
        with peak_during() as peak:
            timings = [await operation() for _ in range(repeats)]
        measured.append((name, timings, (counter.count - before) / repeats, peak.bytes))
    return measured


async def _measure(url: str, size: GoalsSize, repeats: int) -> list[Row]:
    start_as_northstar_does()
    engine = create_engine(url)
    try:
        async with FakeSlack() as slack:
            slack.add_user(ADMIN_ID, name="ada", is_admin=True)
            runtime = Runtime(
                settings=bench_settings(url, slack.api_url),
                engine=engine,
                sessions=create_session_factory(engine),
                clock=lambda: NOW,
            )
            transport = httpx.ASGITransport(app=build_http_app(runtime, build_app(runtime)))
            async with (
                slack_connections(),  # as ``northstar run`` opens them
                httpx.AsyncClient(transport=transport, base_url="http://bench") as client,
            ):
                sender = SlackSender(client, response_urls=slack.response_url)
                idle = rss()
                counter = StatementCounter(engine)
                await _command(sender, slack, "/goal", "help")  # warm-up: auth.test, caches
                measured = await _time_operations(sender, slack, counter, repeats)
    finally:
        await engine.dispose()
    return [
        Row(
            benchmark=f"goals: {name}",
            size=size.label(),
            samples=repeats,
            p50=percentile(timings, 0.50),
            p95=percentile(timings, 0.95),
            p99=percentile(timings, 0.99),
            sql_per_op=statements,
            memory_idle=idle,
            memory_peak=peak,
        )
        for name, timings, statements, peak in measured
    ]


def run(size: GoalsSize, repeats: int = 10) -> list[Row]:
    """Seed a fresh database of ``size`` (in another process), then measure each read path
    ``repeats`` times. App Home's statements include recording the event id (2 of them)."""
    with database_url() as url:
        started = time.perf_counter()
        prepare_database(url, partial(seed, size=size))
        print(
            f"goals: {size.label()} seeded in {time.perf_counter() - started:.1f}s",
            file=sys.stderr,
        )
        return asyncio.run(_measure(url, size, repeats))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, action="append", help="1 and 10 unless given")
    parser.add_argument("--goals", type=int, help="an exact size instead of --scale")
    parser.add_argument("--kpis", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="rows as JSON lines for bench.all")
    arguments = parser.parse_args()
    if arguments.goals is not None:
        sizes = [GoalsSize(arguments.goals, arguments.kpis)]
    else:
        sizes = [GoalsSize.at(scale) for scale in arguments.scale or [1, 10]]
    rows = [row for size in sizes for row in run(size, max(1, arguments.repeats))]
    print_rows(rows, as_json=arguments.json)


if __name__ == "__main__":
    main()
