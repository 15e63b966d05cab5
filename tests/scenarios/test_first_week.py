"""A new company's first week, as the issue tested it: install on a Wednesday (or late on a
Sunday), let the start-up job open the round with the default schedule (Monday 09:00, already
past), have the admin move the check-in through the settings modal, and run the job across
the new day: everyone is prompted exactly once, at the new local time, never before.

Every instant comes from the injected clock; the cases include a Sunday 23:55 and the weeks
the clocks change in Berlin (25 October 2026) and New York (1 November 2026).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.checkins.blocks.prompts import SKIP_ACTION, SNOOZE_HOUR_ACTION
from bot.checkins.blocks.settings_modal import Field
from bot.core.runtime import Runtime
from bot.slack.client import SingleWorkspaceClients, build_web_client
from fakeslack import FakeSlack
from scheduler.jobs import JobContext, run_job
from storage.models import CheckinDelivery
from storage.repositories.members import MemberProfile
from tests.checkins.answer_helpers import GOOD_ANSWERS, ephemeral_answer
from tests.checkins.answer_helpers import open_modal as open_answer_modal
from tests.checkins.command_helpers import open_modal, option_value, submit_settings
from tests.factories import add_members
from tests.slack_requests import ADMIN_ID, SlackSender

PEOPLE = {
    ADMIN_ID: "Europe/Berlin",
    "UNEWYORK": "America/New_York",
    "UTOKYO01": "Asia/Tokyo",
}
TEN = time(10, 0)


def clock(runtime: Runtime, moment: datetime) -> datetime:
    runtime.clock = lambda: moment
    return moment


async def install(runtime: Runtime, moment: datetime) -> None:
    """The people of the new workspace, then the start-up run of the ``checkins`` job."""
    clock(runtime, moment)
    await add_members(
        runtime,
        *(
            MemberProfile(user, name=user.lower(), tz=tz, is_admin=user == ADMIN_ID)
            for user, tz in PEOPLE.items()
        ),
    )
    await run_checkins_job(runtime)


async def run_checkins_job(runtime: Runtime, name: str = "checkins") -> None:
    client = build_web_client(token="xoxb-test", base_url=runtime.settings.slack_api_url)
    [outcome] = await run_job(name, JobContext(runtime, SingleWorkspaceClients(client)))
    assert outcome.status == "done", outcome.detail


async def change_schedule(
    slack: SlackSender, fake_slack: FakeSlack, weekday: str, local_time: str
) -> str:
    """The admin sets the day and time in the settings modal; the confirmation's text."""
    view = await open_modal(slack, fake_slack, "settings")
    before = len(fake_slack.calls_to("response_url"))
    response = await submit_settings(
        slack,
        view,
        {Field.DAYS: [option_value(view, Field.DAYS, weekday)], Field.TIME: local_time},
    )
    assert response.status_code == 200 and response.text == "", response.text
    answer = (await fake_slack.wait_for("response_url", before + 1))[-1].args
    return str(answer["text"]) + str(answer["blocks"])


def prompted(fake_slack: FakeSlack) -> list[str]:
    return [
        str(call.args["channel"])
        for call in fake_slack.calls_to("chat.postMessage")
        if "check-in time" in str(call.args["text"])
    ]


def local_moment(day: date, tz: str) -> datetime:
    return datetime.combine(day, TEN, tzinfo=ZoneInfo(tz)).astimezone(UTC)


async def prompt_across(
    runtime: Runtime, fake_slack: FakeSlack, expected: dict[str, datetime]
) -> None:
    """Run the job a minute before, at, and after each person's moment and at both ends of the
    day; after every run exactly the people whose moment has come have one prompt each."""
    first = min(expected.values())
    moments = {first - timedelta(hours=2), max(expected.values()) + timedelta(hours=6)}
    for moment in expected.values():
        moments.update({moment - timedelta(minutes=1), moment, moment + timedelta(minutes=5)})
    for moment in sorted(moments):
        clock(runtime, moment)
        await run_checkins_job(runtime)
        due = sorted(user for user, at in expected.items() if at <= moment)
        assert sorted(prompted(fake_slack)) == due, moment


