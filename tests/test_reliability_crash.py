"""Crash safety: a real ``northstar job`` process killed with SIGKILL part-way through a
fan-out, then run again, loses no one and duplicates nothing beyond what
``docs/architecture.md`` allows.

What the design promises (and these tests hold it to):

- check-ins and survey invitations: a DM is claimed (``sending``), sent, then recorded. A kill
  between Slack's answer and the record leaves the row ``sending``; only after the claim is
  stale (``SENDING_STALE_AFTER``, ten minutes) is it claimed again, so that person may get a
  second DM: "the only duplicate possible, and only after a hard crash". At most
  ``SEND_CONCURRENCY`` rows are in flight at once, so at most that many people can be doubled,
  and only people whose row was ``sending`` at the kill;
- the digest: one channel and one message at a time, each recorded once Slack accepted it;
  a ``running`` ledger period is taken over after an hour. At most the one message in flight
  at the kill is posted twice.

The job process reads the wall clock and cannot be given a fake one, so "ten minutes later"
and "an hour later" are simulated by moving the stale claims' timestamps back in the database.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel, col, select

from bot.checkin_rounds import SEND_CONCURRENCY
from bot.checkin_settings import CheckinSettings, with_settings
from bot.digest_settings import DigestSettings, with_digest_settings
from bot.pulse_lifecycle import create_survey
from bot.pulse_questions import BANK, SurveyDraft
from bot.runtime import Runtime
from bot.slack_client import SingleWorkspaceClients, build_web_client
from scheduler.jobs import JobContext, run_job
from storage.db import transaction
from storage.models import CheckinDelivery, DigestPost, RunLedger, SurveyInvite, Workspace
from storage.repositories.checkins import SENDING_STALE_AFTER
from storage.repositories.ledger import DEFAULT_STALE_AFTER
from storage.repositories.members import MemberProfile
from storage.repositories.survey_invites import SENDING_STALE_AFTER as INVITE_STALE_AFTER
from tests import digest_helpers
from tests.factories import add_members
from tests.fake_slack import FakeSlack
from tests.reliability_helpers import job_environment, kill_after, start_job
from tests.slack_requests import ADMIN_ID, TEAM_ID

PEOPLE = tuple(f"UCRASH{number:03d}" for number in range(90))
LATENCY = 0.03  # each DM takes a while, so the kill lands mid-fan-out


def dm_counts(fake_slack: FakeSlack) -> Counter[str]:
    return Counter(str(call.args["channel"]) for call in fake_slack.calls_to("chat.postMessage"))


async def claims_in_flight(engine: AsyncEngine, table: str) -> set[str]:
    """Who the killed process was sending to: rows it claimed and never recorded."""
    rows = SQLModel.metadata.tables[table]
    async with engine.connect() as connection:
        found = await connection.execute(sa.select(rows.c.user_id).where(rows.c.state == "sending"))
        return {str(user_id) for (user_id,) in found}


async def age_claims(engine: AsyncEngine, table: str, by: timedelta) -> int:
    """What the clock would do to the dead process's claims: make them older than ``by``."""
    rows = SQLModel.metadata.tables[table]
    async with engine.begin() as connection:
        result = await connection.execute(
            sa.update(rows)
            .where(rows.c.state == "sending")
            .values(claimed_at=datetime.now(UTC) - by - timedelta(minutes=1))
        )
    return int(result.rowcount or 0)


def check_only_the_in_flight_doubled(
    counts: Counter[str], everyone: set[str], kills: list[set[str]]
) -> None:
    """Everyone got their DM; someone got more than one only for each kill that caught their
    DM in flight."""
    assert set(counts) == everyone, f"lost: {sorted(everyone - set(counts))}"
    for user, count in counts.items():
        allowed = 1 + sum(user in in_flight for in_flight in kills)
        assert count <= allowed, f"{user} got {count} DMs, in flight at {allowed - 1} kills"
    assert all(len(in_flight) <= SEND_CONCURRENCY for in_flight in kills)


async def kill_repeatedly(
    job: str,
    kill_points: list[int],
    *,
    cwd: Path,
    fake_slack: FakeSlack,
    database_url: str,
    engine: AsyncEngine,
    table: str,
    stale_after: timedelta,
) -> list[set[str]]:
    """Start ``northstar job NAME`` and SIGKILL it once the fake Slack has seen
    ``kill_points[0]`` DMs in all; age the claims it left (as ten minutes would), start it
    again, kill it at the next count, and so on. Returns who was in flight at each kill."""
    env = job_environment(fake_slack, database_url)
    kills: list[set[str]] = []
    for point in kill_points:
        target = max(point, len(fake_slack.calls_to("chat.postMessage")) + 1)
        await kill_after(
            await start_job(job, cwd=cwd, env=env), fake_slack, "chat.postMessage", target
        )
        kills.append(await claims_in_flight(engine, table))
        assert await age_claims(engine, table, stale_after) == len(kills[-1])
    return kills


