"""``/checkin workweek`` through the real app: anyone sees it, admins change it, and a change
moves the invitations not sent yet of every setup's open rounds."""

from __future__ import annotations

from datetime import UTC, datetime, time

from bot.checkins.rounds import open_rounds
from bot.checkins.settings import CheckinSettings
from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.models import CheckinRound
from storage.repositories import checkins as repo
from tests.checkins.answer_helpers import add_setup, set_settings
from tests.checkins.command_helpers import add_people, checkin, invitation
from tests.factories import workspace_row
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender

MONDAY_NOON = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


async def _round(runtime: Runtime, period: str, setup_id: int | None = None) -> CheckinRound:
    async with runtime.sessions() as session:
        found = await repo.get_round(
            session=session, team_id=TEAM_ID, week=period, setup_id=setup_id
        )
    assert found is not None
    return found


async def test_everyone_sees_the_work_week_and_only_admins_change_it(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    shown = await checkin(slack, fake_slack, "workweek", MEMBER_ID)
    assert "The work week is Mon, Tue, Wed, Thu, Fri." in shown
    assert "Change it with" not in shown
    refused = await checkin(slack, fake_slack, "workweek sun-thu", MEMBER_ID)
    assert "Only Northstar admins can change the work week" in refused
    workspace = await workspace_row(runtime)
    assert workspace is not None and "work_week" not in (workspace.settings or {})
    admin_view = await checkin(slack, fake_slack, "workweek", ADMIN_ID)
    assert "`/checkin workweek sun-thu`" in admin_view
    bad = await checkin(slack, fake_slack, "workweek someday", ADMIN_ID)
    assert "`someday` is not a day" in bad


async def test_a_sunday_to_thursday_week_moves_a_weekly_prompt_off_friday(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    """Thursdays' check-in, Thursday 3 Dec a holiday: its prompt fell on Friday; with a
    Sunday-Thursday week it goes out on Sunday 6 Dec instead. A stand-up's own days stay."""
    await add_people(runtime)
    runtime.clock = lambda: MONDAY_NOON
    await set_settings(runtime, CheckinSettings(days=[3], local_time=time(9, 0)))
    stand_up = await add_setup(
        runtime, "Daily stand-up", CheckinSettings(days=[0, 1, 2, 3, 4], window_days=0)
    )
    assert "Holiday added" in await checkin(slack, fake_slack, "holidays add 2026-12-03")
    await open_rounds(runtime=runtime, team_id=TEAM_ID, now=MONDAY_NOON)
    weekly = await _round(runtime, "2026-W49")
    before = await invitation(runtime, weekly, MEMBER_ID)
    assert before.prompt_at == datetime(2026, 12, 4, 9, 0, tzinfo=UTC)  # Friday
    answer = await checkin(slack, fake_slack, "workweek sun-thu", ADMIN_ID)
    assert "The work week is now Mon, Tue, Wed, Thu, Sun (it was Mon, Tue, Wed, Thu, Fri)." in (
        answer
    )
    assert "not sent yet moved to the new working days" in answer
    workspace = await workspace_row(runtime)
    assert workspace is not None and workspace.settings["work_week"] == [0, 1, 2, 3, 6]
    for user_id in (ADMIN_ID, MEMBER_ID):
        moved = await invitation(runtime, weekly, user_id)
        assert moved.prompt_at == datetime(2026, 12, 6, 9, 0, tzinfo=UTC)  # Sunday
        assert moved.state == "pending"
    standup_tuesday = await _round(runtime, "2026-12-01", stand_up)
    kept = await invitation(runtime, standup_tuesday, MEMBER_ID)
    assert kept.prompt_at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    again = await checkin(slack, fake_slack, "workweek sun,mon,tue,wed,thu", ADMIN_ID)
    assert "already was Mon, Tue, Wed, Thu, Sun; nothing changed" in again
