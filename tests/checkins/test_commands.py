"""``/checkin`` end to end: help, skip, pause, resume, history, status, holidays, bad input."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.checkins.rounds import send_due_prompts
from bot.checkins.settings import CheckinSettings
from bot.checkins.setups import store_default_settings
from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.db import transaction
from storage.repositories import checkin_calendar as calendar_repo
from storage.repositories.members import MemberProfile
from storage.repositories.workspaces import get_workspace
from tests.checkins.command_helpers import (
    MONDAY,
    add_people,
    checkin,
    day,
    invitation,
    open_modal,
    open_week,
    set_clock,
    set_state,
)
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender

FRIDAY_BEFORE = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_clock(runtime: Runtime) -> None:
    set_clock(runtime)


async def pause_of(runtime: Runtime, user_id: str) -> object:
    async with runtime.sessions() as session:
        return await calendar_repo.get_pause(session=session, team_id=TEAM_ID, user_id=user_id)


async def holidays(runtime: Runtime) -> list[str]:
    async with runtime.sessions() as session:
        days = await calendar_repo.list_holidays(session=session, team_id=TEAM_ID)
    return [found.isoformat() for found in days]


async def send_prompts(runtime: Runtime, fake_slack: FakeSlack, now: datetime) -> list[str]:
    """Run the fan-out at ``now``; returns who got a direct message."""
    client = AsyncWebClient(token="xoxb-test-token", base_url=fake_slack.api_url)
    before = len(fake_slack.calls_to("chat.postMessage"))
    await send_due_prompts(runtime=runtime, client=client, team_id=TEAM_ID, now=now)
    return [str(call.args["channel"]) for call in fake_slack.calls_to("chat.postMessage")[before:]]


async def store_settings(runtime: Runtime, settings: CheckinSettings) -> None:
    async with transaction(runtime.sessions) as session:
        workspace = await get_workspace(session=session, team_id=TEAM_ID)
        assert workspace is not None
        await store_default_settings(session, TEAM_ID, settings)
        session.add(workspace)


async def test_help_lists_every_subcommand(slack: SlackSender, fake_slack: FakeSlack) -> None:
    for text in ("help", "?", "HELP"):
        answer = await checkin(slack, fake_slack, text, MEMBER_ID)
        for form in (
            "/checkin skip [NAME]",
            "/checkin pause [NAME] until YYYY-MM-DD",
            "/checkin resume [NAME]",
            "/checkin history [NAME]",
            "/checkin status [NAME] [team Sales]",
            "/checkin settings",
            "/checkin holidays add|remove YYYY-MM-DD",
            "/checkin new",
            "/checkin setups",
            "/checkin edit NAME",
            "/checkin remove NAME",
            "/checkin workweek [sun-thu]",
        ):
            assert form in answer, (text, form)
        assert "not anonymous" in answer


# --- skip ------------------------------------------------------------------------------------


async def test_skip_before_the_prompt_means_it_is_never_sent(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    round_ = await open_week(runtime)
    answer = await checkin(slack, fake_slack, "skip", MEMBER_ID)
    assert "Skipped the check-in of the week of 30 Nov. You will not be asked." in answer
    assert "Your next check-in comes Mon 7 Dec, 09:00 (your time)." in answer
    assert (await invitation(runtime, round_, MEMBER_ID)).state == "skipped"
    assert (await invitation(runtime, round_, ADMIN_ID)).state == "pending"
    assert await send_prompts(runtime, fake_slack, MONDAY + timedelta(hours=2, minutes=5)) == [
        ADMIN_ID
    ]
    again = await checkin(slack, fake_slack, "skip", MEMBER_ID)
    assert "You had already skipped the check-in of the week of 30 Nov." in again


async def test_skip_after_the_prompt_and_after_answering(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    round_ = await open_week(runtime)
    await set_state(runtime, round_, MEMBER_ID, "sent")
    await set_state(runtime, round_, ADMIN_ID, "answered", answers={"moved": "Shipped"})
    set_clock(runtime, MONDAY + timedelta(hours=3))
    answer = await checkin(slack, fake_slack, "skip", MEMBER_ID)
    assert "Skipped the check-in of the week of 30 Nov. No answer is expected from you." in answer
    assert (await invitation(runtime, round_, MEMBER_ID)).state == "skipped"
    refused = await checkin(slack, fake_slack, "skip", ADMIN_ID)
    assert "You already answered the check-in of the week of 30 Nov" in refused
    assert (await invitation(runtime, round_, ADMIN_ID)).state == "answered"


async def test_without_a_round_skip_says_when_it_comes_in_local_time(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime, MemberProfile("UTOKYO01", name="yui", tz="Asia/Tokyo"))
    set_clock(runtime, MONDAY - timedelta(hours=2))  # 05:00 UTC is 14:00 in Tokyo
    utc_answer = await checkin(slack, fake_slack, "skip", MEMBER_ID)
    assert "There is no check-in to skip yet." in utc_answer
    assert "Your next check-in comes Mon 30 Nov, 09:00 (your time)." in utc_answer
    tokyo = await checkin(slack, fake_slack, "skip", "UTOKYO01")
    assert "Your next check-in comes Mon 7 Dec, 09:00 (your time)." in tokyo


async def test_a_holiday_moves_the_next_prompt_and_the_rounds_prompts(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    set_clock(runtime, FRIDAY_BEFORE)
    assert "Holiday added: Mon 30 Nov 2026." in await checkin(
        slack, fake_slack, "holidays add 2026-11-30"
    )
    answer = await checkin(slack, fake_slack, "skip", MEMBER_ID)
    assert "Your next check-in comes Tue 1 Dec, 09:00 (your time)." in answer
    round_ = await open_week(runtime)
    prompt = (await invitation(runtime, round_, MEMBER_ID)).prompt_at
    assert prompt == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def test_skip_when_check_ins_are_off_or_only_for_other_teams(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    await store_settings(runtime, CheckinSettings(enabled=False))
    assert "Check-ins are off in this workspace" in await checkin(
        slack, fake_slack, "skip", MEMBER_ID
    )
    await slack.command("team add Sales")
    await fake_slack.wait_for("response_url", 2)
    await store_settings(runtime, CheckinSettings(team_refs=[1]))
    answer = await checkin(slack, fake_slack, "skip", MEMBER_ID)
    assert "Check-ins go to chosen teams only, and you are not in one of them." in answer


# --- pause and resume ------------------------------------------------------------------------


async def test_pause_keeps_prompts_away_and_resume_brings_them_back(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    answer = await checkin(slack, fake_slack, "pause until 2026-12-10", MEMBER_ID)
    assert "Paused: no check-ins up to and including Thu 10 Dec 2026." in answer
    assert "Your next check-in comes Mon 14 Dec, 09:00 (your time)." in answer
    assert await pause_of(runtime, MEMBER_ID) == day("2026-12-10")
    round_ = await open_week(runtime)
    assert await send_prompts(runtime, fake_slack, MONDAY + timedelta(hours=2, minutes=5)) == [
        ADMIN_ID
    ]
    assert (await invitation(runtime, round_, MEMBER_ID)).state == "skipped"
    longer = await checkin(slack, fake_slack, "pause 2026-12-20", MEMBER_ID)
    assert "(It was until Thu 10 Dec 2026.)" in longer
    assert "Your next check-in comes Mon 21 Dec, 09:00" in longer
    resumed = await checkin(slack, fake_slack, "resume", MEMBER_ID)
    assert "Welcome back" in resumed
    assert "Your next check-in comes Mon 7 Dec, 09:00 (your time)." in resumed
    assert await pause_of(runtime, MEMBER_ID) is None
    again = await checkin(slack, fake_slack, "resume", MEMBER_ID)
    assert "You were not paused; nothing changed." in again


async def test_pausing_with_a_check_in_out_says_it_stays_open(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    round_ = await open_week(runtime)
    await set_state(runtime, round_, MEMBER_ID, "sent")
    set_clock(runtime, MONDAY + timedelta(hours=3))
    answer = await checkin(slack, fake_slack, "pause until 2026-12-01", MEMBER_ID)
    assert "Your check-in of the week of 30 Nov is already out and stays open" in answer
    assert "Your next check-in comes Mon 7 Dec, 09:00" in answer


async def test_pause_dates_are_judged_by_the_persons_own_day(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime, MemberProfile("UNEWYORK", name="nia", tz="America/New_York"))
    set_clock(runtime, datetime(2026, 11, 30, 3, 0, tzinfo=UTC))  # still the 29th in New York
    assert "is not after today (2026-11-30" in await checkin(
        slack, fake_slack, "pause until 2026-11-30", MEMBER_ID
    )
    assert await pause_of(runtime, MEMBER_ID) is None
    answer = await checkin(slack, fake_slack, "pause until 2026-11-30", "UNEWYORK")
    assert "Paused: no check-ins up to and including Mon 30 Nov 2026." in answer
    assert await pause_of(runtime, "UNEWYORK") == day("2026-11-30")


# --- history ---------------------------------------------------------------------------------


async def test_history_shows_the_last_five_answers_within_limits(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    assert "You have not answered a check-in yet." in await checkin(
        slack, fake_slack, "history", MEMBER_ID
    )
    for week in range(6):
        round_ = await open_week(runtime, MONDAY + timedelta(weeks=week))
        await set_state(
            runtime,
            round_,
            MEMBER_ID,
            "answered",
            answers={
                "moved": f"Shipped part {week} <!channel> & <https://evil.example|this>",
                "blockers": "",
                "next": "n" * 3000,
            },
            mood=week % 5 + 1,
            late=week == 5,
        )
    answer = await checkin(slack, fake_slack, "history", MEMBER_ID)
    for shown in ("7 Dec", "14 Dec", "21 Dec", "28 Dec", "4 Jan"):
        assert f"*Week of {shown}*" in answer
    assert "30 Nov" not in answer and "-W" not in answer
    assert answer.count("answered late") == 1
    assert "*Week of 4 Jan* · _answered late_" in answer
    assert "What moved forward toward your goals?" in answer
    assert "Shipped part 5 &lt;!channel&gt; &amp; &lt;https://evil.example|this&gt;" in answer
    assert "<!channel>" not in answer and "<https://evil" not in answer
    assert "_no answer_" in answer
    assert "*How was your week, from 1 to 5?* 5/5" in answer  # week 4
    assert "n" * 3000 not in answer
    assert "You have not answered a check-in yet." in await checkin(
        slack, fake_slack, "history", ADMIN_ID
    )


# --- status ----------------------------------------------------------------------------------


async def make_teams(slack: SlackSender, fake_slack: FakeSlack) -> None:
    for text in (
        f"team add Sales lead <@{MEMBER_ID}>",
        "team Sales add <@USALES00> <@USALES01> <@USALES02>",
        "team add Ops",
        "team Ops add <@UOPS0001>",
    ):
        before = len(fake_slack.calls_to("response_url"))
        await slack.command(text)
        answer = (await fake_slack.wait_for("response_url", before + 1))[-1]
        assert re.match(r"(Team \*\w+\* created|Added)", answer.args["text"]), answer.args["text"]


async def test_status_for_admins_leads_and_others(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    sales = [MemberProfile(f"USALES0{n}", name=f"sales{n}") for n in range(3)]
    await add_people(runtime, *sales, MemberProfile("UOPS0001", name="ops"))
    await make_teams(slack, fake_slack)
    assert "No check-in has gone out yet" in await checkin(slack, fake_slack, "status")
    round_ = await open_week(runtime)
    await set_state(
        runtime, round_, "USALES00", "answered", answers={"moved": "SECRET PLAN"}, late=True
    )
    await set_state(runtime, round_, "USALES01", "skipped")
    await set_state(runtime, round_, "USALES02", "failed")
    await set_state(runtime, round_, MEMBER_ID, "sent")
    early = await checkin(slack, fake_slack, "status team Ops")  # Monday 07:00 UTC
    assert "*Not sent yet (1):* <@UOPS0001> (Mon 30 Nov, 09:00)" in early
    assert "Times are in your time zone." in early and "Did not answer" not in early
    set_clock(runtime, MONDAY + timedelta(hours=3))

    everyone = await checkin(slack, fake_slack, "status")
    assert "Check-in, week of 30 Nov · everyone" in everyone
    assert (
        "*6* invited · *3* sent · *1* answered (1 late) · *1* skipped · *2* not sent yet"
        " · *1* not sent" in everyone
    )
    assert "*Answered (1):* <@USALES00> (late)" in everyone
    assert f"*Not answered yet (1):* <@{MEMBER_ID}>" in everyone  # only a sent prompt
    due = "due now, goes out within minutes"
    assert f"*Not sent yet (2):* <@{ADMIN_ID}> ({due}), <@UOPS0001> ({due})" in everyone
    assert "their local time has not come" not in everyone
    assert "*Skipped (1):* <@USALES01>" in everyone
    assert "*Not sent: could not be reached by direct message (1):* <@USALES02>" in everyone
    assert "SECRET PLAN" not in everyone  # who answered, never what

    lead = await checkin(slack, fake_slack, "status", MEMBER_ID)
    assert "Check-in, week of 30 Nov · Sales" in lead and "*4* invited" in lead
    assert "UOPS0001" not in lead and ADMIN_ID not in lead
    assert "Sales" in await checkin(slack, fake_slack, "status team sales", MEMBER_ID)
    assert "Only Northstar admins and the lead of Ops" in await checkin(
        slack, fake_slack, "status team Ops", MEMBER_ID
    )
    assert "Only Northstar admins and team leads" in await checkin(
        slack, fake_slack, "status", "USALES00"
    )
    ops = await checkin(slack, fake_slack, "status team Ops")
    assert "· Ops" in ops and "*1* invited" in ops

    set_clock(runtime, datetime(2026, 12, 2, 1, 0, tzinfo=UTC))  # every answer window closed
    closed = await checkin(slack, fake_slack, "status team Sales")
    assert f"*Did not answer (1):* <@{MEMBER_ID}>" in closed
    gone_by = await checkin(slack, fake_slack, "status")  # never sent: not "did not answer"
    assert f"*Did not answer (1):* <@{MEMBER_ID}>" in gone_by
    assert (
        f"*Not sent: their answer window had passed before it could go out (2):* <@{ADMIN_ID}>, "
        "<@UOPS0001>" in gone_by
    )


async def test_status_of_a_large_workspace_stays_within_slack_limits(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime, *(MemberProfile(f"UPERSON{n:04d}") for n in range(400)))
    await open_week(runtime)
    answer = await checkin(slack, fake_slack, "status")
    assert "*402* invited" in answer and "*402* not sent yet" in answer
    more = re.search(r"and (\d+) more", answer)
    assert more is not None and 0 < int(more.group(1)) < 402


# --- holidays --------------------------------------------------------------------------------


async def test_holidays_add_list_and_remove(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    assert "No upcoming holidays." in await checkin(slack, fake_slack, "holidays", MEMBER_ID)
    added = await checkin(slack, fake_slack, "holidays add 2026-12-25 2026-12-24")
    assert "Holiday added: Thu 24 Dec 2026, Fri 25 Dec 2026." in added
    again = await checkin(slack, fake_slack, "holidays add 2026-12-25, 2026-12-31")
    assert "Holiday added: Thu 31 Dec 2026." in again
    assert "Fri 25 Dec 2026 was already a holiday; nothing changed there." in again
    listing = await checkin(slack, fake_slack, "holiday list", MEMBER_ID)
    assert "Upcoming holidays (3)" in listing
    assert listing.index("Thu 24 Dec") < listing.index("Fri 25 Dec") < listing.index("Thu 31")
    removed = await checkin(slack, fake_slack, "holidays remove 2026-12-24 2026-12-01")
    assert "No longer a holiday: Thu 24 Dec 2026." in removed
    assert "Tue 1 Dec 2026 was not a holiday" in removed
    assert await holidays(runtime) == ["2026-12-25", "2026-12-31"]
    for text in ("holidays add 2027-01-01", "holidays remove 2026-12-25"):
        refused = await checkin(slack, fake_slack, text, MEMBER_ID)
        assert "Only Northstar admins can change the holidays" in refused
    assert await holidays(runtime) == ["2026-12-25", "2026-12-31"]


async def test_a_holiday_after_the_prompt_day_keeps_the_prompt_and_drops_its_reminder(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    round_ = await open_week(runtime)
    answer = await checkin(slack, fake_slack, "holidays add 2026-12-01 2026-12-08")
    assert "7 Dec" not in answer.split("2026.", 1)[1]
    moved = await invitation(runtime, round_, MEMBER_ID)
    assert moved.prompt_at == MONDAY + timedelta(hours=2)  # Monday is no holiday
    assert moved.remind_at is None  # it fell on Tuesday; Wednesday is past the deadline


async def test_a_holiday_on_the_prompt_day_of_an_open_round_moves_what_is_not_sent(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    set_clock(runtime, FRIDAY_BEFORE)
    round_ = await open_week(runtime)
    answer = await checkin(slack, fake_slack, "holidays add 2026-11-30")
    assert "2 check-in invitations not sent yet moved to the next working day" in answer
    moved = (await invitation(runtime, round_, MEMBER_ID)).prompt_at
    assert moved == MONDAY + timedelta(days=1, hours=2)
    answer = await checkin(slack, fake_slack, "holidays remove 2026-11-30")
    assert (await invitation(runtime, round_, MEMBER_ID)).prompt_at == MONDAY + timedelta(hours=2)


# --- the bare command ------------------------------------------------------------------------


async def test_bare_checkin_opens_the_open_check_in_or_says_none_is_open(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    answer = await checkin(slack, fake_slack, "", MEMBER_ID)
    assert "no open check-in" in answer
    assert fake_slack.calls_to("views.open") == []
    round_ = await open_week(runtime)
    await set_state(runtime, round_, MEMBER_ID, "sent")
    set_clock(runtime, MONDAY + timedelta(hours=3))
    view = await open_modal(slack, fake_slack, "", MEMBER_ID)
    assert view["type"] == "modal" and view["callback_id"] == "checkin_answer_form"


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pause until 2026-02-30", "2026-02-30 is not a real calendar date"),
        ("pause until 2026-11-30", "is not after today (2026-11-30"),
        ("pause until 2025-01-01", "is not after today"),
        ("pause until 2027-12-01", "more than a year away; pause until 2027-11-30"),
        ("pause until tomorrow", "`tomorrow` is not a date"),
        ("pause until next friday", "is not a date"),
        ("pause until 30/12/2026", "is not a date"),
        ("pause until \uff12\uff10\uff12\uff16-12-01", "is not a date"),  # fullwidth digits
        ("pause until 2026-12-1", "is not a date"),
        ("pause until " + "9" * 10_000, "is not a date"),
        ("pause until <!channel>", "`!channel` is not a date"),
        ("pause", "Until when?"),
        ("pause until", "Until when?"),
        ("holidays add 2026-13-01", "2026-13-01 is not a real calendar date"),
        ("holidays add 2026-02-29", "is not a real calendar date"),
        ("holidays add 2026-11-01", "2026-11-01 is in the past"),
        ("holidays add 2029-01-01", "more than two years away"),
        ("holidays add yesterday", "`yesterday` is not a date"),
        ("holidays add 2026-12-24 " + "2026-12-25 " * 40, "at most 31 dates"),
        ("holidays remove 2026-02-30", "is not a real calendar date"),
        ("holidays add", "Which days?"),
        ("holidays delete 2026-12-24", "Use `/checkin holidays` to list them"),
        ("holidays list all", "Use `/checkin holidays` to list them"),
        ("skip now", "There is no check-in called `now`. `/checkin setups` lists them."),
        ("resume please", "There is no check-in called `please`. `/checkin setups` lists them."),
        ("history 10", "There is no check-in called `10`. `/checkin setups` lists them."),
        ("settings now", "`/checkin settings` takes nothing after it"),
        ("status everyone", "There is no check-in called `everyone`. `/checkin setups` lists"),
        ("status team", "Which team?"),
        ("status team Nowhere", "There is no team called “Nowhere”"),
        ("status team <@U123ABC> *bold*", "cannot contain mentions"),
        ("status team " + "s" * 10_000, "the most is 80"),
        ("frobnicate", "has no subcommand `frobnicate`"),
        ("x" * 10_000, "has no subcommand `" + "x" * 30 + "…`"),
        ("x" * 25_000, "commands take at most 20,000"),
        ("skip\x00", "invisible control character"),
    ],
)
async def test_bad_checkin_commands_are_explained_and_change_nothing(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, text: str, expected: str
) -> None:
    await add_people(runtime)
    answer = await checkin(slack, fake_slack, text)
    assert expected in answer
    assert "/checkin" in answer or "/align teams" in answer  # the right form to type
    assert await pause_of(runtime, ADMIN_ID) is None
    assert await holidays(runtime) == []
