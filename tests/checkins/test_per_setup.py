"""``/checkin`` with two setups through the real app: the weekly check-in (Mondays 09:00,
answers until the end of Tuesday) and a daily stand-up (Mon-Fri 10:00, answers the same day).
A bare ``/checkin`` opens the one closing first; skip, pause, resume, history and status act
on the setup they name."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.checkins.settings import CheckinSettings, Question
from bot.checkins.setups import default_setup
from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.models import ALL_SETUPS
from storage.repositories import checkin_calendar as calendar_repo
from storage.repositories import checkins as repo
from storage.repositories.members import MemberProfile
from tests.checkins.answer_helpers import add_setup, prompt_value_of, send_prompts_at
from tests.checkins.command_helpers import add_people, checkin, day, open_modal
from tests.conftest import drain_background_tasks
from tests.factories import add_members
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender

MONDAY_NOON = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
STAND_UP = "Daily stand-up"
AUCKLAND_ADMIN = "UAKL0001"


@pytest.fixture
async def stand_up(runtime: Runtime) -> int:
    """The admin and the member (UTC), both in both setups; the stand-up's id."""
    await add_people(runtime)
    return await add_setup(
        runtime,
        STAND_UP,
        CheckinSettings(
            days=[0, 1, 2, 3, 4],
            local_time=time(10, 0),
            window_days=0,
            reminder_at=None,
            questions=[
                Question(key="yesterday", text="What did you do yesterday?"),
                Question(key="today", text="What will you do today?"),
            ],
        ),
    )


async def _state(runtime: Runtime, setup_id: int, period: str, user_id: str) -> str:
    async with runtime.sessions() as session:
        found = await repo.get_round(
            session=session, team_id=TEAM_ID, week=period, setup_id=setup_id
        )
        assert found is not None and found.id is not None
        row = await repo.get_delivery(
            session=session, team_id=TEAM_ID, round_id=found.id, user_id=user_id
        )
    assert row is not None
    return str(row.state)


async def _default_id(runtime: Runtime) -> int:
    async with runtime.sessions() as session:
        found = await default_setup(session, TEAM_ID)
    assert found is not None
    return found.id


async def _pauses(runtime: Runtime) -> dict[tuple[str, int], object]:
    async with runtime.sessions() as session:
        return dict(await calendar_repo.pauses_by_setup(session=session, team_id=TEAM_ID))


async def _answer(
    slack: SlackSender, fake_slack: FakeSlack, view: dict[str, object], answers: dict[str, str]
) -> None:
    before = len(fake_slack.calls_to("response_url"))
    response = await slack.submit_view(view, answers, user_id=MEMBER_ID)
    assert response.status_code == 200 and response.text == ""
    await drain_background_tasks()
    await fake_slack.wait_for("response_url", before + 1)  # the confirmation


async def test_a_bare_checkin_opens_the_one_closing_first_and_names_the_other(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, stand_up: int
) -> None:
    sent = await send_prompts_at(runtime, fake_slack, MONDAY_NOON)
    assert sorted(sent) == sorted([ADMIN_ID, MEMBER_ID] * 2)
    assert prompt_value_of(fake_slack, MEMBER_ID, "*Daily stand-up* (Mon 30 Nov)")
    view = await open_modal(slack, fake_slack, "", MEMBER_ID)
    assert view["title"]["text"] == STAND_UP
    intro = view["blocks"][0]["text"]["text"]
    assert intro.startswith("*Daily stand-up · Mon 30 Nov.* Answer by the end of Mon 30 Nov.")
    assert "Also open for you: the check-in of the week of 30 Nov" in intro
    inputs = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    assert inputs == ["q:yesterday", "q:today"]
    await _answer(slack, fake_slack, view, {"q:yesterday": "Specs", "q:today": "Code"})
    weekly = await open_modal(slack, fake_slack, "", MEMBER_ID)  # the stand-up is answered
    assert weekly["title"]["text"] == "Check-in week of 30 Nov"


async def test_skip_acts_on_the_named_setup_or_on_the_one_checkin_opens(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, stand_up: int
) -> None:
    await send_prompts_at(runtime, fake_slack, MONDAY_NOON)
    weekly_id = await _default_id(runtime)
    answer = await checkin(slack, fake_slack, "skip Daily Stand-Up", MEMBER_ID)
    assert "Skipped *Daily stand-up* (Mon 30 Nov). No answer is expected from you." in answer
    assert "Your next check-in comes Tue 1 Dec, 10:00 (your time)." in answer
    assert await _state(runtime, stand_up, "2026-11-30", MEMBER_ID) == "skipped"
    assert await _state(runtime, weekly_id, "2026-W49", MEMBER_ID) == "sent"
    plain = await checkin(slack, fake_slack, "skip", MEMBER_ID)  # the weekly one is left
    assert "Skipped the check-in of the week of 30 Nov." in plain
    assert await _state(runtime, weekly_id, "2026-W49", MEMBER_ID) == "skipped"
    assert await _state(runtime, stand_up, "2026-11-30", ADMIN_ID) == "sent"
    first = await checkin(slack, fake_slack, "skip", ADMIN_ID)  # the stand-up closes first
    assert "Skipped *Daily stand-up* (Mon 30 Nov)" in first
    unknown = await checkin(slack, fake_slack, "skip Retro", MEMBER_ID)
    assert "There is no check-in called `Retro`. `/checkin setups` lists them." in unknown


