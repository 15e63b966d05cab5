"""The anonymity audit: run a survey and feedback threads, then read every table and log.

Each check is also run against a deliberate leak, to show it would catch one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from datetime import timedelta

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

from bot.core.anonymity import (
    PAYLOAD_LOGGERS,
    PAYLOAD_TEXT_LOGGERS,
    SealBroken,
    is_sealed_author,
    new_thread_code,
    quiet_payload_loggers,
    seal,
    token_timestamp,
    unseal,
)
from bot.feedback.comment_replies import reply_to_comment
from bot.feedback.threads import (
    close_conversation,
    reply_as_author,
    reply_as_leader,
    send_feedback,
)
from bot.pulse.reports import survey_breakdown, survey_chart, survey_export, survey_results
from bot.pulse.results import SurveyResults
from bot.slack.client import build_web_client
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Survey
from storage.repositories import survey_invites, surveys
from storage.repositories.pulse import reply_tokens_of_survey
from tests.pulse.helpers import (
    ADMIN,
    COMMENT,
    NAMES,
    NOW,
    PEOPLE,
    REAL_NAMES,
    TEAM_ID,
    PulseWorld,
    answer,
    close,
    make_world,
    open_survey,
    scale_answers,
)

ANONYMOUS_TABLES = (
    "survey_answer",
    "survey_comment",
    "reply_token",
    "feedback_thread",
    "feedback_message",
)
COUNT_TABLES = ("survey_team_group", "survey_team_tally")  # emptied here when the survey closed
ANSWERERS = PEOPLE[:8]
CONSENTING = PEOPLE[2]
FEEDBACK_AUTHOR = PEOPLE[9]
SECRET_PEOPLE = (*ANSWERERS, FEEDBACK_AUTHOR)
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
TIME_OF_DAY = re.compile(r"\d{1,2}:\d{2}")
Row = tuple[str, ...]


def secrets_of(people: Iterable[str]) -> list[str]:
    """What would identify these people: their ids, usernames and real names."""
    return [text for user in people for text in (user, NAMES[user], REAL_NAMES[user])]


def leaks_in_rows(rows: Iterable[Row], secrets: Sequence[str]) -> list[str]:
    return [secret for row in rows for secret in secrets if secret in " | ".join(row)]


def leaks_in_text(text: str, secrets: Sequence[str]) -> list[str]:
    return [secret for secret in secrets if secret in text]


async def read_every_table(engine: AsyncEngine) -> dict[str, list[dict[str, str]]]:
    """Every row of every table, as stored, each value rendered as text."""
    tables: dict[str, list[dict[str, str]]] = {}
    async with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            result = await connection.execute(sa.text(f'SELECT * FROM "{table.name}"'))
            tables[table.name] = [
                {key: "" if value is None else str(value) for key, value in row.items()}
                for row in result.mappings()
            ]
    return tables


def _rows(table: list[dict[str, str]]) -> list[Row]:
    return [tuple(row.values()) for row in table]


async def _run_a_survey(world: PulseWorld) -> tuple[Survey, list[str]]:
    survey = await open_survey(world)
    assert survey.id is not None
    async with transaction(world.sessions) as session:  # deliver every invitation
        for user in await survey_invites.invites_to_send(
            session=session, team_id=TEAM_ID, survey_id=survey.id, now=NOW
        ):
            assert await survey_invites.claim_invite(
                session=session, team_id=TEAM_ID, survey_id=survey.id, user_id=user, now=NOW
            )
            assert await survey_invites.finish_invite(
                session=session,
                team_id=TEAM_ID,
                survey_id=survey.id,
                user_id=user,
                claimed_at=NOW,
                state="sent",
            )
    comments = []
    for index, user in enumerate(ANSWERERS):
        comment = f"survey-comment-{index}"
        comments.append(comment)
        await answer(
            world,
            survey,
            user,
            scale_answers(1 + index % 5, enps=index) | {COMMENT.key: comment},
            allow_replies=user == CONSENTING,
            now=NOW + timedelta(hours=index, minutes=7 * index),
        )
    await close(world, survey)
    async with world.sessions() as session:
        closed = await surveys.get_survey(session=session, team_id=TEAM_ID, survey_id=survey.id)
    assert closed is not None
    return closed, comments


async def _run_feedback(world: PulseWorld, survey: Survey) -> list[str]:
    texts = ["feedback-opening", "feedback-leader-reply", "feedback-author-reply"]
    today = NOW.date()
    async with transaction(world.sessions) as session:
        sent = await send_feedback(
            session=session,
            team_id=TEAM_ID,
            author_id=FEEDBACK_AUTHOR,
            text=texts[0],
            team_ref=None,
            secret_key=world.key,
            today=today,
        )
        relay = await reply_as_leader(
            session=session,
            team_id=TEAM_ID,
            thread_id=sent.thread.id,
            leader_id=ADMIN,
            text=texts[1],
            secret_key=world.key,
        )
        logging.getLogger("tests.audit").info("relaying %r", relay)  # a careless log line
        await reply_as_author(
            session=session,
            team_id=TEAM_ID,
            thread_id=sent.thread.id,
            author_id=FEEDBACK_AUTHOR,
            text=texts[2],
            secret_key=world.key,
        )
        await close_conversation(
            session=session,
            team_id=TEAM_ID,
            thread_id=sent.thread.id,
            user_id=FEEDBACK_AUTHOR,
            secret_key=world.key,
        )
    assert survey.id is not None
    async with transaction(world.sessions) as session:
        tokens = await reply_tokens_of_survey(session=session, team_id=TEAM_ID, survey_id=survey.id)
        (token_id,) = tokens
        await reply_to_comment(
            session=session,
            team_id=TEAM_ID,
            reply_token_id=token_id,
            leader_id=ADMIN,
            text="comment-reply",
            secret_key=world.key,
            today=today,
        )
    return [*texts, "comment-reply"]


async def _read_everything_shown(world: PulseWorld, survey: Survey) -> None:
    async with world.sessions() as session:
        assert isinstance(await survey_results(session=session, survey=survey), SurveyResults)
        await survey_breakdown(session=session, survey=survey)
        await survey_chart(session=session, survey=survey)
        await survey_export(session=session, survey=survey)


async def test_the_anonymity_audit(engine: AsyncEngine, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    world = await make_world(engine)
    survey, comments = await _run_a_survey(world)
    await _read_everything_shown(world, survey)
    feedback_texts = await _run_feedback(world, survey)
    tables = await read_every_table(engine)
    secrets = secrets_of(SECRET_PEOPLE)

    # No row of an anonymous table holds an answerer's or author's id or name.
    for name in ANONYMOUS_TABLES:
        assert tables[name], f"{name} is empty, so the audit would prove nothing"
        assert leaks_in_rows(_rows(tables[name]), secrets) == [], name
    # Sales (6 of 8) would leave 2 others, Engineering has 2: no team may be shown, so no team
    # count was kept when the survey closed (tests/security/test_anonymity_audit.py keeps one).
    for name in COUNT_TABLES:
        assert tables[name] == [], name

    # What people wrote lives only in tables that know no one.
    markers = [*comments, *feedback_texts]
    for name, table in tables.items():
        if name not in ANONYMOUS_TABLES:
            assert leaks_in_rows(_rows(table), markers) == [], name
    assert leaks_in_rows(_rows(tables["survey_comment"]), markers[:1]) == [markers[0]]
    assert leaks_in_rows(_rows(tables["survey_answer"]), markers) == []  # comments live apart

    # Answers keep no date, no time and no team; their keys are random uuid4s.
    answers = tables["survey_answer"]
    assert len(answers) == len(ANSWERERS)
    assert set(answers[0]) == {"id", "survey_id", "team_id", "answers"}
    for row in answers:
        assert not [value for value in row.values() if TIME_OF_DAY.search(value)]
        assert not [value for value in row.values() if DATE.search(value)]
        assert re.fullmatch(r"[0-9a-f]{12}4[0-9a-f]{19}", row["id"])

    # Invitations say who answered, but not when, and share no key with answers.
    invites = tables["survey_invite"]
    # No time of answering and no order: only flags (``reminded`` is the one reminder's flag).
    assert set(invites[0]) == {
        "survey_id",
        "user_id",
        "team_id",
        "state",
        "answered",
        "reminded",
        "claimed_at",
    }
    assert {row["user_id"] for row in invites if row["answered"] in ("1", "True")} == set(ANSWERERS)
    assert {row["claimed_at"] for row in invites} == {""}
    assert {row["reminded"] for row in invites} <= {"0", "False"}  # cleared when it closed
    for name in ANONYMOUS_TABLES:
        for key in SQLModel.metadata.tables[name].foreign_keys:
            assert key.column.table.name not in ("survey_invite", "member", "team_membership")

    # Feedback rows carry a day at most, and the sealed authors carry no time at all.
    for name in ("feedback_thread", "feedback_message", "reply_token", "survey_comment"):
        for row in tables[name]:
            assert not [value for value in row.values() if TIME_OF_DAY.search(value)], name
    sealed = [row["sealed_author"] for row in tables["reply_token"] + tables["feedback_thread"]]
    assert len(sealed) == 3
    assert [token_timestamp(token) for token in sealed] == [0, 0, 0]
    assert {unseal(token, world.key) for token in sealed} == {CONSENTING, FEEDBACK_AUTHOR}

    # Logs name nobody who answered or wrote, yet did record what happened.
    assert "survey P-1 opened" in caplog.text
    assert "anonymous feedback #" in caplog.text
    assert "relaying Relay(" in caplog.text
    assert leaks_in_text(caplog.text, secrets) == []


async def test_the_log_check_catches_a_driver_that_logs_parameters(
    engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    """Why ``storage.db`` quiets aiosqlite: at DEBUG it logs every statement's parameters."""
    if engine.dialect.name != "sqlite":
        pytest.skip("aiosqlite is the SQLite driver")
    world = await make_world(engine)
    survey = await open_survey(world)
    driver_log = logging.getLogger("aiosqlite")
    assert driver_log.level == logging.INFO
    caplog.set_level(logging.DEBUG)
    driver_log.setLevel(logging.DEBUG)
    try:
        await answer(world, survey, PEOPLE[0], scale_answers(4) | {COMMENT.key: "said-this"})
    finally:
        driver_log.setLevel(logging.INFO)
    assert leaks_in_text(caplog.text, secrets_of([PEOPLE[0]])) == [PEOPLE[0]]
    assert "said-this" in caplog.text


