"""Time and SQL statements for the big read paths of goals and KPIs, at two sizes.

Builds a workspace (20 teams; goals cascading company -> team -> personal; KPIs with a year of
daily values) in a fresh migrated SQLite database (or DATABASE_URL), then drives
``/goal list all``, ``/goal tree``, ``/kpi list`` and the App Home tab through the real HTTP
app with signed requests. The statement count should be the same at both sizes (no N+1).

Run: ``python -m bench.goals [--goals 2000 --kpis 200]`` (``make bench`` runs it too).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import sqlalchemy as sa

from bench.commands import StatementCounter, bench_settings, database_url, percentile
from bot.app import build_app
from bot.runtime import Runtime
from bot.server import build_http_app
from storage.db import create_engine, create_session_factory, transaction
from storage.migrate import upgrade
from storage.models import Goal, Kpi, KpiValue, Member, Team, TeamMembership, Workspace
from tests.fake_slack import FakeSlack
from tests.slack_requests import ADMIN_ID, TEAM_ID, SlackSender

TODAY = date(2026, 11, 27)
TEAMS = 20
REPEATS = 5


def _goal(
    goal_id: int, level: str, parent: int | None, team: int | None, owner: str
) -> dict[str, Any]:
    now = datetime(2026, 11, 1, tzinfo=UTC)
    return {
        "id": goal_id,
        "team_id": TEAM_ID,
        "number": goal_id,
        "title": f"{level} goal {goal_id}",
        "description": "",
        "level": level,
        "team_ref": team,
        "owner_id": owner,
        "parent_id": parent,
        "measure": "number",
        "start_value": 0.0,
        "target_value": 100.0,
        "current_value": float(goal_id % 100),
        "unit": "%",
        "start_date": TODAY - timedelta(days=60),
        "due_date": TODAY + timedelta(days=120),
        "confidence": 7,
        "status_override": None,
        "state": "open",
        "created_by": owner,
        "created_at": now,
        "updated_at": now,
        "progress_at": now,
        "closed_at": None,
    }


async def seed(runtime: Runtime, goals: int, kpis: int) -> None:
    people = [f"U{index:07d}" for index in range(max(50, goals // 10))]
    async with transaction(runtime.sessions) as session:
        connection = await session.connection()
        await connection.execute(
            sa.insert(Workspace).values(
                team_id=TEAM_ID,
                name="Bench",
                vision="Win",
                mission="Serve",
                timezone="UTC",
                settings={},
                created_at=datetime.now(UTC),
                updated_at=datetime.now(UTC),
            )
        )
        await connection.execute(
            sa.insert(Member),
            [
                {
                    "team_id": TEAM_ID,
                    "user_id": user,
                    "name": user.lower(),
                    "real_name": user,
                    "display_name": user,
                    "tz": "UTC",
                    "is_admin": user == ADMIN_ID,
                    "is_owner": False,
                    "is_bot": False,
                    "deleted": False,
                    "role": "member",
                    "updated_at": datetime.now(UTC),
                }
                for user in [ADMIN_ID, *people]
            ],
        )
        await connection.execute(
            sa.insert(Team),
            [
                {
                    "id": team,
                    "team_id": TEAM_ID,
                    "name": f"Team {team}",
                    "name_key": f"team {team}",
                    "channel_id": None,
                    "lead_user_id": people[team],
                    "created_at": datetime.now(UTC),
                }
                for team in range(1, TEAMS + 1)
            ],
        )
        await connection.execute(
            sa.insert(TeamMembership),
            [
                {"team_ref": 1 + index % TEAMS, "user_id": user, "team_id": TEAM_ID}
                for index, user in enumerate([ADMIN_ID, *people])
            ],
        )
        company = [_goal(i, "company", None, None, ADMIN_ID) for i in range(1, 21)]
        team_goals = [
            _goal(i, "team", 1 + i % 20, 1 + i % TEAMS, people[i % len(people)])
            for i in range(21, 221)
        ]
        personal = [
            _goal(
                i,
                "personal",
                21 + i % 200 if i % 7 else None,
                1 + i % TEAMS,
                ADMIN_ID if i % 50 == 0 else people[i % len(people)],
            )
            for i in range(221, goals + 1)
        ]
        await connection.execute(sa.insert(Goal), company + team_goals + personal)
        await connection.execute(
            sa.insert(Kpi),
            [
                {
                    "id": k,
                    "team_id": TEAM_ID,
                    "number": k,
                    "name": f"KPI {k}",
                    "name_key": f"kpi {k}",
                    "unit": "$",
                    "higher_is_better": True,
                    "target": 100.0,
                    "green_threshold": 90.0,
                    "red_threshold": 50.0,
                    "owner_id": ADMIN_ID if k % 20 == 0 else people[k % len(people)],
                    "team_ref": 1 + k % TEAMS,
                    "goal_id": None,
                    "cadence": "daily",
                    "archived": False,
                    "source": None,
                    "last_synced_at": None,
                    "last_error": "",
                    "error_reported": False,
                    "created_by": ADMIN_ID,
                    "created_at": datetime.now(UTC),
                }
                for k in range(1, kpis + 1)
            ],
        )
        values = [
            {
                "team_id": TEAM_ID,
                "kpi_id": k,
                "recorded_on": TODAY - timedelta(days=d),
                "value": float((k * d) % 120),
                "author_id": None,
                "created_at": datetime.now(UTC),
            }
            for k in range(1, kpis + 1)
            for d in range(365)
        ]
        for start in range(0, len(values), 5000):
            await connection.execute(sa.insert(KpiValue), values[start : start + 5000])
        for table in ("goal", "team", "kpi"):
            if session.get_bind().dialect.name == "postgresql":
                await connection.execute(
                    sa.text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
                )


async def measure(
    runtime: Runtime, sender: SlackSender, slack: FakeSlack, counter: StatementCounter
) -> dict[str, tuple[float, float]]:
    results: dict[str, tuple[float, float]] = {}
    for name, text, command in (
        ("/goal list all", "list all", "/goal"),
        ("/goal tree", "tree", "/goal"),
        ("/kpi list", "list", "/kpi"),
    ):
        timings = []
        before = counter.count
        for _ in range(REPEATS):
            seen = len(slack.calls_to("response_url"))
            started = time.perf_counter()
            await sender.command(text, command=command)
            await slack.wait_for("response_url", seen + 1, timeout=60)
            timings.append((time.perf_counter() - started) * 1000)
        results[name] = (percentile(timings, 0.5), (counter.count - before) / REPEATS)
    timings = []
    before = counter.count
    for index in range(REPEATS):
        seen = len(slack.calls_to("views.publish"))
        started = time.perf_counter()
        await sender.event(
            {"type": "app_home_opened", "user": ADMIN_ID, "channel": "D1", "tab": "home"},
            event_id=f"EvBench{index}{time.time_ns()}",
        )
        await slack.wait_for("views.publish", seen + 1, timeout=60)
        timings.append((time.perf_counter() - started) * 1000)
    # each Home event also records its event id and checks the workspace: 2 of the statements
    results["App Home"] = (percentile(timings, 0.5), (counter.count - before) / REPEATS)
    return results


async def run_size(goals: int, kpis: int) -> dict[str, tuple[float, float]]:
    with database_url() as url:
        engine = create_engine(url)
        await upgrade(engine)
        async with FakeSlack() as slack:
            slack.add_user(ADMIN_ID, name="ada", is_admin=True)
            runtime = Runtime(
                settings=bench_settings(url, slack.api_url),
                engine=engine,
                sessions=create_session_factory(engine),
            )
            runtime.clock = lambda: datetime(2026, 11, 27, 12, tzinfo=UTC)
            seeded = time.perf_counter()
            await seed(runtime, goals, kpis)
            print(
                f"  seeded {goals:,} goals, {kpis} KPIs x 365 values "
                f"in {time.perf_counter() - seeded:.1f}s"
            )
            transport = httpx.ASGITransport(app=build_http_app(runtime, build_app(runtime)))
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                sender = SlackSender(client, response_urls=slack.response_url)
                await sender.command("help", command="/goal")
                await slack.wait_for("response_url")
                counter = StatementCounter(engine)
                results = await measure(runtime, sender, slack, counter)
        await engine.dispose()
    return results


async def run(goals: int, kpis: int) -> None:
    sizes = [(goals // 4, kpis // 4), (goals, kpis)]
    table = {}
    for size in sizes:
        print(f"size: {size[0]:,} goals, {size[1]} KPIs")
        table[size] = await run_size(*size)
    print(f"\n{'operation':16}" + "".join(f"{f'{g:,} goals / {k} KPIs':>34}" for g, k in sizes))
    print(f"{'':16}" + "".join(f"{'p50 ms':>17}{'SQL statements':>17}" for _ in sizes))
    for name in table[sizes[0]]:
        row = "".join(f"{table[size][name][0]:17.1f}{table[size][name][1]:17.1f}" for size in sizes)
        print(f"{name:16}{row}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--goals", type=int, default=2000)
    parser.add_argument("--kpis", type=int, default=200)
    arguments = parser.parse_args()
    asyncio.run(run(arguments.goals, arguments.kpis))


if __name__ == "__main__":
    main()
