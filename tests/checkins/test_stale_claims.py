"""A fan-out batch is read once and sent for minutes: what changed meanwhile must win.

Each test lists a batch the way ``_in_batches`` does (the finder, then the run's context),
changes the rows through the real paths (the settings modal saved by the admin, the snooze
of a reminder), and only then sends the batch as the run would (prompts claimed a group at
a time, reminders one by one) against the fake Slack. The claim must refuse a row that is no
longer due, and a row it wins is sent as it stands now.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from bot.checkins.blocks.settings_modal import Field
from bot.checkins.rounds import (
    _deliver_reminder,
    open_rounds,
    prompt_steps,
    send_due_prompts,
    send_due_reminders,
)
from bot.checkins.run_context import RunContext, read_run_context
from bot.checkins.snooze import Snooze, snooze_reminder
from bot.core.runtime import Runtime
from bot.slack.client import build_web_client
from bot.slack.fanout import TAKEN, FanOutReport, fan_out
from bot.slack.fanout_groups import fan_out_groups
from fakeslack import FakeSlack
from storage.models import CheckinDelivery
from storage.repositories import checkins as repo
from storage.repositories.checkin_claims import DueInvitation, due_deliveries
from tests.checkins.command_helpers import (
    add_people,
    invitation,
    open_modal,
    open_week,
    option_value,
    submit_settings,
)
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender

MONDAY_NOON = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # W49 prompts went out at 09:00 UTC
TUESDAY_NINE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # halfway: the reminders are due
WEDNESDAY_1430 = datetime(2026, 12, 2, 14, 30, tzinfo=UTC)
OLD_DEADLINE = "by the end of Tue 1 Dec"

R = TypeVar("R", CheckinDelivery, DueInvitation)
Step = Callable[[CheckinDelivery, RunContext], Awaitable[str]]


def at(runtime: Runtime, moment: datetime) -> datetime:
    runtime.clock = lambda: moment
    return moment


def client_for(fake_slack: FakeSlack) -> Any:
    return build_web_client(token="xoxb-test", base_url=fake_slack.api_url)


async def list_batch(
    runtime: Runtime, find: Callable[..., Awaitable[list[R]]], now: datetime
) -> tuple[list[R], RunContext]:
    """What a fan-out run reads at ``now`` before it sends anything."""
    async with runtime.sessions() as session:
        due = await find(session=session, team_id=TEAM_ID, now=now)
        return due, await read_run_context(session, TEAM_ID, due)


async def send_batch(batch: tuple[list[CheckinDelivery], RunContext], step: Step) -> FanOutReport:
    """The listed batch's sending, as ``_in_batches`` runs it: each row through ``step``."""
    rows, context = batch
    return await fan_out(rows, lambda row: step(row, context))


async def send_prompts(
    runtime: Runtime, fake_slack: FakeSlack, batch: tuple[list[DueInvitation], RunContext]
) -> FanOutReport:
    """The listed prompts' sending, as ``send_due_prompts`` runs it, at the run's time."""
    rows, context = batch
    now = runtime.clock()
    steps = prompt_steps(runtime, TEAM_ID, now, context)
    return await fan_out_groups(client_for(fake_slack), rows, steps)


async def save_settings(
    runtime: Runtime, slack: SlackSender, fake_slack: FakeSlack, answers: dict[str, Any]
) -> None:
    """The admin saves the check-in settings modal through the real app, at the clock's time."""
    view = await open_modal(slack, fake_slack, "settings")
    before = len(fake_slack.calls_to("response_url"))
    filled: dict[str, Any] = {
        Field(key): [option_value(view, key, value)] if key == Field.DAYS else value
        for key, value in answers.items()
    }
    response = await submit_settings(slack, view, filled)
    assert response.status_code == 200 and response.text == "", response.text
    await fake_slack.wait_for("response_url", before + 1)


def dms(fake_slack: FakeSlack, marker: str) -> list[tuple[str, str]]:
    """(recipient, text) of every DM whose text holds ``marker``, in order."""
    return [
        (str(call.args["channel"]), str(call.args["text"]))
        for call in fake_slack.calls_to("chat.postMessage")
        if marker in str(call.args["text"])
    ]


async def run_jobs(runtime: Runtime, fake_slack: FakeSlack, moment: datetime) -> None:
    """The ``checkins`` and ``reminders`` jobs at ``moment``."""
    now = at(runtime, moment)
    client = client_for(fake_slack)
    await open_rounds(runtime=runtime, team_id=TEAM_ID, now=now)
    await send_due_prompts(runtime=runtime, client=client, team_id=TEAM_ID, now=now)
    await send_due_reminders(runtime=runtime, client=client, team_id=TEAM_ID, now=now)