FIRST_WEEKS = {
    "installed on a Wednesday": (datetime(2026, 12, 2, 12, 0, tzinfo=UTC), date(2026, 12, 3)),
    "installed on a Sunday at 23:55 UTC, Berlin's clocks changed that morning": (
        datetime(2026, 10, 25, 23, 55, tzinfo=UTC),
        date(2026, 10, 29),
    ),
    "installed on the Wednesday between Berlin's and New York's clock changes": (
        datetime(2026, 10, 28, 12, 0, tzinfo=UTC),
        date(2026, 10, 29),
    ),
}


@pytest.mark.parametrize(("installed", "thursday"), FIRST_WEEKS.values(), ids=FIRST_WEEKS.keys())
async def test_the_first_week_prompts_everyone_once_on_thursday_at_ten_their_time(
    runtime: Runtime, fake_slack: FakeSlack, slack: SlackSender, installed: datetime, thursday: date
) -> None:
    await install(runtime, installed)
    assert prompted(fake_slack) == []  # Monday 09:00 has passed everywhere
    confirmation = await change_schedule(slack, fake_slack, "Thursday", "10:00")
    label = f"Thursday {thursday.day} {thursday:%b}, 10:00"
    assert f"The next check-in goes out {label} your time." in confirmation
    expected = {user: local_moment(thursday, tz) for user, tz in PEOPLE.items()}
    await prompt_across(runtime, fake_slack, expected)
    async with runtime.sessions() as session:
        rows = (await session.exec(select(CheckinDelivery))).all()
    sent = {row.user_id: row.sent_at for row in rows if row.sent_at is not None}
    assert sent == expected  # sent at the first run at or after 10:00 local, never before


async def test_a_day_already_past_this_week_goes_out_next_week_after_new_yorks_clock_change(
    runtime: Runtime, fake_slack: FakeSlack, slack: SlackSender
) -> None:
    await install(runtime, datetime(2026, 10, 28, 12, 0, tzinfo=UTC))  # Wednesday
    confirmation = await change_schedule(slack, fake_slack, "Monday", "10:00")
    assert (
        "This week's check-in time has passed for you, so the next check-in goes out next "
        "week: Monday 2 Nov, 10:00 your time." in confirmation
    )
    for step in range(14):  # nothing goes out for this week, whatever the hour
        clock(runtime, datetime(2026, 10, 28, 13, 0, tzinfo=UTC) + timedelta(hours=7 * step))
        await run_checkins_job(runtime)
    assert prompted(fake_slack) == []
    monday = date(2026, 11, 2)  # New York is on EST since Sunday: 10:00 there is 15:00 UTC
    expected = {user: local_moment(monday, tz) for user, tz in PEOPLE.items()}
    assert expected["UNEWYORK"] == datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    await prompt_across(runtime, fake_slack, expected)


async def test_a_time_passed_today_with_the_window_open_goes_out_at_the_next_run(
    runtime: Runtime, fake_slack: FakeSlack, slack: SlackSender
) -> None:
    await install(runtime, datetime(2026, 12, 2, 12, 0, tzinfo=UTC))  # Wednesday, 13:00 Berlin
    confirmation = await change_schedule(slack, fake_slack, "Wednesday", "10:00")
    assert (
        "This week's check-in time, Wednesday 2 Dec, 10:00 your time, has passed; it goes out "
        "within a few minutes and takes answers by the end of Thu 3 Dec." in confirmation
    )
    clock(runtime, datetime(2026, 12, 2, 12, 5, tzinfo=UTC))
    await run_checkins_job(runtime)
    assert sorted(prompted(fake_slack)) == sorted([ADMIN_ID, "UTOKYO01"])  # New York: 07:05


