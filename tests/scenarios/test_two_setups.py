"""Two setups over two weeks, through the real app: the weekly check-in for everyone (the
default setup, Monday 09:00) and a daily stand-up Monday to Friday at 09:30 for the Platform
team, whose answers go to its channel as one thread a day.

Platform works from Los Angeles, Berlin and Tokyo. The clock (always the injected one) steps
every 15 minutes from Sunday 25 October 2026 (Berlin went to winter time that morning) to
Saturday 7 November; Los Angeles changes its clocks on Sunday 1 November, between the two
weeks. Wednesday 4 November is a holiday: no stand-up. The ``checkins`` and ``reminders``
jobs run at every step; some people answer their prompts through the modal as they arrive.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlmodel import select

from bot.checkins.blocks.settings_modal import Field
from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import CheckinDelivery, CheckinRound, CheckinSetup
from storage.repositories.members import MemberProfile
from storage.repositories.teams import add_team_members, create_team
from tests.checkins.answer_helpers import GOOD_ANSWERS
from tests.checkins.command_helpers import checkin
from tests.checkins.setup_helpers import new_setup
from tests.factories import add_members
from tests.scenarios.setups_helpers import (
    STAND_UP,
    WEEKLY,
    Dm,
    answer,
    day_label,
    dms_since,
    local,
    run_jobs,
    week_label,
)
from tests.slack_requests import ADMIN_ID, TEAM_ID, SlackSender

LA, BERLIN, TOKYO = "America/Los_Angeles", "Europe/Berlin", "Asia/Tokyo"
PLATFORM = {"UPLATLA": LA, "UPLATBER": BERLIN, "UPLATTKY": TOKYO}
SALES = {ADMIN_ID: BERLIN, "USALESLA": LA}
EVERYONE = PLATFORM | SALES
STAND_UP_CHANNEL = "CPLATFORM"
HOLIDAY = date(2026, 11, 4)
START = datetime(2026, 10, 25, 12, 0, tzinfo=UTC)  # Sunday
END = datetime(2026, 11, 7, 12, 0, tzinfo=UTC)  # Saturday, after LA's Friday reminder
STEP = timedelta(minutes=15)
MONDAYS = [date(2026, 10, 26), date(2026, 11, 2)]
STAND_UP_DAYS = [
    monday + timedelta(days=offset)
    for monday in MONDAYS
    for offset in range(5)
    if monday + timedelta(days=offset) != HOLIDAY
]
WEEKLY_TIME, STAND_UP_TIME = time(9, 0), time(9, 30)
STAND_UP_QUESTIONS = (
    "What did you do yesterday?\nWhat will you do today?\nAnything in your way? (optional)"
)
STAND_UP_ANSWER = "Shipped the *importer* <!here>"


def answers_it(dm: Dm) -> bool:
    """Who answers which prompt, as soon as it arrives: Berlin's Platform person everything, Tokyo's
    the first week's stand-ups, the admin the second weekly check-in; nobody else anything."""
    if dm.kind != "prompt":
        return False
    if dm.user == "UPLATBER":
        return True
    if dm.user == "UPLATTKY":
        return dm.setup == STAND_UP and dm.label in {day_label(d) for d in STAND_UP_DAYS[:5]}
    return dm.user == ADMIN_ID and dm.label == week_label(MONDAYS[1])


async def set_up_workspace(
    runtime: Runtime, slack: SlackSender, fake_slack: FakeSlack, at: datetime = START
) -> None:
    """The people and teams, and the stand-up through ``/checkin new`` and its form, by the
    admin, ``at`` that moment."""
    runtime.clock = lambda: at
    await add_members(
        runtime,
        *(
            MemberProfile(user, name=user.lower(), tz=tz, is_admin=user == ADMIN_ID)
            for user, tz in EVERYONE.items()
        ),
    )
    async with transaction(runtime.sessions) as session:
        for name, people in (("Platform", PLATFORM), ("Sales", SALES)):
            team = await create_team(session=session, team_id=TEAM_ID, name=name)
            await add_team_members(session=session, team=team, user_ids=list(people))
            if name == "Platform":
                platform = team.id
    created = await new_setup(
        slack,
        fake_slack,
        {
            Field.NAME: STAND_UP,
            Field.DAYS: ["0", "1", "2", "3", "4"],
            Field.TIME: STAND_UP_TIME.strftime("%H:%M"),
            Field.WINDOW: "0",
            Field.QUESTIONS: STAND_UP_QUESTIONS,
            Field.EXTRAS: [],
            Field.TEAMS: [str(platform)],
            Field.CHANNEL: STAND_UP_CHANNEL,
            Field.CHANNEL_MODE: "thread",
        },
    )
    assert f"*{STAND_UP}* created" in created and "*Mon\u2013Fri* at *09:30*" in created


