"""Migration 0008 turns answers stored with their teams, dates and comments into answers with
none of them, losing no answer and no comment, on SQLite (foreign keys on, as the app runs
it) and (with ``TEST_DATABASE_URL``) on PostgreSQL in a schema of its own."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.pulse.breakdown import TeamBreakdown
from bot.pulse.reports import survey_breakdown, survey_results
from bot.pulse.results import SurveyResults, TextResult
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.repositories import surveys
from tests.conftest import DATABASES
from tests.migration_helpers import database_at, insert_rows

WORKSPACE = "T0MIGRATE"
SCHEMA = "migration_0008"
OPENED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
QUESTIONS = [
    {"key": "clear", "kind": "scale", "text": "Goals are clear.", "required": True},
    {"key": "comment", "kind": "text", "text": "Anything else?", "required": False},
]
SALES, ENGINEERING = 1, 2
CLOSED_SURVEY, OPEN_SURVEY = 1, 2


@pytest.fixture(params=DATABASES)
async def old_engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An empty database migrated only to 0007."""
    async with database_at(
        "0007",
        kind=request.param,
        sqlite_path=tmp_path / "old.db",
        schema=SCHEMA,
        sqlite_engine=create_engine,
    ) as engine:
        yield engine


def _survey(survey_id: int, state: str) -> dict[str, Any]:
    return {
        "id": survey_id,
        "team_id": WORKSPACE,
        "number": survey_id,
        "title": f"Pulse {survey_id}",
        "questions": QUESTIONS,
        "team_refs": [],
        "min_responses": 5,
        "opens_at": OPENED,
        "closes_at": OPENED + timedelta(days=5),
        "repeat": "none",
        "series_number": survey_id,
        "state": state,
        "created_by": "UADMIN",
        "created_at": OPENED,
    }


def _answer(number: int, survey_id: int, teams: list[int], comment: str | None) -> dict[str, Any]:
    answers: dict[str, Any] = {"clear": 1 + number % 5}
    if comment is not None:
        answers["comment"] = comment
    return {
        "id": f"answer{number:026d}",
        "survey_id": survey_id,
        "team_id": WORKSPACE,
        "answered_on": date(2026, 11, 2 + number % 3),
        "answers": answers,
        "team_refs": teams,
    }


def _token(token: str, answer: int) -> dict[str, Any]:
    return {
        "id": token,
        "answer_id": f"answer{answer:026d}",
        "team_id": WORKSPACE,
        "question_key": "comment",
        "sealed_author": f"sealed-{token}",
    }


async def _a_0007_database(engine: AsyncEngine) -> list[dict[str, Any]]:
    """Survey 1 closed with 13 answers (7 Sales, a lone engineer, 5 in no team), survey 2
    open with 2 engineers; three reply tokens, one of them to a comment retention removed."""
    workspace = {"team_id": WORKSPACE, "name": "Migrate", "vision": "", "mission": ""}
    await insert_rows(
        engine,
        "workspace",
        [
            workspace
            | {"timezone": "UTC", "settings": {}, "created_at": OPENED, "updated_at": OPENED}
        ],
    )
    await insert_rows(
        engine,
        "team",
        [
            {"id": ref, "team_id": WORKSPACE, "name": name, "name_key": name.lower()}
            | {"channel_id": None, "lead_user_id": None, "created_at": OPENED}
            for ref, name in ((SALES, "Sales"), (ENGINEERING, "Engineering"))
        ],
    )
    await insert_rows(
        engine, "survey", [_survey(CLOSED_SURVEY, "closed"), _survey(OPEN_SURVEY, "open")]
    )
    teams = [[SALES]] * 7 + [[ENGINEERING]] + [[]] * 5
    answers = [
        _answer(number, CLOSED_SURVEY, refs, f"closed comment {number}" if number % 2 else None)
        for number, refs in enumerate(teams)
    ]
    answers += [_answer(20, OPEN_SURVEY, [ENGINEERING], "open comment 20")]
    answers += [_answer(21, OPEN_SURVEY, [ENGINEERING], None)]
    await insert_rows(engine, "survey_answer", answers)
    await insert_rows(engine, "reply_token", [_token("tokenlone", 7), _token("tokenopen", 20)])
    await insert_rows(engine, "reply_token", [_token("tokenremoved", 2)])  # answer 2 has no comment
    invites = [
        {"survey_id": survey_id, "user_id": f"U{survey_id}{n:04d}", "team_id": WORKSPACE}
        | {"state": "sent", "answered": n < 13, "reminded": n % 2 == 0, "claimed_at": None}
        for survey_id in (CLOSED_SURVEY, OPEN_SURVEY)
        for n in range(16)
    ]
    await insert_rows(engine, "survey_invite", invites)
    threads = [
        {"id": f"thread{token}", "team_id": WORKSPACE, "code": code, "recipient_kind": "admins"}
        | {"team_ref": None, "reply_token_id": token, "sealed_author": "sealed"}
        | {"revealed_user_id": None, "state": "open", "message_count": 1, "created_on": OPENED}
        for code, token in (("AAAA", "tokenlone"), ("BBBB", "tokenremoved"))
    ]
    await insert_rows(engine, "feedback_thread", threads)
    return answers


