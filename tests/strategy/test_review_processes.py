"""Two ``northstar job review`` processes started together post the review once with one
canvas; a process killed after posting leaves a claim the next run (after ten minutes)
finishes without posting again."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from tests.reliability.helpers import job_environment, kill_after, run_job_to_end, start_job
from tests.strategy.test_review import DAY_AFTER, LEADERSHIP, bakery_with_priorities, posts


async def run_review_process(cwd: Path, fake_slack: FakeSlack, database_url: str) -> str:
    status, log = await run_job_to_end(
        "review", now=DAY_AFTER, cwd=cwd, fake_slack=fake_slack, database_url=database_url
    )
    assert status == 0, log
    assert "Traceback" not in log
    return log


async def test_two_review_processes_post_once_with_one_canvas(
    tmp_path: Path, fake_slack: FakeSlack, runtime: Runtime, database_url: str
) -> None:
    await bakery_with_priorities(runtime)
    fake_slack.latency = 0.005
    await asyncio.gather(
        run_review_process(tmp_path, fake_slack, database_url),
        run_review_process(tmp_path, fake_slack, database_url),
    )
    assert len(posts(fake_slack, thread=False)) == 1
    assert len(fake_slack.calls_to("canvases.create")) == 1
    fake_slack.assert_no_violations()


async def test_a_process_killed_after_posting_is_finished_without_a_second_post(
    tmp_path: Path, fake_slack: FakeSlack, runtime: Runtime, database_url: str
) -> None:
    await bakery_with_priorities(runtime)
    fake_slack.latency = 0.05
    env = job_environment(fake_slack, database_url)
    process = await start_job("review", now=DAY_AFTER, cwd=tmp_path, env=env)
    # The summary and two thread replies: the summary's ts was stored before the replies.
    await kill_after(process, fake_slack, "chat.postMessage", 3)
    assert not fake_slack.calls_to("canvases.create")
    status, log = await run_job_to_end(
        "review",
        now=DAY_AFTER + timedelta(minutes=5),  # the claim is fresh: left alone
        cwd=tmp_path,
        fake_slack=fake_slack,
        database_url=database_url,
    )
    assert status == 0 and "in progress" in log, log
    await run_job_to_end(
        "review",
        now=DAY_AFTER + timedelta(minutes=11),
        cwd=tmp_path,
        fake_slack=fake_slack,
        database_url=database_url,
    )
    assert [call.args["channel"] for call in posts(fake_slack, thread=False)] == [LEADERSHIP]
    assert len(fake_slack.calls_to("canvases.create")) == 1
