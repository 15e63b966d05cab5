"""A workspace for the goals benchmark: 20 teams, goals cascading company -> team ->
personal, and KPIs with a year of daily values; one person per ten goals (at least 50).

Everything is derived from row numbers, so two runs seed the same rows. The admin owns the
20 company goals and one personal goal in fifty: what ``/goal list`` shows them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bench.support import ADMIN_ID, TEAM_ID, gather_statistics
from bot.goals.rollups import with_rolled_up_progress
from storage.models import Goal, Kpi, KpiValue, Member, Team, TeamMembership, Workspace

TODAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
TEAMS = 20
CHUNK = 5_000
DAYS = 365


@dataclass(frozen=True)
class GoalsSize:
    goals: int
    kpis: int

    @classmethod
    def at(cls, scale: float) -> GoalsSize:
        return cls(goals=round(2_000 * scale), kpis=round(200 * scale))

    @property
    def people(self) -> int:
        return max(50, self.goals // 10)

    def label(self) -> str:
        return f"{self.goals:,} goals, {self.kpis:,} KPIs"


async def seed(engine: AsyncEngine, size: GoalsSize) -> None:
    people = [f"U{index:07d}" for index in range(size.people)]
    async with engine.begin() as connection:
        await connection.execute(sa.insert(Workspace).values(**_workspace()))
        for table, rows in (
            (Member, (_member(user) for user in [ADMIN_ID, *people])),
            (Team, (_team(team, people) for team in range(1, TEAMS + 1))),
            (TeamMembership, _memberships([ADMIN_ID, *people])),
            (Goal, iter(with_rolled_up_progress(list(_goals(size.goals, people))))),
            (Kpi, (_kpi(k, people) for k in range(1, size.kpis + 1))),
            (KpiValue, _kpi_values(size.kpis)),
        ):
            await _insert(connection, table, rows)
        if connection.dialect.name == "postgresql":
            for name in ("goal", "team", "kpi"):
                await connection.execute(
                    sa.text(f"SELECT setval('{name}_id_seq', (SELECT max(id) FROM {name}))")
                )
    await gather_statistics(engine)


async def _insert(
    connection: AsyncConnection, table: type[Any], rows: Iterator[dict[str, Any]]
) -> None:
    # An empty list would make insert() write one row of defaults: chunks are never empty.
    while chunk := list(islice(rows, CHUNK)):
        await connection.execute(sa.insert(table), chunk)


def _workspace() -> dict[str, Any]:
    return {
        "team_id": TEAM_ID,
        "name": "Bench",
        "vision": "Win",
        "mission": "Serve",
        "timezone": "UTC",
        "settings": {},
        "created_at": NOW,
        "updated_at": NOW,
    }


def _member(user: str) -> dict[str, Any]:
    return {
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
        "updated_at": NOW,
    }


def _team(team: int, people: list[str]) -> dict[str, Any]:
    return {
        "id": team,
        "team_id": TEAM_ID,
        "name": f"Team {team}",
        "name_key": f"team {team}",
        "channel_id": None,
        "lead_user_id": people[team],
        "created_at": NOW,
    }


def _memberships(users: list[str]) -> Iterator[dict[str, Any]]:
    for index, user in enumerate(users):
        yield {"team_ref": 1 + index % TEAMS, "user_id": user, "team_id": TEAM_ID}


def _goals(count: int, people: list[str]) -> Iterator[dict[str, Any]]:
    for i in range(1, count + 1):
        if i <= 20:
            yield _goal(i, "company", None, None, ADMIN_ID)
        elif i <= 220:
            yield _goal(i, "team", 1 + i % 20, 1 + i % TEAMS, people[i % len(people)])
        else:
            owner = ADMIN_ID if i % 50 == 0 else people[i % len(people)]
            yield _goal(i, "personal", 21 + i % 200 if i % 7 else None, 1 + i % TEAMS, owner)


def _goal(
    goal_id: int, level: str, parent: int | None, team: int | None, owner: str
) -> dict[str, Any]:
    created = datetime(2026, 11, 1, tzinfo=UTC)
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
        "created_at": created,
        "updated_at": created,
        "progress_at": created,
        "closed_at": None,
    }


def _kpi(k: int, people: list[str]) -> dict[str, Any]:
    return {
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
        "created_at": NOW,
    }


def _kpi_values(kpis: int) -> Iterator[dict[str, Any]]:
    for k in range(1, kpis + 1):
        for d in range(DAYS):
            yield {
                "team_id": TEAM_ID,
                "kpi_id": k,
                "recorded_on": TODAY - timedelta(days=d),
                "value": float((k * d) % 120),
                "author_id": None,
                "created_at": NOW,
            }