async def _rows(engine: AsyncEngine, query: str) -> list[dict[str, Any]]:
    async with engine.connect() as connection:
        return [dict(row) for row in (await connection.execute(sa.text(query))).mappings()]


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def test_answers_lose_teams_dates_and_comments_but_nothing_is_lost(
    old_engine: AsyncEngine,
) -> None:
    old = await _a_0007_database(old_engine)

    await upgrade(old_engine, "0008")

    answers = await _rows(old_engine, "SELECT * FROM survey_answer")
    assert {frozenset(row) for row in answers} == {
        frozenset({"id", "survey_id", "team_id", "answers"})
    }
    assert sorted((row["survey_id"], _json(row["answers"])["clear"]) for row in answers) == sorted(
        (row["survey_id"], row["answers"]["clear"]) for row in old
    )
    assert all(set(_json(row["answers"])) == {"clear"} for row in answers)
    assert not {row["id"] for row in answers} & {row["id"] for row in old}  # fresh keys
    comments = await _rows(old_engine, "SELECT survey_id, question_key, text FROM survey_comment")
    tokens = await _rows(old_engine, "SELECT id, survey_id, question_key, text FROM reply_token")
    assert sorted(row["text"] for row in comments + tokens) == sorted(
        row["answers"]["comment"] for row in old if "comment" in row["answers"]
    )
    assert sorted((row["id"], row["survey_id"], row["text"]) for row in tokens) == [
        ("tokenlone", CLOSED_SURVEY, "closed comment 7"),
        ("tokenopen", OPEN_SURVEY, "open comment 20"),
    ]
    threads = await _rows(old_engine, "SELECT code, reply_token_id FROM feedback_thread")
    assert sorted((row["code"], row["reply_token_id"]) for row in threads) == [
        ("AAAA", "tokenlone"),
        ("BBBB", None),  # its comment had been removed, and its token with it
    ]

    # The closed survey keeps only Sales (7 of 13; the lone engineer could never be shown),
    # merged so every group reaches the threshold; the open one keeps its counts for now.
    groups = await _rows(
        old_engine, "SELECT survey_id, team_refs, responses FROM survey_team_group"
    )
    assert sorted(
        (row["survey_id"], _json(row["team_refs"]), row["responses"]) for row in groups
    ) == [
        (CLOSED_SURVEY, [], 6),
        (CLOSED_SURVEY, [SALES], 7),
        (OPEN_SURVEY, [ENGINEERING], 2),
    ]
    tallies = await _rows(old_engine, "SELECT survey_id, team_ref FROM survey_team_tally")
    assert {(row["survey_id"], row["team_ref"]) for row in tallies} == {
        (CLOSED_SURVEY, SALES),
        (OPEN_SURVEY, ENGINEERING),
    }
    reminded = await _rows(old_engine, "SELECT survey_id FROM survey_invite WHERE reminded")
    assert {row["survey_id"] for row in reminded} == {OPEN_SURVEY}

    # The app reads the result: every answer and comment, and Sales by team.
    await upgrade(old_engine)
    sessions = create_session_factory(old_engine)
    async with sessions() as session:
        closed = await surveys.get_survey(session=session, team_id=WORKSPACE, survey_id=1)
        assert closed is not None
        results = await survey_results(session=session, survey=closed)
        breakdown = await survey_breakdown(session=session, survey=closed)
    assert isinstance(results, SurveyResults) and results.responses == 13
    text = next(result for result in results.questions if isinstance(result, TextResult))
    assert sorted(comment.reply_token or "" for comment in text.comments) == [
        "",
        "",
        "",
        "",
        "",
        "tokenlone",
    ]
    assert isinstance(breakdown, TeamBreakdown)
    assert [(team.name, team.results.responses) for team in breakdown.teams] == [("Sales", 7)]


async def test_on_sqlite_the_rebuilt_tables_still_keep_no_insertion_order(
    old_engine: AsyncEngine,
) -> None:
    if old_engine.dialect.name != "sqlite":
        pytest.skip("WITHOUT ROWID is SQLite's")
    await _a_0007_database(old_engine)
    await upgrade(old_engine, "0008")
    found = await _rows(old_engine, "SELECT name, sql FROM sqlite_master WHERE type = 'table'")
    sql = {row["name"]: row["sql"] for row in found}
    for name in ("survey_answer", "survey_comment", "reply_token", "survey_team_group"):
        assert "WITHOUT ROWID" in sql[name], name
    assert "answer_id" not in sql["reply_token"]
    assert "answered_on" not in sql["survey_answer"] and "team_refs" not in sql["survey_answer"]
