"""Storage on the real databases: migrations, the run ledger, processed events, scoping."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

from bot.core.runtime import Runtime
from storage.db import transaction
from storage.models import utc_now
from storage.repositories.events import forget_events_before, record_event
from storage.repositories.installations import SLACK_METADATA
from storage.repositories.ledger import STATUS_FAILED, claim_run, finish_run, get_run
from storage.repositories.members import MemberProfile, get_member, list_admins
from storage.repositories.workspaces import ensure_workspace
from tests.factories import add_members


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    # Northstar's models and slack_sdk's installation tables (on their own metadata).
    return list(compare_metadata(context, [SQLModel.metadata, SLACK_METADATA]))  # type: ignore[arg-type]


async def test_migrations_build_exactly_the_models(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        differences = await connection.run_sync(_differences)
    assert differences == []


async def test_run_ledger_lets_exactly_one_claim_win(runtime: Runtime) -> None:
    async with transaction(runtime.sessions) as session:
        await ensure_workspace(session=session, team_id="T1")

    async def claim() -> bool:
        async with transaction(runtime.sessions) as session:
            return await claim_run(session=session, job="digest", team_id="T1", period="2026-W48")

    results = await asyncio.gather(*(claim() for _ in range(5)))
    assert sorted(results) == [False, False, False, False, True]
    assert await claim() is False


async def test_a_failed_run_can_be_claimed_again_once(runtime: Runtime) -> None:
    async with transaction(runtime.sessions) as session:
        await ensure_workspace(session=session, team_id="T1")
        assert await claim_run(session=session, job="j", team_id="T1", period="p")
        await finish_run(session=session, job="j", team_id="T1", period="p", status=STATUS_FAILED)
    async with transaction(runtime.sessions) as session:
        assert await claim_run(session=session, job="j", team_id="T1", period="p") is True
    async with transaction(runtime.sessions) as session:
        assert await claim_run(session=session, job="j", team_id="T1", period="p") is False
        run = await get_run(session=session, job="j", team_id="T1", period="p")
    assert run is not None and run.status == "running" and run.finished_at is None


async def test_a_run_whose_process_died_can_be_claimed_after_it_goes_stale(
    runtime: Runtime,
) -> None:
    async with transaction(runtime.sessions) as session:
        await ensure_workspace(session=session, team_id="T1")
        assert await claim_run(session=session, job="j", team_id="T1", period="p")
    async with transaction(runtime.sessions) as session:
        fresh = await claim_run(session=session, job="j", team_id="T1", period="p")
        stale = await claim_run(
            session=session, job="j", team_id="T1", period="p", stale_after=timedelta(0)
        )
        again = await claim_run(
            session=session, job="j", team_id="T1", period="p", stale_after=timedelta(hours=1)
        )
    assert (fresh, stale, again) == (False, True, False)


async def test_processed_events_are_remembered_then_forgotten(runtime: Runtime) -> None:
    async with transaction(runtime.sessions) as session:
        assert await record_event(session=session, team_id="T1", event_id="Ev1") is True
    async with transaction(runtime.sessions) as session:
        assert await record_event(session=session, team_id="T1", event_id="Ev1") is False
        earlier, later = utc_now() - timedelta(days=1), utc_now() + timedelta(seconds=1)
        assert await forget_events_before(session=session, team_id="T1", cutoff=earlier) == 0
        assert await forget_events_before(session=session, team_id="T2", cutoff=later) == 0
        assert await forget_events_before(session=session, team_id="T1", cutoff=later) == 1
    async with transaction(runtime.sessions) as session:
        assert await record_event(session=session, team_id="T1", event_id="Ev1") is True


async def test_members_are_scoped_to_their_workspace(runtime: Runtime) -> None:
    await add_members(runtime, MemberProfile(user_id="U1", is_admin=True), team_id="TONE")
    await add_members(runtime, MemberProfile(user_id="U2"), team_id="TTWO")
    async with runtime.sessions() as session:
        assert await get_member(session=session, team_id="TTWO", user_id="U1") is None
        assert await get_member(session=session, team_id="TONE", user_id="U1") is not None
        assert await list_admins(session=session, team_id="TTWO") == []
        assert [m.user_id for m in await list_admins(session=session, team_id="TONE")] == ["U1"]


async def test_timestamps_come_back_timezone_aware(runtime: Runtime) -> None:
    await add_members(runtime, MemberProfile(user_id="U1"), team_id="TONE")
    async with runtime.sessions() as session:
        member = await get_member(session=session, team_id="TONE", user_id="U1")
    assert member is not None and member.updated_at.tzinfo is not None
    assert abs(member.updated_at - utc_now()) < timedelta(minutes=5)