async def test_the_first_weeks_reminder_can_be_snoozed_or_skipped_by_its_owner_only(
    runtime: Runtime, fake_slack: FakeSlack, slack: SlackSender
) -> None:
    await install(runtime, datetime(2026, 12, 2, 12, 0, tzinfo=UTC))
    await change_schedule(slack, fake_slack, "Thursday", "10:00")
    clock(runtime, datetime(2026, 12, 3, 1, 0, tzinfo=UTC))  # Thursday 10:00 in Tokyo
    await run_checkins_job(runtime)
    [prompt] = fake_slack.calls_to("chat.postMessage")
    value = str(prompt.args["blocks"][1]["elements"][0]["value"])
    assert "(week of 30 Nov)" in prompt.args["text"]
    assert "Answer by the end of Fri 4 Dec." in prompt.args["text"]
    modal = await open_answer_modal(slack, fake_slack, value, user_id="UTOKYO01")
    assert modal["title"]["text"] == "Check-in week of 30 Nov"
    assert "Answer by the end of Fri 4 Dec." in modal["blocks"][0]["text"]["text"]  # the same

    clock(runtime, datetime(2026, 12, 4, 1, 0, tzinfo=UTC))  # Friday 10:00 in Tokyo
    await run_checkins_job(runtime, "reminders")
    reminder = fake_slack.calls_to("chat.postMessage")[-1].args
    assert reminder["channel"] == "UTOKYO01" and "A reminder" in reminder["text"]
    refused = await ephemeral_answer(
        slack, fake_slack, SNOOZE_HOUR_ACTION, value, user_id="UNEWYORK"
    )
    assert refused == "There is no such check-in of yours. Open yours with `/checkin`."
    snoozed = await ephemeral_answer(
        slack, fake_slack, SNOOZE_HOUR_ACTION, value, user_id="UTOKYO01"
    )
    assert "the reminder comes again Fri 4 Dec, 11:00 (your time)" in snoozed
    clock(runtime, datetime(2026, 12, 4, 2, 0, tzinfo=UTC))
    await run_checkins_job(runtime, "reminders")
    assert fake_slack.calls_to("chat.postMessage")[-1].args["text"] == reminder["text"]
    skipped = await ephemeral_answer(slack, fake_slack, SKIP_ACTION, value, user_id="UTOKYO01")
    assert "Skipped the check-in of the week of 30 Nov." in skipped
    reminders_sent = len(fake_slack.calls_to("chat.postMessage"))
    clock(runtime, datetime(2026, 12, 4, 3, 0, tzinfo=UTC))
    await run_checkins_job(runtime, "reminders")
    assert len(fake_slack.calls_to("chat.postMessage")) == reminders_sent


DIGEST_CHANNEL = "CALIGN01"
LATECOMER = "ULATE001"


async def answer_prompt(slack: SlackSender, fake_slack: FakeSlack, user_id: str) -> None:
    [prompt] = [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == user_id]
    value = str(prompt.args["blocks"][1]["elements"][0]["value"])
    view = await open_answer_modal(slack, fake_slack, value, user_id=user_id)
    response = await slack.submit_view(view, GOOD_ANSWERS, user_id=user_id)
    assert response.status_code == 200 and response.text == "", response.text


async def test_the_first_fridays_digest_counts_only_the_people_who_were_prompted(
    runtime: Runtime, fake_slack: FakeSlack, slack: SlackSender
) -> None:
    """Installed on a Wednesday, check-in moved to Thursday, digest on Friday: one person
    joined after the round opened and one paused; neither was asked, so neither counts."""
    await install(runtime, datetime(2026, 12, 2, 12, 0, tzinfo=UTC))
    response = await slack.command(f"digest <#{DIGEST_CHANNEL}|alignment> friday 16:00")
    assert response.status_code == 200
    paused = await slack.command("pause until 2026-12-06", command="/checkin", user_id="UNEWYORK")
    assert paused.status_code == 200
    await change_schedule(slack, fake_slack, "Thursday", "10:00")
    clock(runtime, datetime(2026, 12, 3, 0, 30, tzinfo=UTC))
    await add_members(runtime, MemberProfile(LATECOMER, name="late", tz="Europe/Berlin"))

    thursday = date(2026, 12, 3)
    expected = {
        user: local_moment(thursday, tz) for user, tz in PEOPLE.items() if user != "UNEWYORK"
    }
    await prompt_across(runtime, fake_slack, expected)  # the paused and the late are not asked
    await answer_prompt(slack, fake_slack, ADMIN_ID)

    clock(runtime, datetime(2026, 12, 4, 16, 1, tzinfo=UTC))  # Friday 16:01 UTC
    await run_checkins_job(runtime, "digest")
    [post] = [
        call.args
        for call in fake_slack.calls_to("chat.postMessage")
        if call.args["channel"] == DIGEST_CHANNEL and "thread_ts" not in call.args
    ]
    text = str(post["blocks"])
    assert "Participation this week: 50% (1 of 2)" in text  # Berlin and Tokyo were asked
    assert "week of 30 Nov" in post["text"] and "2026-W49" not in text