def job_context(runtime: Runtime, fake_slack: FakeSlack) -> JobContext:
    client = build_web_client(token="xoxb-process", base_url=fake_slack.api_url)
    return JobContext(runtime, SingleWorkspaceClients(client))


# --- check-ins ----------------------------------------------------------------------------------


async def prompts_due_now(runtime: Runtime) -> None:
    await add_members(runtime, *(MemberProfile(user_id=user, tz="UTC") for user in PEOPLE))
    today = datetime.now(UTC).date()
    # Prompts fall today at 00:00 UTC, so they are due whenever the test runs.
    settings = CheckinSettings(weekday=today.weekday(), local_time=time(0, 0), window_days=1)
    async with transaction(runtime.sessions) as session:
        workspace = await session.get(Workspace, TEAM_ID)
        assert workspace is not None
        workspace.settings = with_settings(workspace.settings, settings)
        session.add(workspace)


async def test_a_check_in_fan_out_killed_three_times_loses_no_one_and_doubles_only_in_flight(
    tmp_path: Path,
    fake_slack: FakeSlack,
    runtime: Runtime,
    engine: AsyncEngine,
    database_url: str,
) -> None:
    await prompts_due_now(runtime)
    fake_slack.latency = LATENCY
    third = len(PEOPLE) // 3
    kills = await kill_repeatedly(
        "checkins",
        [1, third, 2 * third],  # killed at the 1st, about the 30th and the 60th DM
        cwd=tmp_path,
        fake_slack=fake_slack,
        database_url=database_url,
        engine=engine,
        table="checkin_delivery",
        stale_after=SENDING_STALE_AFTER,
    )
    assert sum(dm_counts(fake_slack).values()) < len(PEOPLE), "killed too late to prove much"
    context = job_context(runtime, fake_slack)

    # Restarted before the last claims are stale: they are left alone (their process might be
    # slow rather than dead) and everyone else is prompted.
    await set_column_where_sending(engine, "checkin_delivery", datetime.now(UTC))
    [outcome] = await run_job("checkins", context)
    assert outcome.status == "done", outcome.detail
    assert await claims_in_flight(engine, "checkin_delivery") == kills[-1]
    counts = dm_counts(fake_slack)
    assert {user for user in PEOPLE if counts[user] == 0} <= kills[-1]

    # Ten minutes later the dead claims are taken over.
    runtime.clock = lambda: datetime.now(UTC) + SENDING_STALE_AFTER + timedelta(minutes=1)
    [outcome] = await run_job("checkins", context)
    assert outcome.status == "done", outcome.detail
    check_only_the_in_flight_doubled(dm_counts(fake_slack), set(PEOPLE), kills)
    async with runtime.sessions() as session:
        rows = (await session.exec(select(CheckinDelivery))).all()
    assert len(rows) == len(PEOPLE)
    assert {row.state for row in rows} == {"sent"} and all(row.message_ts for row in rows)


async def set_column_where_sending(engine: AsyncEngine, table: str, moment: datetime) -> None:
    """Make the last kill's claims fresh again (``kill_repeatedly`` aged them)."""
    rows = SQLModel.metadata.tables[table]
    async with engine.begin() as connection:
        await connection.execute(
            sa.update(rows).where(rows.c.state == "sending").values(claimed_at=moment)
        )


# --- survey invitations ----------------------------------------------------------------------


async def survey_open_now(runtime: Runtime) -> None:
    profiles = [MemberProfile(user_id=user, tz="UTC") for user in PEOPLE]
    await add_members(runtime, MemberProfile(user_id=ADMIN_ID, is_admin=True), *profiles)
    now = datetime.now(UTC)
    draft = SurveyDraft(
        title="Crash pulse",
        questions=BANK[:2],
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=5),
    )
    async with transaction(runtime.sessions) as session:
        await create_survey(
            session=session,
            team_id=TEAM_ID,
            actor=ADMIN_ID,
            draft=draft,
            now=now - timedelta(minutes=2),
        )


