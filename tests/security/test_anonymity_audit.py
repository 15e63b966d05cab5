"""The database reader's audit: after a survey with uneven teams, read every column of every
table and try to tie an answer to a person, by team, by date, by reminder, by reply token,
and on PostgreSQL by the order rows sit on disk (``ctid``) and their transactions (``xmin``).

The survey: Sales (6 and their lead) and Support (6) answer in full, Engineering has one lone
respondent, the admin (in no team) answers too; reminders go out halfway; three people ask
for replies to their comments, the lone engineer among them. With a threshold of 5, Sales
may be shown by team; Support may not (with Sales shown, the 2 others would be a group) and
Engineering may not (1 person).
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

from bot.pulse.breakdown import TeamBreakdown
from bot.pulse.reports import survey_breakdown, survey_results
from bot.pulse.results import SurveyResults, TextResult
from storage.db import transaction
from storage.models import Survey
from storage.repositories import survey_invites, surveys
from storage.repositories.members import MemberProfile, upsert_members
from storage.repositories.teams import add_team_members, create_team
from tests.pulse.helpers import (
    ADMIN,
    COMMENT,
    ENGINEERING,
    LEAD,
    NOW,
    SALES,
    TEAM_ID,
    PulseWorld,
    answer,
    close,
    make_world,
    open_survey,
    scale_answers,
)

THRESHOLD = 5
SUPPORT = tuple(f"USUPPORT{number:02d}" for number in range(1, 7))
LONE_ENGINEER = ENGINEERING[0]
NO_TEAM = ADMIN
ANSWERERS = (*SALES, LEAD, *SUPPORT, LONE_ENGINEER, NO_TEAM)
REPLIES_WANTED = frozenset({LONE_ENGINEER, SALES[0], SUPPORT[0]})
SURVEY_TABLES_WITHOUT_PEOPLE = (
    "survey_answer",
    "survey_comment",
    "reply_token",
    "survey_team_group",
    "survey_team_tally",
)
Tables = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class Audited:
    survey: Survey
    world: PulseWorld
    teams: dict[str, int]  # name -> ref
    members: dict[int, frozenset[str]]  # ref -> people (lead included)
    arrival: tuple[str, ...]  # who answered, in order
    reminded_before_close: int


async def read_every_table(engine: AsyncEngine) -> Tables:
    """Every row of every table, every column, as stored."""
    tables: Tables = {}
    async with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            result = await connection.execute(sa.select(table))
            tables[table.name] = [dict(row) for row in result.mappings()]
    return tables


def answer_of(index: int, user: str) -> dict[str, object]:
    """Each answer different, and each comment naming its answerer (to find it again)."""
    values = scale_answers(1 + index % 5, enps=index % 11, choice="Mon" if index % 2 else "Fri")
    return values | {COMMENT.key: f"comment by {user}"}


async def _add_support_team(world: PulseWorld) -> dict[int, frozenset[str]]:
    async with transaction(world.sessions) as session:
        await upsert_members(
            session=session,
            team_id=TEAM_ID,
            profiles=[MemberProfile(user_id=user, name=user.lower()) for user in SUPPORT],
        )
        team = await create_team(session=session, team_id=TEAM_ID, name="Support")
        await add_team_members(session=session, team=team, user_ids=SUPPORT)
        assert team.id is not None
        world.teams["Support"] = team.id
    return {
        world.teams["Sales"]: frozenset({*SALES, LEAD}),
        world.teams["Engineering"]: frozenset(ENGINEERING),
        world.teams["Support"]: frozenset(SUPPORT),
    }


async def _deliver_and_remind(world: PulseWorld, survey: Survey, *, remind: bool) -> int:
    """Send every invitation (as ``bot.pulse.delivery`` claims them), then, if asked, the one
    reminder to everyone who has not answered (as ``bot.pulse.reminders`` claims them)."""
    assert survey.id is not None
    async with transaction(world.sessions) as session:
        sent = await survey_invites.invites_to_send(
            session=session, team_id=TEAM_ID, survey_id=survey.id, now=NOW
        )
        for user in sent:
            assert await survey_invites.claim_invite(
                session=session, team_id=TEAM_ID, survey_id=survey.id, user_id=user, now=NOW
            )
            await survey_invites.finish_invite(
                session=session,
                team_id=TEAM_ID,
                survey_id=survey.id,
                user_id=user,
                claimed_at=NOW,
                state="sent",
            )
    if not remind:
        return 0
    async with transaction(world.sessions) as session:
        due = await survey_invites.invites_to_remind(
            session=session, team_id=TEAM_ID, survey_id=survey.id
        )
        for user in due:
            assert await survey_invites.claim_reminder(
                session=session, team_id=TEAM_ID, survey_id=survey.id, user_id=user
            )
    return len(due)


async def run_the_survey(engine: AsyncEngine, *, seed: int = 11) -> Audited:
    world = await make_world(engine)
    members = await _add_support_team(world)
    survey = await open_survey(world, min_responses=THRESHOLD)
    arrival = list(ANSWERERS)
    random.Random(seed).shuffle(arrival)
    reminded = 0
    await _deliver_and_remind(world, survey, remind=False)
    for index, user in enumerate(arrival):
        if index == len(arrival) // 2:  # the reminder goes out halfway through
            reminded = await _deliver_and_remind(world, survey, remind=True)
        moment = NOW + timedelta(hours=5 * index, minutes=7 * index)
        await answer(
            world,
            survey,
            user,
            answer_of(index, user),
            allow_replies=user in REPLIES_WANTED,
            now=moment,
        )
    async with world.sessions() as session:
        assert survey.id is not None
        invites = await survey_invites.invite_counts(
            session=session, team_id=TEAM_ID, survey_id=survey.id
        )
    assert invites.answered == len(ANSWERERS)
    await close(world, survey)
    async with world.sessions() as session:
        closed = await surveys.get_survey(session=session, team_id=TEAM_ID, survey_id=survey.id)
    assert closed is not None and closed.state == "closed"
    return Audited(closed, world, dict(world.teams), members, tuple(arrival), reminded)


# --- what a reader can tell apart ------------------------------------------------------------


def smallest_group_of(
    answerers: Iterable[str], members: Mapping[int, frozenset[str]], teams: Iterable[int]
) -> int:
    """The fewest answerers that membership of ``teams`` tells apart (from the ground truth a
    reader has: who answered, and who is in which team)."""
    chosen = list(teams)
    groups = Counter(frozenset(ref for ref in chosen if user in members[ref]) for user in answerers)
    return min(groups.values())


def team_refs_in(table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> set[int]:
    """Every team a table's rows name: columns pointing at ``team.id``, and ``team_refs``."""
    refs: set[int] = set()
    for column in table.columns:
        to_team = any(key.column.table.name == "team" for key in column.foreign_keys)
        for row in rows:
            value = row[column.name]
            if to_team and value is not None:
                refs.add(int(value))
            elif column.name == "team_refs":
                refs.update(int(ref) for ref in _listed(value))
    return refs


