"""Time and SQL statements to build the weekly alignment digest, at 1x and 10x.

Seeds a fresh migrated database (``bench.digest_seed``: 1,000 people in 20 teams, 5,000
goals, 100 KPIs with a year of weekly values, four check-in rounds, a released pulse survey;
and ten times that) in another process, then, with the clock fixed at Friday 27 November
2026 16:00 UTC (week 2026-W48), times what a digest run does apart from talking to Slack:
``load_source``, the company digest and every team digest, their posts and threads, and the
KPI chart. The number of SQL statements must be the same at every size; the command exits 1
when it is not.

Runs on a temporary SQLite file, or on PostgreSQL when DATABASE_URL names a database whose
name contains "bench" (it is emptied and migrated afresh for each size, and ANALYZEd after
seeding, as autovacuum would do in a while; ``--no-analyze`` measures without statistics).

Run: ``python -m bench.digest [--scale 1 --scale 10] [--repeats 10] [--no-analyze] [--json]``
(``make bench`` runs it through ``bench.all``). The step-by-step detail goes to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncEngine

from bench.digest_seed import NOW, WEEK, Size, seed
from bench.memory import MIB, peak_during, rss
from bench.report import Row, print_rows
from bench.support import (
    TEAM_ID,
    StatementCounter,
    bench_settings,
    database_url,
    gather_statistics,
    percentile,
    prepare_database,
    start_as_northstar_does,
)
from bot.core.runtime import Runtime
from bot.digest.blocks.post import build_digest_post
from bot.digest.blocks.thread import build_digest_thread
from bot.digest.build import build_digest, team_scopes
from bot.digest.chart import render_kpi_chart
from bot.digest.model import COMPANY_SCOPE, Digest
from bot.digest.source import DigestSource, DigestWeek, load_source
from bot.digest.texts_delivery import CHART_TITLE
from bot.slack.messages import Reply
from storage.db import create_engine, create_session_factory

PERIOD = DigestWeek(week=WEEK, tz=ZoneInfo("UTC"), now=NOW)
STEPS = ("load_source", "build_digest", "post + thread", "KPI chart", "total")
ROWS = {
    "load_source": "digest: load_source",
    "build_digest": "digest: build_digest, all scopes",
    "total": "digest: whole build (load, build, render, chart)",
}
T = TypeVar("T")


@dataclass
class Figures:
    """What one size measured: milliseconds per step and run, statements per run, memory,
    and the shape of what was built."""

    size: Size
    seeded: dict[str, int]
    seed_seconds: float
    database: str
    millis: dict[str, list[float]] = field(default_factory=lambda: {step: [] for step in STEPS})
    statements: list[int] = field(default_factory=list)  # by load_source, per run
    run_statements: list[int] = field(default_factory=list)  # by the whole run
    scopes: int = 0
    post_blocks: int = 0
    post_chars: int = 0
    largest_post_chars: int = 0
    replies: int = 0
    chart_bytes: int = 0
    memory_idle: int = 0
    memory_peak: int = 0


def text_chars(value: Any) -> int:
    """Characters of text in a payload: what Slack's message size limit counts."""
    if isinstance(value, dict):
        return sum(
            len(item) if key == "text" and isinstance(item, str) else text_chars(item)
            for key, item in value.items()
        )
    if isinstance(value, list):
        return sum(text_chars(item) for item in value)
    return 0


