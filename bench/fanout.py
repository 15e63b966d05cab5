"""Check-in fan-out throughput: 1,000 people, a fake Slack answering every call after 20 ms,
then the same with rate limits (HTTP 429, Retry-After: 1) injected; prints DMs per second and
SQL statements per person.

Run: ``python -m bench.fanout [--people 1000 --latency 0.02]`` (``make bench`` runs it too).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import UTC, datetime

from bench.commands import StatementCounter, bench_settings, database_url
from bot.checkin_rounds import open_rounds, send_due_prompts
from bot.runtime import Runtime
from bot.slack_client import build_web_client
from storage.db import create_engine, create_session_factory, transaction
from storage.migrate import upgrade
from storage.repositories.members import MemberProfile, upsert_members
from storage.repositories.workspaces import ensure_workspace
from tests.fake_slack import FakeSlack

TEAM = "T0001"
PROMPT_TIME = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # Monday 09:00 UTC


async def run_case(people: int, latency: float, rate_limits: int) -> tuple[float, float, int]:
    with database_url() as url:
        engine = create_engine(url)
        await upgrade(engine)
        async with FakeSlack() as slack:
            runtime = Runtime(
                settings=bench_settings(url, slack.api_url),
                engine=engine,
                sessions=create_session_factory(engine),
            )
            async with transaction(runtime.sessions) as session:
                await ensure_workspace(session=session, team_id=TEAM)
                profiles = [MemberProfile(user_id=f"U{i:06d}", tz="UTC") for i in range(people)]
                await upsert_members(session=session, team_id=TEAM, profiles=profiles)
            await open_rounds(runtime=runtime, team_id=TEAM, now=PROMPT_TIME)
            client = build_web_client(token="xoxb-bench", base_url=slack.api_url)
            slack.latency = latency
            if rate_limits:
                slack.inject("chat.postMessage", status=429, retry_after=1, times=rate_limits)
            counter = StatementCounter(engine)
            started = time.perf_counter()
            report = await send_due_prompts(
                runtime=runtime, client=client, team_id=TEAM, now=PROMPT_TIME
            )
            elapsed = time.perf_counter() - started
            sent = report.outcomes["sent"]
        await engine.dispose()
    return sent / elapsed, counter.count / people, sent


async def run(people: int, latency: float) -> None:
    print(f"{people:,} people, fake Slack latency {latency * 1000:.0f} ms per call")
    print(f"{'case':28}{'DMs/s':>10}{'SQL/person':>12}{'sent':>8}")
    for name, limits in (("no rate limits", 0), ("20 x HTTP 429 (Retry-After 1)", 20)):
        per_second, statements, sent = await run_case(people, latency, limits)
        print(f"{name:28}{per_second:10.1f}{statements:12.1f}{sent:8,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.02)
    arguments = parser.parse_args()
    asyncio.run(run(arguments.people, arguments.latency))


if __name__ == "__main__":
    main()
