"""The scheduled jobs give the same answer whatever day and hour it is: each weekday at 00:30,
12:00 and 23:30 UTC, and on the Sundays the clocks change in Berlin and New York, exactly the
right people get exactly one check-in prompt, check-in reminder, survey invitation and survey
reminder, and the digest channel exactly one digest.

Every instant comes from ``runtime.clock``; each job runs twice (five minutes apart) so a
second run that sends again would show.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from bot.checkins.settings import CheckinSettings
from bot.checkins.setups import store_default_settings
from bot.core.runtime import Runtime
from bot.core.weeks import iso_week, week_label
from bot.digest.settings import DigestSettings, with_digest_settings
from bot.pulse.lifecycle import create_survey
from bot.pulse.questions import BANK, SurveyDraft
from bot.pulse.surveys import submit_answer
from fakeslack import FakeSlack
from scheduler.jobs import run_job
from storage.db import transaction
from storage.models import CheckinDelivery, CheckinRound, DigestPost, Survey, Workspace
from storage.repositories.members import MemberProfile
from tests.clocked_cli import clock_from
from tests.clocked_cli import main as clocked_northstar
from tests.factories import add_members
from tests.pulse.test_delivery import OTHERS, add_people, job_context
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID

# Monday 11 to Sunday 17 May 2026: no clock changes anywhere the tests look.
WEEK = [date(2026, 5, 11) + timedelta(days=offset) for offset in range(7)]
HOURS = (time(0, 30), time(12, 0), time(23, 30))
INSTANTS = [datetime.combine(day, hour, tzinfo=UTC) for day in WEEK for hour in HOURS]
AGAIN = timedelta(minutes=5)
CHANNEL = "CANYDAY01"

# 09:00 local time on the Sunday the clocks change, worked out by hand in UTC.
CLOCK_CHANGES = {
    "Berlin, summer time begins": ("Europe/Berlin", datetime(2026, 3, 29, 7, 0, tzinfo=UTC)),
    "Berlin, summer time ends": ("Europe/Berlin", datetime(2026, 10, 25, 8, 0, tzinfo=UTC)),
    "New York, summer time begins": ("America/New_York", datetime(2026, 3, 8, 13, 0, tzinfo=UTC)),
    "New York, summer time ends": ("America/New_York", datetime(2026, 11, 1, 14, 0, tzinfo=UTC)),
}


@pytest.fixture(params=INSTANTS, ids=lambda moment: moment.strftime("%a-%H:%M"))
def now(request: pytest.FixtureRequest) -> datetime:
    moment: datetime = request.param
    return moment


def midnight(moment: datetime) -> datetime:
    return datetime.combine(moment.date(), time(0, 0), tzinfo=UTC)


async def run_at(runtime: Runtime, fake_slack: FakeSlack, job: str, moment: datetime) -> str:
    runtime.clock = lambda: moment
    [outcome] = await run_job(job, job_context(runtime, fake_slack))
    assert outcome.status == "done", outcome.detail
    return outcome.detail


async def run_twice(runtime: Runtime, fake_slack: FakeSlack, job: str, moment: datetime) -> None:
    for when in (moment, moment + AGAIN):
        await run_at(runtime, fake_slack, job, when)


def dms(fake_slack: FakeSlack) -> Counter[str]:
    return Counter(
        str(call.args["channel"])
        for call in fake_slack.calls_to("chat.postMessage")
        if str(call.args["channel"]).startswith("U")
    )


async def set_check_ins(runtime: Runtime, settings: CheckinSettings) -> None:
    async with transaction(runtime.sessions) as session:
        workspace = await session.get(Workspace, TEAM_ID)
        assert workspace is not None
        await store_default_settings(session, TEAM_ID, settings)
        session.add(workspace)


async def deliveries(runtime: Runtime) -> dict[str, list[tuple[str, str]]]:
    """Each person's check-in rows as (week, state), oldest week first."""
    statement = (
        select(CheckinRound.week, CheckinDelivery.user_id, CheckinDelivery.state)
        .join(CheckinRound, col(CheckinRound.id) == col(CheckinDelivery.round_id))
        .order_by(col(CheckinRound.week))
    )
    found: dict[str, list[tuple[str, str]]] = {}
    async with runtime.sessions() as session:
        for week, user, state in (await session.exec(statement)).all():
            found.setdefault(user, []).append((week, state))
    return found


# --- check-ins ------------------------------------------------------------------------------


