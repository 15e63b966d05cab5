"""Settings saved mid-week, continued: check-ins turned off and on again (or a team dropped and
taken back) bring this week's invitations back, and the sentence saying when the next check-in
goes out reads the invitations still to send, not only the settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.checkins.blocks.settings_modal import Field
from bot.checkins.reschedule import NOT_TAKING_PART
from bot.checkins.rounds import send_due_prompts
from bot.checkins.run_context import SKIP_REASON, TURNED_OFF
from bot.checkins.settings import CheckinSettings
from bot.core.runtime import Runtime
from bot.slack.client import build_web_client
from fakeslack import FakeSlack
from storage.models import CheckinRound
from storage.repositories.members import MemberProfile
from tests.checkins.answer_helpers import add_sales_team, set_settings
from tests.checkins.command_helpers import (
    MONDAY,
    add_people,
    checkin,
    invitation,
    open_modal,
    open_week,
    option_value,
    set_clock,
    submit_settings,
)
from tests.home.helpers import home_of, texts_of
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender

MONDAY_0900 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
TUESDAY_NOON = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
WEDNESDAY_1430 = datetime(2026, 12, 2, 14, 30, tzinfo=UTC)
TOKYO = "UTOKYO01"
NEW_YORK = "UNEWYORK"
OTHER = "UOTHER01"


async def save(slack: SlackSender, fake_slack: FakeSlack, answers: dict[str, Any]) -> str:
    """Submit the settings modal as the admin, changing ``answers`` (the weekday by its name,
    the teams by their names); the confirmation's text."""
    view = await open_modal(slack, fake_slack, "settings")
    filled: dict[str, Any] = {Field(key): value for key, value in answers.items()}
    if Field.DAYS in filled:
        filled[Field.DAYS] = [option_value(view, Field.DAYS, filled[Field.DAYS])]
    if Field.TEAMS in filled:
        filled[Field.TEAMS] = [
            option_value(view, Field.TEAMS, name) for name in filled[Field.TEAMS]
        ]
    before = len(fake_slack.calls_to("response_url"))
    response = await submit_settings(slack, view, filled)
    assert response.status_code == 200 and response.text == "", response.text
    answer = (await fake_slack.wait_for("response_url", before + 1))[-1].args
    return str(answer["text"])


async def send_prompts(runtime: Runtime, fake_slack: FakeSlack, now: datetime) -> list[str]:
    """Run the prompt fan-out at ``now``; the people it DMed."""
    set_clock(runtime, now)
    before = len(fake_slack.calls_to("chat.postMessage"))
    client = build_web_client(token="xoxb-test-token", base_url=fake_slack.api_url)
    await send_due_prompts(runtime=runtime, client=client, team_id=TEAM_ID, now=now)
    return sorted(
        str(call.args["channel"]) for call in fake_slack.calls_to("chat.postMessage")[before:]
    )


async def state_of(runtime: Runtime, round_: CheckinRound, user_id: str) -> tuple[str, str]:
    row = await invitation(runtime, round_, user_id)
    return row.state, row.error


async def test_check_ins_off_and_on_again_bring_back_this_week_but_not_skips_or_pauses(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime, MemberProfile(TOKYO, name="kei", tz="Asia/Tokyo"))
    set_clock(runtime)  # Monday 07:00 UTC: 16:00 in Tokyo, whose prompt was due at 00:00 UTC
    round_ = await open_week(runtime)
    paused = await checkin(slack, fake_slack, "pause 2026-12-01", TOKYO)
    assert "pause" in paused.lower()
    assert await send_prompts(runtime, fake_slack, MONDAY) == []  # Tokyo is paused
    assert await state_of(runtime, round_, TOKYO) == ("skipped", SKIP_REASON)
    await checkin(slack, fake_slack, "skip", MEMBER_ID)
    assert await state_of(runtime, round_, MEMBER_ID) == ("skipped", "")

    off = await save(slack, fake_slack, {Field.ENABLED: "off"})
    assert "No check-in goes out while check-ins are off" in off
    assert await state_of(runtime, round_, ADMIN_ID) == ("skipped", TURNED_OFF)

    on = await save(
        slack, fake_slack, {Field.ENABLED: "on", Field.DAYS: "Wednesday", Field.TIME: "14:30"}
    )
    assert "The next check-in goes out Wednesday 2 Dec, 14:30 your time." in on
    back = await invitation(runtime, round_, ADMIN_ID)
    assert (back.state, back.error, back.prompt_at) == ("pending", "", WEDNESDAY_1430)
    assert back.closes_at == datetime(2026, 12, 4, tzinfo=UTC)
    assert await state_of(runtime, round_, MEMBER_ID) == ("skipped", "")  # their own skip
    assert await state_of(runtime, round_, TOKYO) == ("skipped", SKIP_REASON)  # their pause
    assert await send_prompts(runtime, fake_slack, WEDNESDAY_1430 - timedelta(minutes=1)) == []
    assert await send_prompts(runtime, fake_slack, WEDNESDAY_1430) == [ADMIN_ID]
    assert await send_prompts(runtime, fake_slack, WEDNESDAY_1430 + timedelta(hours=1)) == []


