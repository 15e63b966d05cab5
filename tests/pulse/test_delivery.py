"""The surveys job: surveys open, each invitation is sent exactly once (across runs, with rate
limits and people Slack cannot reach), and the DM says what it should."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.runtime import Runtime
from bot.pulse.delivery import ANSWER_ACTION
from bot.pulse.lifecycle import create_survey
from bot.pulse.questions import BANK, Question, SurveyDraft, custom_question
from bot.pulse.surveys import survey_counts
from bot.slack.client import SingleWorkspaceClients, build_web_client
from fakeslack import FakeSlack
from scheduler.jobs import JobContext, run_job
from storage.db import transaction
from storage.models import Survey
from storage.repositories.members import MemberProfile
from tests.factories import add_members
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
CLOSES = NOW + timedelta(days=5)  # Sat 7 Mar, 10:00 in Berlin
OTHERS = tuple(f"UPEOPLE{number:02d}" for number in range(1, 9))
COMMENT = custom_question(7, kind="text", text="Anything else?", required=False)
CHOICE = custom_question(8, kind="choice", text="Best day for all-hands?", options=("Mon", "Fri"))
QUESTIONS: tuple[Question, ...] = (BANK[0], BANK[5], CHOICE, COMMENT)


def set_clock(runtime: Runtime, now: datetime) -> datetime:
    runtime.clock = lambda: now
    return now


async def add_people(runtime: Runtime) -> None:
    await add_members(
        runtime,
        MemberProfile(user_id=ADMIN_ID, real_name="Ada Admin", is_admin=True, tz="UTC"),
        MemberProfile(user_id=MEMBER_ID, real_name="Max Member", tz="Europe/Berlin"),
        *(MemberProfile(user_id=user, tz="Europe/Berlin") for user in OTHERS),
    )


async def add_bystanders(runtime: Runtime) -> None:
    """The eight OTHERS as plain members, so that a survey for everyone has enough people
    besides its creator (twice its threshold) in a workspace built for something else."""
    await add_members(
        runtime, *(MemberProfile(user_id=user, tz="Europe/Berlin") for user in OTHERS)
    )


async def schedule_survey(
    runtime: Runtime, questions: tuple[Question, ...] = QUESTIONS, min_responses: int = 3
) -> Survey:
    draft = SurveyDraft(
        title="Alignment pulse",
        questions=questions,
        opens_at=NOW,
        closes_at=CLOSES,
        min_responses=min_responses,
    )
    async with transaction(runtime.sessions) as session:
        return await create_survey(
            session=session, team_id=TEAM_ID, actor=ADMIN_ID, draft=draft, now=NOW - timedelta(1)
        )


def job_context(runtime: Runtime, fake_slack: FakeSlack) -> JobContext:
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    return JobContext(runtime, SingleWorkspaceClients(client))


def recipients(fake_slack: FakeSlack) -> list[str]:
    return [
        str(call.args["channel"])
        for call in fake_slack.calls_to("chat.postMessage")
        if not call.injected
    ]


def invitation_to(fake_slack: FakeSlack, user_id: str) -> dict[str, object]:
    [call] = [
        c
        for c in fake_slack.calls_to("chat.postMessage")
        if c.args["channel"] == user_id and not c.injected
    ]
    return dict(call.args)


async def test_the_job_opens_the_survey_and_invites_everyone_once_across_runs(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await add_people(runtime)
    survey = await schedule_survey(runtime)
    set_clock(runtime, NOW - timedelta(minutes=5))
    context = job_context(runtime, fake_slack)
    [early] = await run_job("surveys", context)
    assert early.status == "done" and early.detail == "nothing due"
    set_clock(runtime, NOW)
    [first] = await run_job("surveys", context)
    assert first.status == "done"
    assert first.detail == f"opened P-{survey.number}; 10 sent"
    set_clock(runtime, NOW + timedelta(minutes=5))
    [second] = await run_job("surveys", context)
    assert second.detail == "nothing due"
    assert sorted(recipients(fake_slack)) == sorted([ADMIN_ID, MEMBER_ID, *OTHERS])
    assert survey.id is not None
    async with runtime.sessions() as session:
        counts = await survey_counts(session=session, team_id=TEAM_ID, survey_id=survey.id)
    assert (counts.invited, counts.sent, counts.pending, counts.answered) == (10, 10, 0, 0)


async def test_the_invitation_names_the_survey_its_local_closing_time_and_has_an_answer_button(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await add_people(runtime)
    survey = await schedule_survey(runtime)
    set_clock(runtime, NOW)
    await run_job("surveys", job_context(runtime, fake_slack))
    message = invitation_to(fake_slack, MEMBER_ID)
    assert message["text"] == (
        "New pulse survey: *Alignment pulse* — anonymous, closes Sat 7 Mar, 10:00."
    )
    blocks = message["blocks"]
    assert isinstance(blocks, list)
    [button] = blocks[1]["elements"]
    assert (button["action_id"], button["value"]) == (ANSWER_ACTION, str(survey.id))
    assert button["text"]["text"] == "Answer"
    assert "anonymous" in blocks[0]["text"]["text"]
    assert "closes Sat 7 Mar, 09:00" in str(invitation_to(fake_slack, ADMIN_ID)["text"])


async def test_rate_limits_and_unreachable_people_end_with_everyone_else_invited_once(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await add_people(runtime)
    survey = await schedule_survey(runtime)
    assert survey.id is not None
    fake_slack.channel_errors.update({OTHERS[2]: "account_inactive"})
    fake_slack.inject("chat.postMessage", status=429, retry_after=0, times=5)
    fake_slack.inject("chat.postMessage", status=500, times=2)
    context = job_context(runtime, fake_slack)
    set_clock(runtime, NOW)
    await run_job("surveys", context)
    set_clock(runtime, NOW + timedelta(minutes=5))
    await run_job("surveys", context)
    set_clock(runtime, NOW + timedelta(minutes=10))
    [last] = await run_job("surveys", context)
    assert last.detail == "nothing due"
    delivered = [user for user in recipients(fake_slack) if user != OTHERS[2]]
    assert sorted(delivered) == sorted({ADMIN_ID, MEMBER_ID, *OTHERS} - {OTHERS[2]})
    async with runtime.sessions() as session:
        counts = await survey_counts(session=session, team_id=TEAM_ID, survey_id=survey.id)
    assert (counts.sent, counts.failed, counts.pending) == (9, 1, 0)


async def test_a_transient_slack_error_leaves_the_invitation_for_the_next_run(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await add_people(runtime)
    survey = await schedule_survey(runtime)
    assert survey.id is not None
    fake_slack.inject("chat.postMessage", error="internal_error")
    context = job_context(runtime, fake_slack)
    set_clock(runtime, NOW)
    [first] = await run_job("surveys", context)
    assert "9 sent" in first.detail and "1 retry later" in first.detail
    set_clock(runtime, NOW + timedelta(minutes=5))
    [second] = await run_job("surveys", context)
    assert second.detail == "1 sent"
    # everyone once; the one refused call was tried again
    assert sorted(recipients(fake_slack)) == sorted([ADMIN_ID, MEMBER_ID, *OTHERS])
    async with runtime.sessions() as session:
        counts = await survey_counts(session=session, team_id=TEAM_ID, survey_id=survey.id)
    assert (counts.sent, counts.pending) == (10, 0)


async def test_a_survey_that_closed_sends_nothing_more(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await add_people(runtime)
    survey = await schedule_survey(runtime)
    set_clock(runtime, CLOSES)
    [outcome] = await run_job("surveys", job_context(runtime, fake_slack))
    assert outcome.detail == f"closed P-{survey.number}; nothing due"
    assert recipients(fake_slack) == []