async def add_holiday(slack: SlackSender, fake_slack: FakeSlack) -> None:
    added = await checkin(slack, fake_slack, f"holidays add {HOLIDAY.isoformat()}")
    assert "Holiday added: Wed 4 Nov 2026." in added


async def run_clock(
    runtime: Runtime,
    slack: SlackSender,
    fake_slack: FakeSlack,
    until: datetime,
    answers_on: Callable[[Dm], bool] = answers_it,
    start: datetime = START,
) -> tuple[list[Dm], set[Dm]]:
    """Run both jobs every ``STEP`` from ``start`` to ``until``, answering (through the
    modal) right after each DM ``answers_on`` picks: every DM sent, in order, and the
    prompts answered."""
    sent: list[Dm] = []
    answered: set[Dm] = set()
    buttons: dict[Dm, str] = {}
    seen = 0
    now = start
    while now <= until:
        await run_jobs(runtime, now, "checkins", "reminders")
        new, seen = dms_since(fake_slack, seen)
        for dm, value in new:
            sent.append(dm)
            prompt = Dm(dm.user, "prompt", dm.setup, dm.label)
            buttons.setdefault(prompt, value)
            if answers_on(dm):
                given = None if dm.setup == STAND_UP else GOOD_ANSWERS
                await answer(slack, fake_slack, buttons[prompt], dm.user, given, STAND_UP_ANSWER)
                answered.add(prompt)
        seen = len(fake_slack.calls_to("chat.postMessage"))  # the answers' own posts
        now += STEP
    return sent, answered


def stand_up_posts(fake_slack: FakeSlack) -> list[dict[str, Any]]:
    return [
        message
        for (channel, _), message in fake_slack.messages.items()
        if channel == STAND_UP_CHANNEL
    ]


def expected_prompts() -> list[Dm]:
    weekly = [
        Dm(user, "prompt", WEEKLY, week_label(monday)) for user in EVERYONE for monday in MONDAYS
    ]
    daily = [
        Dm(user, "prompt", STAND_UP, day_label(day)) for user in PLATFORM for day in STAND_UP_DAYS
    ]
    return sorted(weekly + daily)


async def sent_times(runtime: Runtime) -> dict[tuple[str, str, str], datetime | None]:
    """When each invitation went out, by (person, setup name, period)."""
    async with runtime.sessions() as session:
        rows = (
            await session.exec(
                select(CheckinDelivery, CheckinRound, CheckinSetup)
                .join(CheckinRound, CheckinRound.id == CheckinDelivery.round_id)  # type: ignore[arg-type]
                .join(CheckinSetup, CheckinSetup.id == CheckinRound.setup_id)  # type: ignore[arg-type]
            )
        ).all()
    return {
        (delivery.user_id, setup.name, round_.period): delivery.sent_at
        for delivery, round_, setup in rows
    }