def _listed(value: Any) -> list[Any]:
    return list(json.loads(value) if isinstance(value, str) else value or [])


def survey_scoped(table: sa.Table) -> bool:
    return any(key.column.table.name == "survey" for key in table.foreign_keys)


def date_like_columns(table: sa.Table) -> list[str]:
    return [
        column.name
        for column in table.columns
        if isinstance(getattr(column.type, "impl", column.type), sa.Date | sa.DateTime)
    ]


# --- the audit -------------------------------------------------------------------------------


async def test_a_database_reader_can_tie_no_answer_to_anyone(engine: AsyncEngine) -> None:
    audited = await run_the_survey(engine)
    survey, teams = audited.survey, audited.teams
    tables = await read_every_table(engine)
    metadata = SQLModel.metadata.tables
    answered = {row["user_id"] for row in tables["survey_invite"] if row["answered"]}
    assert answered == set(ANSWERERS)

    # 1. Teams. Every team any survey row names, alone and together with the others, splits
    # the answerers only into groups of at least the threshold.
    named: set[int] = set()
    for name in SURVEY_TABLES_WITHOUT_PEOPLE:
        assert "user_id" not in metadata[name].c, name
        named |= team_refs_in(metadata[name], tables[name])
    assert named == {teams["Sales"]}  # Support and the lone engineer's team left no trace
    assert smallest_group_of(answered, audited.members, named) >= THRESHOLD
    for group in tables["survey_team_group"]:
        assert group["responses"] >= THRESHOLD, group
    # The check would catch the old rows: Engineering's one answerer, Support beside Sales.
    assert smallest_group_of(answered, audited.members, [teams["Engineering"]]) == 1
    both = [teams["Sales"], teams["Support"]]
    assert smallest_group_of(answered, audited.members, both) == 2

    # 2. Dates. No survey row but the survey's own has a date or a time, in type or in value.
    for name, table in metadata.items():
        if survey_scoped(table) and name != "survey_invite":
            assert date_like_columns(table) == [], name
            for row in tables[name]:
                text = json.dumps(row, default=str)
                assert not any(f"2026-03-0{day}" in text for day in range(1, 10)), (name, row)
    assert {row["claimed_at"] for row in tables["survey_invite"]} == {None}

    # 3. Reminders: some were reminded and some of them answered later, but the flags are gone.
    assert audited.reminded_before_close > 0
    late = set(audited.arrival[len(audited.arrival) // 2 :])
    assert late & answered
    assert [row for row in tables["survey_invite"] if row["reminded"]] == []

    # 4. Reply tokens hold the comment alone: nothing they hold is found on an answer row, no
    # table points at an answer, and answers hold no comment at all.
    tokens = tables["reply_token"]
    assert {row["text"] for row in tokens} == {f"comment by {user}" for user in REPLIES_WANTED}
    answer_ids = {row["id"] for row in tables["survey_answer"]}
    for token in tokens:
        assert not {str(value) for value in token.values()} & answer_ids
        for row in tables["survey_answer"] + tables["survey_comment"]:
            assert token["text"] not in json.dumps(row, default=str)
    for table in metadata.values():
        assert all(key.column.table.name != "survey_answer" for key in table.foreign_keys)
    assert {key.column.table.name for key in metadata["reply_token"].foreign_keys} == {
        "survey",
        "workspace",
    }
    for row in tables["survey_answer"]:
        assert set(row) == {"id", "survey_id", "team_id", "answers"}
        assert COMMENT.key not in row["answers"]
    assert len(tables["survey_answer"]) == len(ANSWERERS)
    assert len(tables["survey_comment"]) + len(tokens) == len(ANSWERERS)

    # What people see still works: results with every comment, and Sales by team.
    async with audited.world.sessions() as session:
        results = await survey_results(session=session, survey=survey)
        breakdown = await survey_breakdown(session=session, survey=survey)
    assert isinstance(results, SurveyResults) and results.responses == len(ANSWERERS)
    comments = next(q for q in results.questions if isinstance(q, TextResult)).comments
    assert len([c for c in comments if c.reply_token]) == len(REPLIES_WANTED)
    assert isinstance(breakdown, TeamBreakdown)
    assert [(team.name, team.results.responses) for team in breakdown.teams] == [("Sales", 7)]


# --- order on disk (PostgreSQL) --------------------------------------------------------------


def spearman(ranks: Sequence[int]) -> float:
    """Rank correlation of ``ranks`` (a permutation of 0..n-1) with 0..n-1."""
    n = len(ranks)
    squared = sum((rank - place) ** 2 for place, rank in enumerate(ranks))
    return 1 - 6 * squared / (n * (n * n - 1))


async def _in_disk_order(engine: AsyncEngine, table: str, survey_id: int) -> list[dict[str, Any]]:
    async with engine.connect() as connection:
        result = await connection.execute(
            sa.text(
                f"SELECT *, xmin::text AS xmin FROM {table} WHERE survey_id = :s ORDER BY ctid"
            ),
            {"s": survey_id},
        )
        return [dict(row) for row in result.mappings()]


async def test_on_postgresql_no_row_keeps_the_order_of_answers(engine: AsyncEngine) -> None:
    """Three surveys of 36 answers: if rows kept their arrival order (as ``ctid`` did, with a
    rank correlation of 1 for answers and invitations), the mean would be near 1; shuffled,
    it is near 0 (a standard deviation of about 0.1 for the mean of three)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("ctid and xmin are PostgreSQL's")
    world = await make_world(engine)
    await _add_support_team(world)
    extra = tuple(f"UEXTRA{number:04d}" for number in range(16))
    async with transaction(world.sessions) as session:
        await upsert_members(
            session=session,
            team_id=TEAM_ID,
            profiles=[MemberProfile(user_id=user, name=user.lower()) for user in extra],
        )
    people = (*ANSWERERS, *extra, *ENGINEERING[1:])  # 36 answerers
    correlations: dict[str, list[float]] = {"survey_answer": [], "survey_invite": []}
    for seed in range(3):
        survey = await open_survey(world, min_responses=THRESHOLD)
        assert survey.id is not None
        arrival = list(people)
        random.Random(seed).shuffle(arrival)
        for index, user in enumerate(arrival):
            await answer(world, survey, user, answer_of(index, user))
        stored = await _in_disk_order(engine, "survey_answer", survey.id)
        by_answers = {
            json.dumps(answer_of(i, u) | {COMMENT.key: None}, sort_keys=True): i
            for i, u in enumerate(arrival)
        }
        ranks = [
            by_answers[json.dumps(row["answers"] | {COMMENT.key: None}, sort_keys=True)]
            for row in stored
        ]
        assert sorted(ranks) == list(range(len(arrival)))
        correlations["survey_answer"].append(spearman(ranks))
        invites = await _in_disk_order(engine, "survey_invite", survey.id)
        order = {user: index for index, user in enumerate(arrival)}
        seen = [order[row["user_id"]] for row in invites if row["user_id"] in order]
        invite_ranks = [sorted(seen).index(rank) for rank in seen]
        correlations["survey_invite"].append(spearman(invite_ranks))
        # Every row of the survey was written by the last answer: xmin pairs nothing.
        for table in ("survey_answer", "survey_comment", "survey_invite", "survey_team_tally"):
            rows = await _in_disk_order(engine, table, survey.id)
            assert len({row["xmin"] for row in rows}) == 1, table
    for table, found in correlations.items():
        assert abs(sum(found) / len(found)) < 0.5, (table, found)
