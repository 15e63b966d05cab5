"""Two ``northstar job checkins`` processes started together send each DM exactly once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import time
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.checkins.settings import CheckinSettings, config_of
from bot.checkins.setups import store_default_settings
from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Workspace
from storage.repositories import checkin_setups as setups_repo
from storage.repositories.members import MemberProfile
from tests.factories import add_members
from tests.reliability.helpers import PROCESS_NOW as NOW
from tests.reliability.helpers import run_job_to_end

PEOPLE = [f"UP{index:03d}" for index in range(25)]


async def test_two_job_processes_send_each_prompt_once(
    tmp_path: Path, fake_slack: FakeSlack, runtime: Runtime, engine: AsyncEngine, database_url: str
) -> None:
    await add_members(runtime, *(MemberProfile(user_id=user, tz="UTC") for user in PEOPLE))
    # Prompts fall at 00:00 UTC on the day the processes' clocks start, so they are due.
    settings = CheckinSettings(weekday=NOW.weekday(), local_time=time(0, 0), window_days=1)
    async with transaction(runtime.sessions) as session:
        workspace = await session.get(Workspace, "T0001")
        assert workspace is not None
        await store_default_settings(session, "T0001", settings)
        session.add(workspace)
    fake_slack.latency = 0.005
    results = await asyncio.gather(
        *(
            run_job_to_end(
                "checkins", now=NOW, cwd=tmp_path, fake_slack=fake_slack, database_url=database_url
            )
            for _ in range(2)
        )
    )
    for status, log in results:
        assert status == 0, log
        assert "Traceback" not in log
    counts = Counter(call.args["channel"] for call in fake_slack.calls_to("chat.postMessage"))
    assert counts == Counter({user: 1 for user in PEOPLE})


async def test_two_job_processes_with_three_setups_due_in_one_minute_send_each_once(
    tmp_path: Path, fake_slack: FakeSlack, runtime: Runtime, engine: AsyncEngine, database_url: str
) -> None:
    """The default weekly check-in, a daily stand-up and a second weekly one, all due at the
    same minute for the same people: each person gets one prompt of each, never two."""
    await add_members(runtime, *(MemberProfile(user_id=user, tz="UTC") for user in PEOPLE))
    weekly = CheckinSettings(weekday=NOW.weekday(), local_time=time(0, 0), window_days=1)
    stand_up = CheckinSettings(days=list(range(7)), local_time=time(0, 0), window_days=0)
    async with transaction(runtime.sessions) as session:
        await store_default_settings(session, "T0001", weekly)
        for name, settings in (("Stand-up", stand_up), ("Retro", weekly)):
            await setups_repo.insert_setup(
                session=session, team_id="T0001", name=name, config=config_of(settings)
            )
    fake_slack.latency = 0.005
    results = await asyncio.gather(
        *(
            run_job_to_end(
                "checkins", now=NOW, cwd=tmp_path, fake_slack=fake_slack, database_url=database_url
            )
            for _ in range(2)
        )
    )
    for status, log in results:
        assert status == 0, log
    prompts = fake_slack.calls_to("chat.postMessage")
    assert Counter(call.args["channel"] for call in prompts) == Counter({u: 3 for u in PEOPLE})
    kinds = Counter(
        (call.args["channel"], "Stand-up" in call.args["text"], "Retro" in call.args["text"])
        for call in prompts
    )
    assert set(kinds.values()) == {1}  # one of each setup per person
