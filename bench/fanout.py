"""Check-in fan-out throughput: N people (1x: 1,000), a fake Slack answering every call after
20 ms, then the same with rate limits (HTTP 429, Retry-After: 1) injected; DMs per second
and SQL statements per person, against the floor they are measured by: ``SEND_CONCURRENCY``
DMs per Slack latency (400 a second with 8 at 20 ms), and with 429s the floor the
``Retry-After`` values allow, ``DMs / (DMs / 400 + the time some Retry-After forbade
sending)``, that time being the union of ``[answer, answer + Retry-After]`` over the 429s the
fake Slack gave. The fake Slack runs in a process of its own (``bench.fanout_slack``), as
Slack is another machine. CPU milliseconds per DM (``time.process_time``) are printed too, the
fan-out's and the fake Slack's: on a shared machine they vary less than the wall-clock rate.

With ``--setups S`` (S > 1) the workspace has S check-in setups (the default one and S - 1
more), each for a team of its own N people, all due the same Monday at 09:00: S x N DMs in
the same minute, sent by one fan-out run; statements are counted per DM. Every run checks
exactly once: every invitation sent, each by one ``chat.postMessage`` that Slack accepted.
Before the measured run, a warm-up fan-out to 100 people of another workspace opens the
connections and compiles the statements a running server has, as the other benchmarks' first
round does (``_warm_up``).

Run: ``python -m bench.fanout [--people 1000 | --scale 1 --scale 10] [--setups 10]
[--latency 0.02] [--case plain|429] [--json]`` (``make bench`` runs it through ``bench.all``).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import UTC, datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel import func, select

from bench.ack_protocol import Child, Message
from bench.fanout_bare import bare_client_rate
from bench.fanout_slack import RETRY_AFTER
from bench.memory import peak_during, rss
from bench.report import Row, print_rows
from bench.support import (
    StatementCounter,
    bench_settings,
    database_url,
    gather_statistics,
    prepare_database,
    start_as_northstar_does,
)
from bot.checkins.rounds import open_rounds, send_due_prompts
from bot.checkins.settings import CheckinSettings, config_of
from bot.checkins.setups import store_default_settings
from bot.core.runtime import Runtime
from bot.slack.client import build_web_client
from bot.slack.fanout import SEND_CONCURRENCY
from storage.db import create_engine, create_session_factory, transaction
from storage.models import CheckinDelivery, TeamMembership
from storage.repositories.checkin_setups import insert_setup
from storage.repositories.members import MemberProfile, upsert_members
from storage.repositories.teams import create_team
from storage.repositories.workspaces import ensure_workspace

TEAM = "T0001"
WARM_UP_TEAM, WARM_UP_PEOPLE = "T0000", 100  # a fan-out before the measured one (``_warm_up``)
PROMPT_TIME = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # Monday 09:00 UTC
PEOPLE_AT_1X = 1_000
MEMBERS_PER_STATEMENT = 2_000
BARE_CALLS = 2_000  # posts of the bare client measured after each run (bench.fanout_bare)
CASES = {"plain": 0, "429": 20}  # how many HTTP 429 answers (Retry-After: 1) to inject


def forced_waiting(answered_at: list[float], retry_after: float) -> float:
    """Seconds inside at least one ``[answer, answer + retry_after]``: when Slack forbade
    sending."""
    total, covered_until = 0.0, float("-inf")
    for start in sorted(answered_at):
        end = start + retry_after
        if end > covered_until:
            total += end - max(start, covered_until)
            covered_until = end
    return total


def floor_rate(dms: int, latency: float, waiting: float) -> float:
    """DMs per second that ``SEND_CONCURRENCY`` sends of ``latency`` each allow, with
    ``waiting`` seconds of forced pauses on top."""
    at_full_speed = dms / (SEND_CONCURRENCY / latency) if latency else 0.0
    return dms / (at_full_speed + waiting) if at_full_speed + waiting else 0.0


CASE_NAMES = {"plain": "no rate limits", "429": "20 x HTTP 429"}


async def _seed(
    runtime: Runtime, people: int, setups: int, team: str = TEAM, users: str = "U"
) -> None:
    """``people`` members (UTC, their IDs starting ``users``) for each setup in workspace
    ``team``; with one setup, the default for everyone; with more, the default and
    ``setups`` - 1 others, each for a team of its own people."""
    async with transaction(runtime.sessions) as session:
        await ensure_workspace(session=session, team_id=team)
        profiles = [
            MemberProfile(user_id=f"{users}{i:06d}", tz="UTC") for i in range(people * setups)
        ]
        # in slices: one statement for everyone exceeds asyncpg's 32,767 parameters
        for start in range(0, len(profiles), MEMBERS_PER_STATEMENT):
            await upsert_members(
                session=session,
                team_id=team,
                profiles=profiles[start : start + MEMBERS_PER_STATEMENT],
            )
        if setups == 1:
            return
        for number in range(setups):
            group = await create_team(session=session, team_id=team, name=f"Team {number}")
            assert group.id is not None
            session.add_all(
                TeamMembership(team_ref=group.id, user_id=profile.user_id, team_id=team)
                for profile in profiles[number * people : (number + 1) * people]
            )
            settings = CheckinSettings(team_refs=[group.id])  # Monday 09:00, like the default
            if number == 0:
                await store_default_settings(session, team, settings)
            else:
                await insert_setup(
                    session=session,
                    team_id=team,
                    name=f"Setup {number}",
                    config=config_of(settings),
                )


async def _warm_up(runtime: Runtime, client: AsyncWebClient) -> None:
    """What the other benchmarks' first round is for (connections, caches): a server that
    has been running since last week has its pool's connections open and its statements
    compiled when Monday 09:00 comes. One fan-out, to ``WARM_UP_PEOPLE`` people of another
    workspace, long enough for a listing to run beside claims and records."""
    report = await send_due_prompts(
        runtime=runtime, client=client, team_id=WARM_UP_TEAM, now=PROMPT_TIME
    )
    if report.outcomes["sent"] != WARM_UP_PEOPLE:
        raise RuntimeError(f"the warm-up sent {report.detail()}, not {WARM_UP_PEOPLE}")


def _refused_none(slack: Message) -> None:
    """Raise if the fake Slack's report found messages Slack would have refused."""
    if slack["violations"]:
        raise RuntimeError(f"Slack would have refused these DMs: {slack['violations'][:3]}")