async def test_a_team_dropped_and_taken_back_is_invited_again_this_week(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime, MemberProfile(OTHER, name="olga"))
    await add_sales_team(runtime)  # the admin and the member; Olga is in no team
    set_clock(runtime)
    round_ = await open_week(runtime)

    await save(slack, fake_slack, {Field.TEAMS: ["Sales"]})
    assert await state_of(runtime, round_, OTHER) == ("skipped", NOT_TAKING_PART)
    assert (await invitation(runtime, round_, MEMBER_ID)).state == "pending"

    text = await save(slack, fake_slack, {Field.TEAMS: []})
    assert "The next check-in goes out Monday 30 Nov, 09:00 your time." in text
    back = await invitation(runtime, round_, OTHER)
    assert (back.state, back.error, back.prompt_at) == ("pending", "", MONDAY_0900)
    assert await send_prompts(runtime, fake_slack, MONDAY_0900) == sorted(
        [ADMIN_ID, MEMBER_ID, OTHER]
    )


async def test_turned_off_then_on_after_the_day_passed_waits_for_next_week(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    set_clock(runtime)
    round_ = await open_week(runtime)
    await save(slack, fake_slack, {Field.ENABLED: "off"})
    set_clock(runtime, datetime(2026, 12, 2, 12, 0, tzinfo=UTC))  # Wednesday: Monday's closed
    text = await save(slack, fake_slack, {Field.ENABLED: "on"})
    assert "the next check-in goes out next week: Monday 7 Dec, 09:00 your time." in text
    assert (await invitation(runtime, round_, ADMIN_ID)).state == "pending"  # but closed
    assert await send_prompts(runtime, fake_slack, datetime(2026, 12, 2, 12, 5, tzinfo=UTC)) == []


async def test_after_this_weeks_prompts_went_out_a_new_day_means_next_week(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    set_clock(runtime)
    round_ = await open_week(runtime)
    assert await send_prompts(runtime, fake_slack, MONDAY_0900) == sorted([ADMIN_ID, MEMBER_ID])
    set_clock(runtime, TUESDAY_NOON)
    text = await save(slack, fake_slack, {Field.DAYS: "Thursday", Field.TIME: "10:00"})
    expected = "the next check-in goes out next week: Thursday 10 Dec, 10:00 your time."
    assert expected in text and "3 Dec" not in text
    assert (await invitation(runtime, round_, ADMIN_ID)).prompt_at == MONDAY_0900  # sent: kept
    form = await open_modal(slack, fake_slack, "settings")
    assert expected in form["blocks"][0]["elements"][0]["text"]
    assert expected in texts_of(await home_of(slack, fake_slack, ADMIN_ID, "EvMORE1"))
    thursday = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    assert await send_prompts(runtime, fake_slack, thursday) == []  # indeed nothing this week


async def test_the_admins_own_time_is_announced_though_others_come_earlier(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime, MemberProfile(TOKYO, name="kei", tz="Asia/Tokyo"))
    set_clock(runtime, TUESDAY_NOON)
    round_ = await open_week(runtime, TUESDAY_NOON)
    text = await save(slack, fake_slack, {Field.DAYS: "Thursday", Field.TIME: "10:00"})
    assert "The next check-in goes out Thursday 3 Dec, 10:00 your time." in text
    tokyo = await invitation(runtime, round_, TOKYO)  # 10:00 in Tokyo is 01:00 UTC
    assert tokyo.prompt_at == datetime(2026, 12, 3, 1, 0, tzinfo=UTC)


async def test_once_the_admins_own_is_sent_the_next_still_to_go_is_announced(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime, MemberProfile(NEW_YORK, name="ny", tz="America/New_York"))
    set_clock(runtime)
    await open_week(runtime)
    ten = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    assert await send_prompts(runtime, fake_slack, ten) == sorted([ADMIN_ID, MEMBER_ID])
    text = await save(slack, fake_slack, {})  # saved as it was: 09:00 in New York is 14:00 UTC
    assert "The next check-in goes out Monday 30 Nov, 14:00 your time." in text
    assert "has passed" not in text


async def test_a_round_opened_as_check_ins_were_turned_off_sends_nothing_and_comes_back(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    """The race: the job opened the round with the old settings just after the admin's "off"
    was saved (so that save found nothing to cancel). The fan-out reads the settings and sends
    nothing; saving check-ins on again brings the invitations back."""
    await add_people(runtime)
    set_clock(runtime)
    round_ = await open_week(runtime)  # opened while check-ins were still on
    await set_settings(runtime, CheckinSettings(enabled=False))  # then "off" committed
    assert await send_prompts(runtime, fake_slack, MONDAY_0900) == []
    assert await state_of(runtime, round_, ADMIN_ID) == ("skipped", TURNED_OFF)
    assert await state_of(runtime, round_, MEMBER_ID) == ("skipped", TURNED_OFF)

    await save(
        slack, fake_slack, {Field.ENABLED: "on", Field.DAYS: "Wednesday", Field.TIME: "14:30"}
    )
    assert await send_prompts(runtime, fake_slack, WEDNESDAY_1430) == sorted([ADMIN_ID, MEMBER_ID])
