"""Acknowledgement latency, full round trip and SQL statements per ``/align`` command.

Drives signed requests through the real HTTP app (in-process ASGI) against the fake Slack
and a fresh migrated SQLite database (or DATABASE_URL when set to PostgreSQL), then prints a
table. Run: ``python -m bench.commands [--requests N]``; one request at a time, so it is not
part of ``make bench``, whose ``bench.ack`` measures acknowledgements under load.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import httpx

from bench.support import (
    ADMIN_ID,
    MEMBER_ID,
    StatementCounter,
    bench_settings,
    database_url,
    percentile,
    start_as_northstar_does,
)
from bot.app.factory import build_app
from bot.app.server import build_http_app
from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from fakeslack.app_requests import SlackSender
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade

COMMANDS = {
    "/align help": ("help", ADMIN_ID),
    "/align vision (show)": ("vision", MEMBER_ID),
    "/align vision <text> (admin)": ("vision Benchmarks keep us honest", ADMIN_ID),
    "/align vision <text> (refused)": ("vision Not allowed", MEMBER_ID),
    "/align bogus (bad input)": ("bogus", MEMBER_ID),
}


async def measure(
    name: str,
    text: str,
    user: str,
    *,
    sender: SlackSender,
    slack: FakeSlack,
    counter: StatementCounter,
    requests: int,
) -> dict[str, float]:
    acks: list[float] = []
    rounds: list[float] = []
    statements_before = counter.count
    for _ in range(requests):
        seen = len(slack.calls_to("response_url"))
        started = time.perf_counter()
        response, _ = await sender.command("/align", text, user_id=user)
        acked = time.perf_counter()
        await slack.wait_for("response_url", seen + 1, timeout=30)
        answered = time.perf_counter()
        if response.status_code != 200:
            raise RuntimeError(f"{name}: HTTP {response.status_code}")
        acks.append((acked - started) * 1000)
        rounds.append((answered - started) * 1000)
    await asyncio.sleep(0.05)  # let Home publishes after a vision change finish
    return {
        "ack_p50": percentile(acks, 0.50),
        "ack_p95": percentile(acks, 0.95),
        "ack_p99": percentile(acks, 0.99),
        "reply_p50": percentile(rounds, 0.50),
        "reply_p95": percentile(rounds, 0.95),
        "per_second": requests / (sum(rounds) / 1000),
        "sql_per_command": (counter.count - statements_before) / requests,
    }


async def run(requests: int) -> None:
    start_as_northstar_does()
    with database_url() as url:
        engine = create_engine(url)
        await upgrade(engine)
        async with FakeSlack() as slack:
            slack.add_user(ADMIN_ID, name="ada", is_admin=True)
            slack.add_user(MEMBER_ID, name="max")
            settings = bench_settings(url, slack.api_url)
            runtime = Runtime(
                settings=settings, engine=engine, sessions=create_session_factory(engine)
            )
            transport = httpx.ASGITransport(app=build_http_app(runtime, build_app(runtime)))
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                sender = SlackSender(client, response_urls=slack.response_url)
                await sender.command(
                    "/align", "help", user_id=ADMIN_ID
                )  # warm-up: auth.test, workspace row
                await slack.wait_for("response_url")
                counter = StatementCounter(engine)
                print(f"database: {engine.dialect.name}; {requests} sequential requests each")
                print(
                    f"{'command':34} {'ack p50':>8} {'p95':>7} {'p99':>7} {'reply p50':>10} "
                    f"{'p95':>7} {'req/s':>7} {'SQL/cmd':>8}"
                )
                for name, (text, user) in COMMANDS.items():
                    row = await measure(
                        name,
                        text,
                        user,
                        sender=sender,
                        slack=slack,
                        counter=counter,
                        requests=requests,
                    )
                    print(
                        f"{name:34} {row['ack_p50']:7.1f}ms {row['ack_p95']:6.1f}ms "
                        f"{row['ack_p99']:6.1f}ms {row['reply_p50']:9.1f}ms "
                        f"{row['reply_p95']:6.1f}ms {row['per_second']:7.0f} "
                        f"{row['sql_per_command']:8.1f}"
                    )
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    asyncio.run(run(parser.parse_args().requests))


if __name__ == "__main__":
    main()