async def test_a_round_due_today_prompts_each_person_once_when_their_day_has_come(
    runtime: Runtime, fake_slack: FakeSlack, now: datetime
) -> None:
    zones = {"UUTC": "UTC", "UTOKYO": "Asia/Tokyo", "ULOSANGELES": "America/Los_Angeles"}
    await add_members(runtime, *(MemberProfile(user_id=u, tz=tz) for u, tz in zones.items()))
    # Prompts at midnight on today's (UTC) weekday, in each person's own time zone; answers
    # until the end of the next local day.
    await set_check_ins(runtime, CheckinSettings(weekday=now.weekday(), local_time=time(0, 0)))
    await run_twice(runtime, fake_slack, "checkins", now)

    local_days = {user: now.astimezone(ZoneInfo(tz)).date() for user, tz in zones.items()}
    due = {user for user, day in local_days.items() if 0 <= (day - now.date()).days <= 1}
    assert dms(fake_slack) == Counter(due), local_days  # Los Angeles is a day behind at 00:30
    week = iso_week(now.date())
    assert all(
        week_label(week) in call.args["text"] for call in fake_slack.calls_to("chat.postMessage")
    )
    rows = await deliveries(runtime)
    for user in zones:
        this_round, *next_round = rows[user]
        assert this_round == (week, "sent" if user in due else "pending")
        # At a weekend the job opens next week's round too (LOOKAHEAD), prompting no one yet.
        assert [state for _, state in next_round] == (["pending"] if now.weekday() >= 5 else [])


async def test_the_check_in_reminder_goes_once_to_who_has_not_answered_on_working_days(
    runtime: Runtime, fake_slack: FakeSlack, now: datetime
) -> None:
    people = ("UREMIND1", "UREMIND2", "UANSWERED")
    await add_members(runtime, *(MemberProfile(user_id=user, tz="UTC") for user in people))
    # Prompted yesterday at 00:00; the reminder falls half-way, today at 00:00, unless today
    # is a weekend day: then it would move to Monday, after the answers close, and is dropped.
    yesterday = midnight(now) - timedelta(days=1)
    await set_check_ins(
        runtime,
        CheckinSettings(weekday=yesterday.weekday(), local_time=time(0, 0), reminder_at=0.5),
    )
    await run_at(runtime, fake_slack, "checkins", yesterday + timedelta(hours=12))
    assert dms(fake_slack) == Counter(people)
    async with transaction(runtime.sessions) as session:
        prompted = select(CheckinDelivery).where(
            CheckinDelivery.user_id == people[2], CheckinDelivery.state == "sent"
        )
        answered = (await session.exec(prompted)).one()
        answered.state = "answered"
        session.add(answered)
    fake_slack.clear()

    await run_twice(runtime, fake_slack, "reminders", now)
    working_day = now.weekday() < 5
    assert dms(fake_slack) == (Counter(people[:2]) if working_day else Counter())


@pytest.mark.parametrize(("zone", "nine"), CLOCK_CHANGES.values(), ids=list(CLOCK_CHANGES))
async def test_a_prompt_at_nine_comes_at_nine_local_time_on_the_day_the_clocks_change(
    runtime: Runtime, fake_slack: FakeSlack, zone: str, nine: datetime
) -> None:
    await add_members(runtime, MemberProfile(user_id="ULOCAL", tz=zone))
    await set_check_ins(runtime, CheckinSettings(weekday=6, local_time=time(9, 0)))
    await run_at(runtime, fake_slack, "checkins", nine - timedelta(minutes=1))
    assert dms(fake_slack) == Counter()
    await run_twice(runtime, fake_slack, "checkins", nine)
    assert dms(fake_slack) == Counter(["ULOCAL"])


# --- pulse surveys ----------------------------------------------------------------------------


async def schedule_survey(runtime: Runtime, opens_at: datetime, closes_at: datetime) -> Survey:
    draft = SurveyDraft(
        title="Any-day pulse",
        questions=BANK[:2],
        opens_at=opens_at,
        closes_at=closes_at,
        min_responses=3,
    )
    async with transaction(runtime.sessions) as session:
        return await create_survey(
            session=session,
            team_id=TEAM_ID,
            actor=ADMIN_ID,
            draft=draft,
            now=opens_at - timedelta(days=1),
        )


async def test_a_survey_opening_today_invites_everyone_once(
    runtime: Runtime, fake_slack: FakeSlack, now: datetime
) -> None:
    await add_people(runtime)
    await schedule_survey(runtime, midnight(now), midnight(now) + timedelta(days=5))
    await run_twice(runtime, fake_slack, "surveys", now)
    assert dms(fake_slack) == Counter([ADMIN_ID, MEMBER_ID, *OTHERS])