async def _sent_exactly_once(
    runtime: Runtime, slack: Message, before: Message, expected: int
) -> None:
    """Every invitation is marked sent, and Slack accepted exactly one DM for each since
    ``before`` (its report before the run), within its limits (the fake Slack checks them
    when asked for its report)."""
    async with runtime.sessions() as session:
        statement = (
            select(CheckinDelivery.state, func.count())
            .where(CheckinDelivery.team_id == TEAM)
            .group_by(CheckinDelivery.state)
        )
        states = dict((await session.exec(statement)).all())
    _refused_none(slack)
    accepted = slack["accepted"] - before["accepted"]
    twice = slack["sent_twice"] - before["sent_twice"]
    if states != {"sent": expected} or accepted != expected or twice:
        raise RuntimeError(
            f"not exactly once: invitations {states}, {accepted} DMs accepted of"
            f" {expected}, {twice} sent more than once"
        )


def _names(people: int, setups: int, case: str, latency: float) -> tuple[str, str]:
    slack = f"Slack +{latency * 1000:.0f} ms"
    if setups == 1:
        return f"fan-out: check-in DMs, {CASE_NAMES[case]}", f"{people:,} people, {slack}"
    return (
        f"fan-out: {setups} setups due in one minute, {CASE_NAMES[case]}",
        f"{setups} x {people:,} people, {slack}",
    )


