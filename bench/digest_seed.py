"""A workspace for the digest benchmark, written with bulk inserts in chunks.

At scale 1: 1,000 people in 20 teams (each with its own channel), 5,000 goals cascading
company -> team -> personal with about three progress updates each, 100 KPIs with a year of
weekly values, four weekly check-in rounds (a delivery per person, answers with blockers for
some), a pulse survey closed in the digest week with enough answers to be released, and last
week's alignment snapshots. Scale 10 is ten times the people, goals and KPIs, same shape.
Everything is derived from row numbers, so two runs seed the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bench.support import ADMIN_ID, TEAM_ID
from bot.checkins.settings import DEFAULT_QUESTIONS
from bot.core.weeks import week_monday
from bot.digest.model import COMPANY_SCOPE, team_scope
from bot.digest.settings import DigestSettings
from bot.goals.rollups import with_rolled_up_progress
from bot.pulse.questions import BANK, QuestionKind
from storage.models import (
    DEFAULT_SETUP_KEY,
    AlignmentSnapshot,
    CheckinAnswer,
    CheckinDelivery,
    CheckinRound,
    CheckinSetup,
    Goal,
    GoalUpdate,
    Kpi,
    KpiValue,
    Member,
    Survey,
    SurveyAnswer,
    SurveyInvite,
    Team,
    TeamMembership,
    Workspace,
    answer_key,
)

WEEK = "2026-W48"  # Monday 23 to Sunday 29 November 2026
NOW = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)  # Friday 16:00, the default digest moment
ROUND_WEEKS = ("2026-W45", "2026-W46", "2026-W47", WEEK)
TEAMS = 20
CHUNK = 5_000
KPI_WEEKS = 52
START, DUE = date(2026, 10, 1), date(2026, 12, 31)
BLOCKERS = ("Waiting on the pricing sign-off", "Blocked by the data export", "none", "", "n/a")


@dataclass(frozen=True)
class Size:
    people: int
    goals: int
    kpis: int
    teams: int = TEAMS

    @classmethod
    def at(cls, scale: int) -> Size:
        return cls(people=1_000 * scale, goals=5_000 * scale, kpis=100 * scale)

    @property
    def company_goals(self) -> int:
        return self.goals // 250  # 20 at scale 1

    @property
    def team_goals(self) -> int:
        return self.goals // 25  # 200 at scale 1: ten per team


def at(day: int, hour: int = 10, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def person(index: int) -> str:
    return f"U{index:07d}"


def team_of(index: int, size: Size) -> int:
    return 1 + index % size.teams


async def insert(
    connection: AsyncConnection, table: type[Any], rows: Sequence[dict[str, Any]]
) -> int:
    for start in range(0, len(rows), CHUNK):
        await connection.execute(sa.insert(table), list(rows[start : start + CHUNK]))
    return len(rows)


async def seed(engine: AsyncEngine, size: Size) -> dict[str, int]:
    """Write the workspace; returns how many rows went into each table."""
    counts: dict[str, int] = {}
    async with engine.begin() as connection:
        for table, rows in (
            (Workspace, [_workspace()]),
            (Member, _members(size)),
            (Team, _teams(size)),
            (TeamMembership, _memberships(size)),
            (Goal, goals := with_rolled_up_progress(_goals(size))),
            (GoalUpdate, _updates(goals)),
            (Kpi, _kpis(size)),
            (KpiValue, _kpi_values(size)),
            (CheckinSetup, [_default_setup()]),
            (CheckinRound, _rounds()),
            (CheckinDelivery, deliveries := _deliveries(size)),
            (CheckinAnswer, _answers(deliveries)),
            (Survey, [_survey()]),
            (SurveyInvite, _invites(size)),
            (SurveyAnswer, _survey_answers(size)),
            (AlignmentSnapshot, _snapshots(size)),
        ):
            counts[str(table.__tablename__)] = await insert(connection, table, rows)
    return counts


def _workspace() -> dict[str, Any]:
    digest = DigestSettings(channel_id="CDIGEST01", team_digests=True, configured_at=at(1, 0))
    return {
        "team_id": TEAM_ID,
        "name": "Bench Corp",
        "vision": "Every team pulls in the same direction, and can see that it does.",
        "mission": "Serve",
        "timezone": "UTC",
        "settings": {
            "digest": digest.model_dump(mode="json"),
            "checkins": {"share_in_team_channels": True},
        },
        "created_at": at(1),
        "updated_at": at(1),
    }


def _members(size: Size) -> list[dict[str, Any]]:
    people = [(ADMIN_ID, True)] + [(person(i), False) for i in range(size.people)]
    return [
        {
            "team_id": TEAM_ID,
            "user_id": user,
            "name": user.lower(),
            "real_name": user,
            "display_name": user,
            "tz": "UTC",
            "is_admin": admin,
            "is_owner": False,
            "is_bot": False,
            "deleted": False,
            "role": "admin" if admin else "member",
            "updated_at": at(1),
        }
        for user, admin in people
    ]


def _teams(size: Size) -> list[dict[str, Any]]:
    return [
        {
            "id": team,
            "team_id": TEAM_ID,
            "name": f"Team {team:02d}",
            "name_key": f"team {team:02d}",
            "channel_id": f"CTEAM{team:04d}",
            "lead_user_id": person(team - 1),
            "created_at": at(1),
        }
        for team in range(1, size.teams + 1)
    ]


def _memberships(size: Size) -> list[dict[str, Any]]:
    # the admin is in no team: their blockers, if any, count under "No team"
    return [
        {"team_ref": team_of(i, size), "user_id": person(i), "team_id": TEAM_ID}
        for i in range(size.people)
    ]


# --- goals -----------------------------------------------------------------------------------


def _goal_shape(goal_id: int, size: Size) -> tuple[str, int | None, int | None, str]:
    """(level, team, parent, owner) of a goal: company goals first, then team goals, then
    personal goals; about one in ten team goals and one in seven personal goals is unlinked."""
    company, teams = size.company_goals, size.team_goals
    if goal_id <= company:
        return "company", None, None, ADMIN_ID
    if goal_id <= company + teams:
        index = goal_id - company - 1
        team = 1 + index % size.teams
        parent = None if index % 10 == 9 else 1 + index % company
        return "team", team, parent, person(team - 1 + size.teams * (index // size.teams))
    index = goal_id - company - teams - 1
    owner = index % size.people
    team = team_of(owner, size)
    # a team goal of the owner's team: team goal indexes with index % teams == team - 1
    per_team = teams // size.teams
    team_goal = company + 1 + (team - 1) + size.teams * (index // size.people % per_team)
    parent = None if index % 7 == 6 else team_goal
    return "personal", team if index % 2 else None, parent, person(owner)


def _jitter(goal_id: int) -> timedelta:
    """Up to seven hours, so that no two goals' updates share a timestamp (real ones don't)."""
    return timedelta(seconds=goal_id % 25_000)


def _progress_at(goal_id: int) -> datetime:
    if goal_id % 5 == 0:
        return at(1, 9) + _jitter(goal_id)  # stale: no update for more than 14 days
    if goal_id % 3 == 0:
        return at(23 + goal_id % 4, 11) + _jitter(goal_id)  # this week (23 to 26 November)
    return at(18, 15) + _jitter(goal_id)


def _goals(size: Size) -> list[dict[str, Any]]:
    rows = []
    for goal_id in range(1, size.goals + 1):
        level, team, parent, owner = _goal_shape(goal_id, size)
        done, dropped = goal_id % 20 == 0, goal_id % 33 == 0 and goal_id % 20 != 0
        closed = at(24 + goal_id % 3) if goal_id % 40 == 0 else at(10)
        closed_at = closed + _jitter(goal_id) if done else None
        rows.append(
            {
                "id": goal_id,
                "team_id": TEAM_ID,
                "number": goal_id,
                "title": f"{level.title()} goal {goal_id}: make the {goal_id % 97}th thing better",
                "description": "",
                "level": level,
                "team_ref": team,
                "owner_id": owner,
                "parent_id": parent,
                "measure": "children" if level == "company" and goal_id % 4 == 0 else "number",
                "start_value": 0.0,
                "target_value": 100.0,
                "current_value": 100.0 if done else float(20 + (goal_id * 37) % 81),
                "unit": "%",
                "start_date": START,
                "due_date": date(2026, 11, 20) if goal_id % 25 == 3 else DUE,
                "confidence": 1 + goal_id % 10,
                "status_override": "at_risk" if goal_id % 17 == 0 else None,
                "state": "done" if done else "dropped" if dropped else "open",
                "created_by": owner,
                "created_at": at(1, 9, month=10),
                "updated_at": _progress_at(goal_id),
                "progress_at": _progress_at(goal_id),
                "closed_at": closed_at,
            }
        )
    return rows


def _updates(goals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """About three progress updates a goal: early October, mid November (not for every goal
    updated this week, so some movers start from the start value), and the latest one."""
    rows = []
    for goal in goals:
        if goal["measure"] == "children":
            continue
        goal_id, value, latest = goal["id"], goal["current_value"], goal["progress_at"]
        history = [(at(5, 10, month=10) + _jitter(goal_id), value * 0.3)]
        if latest > at(17) and goal_id % 9:
            history.append((at(16) + _jitter(goal_id), value * 0.7))
        history.append((latest, value))
        if goal["state"] == "done":
            history.append((goal["closed_at"], None))
        rows += [
            {
                "team_id": TEAM_ID,
                "goal_id": goal_id,
                "author_id": goal["owner_id"],
                "kind": "progress" if amount is not None else "close",
                "value": amount,
                "confidence": None,
                "status_override": None,
                "note": "",
                "created_at": when,
            }
            for when, amount in history
        ]
    return rows


# --- KPIs ------------------------------------------------------------------------------------


def _kpis(size: Size) -> list[dict[str, Any]]:
    rows = []
    for k in range(1, size.kpis + 1):
        higher = k % 4 != 0
        rows.append(
            {
                "id": k,
                "team_id": TEAM_ID,
                "number": k,
                "name": f"KPI {k} — weekly {'revenue' if higher else 'incidents'}",
                "name_key": f"kpi {k}",
                "unit": ("$", "%", "", "ms")[k % 4],
                "higher_is_better": higher,
                "target": 100.0 if higher else 10.0,
                "green_threshold": 90.0 if higher else 15.0,
                "red_threshold": 60.0 if higher else 30.0,
                "owner_id": person(k % size.people),
                "team_ref": None if k % 10 == 1 else 1 + k % size.teams,
                "goal_id": None,
                "cadence": "weekly",
                "archived": k % 50 == 0,
                "source": None,
                "last_synced_at": None,
                "last_error": "",
                "error_reported": False,
                "created_by": ADMIN_ID,
                "created_at": at(1, 9, month=1),
            }
        )
    return rows


def _kpi_value(k: int, weeks_back: int) -> float:
    """A wobbly line whose latest value is red, amber or green depending on the KPI."""
    level = (40.0, 75.0, 95.0)[k % 3] if k % 4 else (35.0, 20.0, 8.0)[k % 3]
    wobble = ((k * 7 + weeks_back * 13) % 11 - 5) * level / 50
    return round(level * (1 - weeks_back / 200) + wobble, 1)


def _kpi_values(size: Size) -> list[dict[str, Any]]:
    friday = NOW.date()
    return [
        {
            "team_id": TEAM_ID,
            "kpi_id": k,
            "recorded_on": friday - timedelta(days=7 * back),
            "value": _kpi_value(k, back),
            "author_id": None,
            "created_at": at(1),
        }
        for k in range(1, size.kpis + 1)
        for back in range(KPI_WEEKS)
    ]


# --- check-ins -------------------------------------------------------------------------------

DELIVERY_STATES = ("answered",) * 12 + ("sent",) * 5 + ("skipped", "failed", "pending")


def _default_setup() -> dict[str, Any]:
    return {
        "id": 1,
        "team_id": TEAM_ID,
        "name": "Weekly check-in",
        "name_key": "weekly check-in",
        "default_key": DEFAULT_SETUP_KEY,
        "config": {},
        "created_by": "",
        "created_at": at(1),
        "updated_at": at(1),
    }


def _rounds() -> list[dict[str, Any]]:
    questions = [question.model_dump() for question in DEFAULT_QUESTIONS]
    return [
        {
            "id": r,
            "team_id": TEAM_ID,
            "setup_id": 1,
            "period": week,
            "week": week,
            "questions": questions,
            "created_at": at(1),
        }
        for r, week in enumerate(ROUND_WEEKS, start=1)
    ]


def _deliveries(size: Size) -> list[dict[str, Any]]:
    rows = []
    for r, week in enumerate(ROUND_WEEKS, start=1):
        monday = datetime.combine(week_monday(week), datetime.min.time(), tzinfo=UTC)
        for i in range(size.people):
            state = DELIVERY_STATES[(i * 7 + r) % len(DELIVERY_STATES)]
            prompt = monday + timedelta(hours=9)
            rows.append(
                {
                    "id": (r - 1) * size.people + i + 1,
                    "round_id": r,
                    "team_id": TEAM_ID,
                    "user_id": person(i),
                    "state": state,
                    "prompt_at": prompt,
                    "remind_at": None,
                    "closes_at": prompt + timedelta(days=4, hours=14),
                    "claimed_at": None,
                    "sent_at": prompt if state in ("sent", "answered") else None,
                    "reminded_at": None,
                    "answered_at": prompt + timedelta(hours=2) if state == "answered" else None,
                    "channel_id": f"D{i:08d}",
                    "message_ts": f"{i}.000100",
                    "error": "channel_not_found" if state == "failed" else "",
                }
            )
    return rows


def _answers(deliveries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "delivery_id": row["id"],
            "round_id": row["round_id"],
            "team_id": TEAM_ID,
            "user_id": row["user_id"],
            "answers": {
                "moved": "Shipped the next slice",
                "blockers": BLOCKERS[row["id"] % len(BLOCKERS)],
                "next": "The slice after that",
            },
            "mood": 1 + row["id"] % 5,
            "late": False,
            "created_at": row["answered_at"],
            "updated_at": row["answered_at"],
        }
        for row in deliveries
        if row["state"] == "answered"
    ]


# --- the pulse survey closed this week, and last week's scores -------------------------------


def _survey() -> dict[str, Any]:
    return {
        "id": 1,
        "team_id": TEAM_ID,
        "number": 1,
        "title": "Alignment pulse, November",
        "questions": [question.model_dump(mode="json") for question in BANK],
        "team_refs": [],
        "min_responses": 5,
        "opens_at": at(19, 9),
        "closes_at": at(26, 9),
        "repeat": "none",
        "series_number": 1,
        "state": "closed",
        "created_by": ADMIN_ID,
        "created_at": at(18),
    }


def _answered_survey(index: int) -> bool:
    return index % 5 < 2  # 40 % of the people answered


def _invites(size: Size) -> list[dict[str, Any]]:
    return [
        {
            "survey_id": 1,
            "user_id": person(i),
            "team_id": TEAM_ID,
            "state": "sent",
            "answered": _answered_survey(i),
            "reminded": False,  # cleared when the survey closed
            "claimed_at": None,
        }
        for i in range(size.people)
    ]


def _survey_answers(size: Size) -> list[dict[str, Any]]:
    rows = []
    for i in filter(_answered_survey, range(size.people)):
        answers = {
            q.key: (i % 11 if q.kind == QuestionKind.ENPS else 1 + (i + n) % 5)
            for n, q in enumerate(BANK)
        }
        rows.append(
            {
                "id": answer_key(),
                "survey_id": 1,
                "team_id": TEAM_ID,
                "answers": answers,
            }
        )
    return rows


def _snapshots(size: Size) -> list[dict[str, Any]]:
    scopes = [COMPANY_SCOPE] + [team_scope(team) for team in range(1, size.teams + 1)]
    return [
        {
            "team_id": TEAM_ID,
            "week": "2026-W47",
            "scope": scope,
            "score": 50 + n % 30,
            "parts": {},
            "created_at": at(20, 16),
        }
        for n, scope in enumerate(scopes)
    ]