async def test_the_survey_reminder_goes_once_to_who_has_not_answered(
    runtime: Runtime, fake_slack: FakeSlack, now: datetime
) -> None:
    await add_people(runtime)
    # Open since four days ago, closing tonight at midnight: the reminder is due since 00:00.
    opens = midnight(now) - timedelta(days=4)
    survey = await schedule_survey(runtime, opens, midnight(now) + timedelta(days=1))
    await run_at(runtime, fake_slack, "surveys", opens)
    assert dms(fake_slack) == Counter([ADMIN_ID, MEMBER_ID, *OTHERS])
    assert survey.id is not None
    async with transaction(runtime.sessions) as session:
        await submit_answer(
            session=session,
            team_id=TEAM_ID,
            survey_id=survey.id,
            user_id=MEMBER_ID,
            submitted={BANK[0].key: 4, BANK[1].key: 5},
            allow_replies=False,
            secret_key=runtime.settings.northstar_secret_key.get_secret_value(),
            now=opens + timedelta(hours=1),
        )
    fake_slack.clear()
    await run_twice(runtime, fake_slack, "surveys", now)
    assert dms(fake_slack) == Counter([ADMIN_ID, *OTHERS])


# --- the digest -------------------------------------------------------------------------------


async def set_digest(runtime: Runtime, settings: DigestSettings) -> None:
    await add_members(runtime, MemberProfile(user_id=ADMIN_ID, is_admin=True))
    async with transaction(runtime.sessions) as session:
        workspace = await session.get(Workspace, TEAM_ID)
        assert workspace is not None
        workspace.settings = with_digest_settings(workspace.settings, settings)
        session.add(workspace)


async def digest_posts(runtime: Runtime, fake_slack: FakeSlack) -> list[tuple[str, bool]]:
    """(week, late) of each digest recorded, after checking Slack got one message for it."""
    posts = [
        call
        for call in fake_slack.calls_to("chat.postMessage")
        if call.args["channel"] == CHANNEL and "thread_ts" not in call.args
    ]
    async with runtime.sessions() as session:
        rows = (await session.exec(select(DigestPost))).all()
    assert len(posts) == len(rows)
    return [(row.week, row.late) for row in rows]


async def test_a_digest_due_today_is_posted_once(
    runtime: Runtime, fake_slack: FakeSlack, now: datetime
) -> None:
    await set_digest(
        runtime,
        DigestSettings(
            channel_id=CHANNEL,
            weekday=now.weekday(),
            local_time=time(0, 0),
            configured_at=midnight(now) - timedelta(days=2),
        ),
    )
    await run_twice(runtime, fake_slack, "digest", now)
    # Posted more than an hour after its moment, it says it is late.
    assert await digest_posts(runtime, fake_slack) == [(iso_week(now.date()), now.hour >= 1)]


@pytest.mark.parametrize(("zone", "nine"), CLOCK_CHANGES.values(), ids=list(CLOCK_CHANGES))
async def test_a_digest_at_nine_comes_at_nine_local_time_on_the_day_the_clocks_change(
    runtime: Runtime, fake_slack: FakeSlack, zone: str, nine: datetime
) -> None:
    settings = DigestSettings(
        channel_id=CHANNEL,
        weekday=6,
        local_time=time(9, 0),
        timezone=zone,
        configured_at=nine - timedelta(days=2),
    )
    await set_digest(runtime, settings)
    detail = await run_at(runtime, fake_slack, "digest", nine - timedelta(minutes=1))
    assert detail == "no digest due"
    await run_twice(runtime, fake_slack, "digest", nine)
    assert await digest_posts(runtime, fake_slack) == [(iso_week(nine.date()), False)]


def test_the_instants_cover_every_weekday_and_both_ends_of_the_day() -> None:
    assert sorted({moment.weekday() for moment in INSTANTS}) == list(range(7))
    assert {moment.hour for moment in INSTANTS} == {0, 12, 23}
    for zone, nine in CLOCK_CHANGES.values():
        local = nine.astimezone(ZoneInfo(zone))
        assert (local.weekday(), local.hour, local.minute) == (6, 9, 0)
        before, after = (local - timedelta(days=1)), (local + timedelta(days=1))
        assert before.utcoffset() != after.utcoffset(), f"no clock change around {nine}"


def test_a_child_process_clock_starts_at_the_given_instant_and_runs_on() -> None:
    start = INSTANTS[0]
    clock = clock_from(start)
    first, second = clock(), clock()
    assert start <= first <= second < start + timedelta(seconds=5)
    with pytest.raises(SystemExit):  # an instant without an offset is refused, not guessed
        clocked_northstar(["--now", "2026-05-11T00:30:00", "job", "checkins"])