async def test_a_daily_stand_up_and_the_weekly_check_in_over_two_weeks_in_three_time_zones(
    runtime: Runtime, fake_slack: FakeSlack, slack: SlackSender
) -> None:
    await set_up_workspace(runtime, slack, fake_slack)
    await add_holiday(slack, fake_slack)

    sent, answered = await run_clock(runtime, slack, fake_slack, END)

    prompts = sorted(dm for dm in sent if dm.kind == "prompt")
    assert prompts == expected_prompts()  # exactly these, none twice, none on the holiday
    assert Counter(prompts).most_common(1)[0][1] == 1
    reminders = sorted(dm for dm in sent if dm.kind == "reminder")
    assert reminders == sorted(
        Dm(dm.user, "reminder", dm.setup, dm.label) for dm in prompts if dm not in answered
    )
    assert len(answered) == 9 + 2 + 5 + 1  # Berlin's stand-ups and weeks, Tokyo's, the admin's

    # each in their own morning: the stand-up at 09:30 and the check-in Monday 09:00 local,
    # Los Angeles an hour later in UTC once its clocks went back on 1 November
    times = await sent_times(runtime)
    for user, tz in PLATFORM.items():
        for day in STAND_UP_DAYS:
            assert times[(user, STAND_UP, day.isoformat())] == local(day, STAND_UP_TIME, tz)
    for user, tz in EVERYONE.items():
        for monday in MONDAYS:
            week = f"{monday.isocalendar().year}-W{monday.isocalendar().week:02d}"
            assert times[(user, "Weekly check-in", week)] == local(monday, WEEKLY_TIME, tz)
    assert local(MONDAYS[0], STAND_UP_TIME, LA) == datetime(2026, 10, 26, 16, 30, tzinfo=UTC)
    assert local(MONDAYS[1], STAND_UP_TIME, LA) == datetime(2026, 11, 2, 17, 30, tzinfo=UTC)
    assert [key for key in times if key[2] == HOLIDAY.isoformat()] == []  # nobody invited

    # the stand-up channel: one thread a day, with that day's answers as its replies
    posts = stand_up_posts(fake_slack)
    assert all("<!here>" not in str(message) for message in posts)  # answers escaped
    assert "&lt;!here&gt;" in str(posts)
    parents = [message["ts"] for message in posts if "thread_ts" not in message]
    replies = Counter(message["thread_ts"] for message in posts if "thread_ts" in message)
    answered_days = Counter(dm.label for dm in answered if dm.setup == STAND_UP)
    assert len(parents) == len(STAND_UP_DAYS), posts
    assert sorted(replies.values()) == sorted(answered_days.values())
    assert set(replies) <= set(parents)


async def test_a_stand_up_answered_after_its_reminder_on_the_eve_of_a_holiday_is_taken(
    runtime: Runtime, fake_slack: FakeSlack, slack: SlackSender
) -> None:
    """Los Angeles answers Tuesday's stand-up when reminded, at 16:45 its time: already
    Wednesday 00:45 in UTC, and Wednesday is a holiday (a round with nobody in it). Tuesday's
    stand-up still takes answers until midnight in Los Angeles."""
    tuesday = date(2026, 11, 3)
    runtime.clock = lambda: local(tuesday, time(8, 0), LA)
    await add_holiday(slack, fake_slack)
    await set_up_workspace(runtime, slack, fake_slack, at=local(tuesday, time(8, 0), LA))
    reminded = Dm("UPLATLA", "reminder", STAND_UP, day_label(tuesday))

    sent, answered = await run_clock(
        runtime,
        slack,
        fake_slack,
        until=local(tuesday, time(18, 0), LA),
        answers_on=lambda dm: dm == reminded,
        start=local(tuesday, time(8, 0), LA),
    )

    assert reminded in sent and local(tuesday, time(16, 45), LA).day == HOLIDAY.day
    assert answered == {Dm("UPLATLA", "prompt", STAND_UP, day_label(tuesday))}
    replies = [post for post in stand_up_posts(fake_slack) if "thread_ts" in post]
    assert any("uplatla" in str(post["text"]) for post in replies)


async def test_a_holiday_added_once_the_days_stand_up_is_open_cancels_it(
    runtime: Runtime, fake_slack: FakeSlack, slack: SlackSender
) -> None:
    """Stand-up rounds open two days ahead: Monday's run has already opened Wednesday's when
    the admin makes Wednesday a holiday. Nobody is asked on Wednesday."""
    monday = MONDAYS[1]
    await set_up_workspace(runtime, slack, fake_slack, at=local(monday, time(8, 0), LA))
    await run_jobs(runtime, local(monday, time(8, 0), LA), "checkins")
    await add_holiday(slack, fake_slack)

    sent, _ = await run_clock(
        runtime,
        slack,
        fake_slack,
        until=local(HOLIDAY, time(23, 45), LA),
        answers_on=lambda _: False,
        start=local(monday, time(8, 15), LA),
    )

    assert [dm for dm in sent if dm.label == day_label(HOLIDAY)] == []
    # Thursday has begun in Tokyo before Wednesday ends in Los Angeles
    thursday = day_label(HOLIDAY + timedelta(days=1))
    assert {dm.label for dm in sent if dm.setup == STAND_UP} - {thursday} == {
        day_label(monday + timedelta(days=offset)) for offset in (0, 1)
    }
