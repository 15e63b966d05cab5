"""Two real ``northstar run`` replicas on one PostgreSQL, with every scheduler firing each
second: each check-in prompt and each digest reaches Slack exactly once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import time, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.checkins.settings import CheckinSettings
from bot.checkins.setups import store_default_settings
from bot.core.runtime import Runtime
from bot.digest.settings import DigestSettings, with_digest_settings
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Workspace
from storage.repositories.members import MemberProfile
from storage.repositories.teams import add_team_members, create_team
from tests.app.test_process import northstar_run, stop_gracefully
from tests.factories import add_members
from tests.reliability.helpers import PROCESS_NOW as NOW
from tests.slack_requests import SIGNING_SECRET, TEAM_ID

PEOPLE = [f"UREPLICA{index:02d}" for index in range(30)]
COMPANY_CHANNEL, TEAM_CHANNEL = "CCOMPANY1", "CTEAM0001"
SETTLE_SECONDS = 4  # schedulers keep firing every second for this long after the last post


async def due_now(runtime: Runtime) -> None:
    """Check-ins and the digest are due at 00:00 UTC on the day the replicas' clocks start."""
    await add_members(runtime, *(MemberProfile(user_id=user, tz="UTC") for user in PEOPLE))
    checkins = CheckinSettings(weekday=NOW.weekday(), local_time=time(0, 0), window_days=1)
    digest = DigestSettings(
        channel_id=COMPANY_CHANNEL,
        weekday=NOW.weekday(),
        local_time=time(0, 0),
        team_digests=True,
        configured_at=NOW - timedelta(days=2),
    )
    async with transaction(runtime.sessions) as session:
        workspace = await session.get(Workspace, TEAM_ID)
        assert workspace is not None
        workspace.settings = with_digest_settings(workspace.settings, digest)
        await store_default_settings(session, TEAM_ID, checkins)
        session.add(workspace)
        team = await create_team(
            session=session, team_id=TEAM_ID, name="Ops", channel_id=TEAM_CHANNEL
        )
        await add_team_members(session=session, team=team, user_ids=PEOPLE[:10])


def prompts(fake_slack: FakeSlack) -> Counter[str]:
    return Counter(
        call.args["channel"]
        for call in fake_slack.calls_to("chat.postMessage")
        if str(call.args.get("channel", "")).startswith("U")
    )


def digests(fake_slack: FakeSlack) -> Counter[str]:
    return Counter(
        call.args["channel"]
        for call in fake_slack.calls_to("chat.postMessage")
        if call.args.get("channel") in (COMPANY_CHANNEL, TEAM_CHANNEL)
        and "thread_ts" not in call.args
    )


async def test_two_replicas_send_each_prompt_and_digest_once(
    tmp_path: Path, fake_slack: FakeSlack, runtime: Runtime, engine: AsyncEngine, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several replicas need PostgreSQL (docs/deploy.md)")
    await due_now(runtime)
    fake_slack.latency = 0.005
    shared = {
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "NORTHSTAR_SECRET_KEY": Fernet.generate_key().decode(),
        "NORTHSTAR_FREQUENT_SECONDS": "1",
    }
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    async with (
        northstar_run(tmp_path / "a", fake_slack, database_url, now=NOW, **shared) as first,
        northstar_run(tmp_path / "b", fake_slack, database_url, now=NOW, **shared) as second,
    ):
        expected_digests = Counter({COMPANY_CHANNEL: 1, TEAM_CHANNEL: 1})
        for _ in range(120):
            if set(PEOPLE) <= set(prompts(fake_slack)) and digests(fake_slack) == expected_digests:
                break
            await asyncio.sleep(0.5)
        await asyncio.sleep(SETTLE_SECONDS)
        logs = [await stop_gracefully(first), await stop_gracefully(second)]
    # Everyone (our people and the fake Slack's own two, synced at start-up) prompted once.
    sent = prompts(fake_slack)
    assert set(PEOPLE) <= set(sent) and set(sent.values()) == {1}, sent
    assert digests(fake_slack) == expected_digests
    for log in logs:
        assert "Traceback" not in log
    ran = ["job digest" in log for log in logs]
    assert all(ran), "both replicas ran the digest job"