async def test_pause_of_one_setup_keeps_the_others_coming(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, stand_up: int
) -> None:
    await send_prompts_at(runtime, fake_slack, MONDAY_NOON)
    answer = await checkin(slack, fake_slack, "pause Daily stand-up until 2026-12-02", MEMBER_ID)
    assert "Paused: no *Daily stand-up* check-ins up to and including Wed 2 Dec 2026." in answer
    assert "Your next check-in comes Thu 3 Dec, 10:00 (your time)." in answer
    assert "`/checkin resume Daily stand-up`" in answer
    assert await _pauses(runtime) == {(MEMBER_ID, stand_up): day("2026-12-02")}
    tuesday = await send_prompts_at(
        runtime, fake_slack, MONDAY_NOON + timedelta(hours=22, minutes=5)
    )
    assert tuesday == [ADMIN_ID]  # Tue 10:05: the member's stand-up is paused
    assert await _state(runtime, stand_up, "2026-12-01", MEMBER_ID) == "skipped"
    resumed = await checkin(slack, fake_slack, "resume daily stand-up", MEMBER_ID)
    assert "Welcome back: *Daily stand-up* check-ins are on again." in resumed
    assert "Your next check-in comes Wed 2 Dec, 10:00 (your time)." in resumed
    assert await _pauses(runtime) == {}
    wednesday = datetime(2026, 12, 2, 10, 5, tzinfo=UTC)
    assert sorted(await send_prompts_at(runtime, fake_slack, wednesday)) == [ADMIN_ID, MEMBER_ID]


async def test_pause_without_a_name_covers_every_setup_and_resume_of_one_says_so(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, stand_up: int
) -> None:
    runtime.clock = lambda: MONDAY_NOON
    answer = await checkin(slack, fake_slack, "pause until 2026-12-08", MEMBER_ID)
    assert "Paused: no check-ins up to and including Tue 8 Dec 2026." in answer
    assert "Your next check-in, *Daily stand-up*, comes Wed 9 Dec, 10:00 (your time)." in answer
    assert await _pauses(runtime) == {(MEMBER_ID, ALL_SETUPS): day("2026-12-08")}
    monday = datetime(2026, 12, 7, 10, 5, tzinfo=UTC)
    assert await send_prompts_at(runtime, fake_slack, monday) == [ADMIN_ID, ADMIN_ID]
    one = await checkin(slack, fake_slack, "resume Daily stand-up", MEMBER_ID)
    assert "You had not paused *Daily stand-up*; nothing changed." in one
    assert "Your pause of every check-in still runs up to and including Tue 8 Dec 2026" in one
    everything = await checkin(slack, fake_slack, "resume", MEMBER_ID)
    assert "Welcome back: your check-ins are on again." in everything
    assert await _pauses(runtime) == {}
    unknown = await checkin(slack, fake_slack, "pause Retro until 2026-12-08", MEMBER_ID)
    assert "There is no check-in called `Retro`." in unknown
    assert await _pauses(runtime) == {}


async def test_history_labels_each_answer_with_its_setup_or_shows_one_setup(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, stand_up: int
) -> None:
    await send_prompts_at(runtime, fake_slack, MONDAY_NOON)
    standup_view = await open_modal(slack, fake_slack, "", MEMBER_ID)
    await _answer(slack, fake_slack, standup_view, {"q:yesterday": "Specs", "q:today": "Code"})
    weekly_view = await open_modal(slack, fake_slack, "", MEMBER_ID)
    await _answer(
        slack, fake_slack, weekly_view, {"q:moved": "Shipped", "q:next": "Demos", "q:mood": "4"}
    )
    every = await checkin(slack, fake_slack, "history", MEMBER_ID)
    assert "*Daily stand-up · Mon 30 Nov*" in every
    assert "*Weekly check-in · week of 30 Nov*" in every
    assert "Specs" in every and "Shipped" in every
    one = await checkin(slack, fake_slack, "history daily stand-up", MEMBER_ID)
    assert "Your last check-ins: Daily stand-up" in one
    assert "Specs" in one and "Shipped" not in one
    none = await checkin(slack, fake_slack, "history Daily stand-up", ADMIN_ID)
    assert "You have not answered *Daily stand-up* yet." in none
    unknown = await checkin(slack, fake_slack, "history 10", MEMBER_ID)
    assert "There is no check-in called `10`. `/checkin setups` lists them." in unknown


async def test_status_of_a_stand_up_is_todays_round_in_the_viewers_zone(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, stand_up: int
) -> None:
    await add_members(
        runtime,
        MemberProfile(AUCKLAND_ADMIN, name="kiri", is_admin=True, tz="Pacific/Auckland"),
    )
    await send_prompts_at(runtime, fake_slack, MONDAY_NOON)  # 01:00 on Tuesday in Auckland
    view = await open_modal(slack, fake_slack, "", MEMBER_ID)
    await _answer(slack, fake_slack, view, {"q:yesterday": "Specs", "q:today": "Code"})
    here = await checkin(slack, fake_slack, "status Daily stand-up", ADMIN_ID)
    assert "Daily stand-up, Mon 30 Nov · everyone" in here
    assert "*1* answered" in here
    there = await checkin(slack, fake_slack, "status daily stand-up", AUCKLAND_ADMIN)
    assert "Daily stand-up, Tue 1 Dec · everyone" in there
    assert "*0* answered" in there
    weekly = await checkin(slack, fake_slack, "status", ADMIN_ID)
    assert "Check-in, week of 30 Nov · everyone" in weekly and "*0* answered" in weekly
    unknown = await checkin(slack, fake_slack, "status everyone", ADMIN_ID)
    assert "There is no check-in called `everyone`." in unknown
    refused = await checkin(slack, fake_slack, "status Daily stand-up", MEMBER_ID)
    assert "Only Northstar admins and team leads" in refused