async def _measure(url: str, people: int, latency: float, case: str, setups: int = 1) -> Row:
    start_as_northstar_does()
    engine = create_engine(url)
    dms = people * setups
    slack = await Child.start("fake Slack", "bench.fanout_slack")
    try:
        api_url = (await slack.receive(within=120))["api_url"]
        runtime = Runtime(
            settings=bench_settings(url, api_url),
            engine=engine,
            sessions=create_session_factory(engine),
        )
        await _seed(runtime, people, setups)
        await _seed(runtime, WARM_UP_PEOPLE, 1, team=WARM_UP_TEAM, users="UW")
        opened = await open_rounds(runtime=runtime, team_id=TEAM, now=PROMPT_TIME)
        if len(opened) != setups:
            raise RuntimeError(f"opened {opened}, not one round for each of {setups} setups")
        await open_rounds(runtime=runtime, team_id=WARM_UP_TEAM, now=PROMPT_TIME)
        await gather_statistics(engine)  # as the other benches do after seeding
        client = build_web_client(token="xoxb-bench", base_url=api_url)
        await slack.ask({"latency": latency})
        await _warm_up(runtime, client)
        _refused_none(await slack.ask({"report": True}))  # checks the warm-up's messages
        await slack.ask({"inject": CASES[case]})
        before = await slack.ask({"report": True})
        idle = rss()
        counter = StatementCounter(engine)
        with peak_during() as peak:
            started, cpu_started = time.perf_counter(), time.process_time()
            report = await send_due_prompts(
                runtime=runtime, client=client, team_id=TEAM, now=PROMPT_TIME
            )
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
        statements = counter.count
        answered = await slack.ask({"report": True})
        sent = report.outcomes["sent"]
        if sent != dms:
            raise RuntimeError(f"fan-out sent {sent} of {dms} prompts: {report.outcomes}")
        await _sent_exactly_once(runtime, answered, before, dms)
        bare = await bare_client_rate(api_url, min(dms, BARE_CALLS))
        await slack.stop()
    finally:
        await slack.kill()
        await engine.dispose()
    waiting = forced_waiting(answered["rate_limited_at"], RETRY_AFTER)
    busy = answered["busy_seconds"] - before["busy_seconds"]
    occupancy = busy / (elapsed * SEND_CONCURRENCY)
    slack_cpu = answered["cpu_seconds"] - before["cpu_seconds"]
    calls = answered["calls"] - before["calls"]
    held = busy / calls if calls else latency
    # a fake Slack answering early on average would make a higher floor: measured against it
    floor_latency = min(latency, held)
    floor = floor_rate(dms, floor_latency, waiting)
    benchmark, size = _names(people, setups, case, latency)
    detail = (
        f"{sent / elapsed:,.1f} DMs/s against a floor of {floor:,.1f} DMs/s"
        f" ({SEND_CONCURRENCY} sends x {floor_latency * 1000:.2f} ms, {waiting:.2f} s forced"
        f" waiting by {len(answered['rate_limited_at'])} x 429); {1000 * cpu / dms:.2f} ms CPU"
        f" per DM (the fake Slack, in its own process, {1000 * slack_cpu / dms:.2f});"
        f" Slack held each call {1000 * held:.2f} ms on average, and the {SEND_CONCURRENCY}"
        f" send slots spent {occupancy:.0%} of the run inside Slack;"
        f" a bare client (no database, no SDK) got {bare:,.1f} calls/s from the same fake Slack"
    )
    print(f"{benchmark}, {size}: {elapsed:.1f}s", file=sys.stderr)
    return Row(
        benchmark=benchmark,
        size=size,
        samples=dms,
        rate=sent / elapsed,
        rate_unit="DMs/s",
        sql_per_op=statements / dms,
        memory_idle=idle,
        memory_peak=peak.bytes,
        note=detail,
        floor=floor,
    )


def run(people: int, latency: float = 0.02, case: str = "plain", setups: int = 1) -> Row:
    """One fan-out of check-in prompts to ``people`` (per setup) on a fresh database."""
    with database_url() as url:
        prepare_database(url)
        return asyncio.run(_measure(url, people, latency, case, setups))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, help="an exact size instead of --scale")
    parser.add_argument("--scale", type=float, action="append", help="1 unless given")
    parser.add_argument("--setups", type=int, default=1, help="setups due at once, each its people")
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--case", choices=sorted(CASES), action="append", help="both unless given")
    parser.add_argument("--json", action="store_true", help="rows as JSON lines for bench.all")
    arguments = parser.parse_args()
    sizes = [arguments.people] if arguments.people else []
    sizes = sizes or [round(PEOPLE_AT_1X * scale) for scale in arguments.scale or [1]]
    rows = [
        run(people, arguments.latency, case, arguments.setups)
        for people in sizes
        for case in arguments.case or list(CASES)
    ]
    print_rows(rows, as_json=arguments.json)


if __name__ == "__main__":
    main()