async def test_a_survey_fan_out_killed_twice_loses_no_one_and_doubles_only_in_flight(
    tmp_path: Path,
    fake_slack: FakeSlack,
    runtime: Runtime,
    engine: AsyncEngine,
    database_url: str,
) -> None:
    await survey_open_now(runtime)
    fake_slack.latency = LATENCY
    kills = await kill_repeatedly(
        "surveys",
        [1, len(PEOPLE) // 2],
        cwd=tmp_path,
        fake_slack=fake_slack,
        database_url=database_url,
        engine=engine,
        table="survey_invite",
        stale_after=INVITE_STALE_AFTER,
    )
    [outcome] = await run_job("surveys", job_context(runtime, fake_slack))
    assert outcome.status == "done", outcome.detail
    everyone = {*PEOPLE, ADMIN_ID}
    check_only_the_in_flight_doubled(dm_counts(fake_slack), everyone, kills)
    async with runtime.sessions() as session:
        invites = (await session.exec(select(SurveyInvite))).all()
    assert {invite.user_id for invite in invites} == everyone
    assert {invite.state for invite in invites} == {"sent"}


# --- the digest ------------------------------------------------------------------------------

CHANNELS = (digest_helpers.DIGEST_CHANNEL, digest_helpers.SALES_CHANNEL, digest_helpers.OPS_CHANNEL)


async def digest_due_now(runtime: Runtime) -> None:
    await digest_helpers.build_bakery(runtime)
    now = datetime.now(UTC)
    settings = DigestSettings(
        channel_id=digest_helpers.DIGEST_CHANNEL,
        weekday=now.weekday(),
        local_time=time(0, 0),
        team_digests=True,
        configured_at=now - timedelta(days=2),
    )
    async with transaction(runtime.sessions) as session:
        workspace = await session.get(Workspace, TEAM_ID)
        assert workspace is not None
        workspace.settings = with_digest_settings(workspace.settings, settings)
        session.add(workspace)


def digest_writes(fake_slack: FakeSlack) -> Counter[tuple[str, str]]:
    """Each message and chart the digest put in a channel, by channel and text."""
    writes: Counter[tuple[str, str]] = Counter()
    for call in fake_slack.calls:
        if call.method == "chat.postMessage":
            writes[(str(call.args["channel"]), str(call.args["text"]))] += 1
        elif call.method == "files.completeUploadExternal":
            writes[(str(call.args["channel_id"]), "chart")] += 1
    return writes


async def age_running_periods(engine: AsyncEngine) -> None:
    """An hour passes for the killed run's ledger periods (``claim_run`` reads the real clock,
    so its rows are aged in the database)."""
    async with engine.begin() as connection:
        await connection.execute(
            sa.update(RunLedger)
            .where(col(RunLedger.status) == "running")
            .values(started_at=datetime.now(UTC) - DEFAULT_STALE_AFTER - timedelta(minutes=1))
        )


async def test_a_digest_killed_twice_doubles_at_most_the_message_in_flight_each_time(
    tmp_path: Path,
    fake_slack: FakeSlack,
    runtime: Runtime,
    engine: AsyncEngine,
    database_url: str,
) -> None:
    await digest_due_now(runtime)
    fake_slack.latency = LATENCY
    env = job_environment(fake_slack, database_url)
    context = job_context(runtime, fake_slack)
    for point in (2, 12):  # the company post and its first reply; then within a team's thread
        target = max(point, len(fake_slack.calls_to("chat.postMessage")) + 1)
        await kill_after(
            await start_job("digest", cwd=tmp_path, env=env), fake_slack, "chat.postMessage", target
        )
        # Restarted at once, the running periods belong to another process: nothing is posted.
        writes = sum(digest_writes(fake_slack).values())
        [outcome] = await run_job("digest", context)
        assert f"0 posted, {len(CHANNELS)} already taken" in outcome.detail
        await age_running_periods(engine)
    [outcome] = await run_job("digest", context)
    assert outcome.status == "done" and "failed" not in outcome.detail, outcome.detail
    writes_now = digest_writes(fake_slack)
    assert sum(writes_now.values()) > writes
    doubled = {key: count for key, count in writes_now.items() if count > 1}
    assert sum(count - 1 for count in doubled.values()) <= 2, doubled  # one per kill at most
    async with runtime.sessions() as session:
        posts = (await session.exec(select(DigestPost))).all()
        ledger = (await session.exec(select(RunLedger).where(RunLedger.job == "digest"))).all()
    assert sorted(post.channel_id for post in posts) == sorted(CHANNELS)
    assert all(post.chart_done for post in posts)
    assert {row.status for row in ledger} == {"done"}
    assert all(writes_now[(channel, "chart")] >= 1 for channel in CHANNELS)
