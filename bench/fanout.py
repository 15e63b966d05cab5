"""Check-in fan-out throughput: N people (1x: 1,000), a fake Slack answering every call after
20 ms, then the same with rate limits (HTTP 429, Retry-After: 1) injected; DMs per second
and SQL statements per person.

Run: ``python -m bench.fanout [--people 1000 | --scale 1 --scale 10] [--latency 0.02]
[--case plain|429] [--json]`` (``make bench`` runs it through ``bench.all``).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import UTC, datetime

from bench.memory import peak_during, rss
from bench.report import Row, print_rows
from bench.support import StatementCounter, bench_settings, database_url, prepare_database
from bot.checkins.rounds import open_rounds, send_due_prompts
from bot.core.runtime import Runtime
from bot.slack.client import build_web_client
from fakeslack import FakeSlack
from storage.db import create_engine, create_session_factory, transaction
from storage.repositories.members import MemberProfile, upsert_members
from storage.repositories.workspaces import ensure_workspace

TEAM = "T0001"
PROMPT_TIME = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # Monday 09:00 UTC
PEOPLE_AT_1X = 1_000
MEMBERS_PER_STATEMENT = 2_000
CASES = {"plain": 0, "429": 20}  # how many HTTP 429 answers (Retry-After: 1) to inject
CASE_NAMES = {"plain": "no rate limits", "429": "20 x HTTP 429"}


async def _measure(url: str, people: int, latency: float, case: str) -> Row:
    engine = create_engine(url)
    try:
        async with FakeSlack() as slack:
            runtime = Runtime(
                settings=bench_settings(url, slack.api_url),
                engine=engine,
                sessions=create_session_factory(engine),
            )
            async with transaction(runtime.sessions) as session:
                await ensure_workspace(session=session, team_id=TEAM)
                profiles = [MemberProfile(user_id=f"U{i:06d}", tz="UTC") for i in range(people)]
                # in slices: one statement for everyone exceeds asyncpg's 32,767 parameters
                for start in range(0, people, MEMBERS_PER_STATEMENT):
                    await upsert_members(
                        session=session,
                        team_id=TEAM,
                        profiles=profiles[start : start + MEMBERS_PER_STATEMENT],
                    )
            await open_rounds(runtime=runtime, team_id=TEAM, now=PROMPT_TIME)
            client = build_web_client(token="xoxb-bench", base_url=slack.api_url)
            slack.latency = latency
            if CASES[case]:
                slack.inject("chat.postMessage", status=429, retry_after=1, times=CASES[case])
            idle = rss()
            counter = StatementCounter(engine)
            with peak_during() as peak:
                started = time.perf_counter()
                report = await send_due_prompts(
                    runtime=runtime, client=client, team_id=TEAM, now=PROMPT_TIME
                )
                elapsed = time.perf_counter() - started
            sent = report.outcomes["sent"]
    finally:
        await engine.dispose()
    if sent != people:
        raise RuntimeError(f"fan-out sent {sent} of {people} prompts: {report.outcomes}")
    print(f"fan-out: {people:,} people, {case}: {elapsed:.1f}s", file=sys.stderr)
    return Row(
        benchmark=f"fan-out: check-in DMs, {CASE_NAMES[case]}",
        size=f"{people:,} people, Slack +{latency * 1000:.0f} ms",
        samples=people,
        rate=sent / elapsed,
        rate_unit="DMs/s",
        sql_per_op=counter.count / people,
        memory_idle=idle,
        memory_peak=peak.bytes,
    )


def run(people: int, latency: float = 0.02, case: str = "plain") -> Row:
    """One fan-out of check-in prompts to ``people`` on a fresh database."""
    with database_url() as url:
        prepare_database(url)
        return asyncio.run(_measure(url, people, latency, case))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, help="an exact size instead of --scale")
    parser.add_argument("--scale", type=float, action="append", help="1 unless given")
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--case", choices=sorted(CASES), action="append", help="both unless given")
    parser.add_argument("--json", action="store_true", help="rows as JSON lines for bench.all")
    arguments = parser.parse_args()
    sizes = [arguments.people] if arguments.people else []
    sizes = sizes or [round(PEOPLE_AT_1X * scale) for scale in arguments.scale or [1]]
    rows = [
        run(people, arguments.latency, case)
        for people in sizes
        for case in arguments.case or list(CASES)
    ]
    print_rows(rows, as_json=arguments.json)


if __name__ == "__main__":
    main()
