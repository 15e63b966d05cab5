"""The reminder's buttons: *Snooze 1 h*, *Tomorrow morning* and *Skip this week*, pressed by
signed block actions through the real app; the snoozed reminder goes out once, at its time."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.checkins.blocks.prompts import (
    SKIP_ACTION,
    SNOOZE_HOUR_ACTION,
    SNOOZE_MORNING_ACTION,
)
from bot.checkins.rounds import open_rounds, send_due_prompts, send_due_reminders
from bot.checkins.settings import CheckinSettings
from bot.core.runtime import Runtime
from bot.slack.client import build_web_client
from fakeslack import FakeSlack
from storage.repositories.members import MemberProfile
from tests.checkins.answer_helpers import (
    delivery_row,
    ephemeral_answer,
    set_settings,
)
from tests.factories import add_members
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender


def at(runtime: Runtime, moment: datetime) -> datetime:
    runtime.clock = lambda: moment
    return moment


async def run(runtime: Runtime, fake_slack: FakeSlack, moment: datetime) -> None:
    """The ``checkins`` and ``reminders`` jobs at ``moment``."""
    now = at(runtime, moment)
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    await open_rounds(runtime=runtime, team_id=TEAM_ID, now=now)
    await send_due_prompts(runtime=runtime, client=client, team_id=TEAM_ID, now=now)
    await send_due_reminders(runtime=runtime, client=client, team_id=TEAM_ID, now=now)


def reminders(fake_slack: FakeSlack) -> list[dict[str, object]]:
    return [
        call.args
        for call in fake_slack.calls_to("chat.postMessage")
        if "A reminder" in str(call.args["text"]) and call.args["channel"] == MEMBER_ID
    ]


async def reminded(runtime: Runtime, fake_slack: FakeSlack, tz: str = "UTC") -> str:
    """People in ``tz``; Monday 30 Nov's prompt and Tuesday 09:00's reminder sent; the value
    of the reminder's buttons."""
    await add_members(
        runtime,
        MemberProfile(user_id=ADMIN_ID, real_name="Ada Admin", is_admin=True, tz=tz),
        MemberProfile(user_id=MEMBER_ID, real_name="Max Member", tz=tz),
    )
    await run(runtime, fake_slack, datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    await run(runtime, fake_slack, datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    [reminder] = reminders(fake_slack)
    buttons = reminder["blocks"][1]["elements"]  # type: ignore[index]
    assert [button["text"]["text"] for button in buttons] == [
        "Answer check-in",
        "Snooze 1 h",
        "Tomorrow morning",
        "Skip this week",
    ]
    assert "week of 30 Nov" in str(reminder["text"]) and "2026-W" not in str(reminder["text"])
    return str(buttons[1]["value"])


async def press(slack: SlackSender, fake_slack: FakeSlack, action: str, value: str) -> str:
    return await ephemeral_answer(slack, fake_slack, action, value, user_id=MEMBER_ID)


async def test_snooze_one_hour_reminds_once_more_at_that_time(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    value = await reminded(runtime, fake_slack)
    at(runtime, datetime(2026, 12, 1, 9, 10, tzinfo=UTC))
    text = await press(slack, fake_slack, SNOOZE_HOUR_ACTION, value)
    assert "Snoozed: the reminder comes again Tue 1 Dec, 10:10 (your time)" in text
    assert "Answers are taken by the end of Tue 1 Dec." in text
    again = await press(slack, fake_slack, SNOOZE_HOUR_ACTION, value)  # a double click
    assert "Your reminder already comes Tue 1 Dec, 10:10 (your time); nothing changed." in again
    row = await delivery_row(runtime, value)
    assert row.remind_at == datetime(2026, 12, 1, 10, 10, tzinfo=UTC) and row.reminded_at is None
    for minute in (9, 10, 15, 40):
        await run(runtime, fake_slack, datetime(2026, 12, 1, 10, minute, tzinfo=UTC))
        assert len(reminders(fake_slack)) == (1 if minute < 10 else 2)


async def test_a_snooze_past_the_deadline_is_refused_and_changes_nothing(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    value = await reminded(runtime, fake_slack)
    at(runtime, datetime(2026, 12, 1, 9, 10, tzinfo=UTC))
    text = await press(slack, fake_slack, SNOOZE_MORNING_ACTION, value)
    assert text == (
        "The check-in closes before Wed 2 Dec, 09:00, so no reminder can come then. Answers "
        "are taken by the end of Tue 1 Dec: answer it now, or skip this week."
    )
    at(runtime, datetime(2026, 12, 1, 23, 30, tzinfo=UTC))
    late = await press(slack, fake_slack, SNOOZE_HOUR_ACTION, value)
    assert "The check-in closes before Wed 2 Dec, 00:30, so" in late
    row = await delivery_row(runtime, value)
    assert row.reminded_at is not None and row.remind_at == datetime(2026, 12, 1, 9, tzinfo=UTC)
    await run(runtime, fake_slack, datetime(2026, 12, 1, 23, 50, tzinfo=UTC))
    assert len(reminders(fake_slack)) == 1


async def test_tomorrow_morning_skips_the_weekend_in_the_persons_zone_across_a_clock_change(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    # Fridays at 09:00 Berlin, answers for a week: Friday 23 October, summer time.
    await add_members(runtime, MemberProfile(user_id=MEMBER_ID, tz="Europe/Berlin"))
    await set_settings(runtime, CheckinSettings(weekday=4, window_days=6))
    await run(runtime, fake_slack, datetime(2026, 10, 23, 7, 0, tzinfo=UTC))
    value = str(
        fake_slack.calls_to("chat.postMessage")[-1].args["blocks"][1]["elements"][0]["value"]
    )
    # Friday 23:55 in Berlin: tomorrow is Saturday, so the next working day is Monday 26,
    # after the clocks went back on Sunday: 09:00 in Berlin is 08:00 UTC. The reminder was
    # planned for then already (halfway through the week), so nothing changes.
    at(runtime, datetime(2026, 10, 23, 21, 55, tzinfo=UTC))
    text = await press(slack, fake_slack, SNOOZE_MORNING_ACTION, value)
    assert "Your reminder already comes Mon 26 Oct, 09:00 (your time); nothing changed." in text
    # Sunday 23:55 UTC, Monday 00:55 in Berlin: the next morning is Tuesday's.
    at(runtime, datetime(2026, 10, 25, 23, 55, tzinfo=UTC))
    text = await press(slack, fake_slack, SNOOZE_MORNING_ACTION, value)
    assert "Snoozed: the reminder comes again Tue 27 Oct, 09:00 (your time)." in text
    assert (await delivery_row(runtime, value)).remind_at == datetime(
        2026, 10, 27, 8, 0, tzinfo=UTC
    )
    await run(runtime, fake_slack, datetime(2026, 10, 26, 8, 0, tzinfo=UTC))
    await run(runtime, fake_slack, datetime(2026, 10, 27, 7, 59, tzinfo=UTC))
    assert reminders(fake_slack) == []
    await run(runtime, fake_slack, datetime(2026, 10, 27, 8, 0, tzinfo=UTC))
    await run(runtime, fake_slack, datetime(2026, 10, 27, 8, 5, tzinfo=UTC))
    assert len(reminders(fake_slack)) == 1


async def test_skip_from_the_reminder_stops_it_and_snoozing_then_says_so(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    value = await reminded(runtime, fake_slack)
    at(runtime, datetime(2026, 12, 1, 9, 10, tzinfo=UTC))
    assert "Snoozed" in await press(slack, fake_slack, SNOOZE_HOUR_ACTION, value)
    for _ in range(2):  # a double click says the same and skips once
        text = await press(slack, fake_slack, SKIP_ACTION, value)
        assert "Skipped the check-in of the week of 30 Nov." in text
    assert (await delivery_row(runtime, value)).state == "skipped"
    refused = await press(slack, fake_slack, SNOOZE_HOUR_ACTION, value)
    assert (
        refused == "You skipped this check-in, so no reminder comes. Changed your mind? `/checkin`."
    )
    await run(runtime, fake_slack, datetime(2026, 12, 1, 10, 15, tzinfo=UTC))
    assert len(reminders(fake_slack)) == 1


async def test_only_the_owner_can_snooze_and_hostile_values_are_refused(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    value = await reminded(runtime, fake_slack)
    at(runtime, datetime(2026, 12, 1, 9, 10, tzinfo=UTC))
    before = await delivery_row(runtime, value)
    for action in (SNOOZE_HOUR_ACTION, SNOOZE_MORNING_ACTION):
        for hostile in (value, "0", "-1", "99999999999999999999", "1 OR 1=1", ""):
            text = await ephemeral_answer(slack, fake_slack, action, hostile, user_id=ADMIN_ID)
            assert text == "There is no such check-in of yours. Open yours with `/checkin`."
    after = await delivery_row(runtime, value)
    assert (after.remind_at, after.reminded_at) == (before.remind_at, before.reminded_at)
    skip = await ephemeral_answer(slack, fake_slack, SKIP_ACTION, value, user_id=ADMIN_ID)
    assert "There is no such check-in" in skip
    assert (await delivery_row(runtime, value)).state == "sent"
