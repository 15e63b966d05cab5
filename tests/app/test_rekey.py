"""Key rotation: a new ``NORTHSTAR_SECRET_KEY`` with the old one in ``NORTHSTAR_OLD_SECRET_KEYS``
still reads everything; ``northstar rekey`` encrypts every stored secret again with the new key,
after which the old key can go. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel, select

from bot.app.rekey import rekey
from bot.cli import main
from bot.core.anonymity import token_timestamp
from bot.core.config import Settings
from bot.core.key_ring import KeyRing
from bot.core.runtime import Runtime
from bot.feedback.comment_replies import reply_to_comment
from bot.feedback.threads import reply_as_leader, send_feedback
from bot.pulse.surveys import submit_answer
from bot.slack.installations import build_installation_store
from storage.db import create_session_factory, transaction
from storage.models import ReplyToken
from storage.repositories.installations import SLACK_METADATA
from storage.repositories.sealed_values import sealed_columns
from tests.app.oauth_helpers import CLIENT_ID, CLIENT_SECRET
from tests.pulse.helpers import (
    ADMIN,
    COMMENT,
    NOW,
    PEOPLE,
    TEAM_ID,
    make_world,
    open_survey,
    scale_answers,
)
from tests.slack_requests import SIGNING_SECRET

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()
COMMENTER, FEEDBACK_AUTHOR = PEOPLE[0], PEOPLE[1]
TOKENS = {
    "bot_token": "xoxb-111-222-bot-secret",
    "bot_refresh_token": "xoxe-1-bot-refresh-secret",
    "user_token": "xoxp-111-222-user-secret",
    "user_refresh_token": "xoxe-1-user-refresh-secret",
}
# Every column that holds an encrypted value, named here independently of the code under test.
ENCRYPTED = {
    "reply_token": ("sealed_author",),
    "feedback_thread": ("sealed_author",),
    "slack_installations": tuple(TOKENS),
    "slack_bots": ("bot_token", "bot_refresh_token"),
}


def runtime_with(
    engine: AsyncEngine, database_url: str, key: str, old: Sequence[str] = ()
) -> Runtime:
    settings = Settings(
        _env_file=None,
        slack_signing_secret=SIGNING_SECRET,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        database_url=database_url,
        northstar_secret_key=key,
        northstar_old_secret_keys=",".join(old) or None,
    )
    return Runtime(settings=settings, engine=engine, sessions=create_session_factory(engine))


@dataclass
class Sealed:
    thread_id: str
    reply_token_id: str


async def feedback(runtime: Runtime, author: str) -> str:
    async with transaction(runtime.sessions) as session:
        relay = await send_feedback(
            session=session,
            team_id=TEAM_ID,
            author_id=author,
            text="The roadmap changes every week",
            team_ref=None,
            secret_key=runtime.key_ring,
            today=NOW.date(),
        )
    return relay.thread.id


async def seal_everything(runtime: Runtime) -> Sealed:
    """One value in every encrypted column, written by Northstar's own code with ``runtime``'s
    keys: a survey comment open to replies, anonymous feedback, an OAuth installation."""
    world = await make_world(runtime.engine)
    survey = await open_survey(world)
    assert survey.id is not None
    async with transaction(runtime.sessions) as session:
        await submit_answer(
            session=session,
            team_id=TEAM_ID,
            survey_id=survey.id,
            user_id=COMMENTER,
            submitted=scale_answers(4) | {COMMENT.key: "More focus, fewer meetings"},
            allow_replies=True,
            secret_key=runtime.key_ring,
            now=NOW,
        )
    thread_id = await feedback(runtime, FEEDBACK_AUTHOR)
    installation = Installation(
        app_id="A0001",
        team_id="T0001",
        bot_id="BBOT",
        bot_user_id="UBOT",
        user_id=ADMIN,
        bot_token=TOKENS["bot_token"],
        bot_refresh_token=TOKENS["bot_refresh_token"],
        user_token=TOKENS["user_token"],
        user_refresh_token=TOKENS["user_refresh_token"],
    )
    await build_installation_store(runtime).async_save(installation)
    async with runtime.sessions() as session:
        reply_token_id = (await session.exec(select(ReplyToken.id))).one()
    return Sealed(thread_id, reply_token_id)


async def stored(engine: AsyncEngine) -> dict[str, list[str]]:
    """The raw encrypted values, ``table.column`` -> values in a stable order."""
    values: dict[str, list[str]] = {}
    async with engine.connect() as connection:
        for table, columns in ENCRYPTED.items():
            for column in columns:
                statement = sa.text(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL")
                found = sorted(str(row[0]) for row in await connection.execute(statement))
                values[f"{table}.{column}"] = found
    return values


def open_with(key: str, values: dict[str, list[str]]) -> bool:
    try:
        for tokens in values.values():
            for token in tokens:
                Fernet(key).decrypt(token)
    except InvalidToken:
        return False
    return True


async def reads_work(runtime: Runtime, sealed: Sealed) -> None:
    """Northstar opens every kind of stored secret with ``runtime``'s keys."""
    async with transaction(runtime.sessions) as session:
        relay = await reply_as_leader(
            session=session,
            team_id=TEAM_ID,
            thread_id=sealed.thread_id,
            leader_id=ADMIN,
            text="Thanks, we will fix it",
            secret_key=runtime.key_ring,
        )
    assert relay.author_id == FEEDBACK_AUTHOR
    store = build_installation_store(runtime)
    bot = await store.async_find_bot(enterprise_id=None, team_id="T0001")
    assert bot is not None
    assert (bot.bot_token, bot.bot_refresh_token) == (
        TOKENS["bot_token"],
        TOKENS["bot_refresh_token"],
    )
    found = await store.async_find_installation(enterprise_id=None, team_id="T0001")
    assert found is not None
    assert {name: getattr(found, name) for name in TOKENS} == TOKENS