async def test_prompts_moved_later_mid_run_are_not_sent_by_the_stale_batch(
    runtime: Runtime, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    await add_people(runtime)
    now = at(runtime, MONDAY_NOON)
    round_ = await open_week(runtime, now)
    batch = await list_batch(runtime, due_deliveries, now)
    assert sorted(row.user_id for row in batch[0]) == [ADMIN_ID, MEMBER_ID]
    await save_settings(
        runtime,
        slack,
        fake_slack,
        {
            Field.DAYS: "Wednesday",
            Field.TIME: "14:30",
            Field.QUESTIONS: "What did you ship?",
            Field.EXTRAS: [],
        },
    )
    report = await send_prompts(runtime, fake_slack, batch)
    assert report.outcomes == {TAKEN: 2}
    assert dms(fake_slack, "check-in time") == []
    for user in (ADMIN_ID, MEMBER_ID):
        row = await invitation(runtime, round_, user)
        assert (row.state, row.prompt_at, row.claimed_at) == ("pending", WEDNESDAY_1430, None)

    for minute in (29, 30, 35):  # nothing early; at the new time exactly one each
        await run_jobs(runtime, fake_slack, WEDNESDAY_1430.replace(minute=minute))
        assert len(dms(fake_slack, "check-in time")) == (0 if minute < 30 else 2)
    sent = dms(fake_slack, "check-in time")
    assert sorted(user for user, _ in sent) == [ADMIN_ID, MEMBER_ID]
    for _, text in sent:
        assert "1 short question " in text and "by the end of Thu 3 Dec" in text
        assert OLD_DEADLINE not in text


async def test_a_prompt_still_due_is_sent_with_the_deadline_and_questions_saved_mid_run(
    runtime: Runtime, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    await add_people(runtime)
    now = at(runtime, MONDAY_NOON)
    round_ = await open_week(runtime, now)
    batch = await list_batch(runtime, due_deliveries, now)
    assert len(batch[0]) == 2  # listed: who and when, not the deadline, read at the claim
    assert (await invitation(runtime, round_, MEMBER_ID)).closes_at.day == 2  # when listed
    # Still Mondays at 09:00, so still due now; answers now taken until Thursday's end.
    await save_settings(
        runtime,
        slack,
        fake_slack,
        {
            Field.WINDOW: "3",
            Field.QUESTIONS: "What did you ship?\nWhat is next?",
            Field.EXTRAS: [],
        },
    )
    report = await send_prompts(runtime, fake_slack, batch)
    assert report.outcomes == {"sent": 2}
    sent = dms(fake_slack, "check-in time")
    assert sorted(user for user, _ in sent) == [ADMIN_ID, MEMBER_ID]
    for _, text in sent:
        assert "2 short questions " in text and "by the end of Thu 3 Dec" in text
        assert OLD_DEADLINE not in text
    row = await invitation(runtime, round_, MEMBER_ID)
    assert (row.state, row.sent_at) == ("sent", now)
    await run_jobs(runtime, fake_slack, now.replace(minute=5))
    assert len(dms(fake_slack, "check-in time")) == 2


async def test_a_reminder_snoozed_after_the_run_listed_it_waits_for_its_new_time(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await add_people(runtime)
    await run_jobs(runtime, fake_slack, MONDAY_NOON)
    assert len(dms(fake_slack, "check-in time")) == 2
    now = at(runtime, TUESDAY_NINE)
    batch = await list_batch(runtime, repo.reminders_due, now)
    assert sorted(row.user_id for row in batch[0]) == [ADMIN_ID, MEMBER_ID]
    member_row = next(row for row in batch[0] if row.user_id == MEMBER_ID)
    snoozed = await snooze_reminder(
        runtime=runtime,
        team_id=TEAM_ID,
        user_id=MEMBER_ID,
        delivery_id=member_row.id,
        snooze=Snooze.HOUR,
    )
    assert "Snoozed: the reminder comes again Tue 1 Dec, 10:00" in snoozed
    client = client_for(fake_slack)
    report = await send_batch(
        batch, lambda row, context: _deliver_reminder(runtime, client, row, now, context)
    )
    assert report.outcomes == {"reminded": 1, TAKEN: 1}  # the admin's was not snoozed
    assert [user for user, _ in dms(fake_slack, "A reminder")] == [ADMIN_ID]
    async with runtime.sessions() as session:
        fresh = await repo.get_delivery_by_id(
            session=session, team_id=TEAM_ID, delivery_id=member_row.id or 0
        )
    assert fresh is not None and fresh.reminded_at is None
    assert fresh.remind_at == TUESDAY_NINE.replace(hour=10)

    await run_jobs(runtime, fake_slack, TUESDAY_NINE.replace(minute=59))
    assert [user for user, _ in dms(fake_slack, "A reminder")] == [ADMIN_ID]
    for minute in (0, 5):  # at the snoozed time, and a run later: once
        await run_jobs(runtime, fake_slack, TUESDAY_NINE.replace(hour=10, minute=minute))
        assert [user for user, _ in dms(fake_slack, "A reminder")] == [ADMIN_ID, MEMBER_ID]
    reminders = dms(fake_slack, "A reminder")
    assert OLD_DEADLINE in reminders[1][1]  # a sent check-in keeps its deadline
