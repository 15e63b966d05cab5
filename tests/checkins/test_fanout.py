"""The weekly check-in fan-out with an injected clock: local times, holidays, pauses, the one
reminder, interruptions, rate limits and people Slack cannot reach."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from bot.checkins.rounds import DUE_BATCH, open_rounds, send_due_prompts, send_due_reminders
from bot.core.runtime import Runtime
from bot.slack.client import SingleWorkspaceClients, build_web_client
from fakeslack import FakeSlack
from scheduler.jobs import JobContext, run_job
from storage.db import transaction
from storage.models import CheckinDelivery
from storage.repositories import checkin_calendar as calendar_repo
from storage.repositories.members import MemberProfile
from tests.conftest import drain_background_tasks
from tests.factories import add_members

TEAM = "T0001"
PEOPLE = {"ULA": "America/Los_Angeles", "UBER": "Europe/Berlin", "UKOL": "Asia/Kolkata"}


def at(runtime: Runtime, year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    now = datetime(year, month, day, hour, minute, tzinfo=UTC)
    runtime.clock = lambda: now
    return now


async def people(runtime: Runtime, zones: dict[str, str]) -> None:
    await add_members(runtime, *(MemberProfile(user_id=user, tz=tz) for user, tz in zones.items()))


def dm_recipients(fake_slack: FakeSlack) -> list[str]:
    return [str(call.args["channel"]) for call in fake_slack.calls_to("chat.postMessage")]


async def deliveries(runtime: Runtime) -> dict[str, CheckinDelivery]:
    async with runtime.sessions() as session:
        rows = (await session.exec(select(CheckinDelivery))).all()
    return {row.user_id: row for row in rows if row.prompt_at.date() >= date(2026, 11, 29)}


async def prompt_round(
    runtime: Runtime, fake_slack: FakeSlack, year: int, month: int, day: int, hour: int, minute: int
) -> None:
    now = at(runtime, year, month, day, hour, minute)
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    await open_rounds(runtime=runtime, team_id=TEAM, now=now)
    await send_due_prompts(runtime=runtime, client=client, team_id=TEAM, now=now)


async def test_each_person_is_prompted_at_nine_on_monday_in_their_own_time_zone(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await people(runtime, PEOPLE)
    await prompt_round(runtime, fake_slack, 2026, 11, 30, 3, 29)  # Kolkata 08:59
    assert dm_recipients(fake_slack) == []
    await prompt_round(runtime, fake_slack, 2026, 11, 30, 3, 30)  # Kolkata 09:00
    assert dm_recipients(fake_slack) == ["UKOL"]
    await prompt_round(runtime, fake_slack, 2026, 11, 30, 7, 59)
    await prompt_round(runtime, fake_slack, 2026, 11, 30, 8, 0)  # Berlin 09:00
    assert dm_recipients(fake_slack) == ["UKOL", "UBER"]
    await prompt_round(runtime, fake_slack, 2026, 11, 30, 17, 0)  # Los Angeles 09:00
    await prompt_round(runtime, fake_slack, 2026, 11, 30, 17, 5)
    assert dm_recipients(fake_slack) == ["UKOL", "UBER", "ULA"]
    message = fake_slack.calls_to("chat.postMessage")[1].args
    assert "(week of 30 Nov)" in message["text"] and "4 short questions" in message["text"]
    assert "by the end of Tue 1 Dec" in message["text"]  # Berlin: the end of the next day
    actions = message["blocks"][1]["elements"]
    assert [a["action_id"] for a in actions] == ["checkin_answer", "checkin_skip"]
    rows = await deliveries(runtime)
    assert {user: row.state for user, row in rows.items()} == dict.fromkeys(PEOPLE, "sent")
    assert rows["UBER"].channel_id == "DUBER" and rows["UBER"].message_ts


async def test_a_holiday_moves_the_prompt_to_the_next_working_day(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await people(runtime, {"UBER": "Europe/Berlin"})
    async with transaction(runtime.sessions) as session:
        await calendar_repo.add_holiday(session=session, team_id=TEAM, day=date(2026, 11, 30))
    await prompt_round(runtime, fake_slack, 2026, 11, 30, 12, 0)
    assert dm_recipients(fake_slack) == []
    await prompt_round(runtime, fake_slack, 2026, 12, 1, 7, 59)
    assert dm_recipients(fake_slack) == []
    await prompt_round(runtime, fake_slack, 2026, 12, 1, 8, 0)
    assert dm_recipients(fake_slack) == ["UBER"]


async def test_a_paused_person_gets_nothing_and_is_marked_skipped(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await people(runtime, {"UBER": "Europe/Berlin", "UKOL": "Asia/Kolkata"})
    async with transaction(runtime.sessions) as session:
        await calendar_repo.set_pause(
            session=session, team_id=TEAM, user_id="UBER", until=date(2026, 12, 4)
        )
    await prompt_round(runtime, fake_slack, 2026, 11, 30, 9, 0)
    assert dm_recipients(fake_slack) == ["UKOL"]
    assert (await deliveries(runtime))["UBER"].state == "skipped"


async def test_the_reminder_goes_once_and_only_to_those_who_have_not_answered(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await people(runtime, {"UBER": "Europe/Berlin", "UANS": "Europe/Berlin"})
    await prompt_round(runtime, fake_slack, 2026, 11, 30, 8, 0)
    answered = (await deliveries(runtime))["UANS"]
    async with transaction(runtime.sessions) as session:
        row = await session.get(CheckinDelivery, answered.id)
        assert row is not None
        row.state = "answered"
        session.add(row)
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    fake_slack.clear()
    early = at(runtime, 2026, 12, 1, 7, 59)
    await send_due_reminders(runtime=runtime, client=client, team_id=TEAM, now=early)
    assert dm_recipients(fake_slack) == []
    for minute in (0, 5, 10):
        now = at(runtime, 2026, 12, 1, 8, minute)  # Berlin Tuesday 09:00
        await send_due_reminders(runtime=runtime, client=client, team_id=TEAM, now=now)
    assert dm_recipients(fake_slack) == ["UBER"]
    assert "by the end of Tue 1 Dec" in fake_slack.calls_to("chat.postMessage")[0].args["text"]


async def test_an_interrupted_fan_out_resumes_without_duplicates_or_losses(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    zones = {f"U{index:03d}": "Europe/Berlin" for index in range(30)}
    await people(runtime, zones)
    now = at(runtime, 2026, 11, 30, 8, 0)
    await open_rounds(runtime=runtime, team_id=TEAM, now=now)
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    fake_slack.latency = 0.01
    run = asyncio.create_task(
        send_due_prompts(runtime=runtime, client=client, team_id=TEAM, now=now)
    )
    await fake_slack.wait_for("chat.postMessage", 10)
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    await drain_background_tasks()  # shielded sends finish and are recorded
    sent_before = set(dm_recipients(fake_slack))
    assert 10 <= len(sent_before) < 30
    states = {row.state for row in (await deliveries(runtime)).values()}
    assert states <= {"sent", "pending"}
    await send_due_prompts(
        runtime=runtime, client=client, team_id=TEAM, now=at(runtime, 2026, 11, 30, 8, 5)
    )
    recipients = dm_recipients(fake_slack)
    assert sorted(recipients) == sorted(zones)  # everyone exactly once
    assert {row.state for row in (await deliveries(runtime)).values()} == {"sent"}


async def test_rate_limits_and_unreachable_people_end_with_everyone_else_delivered_once(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    zones = {f"U{index:03d}": "Europe/Berlin" for index in range(12)}
    await people(runtime, zones)
    fake_slack.channel_errors.update({"U003": "account_inactive", "U007": "user_not_found"})
    fake_slack.inject("chat.postMessage", status=429, retry_after=0, times=5)
    fake_slack.inject("chat.postMessage", status=500, times=2)
    await prompt_round(runtime, fake_slack, 2026, 11, 30, 8, 0)
    await prompt_round(runtime, fake_slack, 2026, 11, 30, 8, 5)
    delivered = [
        call.args["channel"]
        for call in fake_slack.calls_to("chat.postMessage")
        if not call.injected and call.args["channel"] not in ("U003", "U007")
    ]
    assert sorted(delivered) == sorted(set(zones) - {"U003", "U007"})
    rows = await deliveries(runtime)
    assert (rows["U003"].state, rows["U003"].error) == ("failed", "account_inactive")
    assert (rows["U007"].state, rows["U007"].error) == ("failed", "user_not_found")
    assert sum(row.state == "sent" for row in rows.values()) == 10


async def test_the_checkins_job_runs_through_the_job_runner(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await people(runtime, {"UBER": "Europe/Berlin"})
    at(runtime, 2026, 11, 30, 8, 0)
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    context = JobContext(runtime, SingleWorkspaceClients(client))
    [outcome] = await run_job("checkins", context)
    assert (
        outcome.status == "done"
        and "opened 2026-W49" in outcome.detail
        and "1 sent" in outcome.detail
    )
    [again] = await run_job("checkins", context)
    assert again.status == "done" and again.detail == "nothing due"
    assert dm_recipients(fake_slack) == ["UBER"]


async def test_people_who_join_after_the_round_opens_wait_for_the_next_one(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await people(runtime, {"UBER": "Europe/Berlin"})
    await prompt_round(runtime, fake_slack, 2026, 11, 30, 6, 0)
    await people(runtime, {"UNEW": "Europe/Berlin"})
    await prompt_round(runtime, fake_slack, 2026, 11, 30, 8, 0)
    assert dm_recipients(fake_slack) == ["UBER"]
    await prompt_round(runtime, fake_slack, 2026, 12, 7, 8, 0)
    assert sorted(dm_recipients(fake_slack)) == ["UBER", "UBER", "UNEW"]


async def test_a_pause_until_sunday_ends_before_mondays_prompt_in_far_east_time_zones(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await people(runtime, {"UAKL": "Pacific/Auckland"})  # Monday 09:00 there is Sunday in UTC
    async with transaction(runtime.sessions) as session:
        await calendar_repo.set_pause(
            session=session, team_id=TEAM, user_id="UAKL", until=date(2026, 11, 29)
        )
    await prompt_round(runtime, fake_slack, 2026, 11, 29, 20, 0)
    assert dm_recipients(fake_slack) == ["UAKL"]


@pytest.mark.parametrize("batch_size", [3, 8, 9, DUE_BATCH])
async def test_a_run_lists_page_after_page_until_everyone_due_is_prompted(
    runtime: Runtime, fake_slack: FakeSlack, batch_size: int
) -> None:
    """The next page is listed while the last groups of the page before are still being sent,
    their rows still pending: they are skipped, not taken for the end of the due rows. Pages
    grow from a small first one (16, then 64 …) up to ``batch_size``."""
    crowd = {f"U{index:04d}": "Europe/Berlin" for index in range(61)}
    await people(runtime, crowd)
    now = at(runtime, 2026, 11, 30, 8, 0)  # Berlin 09:00
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    await open_rounds(runtime=runtime, team_id=TEAM, now=now)
    report = await send_due_prompts(
        runtime=runtime, client=client, team_id=TEAM, now=now, batch_size=batch_size
    )
    assert sorted(dm_recipients(fake_slack)) == sorted(crowd)  # each once
    assert {row.state for row in (await deliveries(runtime)).values()} == {"sent"}
    assert report.outcomes["sent"] == len(crowd), report.detail()
