"""Saving a setup drops the rounds it no longer runs: a day taken out of a stand-up, a
weekly setup turned into a stand-up. Their invitations not sent yet are called off, and come
back if the day is put back."""

from __future__ import annotations

from datetime import UTC, datetime, time

from bot.checkins.calendar import WorkCalendar
from bot.checkins.reschedule import NOT_SCHEDULED, apply_to_open_rounds
from bot.checkins.rounds import send_due_reminders
from bot.checkins.settings import CheckinSettings, Question
from bot.checkins.setups import save_settings, setup_by_id
from bot.core.runtime import Runtime
from bot.slack.client import build_web_client
from fakeslack import FakeSlack
from storage.db import transaction
from storage.repositories import checkins as repo
from tests.checkins.answer_helpers import add_setup, send_prompts_at
from tests.checkins.command_helpers import add_people, checkin
from tests.slack_requests import TEAM_ID, SlackSender

SATURDAY = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
MONDAY_AFTER_PROMPT = datetime(2026, 11, 30, 10, 5, tzinfo=UTC)
TUESDAY = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ASKED = {
    "local_time": time(10, 0),
    "window_days": 0,
    "reminder_at": None,
    "questions": [Question(key="q", text="Q?")],
}


async def resave(runtime: Runtime, setup_id: int, settings: CheckinSettings, now: datetime) -> None:
    async with transaction(runtime.sessions) as session:
        await save_settings(session, TEAM_ID, setup_id, settings)
        setup = await setup_by_id(session, TEAM_ID, setup_id)
        assert setup is not None
        await apply_to_open_rounds(
            session,
            team_id=TEAM_ID,
            setup=setup,
            workspace_tz="UTC",
            calendar=WorkCalendar(),
            now=now,
        )


def prompts_of(fake_slack: FakeSlack, name: str) -> list[str]:
    return [
        str(call.args["text"])
        for call in fake_slack.calls_to("chat.postMessage")
        if name in str(call.args["text"])
    ]


async def test_a_day_taken_out_of_a_stand_up_is_not_asked_and_comes_back_if_put_back(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await add_people(runtime)
    setup_id = await add_setup(runtime, "Standup", CheckinSettings(days=[0, 1, 2, 3, 4], **ASKED))
    await send_prompts_at(runtime, fake_slack, SATURDAY)  # opens Monday's round ahead
    await resave(runtime, setup_id, CheckinSettings(days=[2, 4], **ASKED), SATURDAY)
    async with runtime.sessions() as session:
        monday = await repo.get_round(
            session=session, team_id=TEAM_ID, week="2026-11-30", setup_id=setup_id
        )
        assert monday is not None and monday.id is not None
        rows = await repo.round_deliveries(session=session, team_id=TEAM_ID, round_id=monday.id)
    assert rows and {(row.state, row.error) for row in rows} == {("skipped", NOT_SCHEDULED)}

    await resave(runtime, setup_id, CheckinSettings(days=[0, 2, 4], **ASKED), SATURDAY)
    await send_prompts_at(runtime, fake_slack, MONDAY_AFTER_PROMPT)
    assert len(prompts_of(fake_slack, "Standup")) == len(rows)  # back, and sent once each


async def test_a_weekly_setup_made_a_stand_up_calls_off_its_weeks_prompt(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await add_people(runtime)
    setup_id = await add_setup(runtime, "Team", CheckinSettings(days=[3], **ASKED))  # Thursdays
    await send_prompts_at(runtime, fake_slack, TUESDAY)
    stand_up = CheckinSettings(days=[0, 2, 4], **{**ASKED, "window_days": 1})
    await resave(runtime, setup_id, stand_up, TUESDAY)
    await send_prompts_at(runtime, fake_slack, TUESDAY.replace(minute=1))
    # the week's round is called off; the stand-up's own Monday round, still open, may ask
    assert [text for text in prompts_of(fake_slack, "Team") if "week of" in text] == []


async def test_a_removed_setup_sends_no_more_reminders(
    slack: SlackSender, runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await add_people(runtime)
    reminded = CheckinSettings(days=[0, 1, 2, 3, 4], **{**ASKED, "reminder_at": 0.5})
    await add_setup(runtime, "Standup", reminded)
    prompted = await send_prompts_at(runtime, fake_slack, MONDAY_AFTER_PROMPT)
    assert prompted
    runtime.clock = lambda: MONDAY_AFTER_PROMPT
    assert "is removed" in await checkin(slack, fake_slack, "remove Standup")
    evening = MONDAY_AFTER_PROMPT.replace(hour=18)
    client = build_web_client(token="xoxb-test-token", base_url=fake_slack.api_url)
    await send_due_reminders(runtime=runtime, client=client, team_id=TEAM_ID, now=evening)
    assert [text for text in prompts_of(fake_slack, "Standup") if "reminder" in text] == []
