"""The Home's counts, each read through an index, say what its sections' conditions say: on a
random workspace, for admins, leads and members, every count equals the number of goals the
section's condition selects (up to the cap), and on SQLite no count reads the workspace's
open goals one by one."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from bot.core.runtime import Runtime
from bot.goals.pages import is_open, shown_in
from bot.goals.period_choice import period_filter
from bot.home.goal_sections import Viewer, count_goal_sections, not_aligned, stale
from storage.db import transaction
from storage.models import Goal, Priority, Team
from storage.repositories import goal_pages
from storage.repositories.goals import add_goal
from storage.repositories.members import MemberProfile
from tests.factories import add_members
from tests.goals.helpers import TODAY
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID

LEAD_ID = "ULEAD0001"
OWNERS = (ADMIN_ID, MEMBER_ID, LEAD_ID, "UOTHER001")


async def _teams_and_priorities(runtime: Runtime) -> tuple[list[Team], list[Priority]]:
    async with transaction(runtime.sessions) as session:
        teams = [
            Team(team_id=TEAM_ID, name=name, name_key=name.lower(), lead_user_id=lead)
            for name, lead in (("Sales", LEAD_ID), ("Ops", ADMIN_ID), ("Care", None))
        ]
        priorities = [Priority(team_id=TEAM_ID, rank=1, title="Grow", why="Why")]
        session.add_all([*teams, *priorities])
    return teams, priorities


def _random_goal(randomness: random.Random, teams: list[Team], parents: list[Goal]) -> Goal:
    start = TODAY + timedelta(days=randomness.choice([-120, -60, -10, 5]))
    updated = datetime(2026, 11, randomness.choice([1, 12, 13, 26]), tzinfo=UTC)
    fields: dict[str, Any] = {
        "team_id": TEAM_ID,
        "number": 0,
        "title": "A goal",
        "level": randomness.choice(["company", "team", "team", "personal", "personal"]),
        "owner_id": randomness.choice(OWNERS),
        "created_by": ADMIN_ID,
        "team_ref": randomness.choice([None, *(team.id for team in teams)]),
        "parent_id": randomness.choice([None, None, *(p.id for p in parents[-5:])]),
        "state": randomness.choice(["open", "open", "open", "done"]),
        "start_date": start,
        "due_date": start + timedelta(days=randomness.choice([20, 90, 200])),
        "measure": randomness.choice(["number", "milestone"]),
        "progress": randomness.choice([0.0, 0.3, 0.6, 1.0]),
        "status_override": randomness.choice([None, "", "at_risk", "on_track"]),
        "progress_at": updated,
    }
    return Goal(**fields)


async def _workspace(runtime: Runtime, seed: int) -> tuple[list[Team], list[Priority]]:
    await add_members(
        runtime,
        MemberProfile(user_id=ADMIN_ID, is_admin=True),
        MemberProfile(user_id=MEMBER_ID),
        MemberProfile(user_id=LEAD_ID),
    )
    teams, priorities = await _teams_and_priorities(runtime)
    randomness = random.Random(seed)
    goals: list[Goal] = []
    async with transaction(runtime.sessions) as session:
        for _ in range(160):
            goal = _random_goal(randomness, teams, goals)
            if goal.level == "company" and randomness.random() < 0.5:
                goal.priority_id = priorities[0].id
            goals.append(await add_goal(session=session, goal=goal))
    return teams, priorities


async def _how_many(runtime: Runtime, where: list[sa.ColumnElement[bool]]) -> int:
    async with runtime.sessions() as session:
        found = await goal_pages.goal_page(
            session=session, team_id=TEAM_ID, where=where, limit=goal_pages.COUNT_CAP
        )
    return len(found)


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_each_count_is_what_its_condition_selects(runtime: Runtime, seed: int) -> None:
    teams, priorities = await _workspace(runtime, seed)
    viewers = [
        Viewer(ADMIN_ID, is_admin=True, teams=teams[1:]),  # an admin leading Ops
        Viewer(ADMIN_ID, is_admin=True, teams=[]),
        Viewer(LEAD_ID, is_admin=False, teams=teams[:1]),  # the lead of Sales
        Viewer(MEMBER_ID, is_admin=False, teams=teams[:2]),
        Viewer(MEMBER_ID, is_admin=False, teams=[]),
    ]
    for word in ("", "all"):
        period = period_filter(word, today=TODAY, fiscal_start=1)
        base = [is_open(), *shown_in(period)]
        for viewer in viewers:
            async with runtime.sessions() as session:
                counted = await count_goal_sections(
                    session, team_id=TEAM_ID, viewer=viewer, period=period, priorities=priorities
                )
            expected = {
                name: await _how_many(runtime, [*base, condition])
                for name, condition in viewer.conditions(TODAY).items()
            }
            if viewer.is_admin:
                expected["not_aligned"] = await _how_many(runtime, [*base, not_aligned()])
                expected["stale"] = await _how_many(runtime, [*base, stale(TODAY)])
                unlinked = sa.and_(
                    Goal.level == "company",  # type: ignore[arg-type]
                    sa.or_(
                        Goal.priority_id.is_(None),  # type: ignore[union-attr]
                        Goal.priority_id.not_in([priorities[0].id]),  # type: ignore[union-attr]
                    ),
                )
                expected["unlinked"] = await _how_many(runtime, [*base, unlinked])
            assert counted == expected, (word, viewer.user_id, viewer.is_admin)
            assert any(expected.values())


async def test_no_count_reads_every_open_goal_on_sqlite(runtime: Runtime) -> None:
    if runtime.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plans; PostgreSQL plans from its statistics")
    teams, priorities = await _workspace(runtime, 1)
    period = period_filter("", today=TODAY, fiscal_start=1)
    counts: list[tuple[str, Any]] = []

    def record(connection: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT (SELECT"):
            counts.append((statement, parameters))

    sa.event.listen(runtime.engine.sync_engine, "after_cursor_execute", record)
    try:
        async with runtime.sessions() as session:
            await count_goal_sections(
                session,
                team_id=TEAM_ID,
                viewer=Viewer(ADMIN_ID, is_admin=True, teams=teams),
                period=period,
                priorities=priorities,
            )
    finally:
        sa.event.remove(runtime.engine.sync_engine, "after_cursor_execute", record)
    [(statement, parameters)] = counts
    async with runtime.engine.connect() as connection:
        rows = await connection.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {statement}", tuple(parameters)
        )
        plans = [str(row[-1]) for row in rows]
    reads = [plan for plan in plans if " goal " in f"{plan} "]
    assert len(reads) == 8, plans  # mine, team, company, attention x2, and the admins' three
    assert all("USING" in plan and "ix_goal_team_state_number" not in plan for plan in reads)
    assert any("ix_goal_team_state_progress_at" in plan for plan in reads)  # stale
    # not aligned: the workspace's goals without a parent, not every workspace's
    assert any("ix_goal_team_state_parent" in plan for plan in reads)
    assert not any("ix_goal_parent_id" in plan for plan in reads)
