"""Posting the digest: exactly once per channel and week, with its thread and chart, late
after a restart, and admins told once when a channel refuses it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.runtime import Runtime
from bot.slack.client import SingleWorkspaceClients, build_web_client
from fakeslack import FakeSlack
from fakeslack.server import Call
from scheduler.jobs import JobContext, JobOutcome, run_job
from storage.models import DigestPost, RunLedger
from storage.repositories.digest import snapshots
from tests.digest.helpers import (
    DIGEST_CHANNEL,
    DUE,
    OPS_CHANNEL,
    SALES_CHANNEL,
    WEEK,
    build_bakery,
    clock_at,
)
from tests.slack_requests import ADMIN_ID, TEAM_ID

CHANNELS = (DIGEST_CHANNEL, SALES_CHANNEL, OPS_CHANNEL)


async def run_digest(runtime: Runtime, fake_slack: FakeSlack, moment: Any) -> JobOutcome:
    clock_at(runtime, moment)
    client: AsyncWebClient = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    [outcome] = await run_job("digest", JobContext(runtime, SingleWorkspaceClients(client)))
    return outcome


def posts(fake_slack: FakeSlack, channel: str, *, thread: bool = False) -> list[Call]:
    return [
        call
        for call in fake_slack.calls_to("chat.postMessage")
        if call.args.get("channel") == channel and ("thread_ts" in call.args) == thread
    ]


def slack_writes(fake_slack: FakeSlack) -> list[Call]:
    return [call for call in fake_slack.calls if call.method.startswith(("chat.", "files."))]


def block_text(call: Call) -> str:
    return " ".join(str(block) for block in call.args.get("blocks", []))


async def rows(runtime: Runtime, model: type[Any]) -> list[Any]:
    from sqlmodel import select

    async with runtime.sessions() as session:
        return list((await session.exec(select(model))).all())


async def test_the_digest_posts_once_per_channel_with_thread_and_chart(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await build_bakery(runtime)
    outcome = await run_digest(runtime, fake_slack, DUE + timedelta(seconds=30))
    assert outcome.status == "done", outcome.detail

    for channel in CHANNELS:
        [main] = posts(fake_slack, channel)
        assert len(main.args["blocks"]) <= 50
        assert "Posted late" not in block_text(main)
        replies = posts(fake_slack, channel, thread=True)
        assert replies, channel
        assert len(replies) <= 10
    main_text = block_text(posts(fake_slack, DIGEST_CHANNEL)[0])
    for number in ("67", "80%", "50%", "71%", "84%"):
        assert number in main_text, number

    uploads = fake_slack.calls_to("files.completeUploadExternal")
    assert {call.args.get("channel_id") for call in uploads} == set(CHANNELS)
    charts = [info for info in fake_slack.files.values() if info["name"] == "kpis-2026-11-23.png"]
    assert charts and all("Catering revenue" in (info["alt_txt"] or "") for info in charts[:1])
    assert all(data.startswith(b"\x89PNG") for data in fake_slack.uploads.values())

    recorded = await rows(runtime, DigestPost)
    assert sorted(post.channel_id for post in recorded) == sorted(CHANNELS)
    assert all(post.chart_done and post.replies_posted for post in recorded)
    threads = {post.channel_id: post.message_ts for post in recorded}
    assert {call.args["channel_id"]: call.args["thread_ts"] for call in uploads} == threads
    for channel in CHANNELS:
        assert {call.args["thread_ts"] for call in posts(fake_slack, channel, thread=True)} == {
            threads[channel]
        }
    async with runtime.sessions() as session:
        kept = await snapshots(session=session, team_id=TEAM_ID, week=WEEK)
    assert kept["company"].score == 67

    before = slack_writes(fake_slack)
    again = await run_digest(runtime, fake_slack, DUE + timedelta(minutes=5, seconds=30))
    assert again.status == "done" and "3 already taken" in again.detail
    assert slack_writes(fake_slack) == before


async def test_nothing_is_posted_before_the_moment_or_for_a_week_set_up_after_it(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await build_bakery(runtime)
    outcome = await run_digest(runtime, fake_slack, DUE - timedelta(minutes=1))
    assert outcome.detail == "no digest due"
    assert not fake_slack.calls_to("chat.postMessage")


async def test_a_digest_missed_while_down_is_posted_late_until_a_day_after_its_week(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await build_bakery(runtime)
    too_late = await run_digest(runtime, fake_slack, DUE + timedelta(days=3, hours=8, minutes=1))
    assert too_late.detail == "no digest due"  # Tuesday 00:01: the week ended over a day ago

    monday = await run_digest(runtime, fake_slack, DUE + timedelta(days=2, hours=18))
    assert monday.detail.startswith(WEEK), monday.detail
    [main] = posts(fake_slack, DIGEST_CHANNEL)
    assert "Posted late" in block_text(main)
    assert all(post.late for post in await rows(runtime, DigestPost))


async def test_a_refusing_channel_does_not_stop_the_others_and_admins_hear_once(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await build_bakery(runtime)
    fake_slack.channel_errors[SALES_CHANNEL] = "not_in_channel"
    first = await run_digest(runtime, fake_slack, DUE + timedelta(seconds=30))
    assert f"{SALES_CHANNEL} (not_in_channel)" in first.detail
    assert posts(fake_slack, DIGEST_CHANNEL) and posts(fake_slack, OPS_CHANNEL)
    [told] = posts(fake_slack, ADMIN_ID)
    assert "/invite @Northstar" in block_text(told) and SALES_CHANNEL in block_text(told)

    await run_digest(runtime, fake_slack, DUE + timedelta(minutes=5, seconds=30))
    assert len(posts(fake_slack, ADMIN_ID)) == 1  # still refused: no second DM

    del fake_slack.channel_errors[SALES_CHANNEL]
    refused = len(posts(fake_slack, SALES_CHANNEL))
    fixed = await run_digest(runtime, fake_slack, DUE + timedelta(hours=2))
    assert fixed.detail.startswith(f"{WEEK}: 1 posted"), fixed.detail
    [main] = posts(fake_slack, SALES_CHANNEL)[refused:]
    assert "Posted late" in block_text(main)
    assert len(posts(fake_slack, DIGEST_CHANNEL)) == 1


async def test_a_run_stopped_half_way_finishes_the_thread_without_a_second_post(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await build_bakery(runtime)
    fake_slack.inject("files.getUploadURLExternal", error="internal_error", times=3)
    first = await run_digest(runtime, fake_slack, DUE + timedelta(seconds=30))
    assert "failed" in first.detail
    replies_before = len(fake_slack.calls_to("chat.postMessage"))

    second = await run_digest(runtime, fake_slack, DUE + timedelta(minutes=5, seconds=30))
    assert "3 resumed" in second.detail, second.detail
    for channel in CHANNELS:
        assert len(posts(fake_slack, channel)) == 1
    assert len(fake_slack.calls_to("chat.postMessage")) == replies_before
    assert len(fake_slack.calls_to("files.completeUploadExternal")) == 3
    ledger = [row for row in await rows(runtime, RunLedger) if row.job == "digest"]
    assert {row.status for row in ledger} == {"done"}