def test_the_row_check_catches_a_name_or_id_anywhere_in_a_row() -> None:
    secrets = secrets_of([PEOPLE[0]])
    assert leaks_in_rows([("x", "hello person001.surname!")], secrets) == [NAMES[PEOPLE[0]]]
    assert leaks_in_rows([("a", f"<@{PEOPLE[0]}>")], secrets) == [PEOPLE[0]]
    assert leaks_in_rows([("a", "b")], secrets) == []


def test_a_sealed_id_opens_only_with_its_key_and_carries_no_time() -> None:
    key = Fernet.generate_key().decode()
    first, second = seal("U123ABC", key), seal("U123ABC", key)
    assert first != second  # a fresh IV each time: equal ids do not give equal tokens
    assert "U123ABC" not in first
    assert unseal(first, key) == unseal(second, key) == "U123ABC"
    assert token_timestamp(first) == token_timestamp(second) == 0
    assert is_sealed_author(first, "U123ABC", key)
    assert not is_sealed_author(first, "U123ABD", key)
    with pytest.raises(SealBroken):
        unseal(first, Fernet.generate_key().decode())
    with pytest.raises(SealBroken):
        unseal("not-a-token", key)


def test_an_ordinary_fernet_token_would_tell_the_time() -> None:
    """The check above can fail: Fernet's own ``encrypt`` stamps the current time."""
    token = Fernet(Fernet.generate_key()).encrypt(b"U123ABC").decode()
    assert token_timestamp(token) > 1_600_000_000


