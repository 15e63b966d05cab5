"""Settings saved mid-week move what is not sent yet, never what is sent or being sent."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from bot.checkins.blocks.settings_modal import Field
from bot.checkins.calendar import WorkCalendar
from bot.checkins.reschedule import apply_to_open_rounds
from bot.checkins.rounds import open_rounds
from bot.checkins.settings import CheckinSettings
from bot.checkins.setups import store_default_settings
from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import CheckinRound
from storage.repositories import checkin_times as times_repo
from storage.repositories import checkins as repo
from storage.repositories.members import MemberProfile
from tests.checkins.answer_helpers import set_settings
from tests.checkins.command_helpers import (
    MONDAY,
    WEEK,
    add_people,
    invitation,
    open_modal,
    open_week,
    option_value,
    set_clock,
    set_state,
    submit_settings,
)
from tests.factories import add_members
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender
from tests.statements import recorded_statements

WEDNESDAY_1430 = datetime(2026, 12, 2, 14, 30, tzinfo=UTC)


async def save(slack: SlackSender, fake_slack: FakeSlack, answers: dict[str, str]) -> str:
    view = await open_modal(slack, fake_slack, "settings")
    before = len(fake_slack.calls_to("response_url"))
    filled: dict[str, Any] = {
        Field(key): [option_value(view, key, value)] if key == Field.DAYS else value
        for key, value in answers.items()
    }
    response = await submit_settings(slack, view, filled)
    assert response.status_code == 200 and response.text == "", response.text
    return str((await fake_slack.wait_for("response_url", before + 1))[-1].args["text"])


async def test_sent_and_claimed_invitations_keep_their_times_and_the_questions_stay(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime, MemberProfile("UOTHER01", name="other", tz="Asia/Tokyo"))
    set_clock(runtime)
    round_ = await open_week(runtime)
    await set_state(runtime, round_, ADMIN_ID, "sent")
    claimed = await invitation(runtime, round_, MEMBER_ID)
    async with transaction(runtime.sessions) as session:  # another process is sending it
        assert await repo.claim_delivery(session=session, delivery=claimed, now=MONDAY)
    sent_before = await invitation(runtime, round_, ADMIN_ID)
    await save(
        slack,
        fake_slack,
        {Field.DAYS: "Wednesday", Field.TIME: "14:30", Field.QUESTIONS: "What did you ship?"},
    )
    sent_after = await invitation(runtime, round_, ADMIN_ID)
    assert (sent_after.state, sent_after.prompt_at, sent_after.closes_at) == (
        "sent",
        sent_before.prompt_at,
        sent_before.closes_at,
    )
    still_claimed = await invitation(runtime, round_, MEMBER_ID)
    assert (still_claimed.state, still_claimed.prompt_at) == ("sending", claimed.prompt_at)
    moved = await invitation(runtime, round_, "UOTHER01")  # 14:30 in Tokyo is 05:30 UTC
    assert moved.prompt_at == datetime(2026, 12, 2, 5, 30, tzinfo=UTC)
    async with runtime.sessions() as session:
        reread = await repo.get_round(session=session, team_id=TEAM_ID, week=WEEK)
    assert reread is not None and len(reread.questions) == 5  # a prompt was read: unchanged


async def test_a_claim_between_reading_and_moving_wins(runtime: Runtime) -> None:
    await add_people(runtime)
    round_ = await open_week(runtime)
    row = await invitation(runtime, round_, MEMBER_ID)
    assert row.id is not None
    async with transaction(runtime.sessions) as session:
        assert await repo.claim_delivery(session=session, delivery=row, now=MONDAY)
        assert not await times_repo.reschedule_pending(
            session=session,
            delivery_ids=[row.id],
            prompt_at=WEDNESDAY_1430,
            remind_at=None,
            closes_at=WEDNESDAY_1430 + timedelta(days=1),
        )
        assert not await times_repo.cancel_pending(
            session=session, delivery_ids=[row.id], reason="x"
        )
    after = await invitation(runtime, round_, MEMBER_ID)
    assert (after.state, after.prompt_at) == ("sending", row.prompt_at)


async def test_turning_check_ins_on_mid_week_opens_this_weeks_round_with_the_new_times(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    await set_settings(runtime, CheckinSettings(enabled=False))
    set_clock(runtime, datetime(2026, 12, 1, 12, 0, tzinfo=UTC))  # Tuesday
    assert await open_week_or_none(runtime) is None
    text = await save(
        slack, fake_slack, {Field.ENABLED: "on", Field.DAYS: "Wednesday", Field.TIME: "14:30"}
    )
    assert "The next check-in goes out Wednesday 2 Dec, 14:30 your time." in text
    round_ = await open_week_or_none(runtime)
    assert round_ is not None
    for user in (ADMIN_ID, MEMBER_ID):
        assert (await invitation(runtime, round_, user)).prompt_at == WEDNESDAY_1430


async def test_next_weeks_round_opened_ahead_of_time_moves_too(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    saturday = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    set_clock(runtime, saturday)
    next_week = await open_week(runtime, saturday + timedelta(days=2))
    text = await save(slack, fake_slack, {Field.DAYS: "Thursday", Field.TIME: "10:00"})
    assert "the next check-in goes out next week: Thursday 10 Dec, 10:00 your time." in text
    moved = await invitation(runtime, next_week, MEMBER_ID)
    assert moved.prompt_at == datetime(2026, 12, 10, 10, 0, tzinfo=UTC)


async def open_week_or_none(runtime: Runtime) -> CheckinRound | None:
    async with runtime.sessions() as session:
        return await repo.get_round(session=session, team_id=TEAM_ID, week=WEEK)


async def test_saving_moves_every_invitation_in_a_few_statements_however_many_people(
    runtime: Runtime,
) -> None:
    """The settings modal is saved before Slack's 3 seconds: people in one time zone share
    their new times, so each zone is one UPDATE, not one per person."""
    now = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # a Wednesday
    runtime.clock = lambda: now
    zones = ("Europe/Berlin", "America/New_York", "Asia/Tokyo")
    await add_members(runtime, *(MemberProfile(f"U{n:05d}", tz=zones[n % 3]) for n in range(1_200)))
    await open_rounds(runtime=runtime, team_id=TEAM_ID, now=now)
    with recorded_statements(runtime) as statements:
        async with transaction(runtime.sessions) as session:
            setup = await store_default_settings(
                session, TEAM_ID, CheckinSettings(weekday=3, local_time=time(10, 0))
            )
            done = await apply_to_open_rounds(
                session,
                team_id=TEAM_ID,
                setup=setup,
                workspace_tz="UTC",
                calendar=WorkCalendar(),
                now=now,
            )
    assert done.moved == 1_200
    updates = [s for s in statements if s.lstrip().upper().startswith("UPDATE CHECKIN_DELIVERY")]
    assert len(updates) <= 3 * 3  # three zones, at most 500 ids a statement
    assert len(statements) < 30