async def sealed_authors(runtime: Runtime) -> dict[str, str]:
    """Feedback thread id -> its stored sealed author."""
    async with runtime.engine.connect() as connection:
        rows = await connection.execute(sa.text("SELECT id, sealed_author FROM feedback_thread"))
        return {str(row[0]): str(row[1]) for row in rows}


def northstar_rekey(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], database_url: str
) -> tuple[int, list[str]]:
    """``northstar rekey`` in-process, with NEW as the key and OLD kept for reading."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("NORTHSTAR_SECRET_KEY", NEW)
    monkeypatch.setenv("NORTHSTAR_OLD_SECRET_KEYS", f"{Fernet.generate_key().decode()}, {OLD}")
    capsys.readouterr()
    code = main(["rekey"])
    return code, capsys.readouterr().err.splitlines()


async def test_a_rotated_key_reads_old_secrets_and_rekey_lets_the_old_key_go(
    engine: AsyncEngine,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    sealed = await seal_everything(runtime_with(engine, database_url, OLD))
    before = await stored(engine)
    assert all(before.values()) and open_with(OLD, before)

    # The new key encrypts, the old one still opens what it wrote.
    rotated = runtime_with(engine, database_url, NEW, old=[OLD])
    await reads_work(rotated, sealed)
    await feedback(rotated, PEOPLE[2])  # written with the new key already

    code, lines = await asyncio.to_thread(northstar_rekey, monkeypatch, capsys, database_url)
    assert code == 0, lines
    assert lines == [
        "reply_token: 1 re-encrypted with NORTHSTAR_SECRET_KEY, 0 already encrypted with it, "
        "0 unreadable",
        "feedback_thread: 1 re-encrypted with NORTHSTAR_SECRET_KEY, 1 already encrypted with "
        "it, 0 unreadable",
        "slack_installations: 4 re-encrypted with NORTHSTAR_SECRET_KEY, 0 already encrypted "
        "with it, 0 unreadable",
        "slack_bots: 2 re-encrypted with NORTHSTAR_SECRET_KEY, 0 already encrypted with it, "
        "0 unreadable",
        "Every stored secret is now encrypted with NORTHSTAR_SECRET_KEY: you can remove "
        "NORTHSTAR_OLD_SECRET_KEYS from every replica.",
    ]
    after = await stored(engine)
    assert open_with(NEW, after)
    assert not any(open_with(OLD, {name: [token]}) for name in after for token in after[name])
    sealed_authors = after["reply_token.sealed_author"] + after["feedback_thread.sealed_author"]
    assert {token_timestamp(token) for token in sealed_authors} == {0}  # still no time

    # Safe to run again: nothing left to do, nothing rewritten.
    code, lines = await asyncio.to_thread(northstar_rekey, monkeypatch, capsys, database_url)
    assert code == 0
    assert all(" 0 re-encrypted" in line for line in lines[:4]), lines
    assert await stored(engine) == after

    # The old key is gone from the settings, and everything still opens.
    only_new = runtime_with(engine, database_url, NEW)
    await reads_work(only_new, sealed)
    async with transaction(only_new.sessions) as session:
        relay = await reply_to_comment(
            session=session,
            team_id=TEAM_ID,
            reply_token_id=sealed.reply_token_id,
            leader_id=ADMIN,
            text="Which meetings?",
            secret_key=only_new.key_ring,
            today=NOW.date(),
        )
    assert relay.author_id == COMMENTER


async def test_rekey_walks_every_batch_and_leaves_unreadable_values_alone(
    engine: AsyncEngine,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    old = runtime_with(engine, database_url, OLD)
    await make_world(engine)
    for author in PEOPLE[:5]:
        await feedback(old, author)
    lost = await feedback(
        runtime_with(engine, database_url, Fernet.generate_key().decode()), PEOPLE[5]
    )
    before = await sealed_authors(old)

    counts = await rekey(old.sessions, KeyRing(NEW, [OLD]), batch_rows=2)
    thread = next(count for count in counts if count.table == "feedback_thread")
    assert (thread.rewritten, thread.current, thread.unreadable) == (5, 0, 1)
    again = await rekey(old.sessions, KeyRing(NEW, [OLD]), batch_rows=2)
    thread = next(count for count in again if count.table == "feedback_thread")
    assert (thread.rewritten, thread.current, thread.unreadable) == (0, 5, 1)

    after = await sealed_authors(old)
    assert after[lost] == before[lost]  # left exactly as it was
    rewritten = {key: [value] for key, value in after.items() if key != lost}
    assert len(rewritten) == 5 and open_with(NEW, rewritten)
    assert all(after[key] != before[key] for key in rewritten)

    code, lines = await asyncio.to_thread(northstar_rekey, monkeypatch, capsys, database_url)
    assert code == 1
    assert lines[-1].startswith("1 stored secret opens with neither NORTHSTAR_SECRET_KEY nor")
    assert "Traceback" not in "\n".join(lines)


async def test_every_encrypted_column_is_rekeyed(engine: AsyncEngine, database_url: str) -> None:
    """Whatever column holds a Fernet token after every kind of secret was written is one that
    ``northstar rekey`` rewrites; a new encrypted column must be added to it."""
    await seal_everything(runtime_with(engine, database_url, OLD))
    found: set[tuple[str, str]] = set()
    async with engine.connect() as connection:
        for table in [*SQLModel.metadata.sorted_tables, *SLACK_METADATA.sorted_tables]:
            for row in (await connection.execute(sa.select(table))).mappings():
                found |= {
                    (table.name, column)
                    for column, value in row.items()
                    if isinstance(value, str) and value.startswith("gAAAAA")
                }
    rekeyed = {
        (sealed.table.name, column) for sealed in sealed_columns() for column in sealed.columns
    }
    expected = {(table, column) for table, columns in ENCRYPTED.items() for column in columns}
    assert found == rekeyed == expected