def test_thread_codes_are_four_uppercase_hex_digits() -> None:
    codes = {new_thread_code() for _ in range(200)}
    assert all(re.fullmatch(r"[0-9A-F]{4}", code) for code in codes)
    assert len(codes) > 150  # random, not counted


def test_payload_loggers_are_kept_at_info_or_above() -> None:
    # tests/conftest.py puts every level back after the test
    loggers = [logging.getLogger(name) for name in (*PAYLOAD_LOGGERS, *PAYLOAD_TEXT_LOGGERS)]
    for library_logger in loggers:
        library_logger.setLevel(logging.DEBUG)
    quiet_payload_loggers()
    assert [library_logger.level for library_logger in loggers] == [logging.INFO] * len(loggers)


async def test_sdk_clients_do_not_even_build_payload_text(
    fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    logging.getLogger("slack_sdk").setLevel(logging.WARNING)  # a quieter LOG_LEVEL
    quiet_payload_loggers()
    client_logger = logging.getLogger("slack_sdk.web.async_base_client")  # the client's own
    built: list[object] = []
    monkeypatch.setattr(client_logger, "debug", lambda *args, **_: built.extend(args))

    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    await client.chat_postMessage(channel="U0PRIVATE1", text="How was your week?")

    assert built == []  # the SDK built no text of the payload, let alone logged it
    for name in PAYLOAD_TEXT_LOGGERS:  # and nothing is louder than asked
        assert logging.getLogger(name).getEffectiveLevel() == logging.WARNING


async def test_anonymous_tables_keep_no_insertion_order_on_sqlite(engine: AsyncEngine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("WITHOUT ROWID is SQLite's")
    async with engine.connect() as connection:
        for name in ANONYMOUS_TABLES:
            result = await connection.execute(
                sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :name"),
                {"name": name},
            )
            assert "WITHOUT ROWID" in str(result.scalar_one()), name


async def test_on_postgresql_transaction_ids_do_not_pair_invites_with_answers(
    engine: AsyncEngine,
) -> None:
    """Every answer rewrites its survey's rows (team counts included), so all share the newest
    ``xmin``."""
    if engine.dialect.name != "postgresql":
        pytest.skip("xmin is PostgreSQL's")
    world = await make_world(engine)
    survey = await open_survey(world)
    for index, user in enumerate(ANSWERERS[:4]):
        await answer(
            world, survey, user, scale_answers(3) | {COMMENT.key: f"c{index}"}, allow_replies=True
        )
    async with engine.connect() as connection:
        xmins = {
            name: set(
                (
                    await connection.execute(
                        sa.text(f"SELECT xmin::text FROM {name} WHERE {column} = :survey"),
                        {"survey": survey.id},
                    )
                ).scalars()
            )
            for name, column in (
                ("survey_invite", "survey_id"),
                ("survey_answer", "survey_id"),
                ("reply_token", "survey_id"),
                ("survey_team_group", "survey_id"),
                ("survey_team_tally", "survey_id"),
            )
        }
    assert len(xmins["survey_invite"]) == 1
    assert all(found == xmins["survey_invite"] for found in xmins.values()), xmins
