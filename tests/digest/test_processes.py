"""Two ``northstar job digest`` processes started together post each digest exactly once,
and a third run of the same period posts nothing."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import time, timedelta
from pathlib import Path

from bot.core.runtime import Runtime
from bot.digest.settings import DigestSettings, with_digest_settings
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Workspace
from tests.digest.helpers import DIGEST_CHANNEL, OPS_CHANNEL, SALES_CHANNEL, build_bakery
from tests.reliability.helpers import PROCESS_NOW as NOW
from tests.reliability.helpers import run_job_to_end
from tests.slack_requests import TEAM_ID


async def run_digest_process(cwd: Path, fake_slack: FakeSlack, database_url: str) -> str:
    status, log = await run_job_to_end(
        "digest", now=NOW, cwd=cwd, fake_slack=fake_slack, database_url=database_url
    )
    assert status == 0, log
    assert "Traceback" not in log
    return log


def main_posts(fake_slack: FakeSlack) -> Counter[str]:
    return Counter(
        call.args["channel"]
        for call in fake_slack.calls_to("chat.postMessage")
        if "thread_ts" not in call.args
    )


async def test_two_digest_processes_post_once_and_a_rerun_posts_nothing(
    tmp_path: Path, fake_slack: FakeSlack, runtime: Runtime, database_url: str
) -> None:
    await build_bakery(runtime)
    # Due at 00:00 UTC on the day the processes' clocks start.
    settings = DigestSettings(
        channel_id=DIGEST_CHANNEL,
        weekday=NOW.weekday(),
        local_time=time(0, 0),
        team_digests=True,
        configured_at=NOW - timedelta(days=2),
    )
    async with transaction(runtime.sessions) as session:
        workspace = await session.get(Workspace, TEAM_ID)
        assert workspace is not None
        workspace.settings = with_digest_settings(workspace.settings, settings)
        session.add(workspace)
    fake_slack.latency = 0.005

    await asyncio.gather(
        run_digest_process(tmp_path, fake_slack, database_url),
        run_digest_process(tmp_path, fake_slack, database_url),
    )
    expected = Counter({DIGEST_CHANNEL: 1, SALES_CHANNEL: 1, OPS_CHANNEL: 1})
    assert main_posts(fake_slack) == expected
    uploads = Counter(
        c.args["channel_id"] for c in fake_slack.calls_to("files.completeUploadExternal")
    )
    assert uploads == expected

    writes = len(fake_slack.calls_to("chat.postMessage"))
    log = await run_digest_process(tmp_path, fake_slack, database_url)
    assert "3 already taken" in log
    assert len(fake_slack.calls_to("chat.postMessage")) == writes