def timed(figures: Figures, step: str, work: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = work()
    figures.millis[step].append((time.perf_counter() - started) * 1000)
    return result


def build_all(source: DigestSource) -> list[Digest]:
    scopes = [COMPANY_SCOPE, *(scope for scope, _channel in team_scopes(source.teams, None))]
    return [build_digest(source, scope=scope) for scope in scopes]


def render_all(digests: list[Digest]) -> list[tuple[Reply, list[Reply]]]:
    return [(build_digest_post(digest), build_digest_thread(digest)) for digest in digests]


async def one_run(runtime: Runtime, counter: StatementCounter, figures: Figures) -> None:
    """Load, build every scope, render every post and thread, and chart the company KPIs."""
    before, started = counter.count, time.perf_counter()
    source = await load_source(runtime=runtime, team_id=TEAM_ID, period=PERIOD)
    figures.millis["load_source"].append((time.perf_counter() - started) * 1000)
    figures.statements.append(counter.count - before)
    digests = timed(figures, "build_digest", lambda: build_all(source))
    rendered = timed(figures, "post + thread", lambda: render_all(digests))
    company = digests[0]
    charted = [kpi for kpi in company.kpis if kpi.charted]
    chart = timed(figures, "KPI chart", lambda: render_kpi_chart(charted, title=CHART_TITLE))
    figures.millis["total"].append((time.perf_counter() - started) * 1000)
    figures.run_statements.append(counter.count - before)
    post, thread = rendered[0]
    figures.scopes = len(digests)
    figures.post_blocks, figures.post_chars = len(post["blocks"]), text_chars(post["blocks"])
    figures.largest_post_chars = max(text_chars(reply["blocks"]) for reply, _ in rendered)
    figures.replies = len(thread)
    figures.chart_bytes = len(chart.png) if chart is not None else 0


@dataclass(frozen=True)
class Seeded:
    counts: dict[str, int]
    seconds: float


async def seed_and_analyze(engine: AsyncEngine, size: Size, *, analyze: bool) -> Seeded:
    """Seed; on PostgreSQL, ANALYZE afterwards when asked. Runs in the preparing process."""
    started = time.perf_counter()
    counts = await seed(engine, size)
    if analyze:
        await gather_statistics(engine)
    return Seeded(counts, time.perf_counter() - started)


async def _measure(url: str, seeded: Seeded, size: Size, repeats: int, analyze: bool) -> Figures:
    start_as_northstar_does()
    engine = create_engine(url)
    try:
        database = engine.dialect.name
        if database == "postgresql":
            database += " (ANALYZEd after seeding)" if analyze else " (no ANALYZE)"
        figures = Figures(size, seeded.counts, seeded.seconds, database)
        runtime = Runtime(
            settings=bench_settings(url, "http://127.0.0.1:9/api/"),
            engine=engine,
            sessions=create_session_factory(engine),
            clock=lambda: NOW,
        )
        figures.memory_idle = rss()
        counter = StatementCounter(engine)
        with peak_during() as peak:
            warm_up = Figures(size, seeded.counts, 0, database)
            await one_run(runtime, counter, warm_up)  # also: connections, caches, fonts
            for _ in range(repeats):
                await one_run(runtime, counter, figures)
        figures.memory_peak = peak.bytes
    finally:
        await engine.dispose()
    return figures


def run_size(size: Size, repeats: int, *, analyze: bool = True) -> Figures:
    """Seed ``size`` in another process, then one warm-up run and ``repeats`` measured."""
    with database_url() as url:
        seeded = prepare_database(url, partial(seed_and_analyze, size=size, analyze=analyze))
        assert seeded is not None
        return asyncio.run(_measure(url, seeded, size, repeats, analyze))


def rows_of(figures: Figures, label: str) -> list[Row]:
    sql = {"load_source": figures.statements, "total": figures.run_statements}
    rows = []
    for step, name in ROWS.items():
        timings = figures.millis[step]
        statements = sql.get(step)
        rows.append(
            Row(
                benchmark=name,
                size=label,
                samples=len(timings),
                p50=percentile(timings, 0.50),
                p95=percentile(timings, 0.95),
                p99=percentile(timings, 0.99),
                sql_per_op=sum(statements) / len(statements) if statements else None,
                memory_idle=figures.memory_idle,
                memory_peak=figures.memory_peak,
            )
        )
    return rows


def size_label(size: Size) -> str:
    return f"{size.people:,} people, {size.goals:,} goals"


def print_detail(figures: Figures) -> None:
    size, seeded = figures.size, figures.seeded
    rows = sum(seeded.values())
    say = partial(print, file=sys.stderr)
    say(
        f"\ndigest: {size.people:,} people in {size.teams} teams, {size.goals:,} goals "
        f"({seeded['goal_update']:,} updates), {size.kpis:,} KPIs x 52 weekly values, "
        f"{seeded['checkin_delivery']:,} check-in deliveries, "
        f"{seeded['survey_answer']:,} survey answers"
    )
    say(
        f"  {figures.database}: {rows:,} rows seeded in {figures.seed_seconds:.1f}s; "
        f"{len(figures.statements)} measured runs after one warm-up"
    )
    sql = {"load_source": counts(figures.statements), "total": counts(figures.run_statements)}
    what = {
        "build_digest": f"company + {figures.scopes - 1} team scopes",
        "post + thread": f"{figures.scopes} posts and threads",
        "KPI chart": "company digest",
    }
    say(f"  {'step':16}{'p50 ms':>10}{'p95 ms':>10}{'SQL':>6}  what")
    for step in STEPS:
        timings = figures.millis[step]
        say(
            f"  {step:16}{percentile(timings, 0.5):10.1f}{percentile(timings, 0.95):10.1f}"
            f"{sql.get(step, '-'):>6}  {what.get(step, '')}".rstrip()
        )
    say(
        f"  company post: {figures.post_blocks} blocks, {figures.post_chars:,} characters "
        f"(largest of all posts {figures.largest_post_chars:,}); thread: {figures.replies} "
        f"replies; chart: {figures.chart_bytes / 1024:,.1f} KiB PNG"
    )
    say(
        f"  memory: {figures.memory_idle / MIB:,.0f} MiB resident before the first run, "
        f"{figures.memory_peak / MIB:,.0f} MiB at the highest"
    )


def counts(statements: list[int]) -> str:
    """The statement counts seen over the runs: one number when every run issued the same."""
    return "/".join(map(str, sorted(set(statements))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, action="append", help="1 and 10 unless given")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument(
        "--no-analyze",
        action="store_true",
        help="PostgreSQL: measure before the planner has statistics (no ANALYZE after seeding)",
    )
    parser.add_argument("--json", action="store_true", help="rows as JSON lines for bench.all")
    arguments = parser.parse_args()
    rows, statements = [], {}
    for scale in arguments.scale or [1, 10]:
        size = Size.at(scale)
        figures = run_size(size, max(1, arguments.repeats), analyze=not arguments.no_analyze)
        print_detail(figures)
        rows += rows_of(figures, size_label(size))
        statements[scale] = figures.run_statements
    print_rows(rows, as_json=arguments.json)
    flat = len({count for runs in statements.values() for count in runs}) == 1
    shown = ", ".join(f"{scale}x = {counts(runs)}" for scale, runs in statements.items())
    print(f"digest statements: {shown} — {'flat' if flat else 'GROWS'}", file=sys.stderr)
    sys.exit(0 if flat else 1)


if __name__ == "__main__":
    main()
