"""A setup's own channel: one thread per round with every answer (thread mode), or one
summary when the round has closed for everyone (summary mode), each exactly once; a channel
that refuses is recorded and its owner told once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.checkins.blocks.prompts import SKIP_ACTION
from bot.checkins.blocks.summary import build_round_summary
from bot.checkins.round_stats import QuestionStats, RoundStats
from bot.checkins.settings import CheckinSettings, Question, config_of
from bot.checkins.setups import save_settings, setup_by_name
from bot.checkins.sharing import ShareOutcome, share_answer
from bot.core.runtime import Runtime
from bot.slack.client import SingleWorkspaceClients, build_web_client
from fakeslack import Call, FakeSlack
from fakeslack.blockkit import validate_message
from scheduler.jobs import JobContext, run_job
from storage.db import create_engine, create_session_factory, transaction
from storage.models import CheckinThread
from storage.repositories.checkin_setups import insert_setup
from tests.checkins.answer_helpers import (
    add_people,
    open_modal,
    press,
    prompt_round,
    set_settings,
)
from tests.checkins.test_answers_sharing import confirmation_text, dms_to
from tests.conftest import drain_background_tasks, make_settings
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender

SETUP_CHANNEL = "C0STANDUP"
SETUP_NAME = "Daily stand-up & sync"
SHOWN_NAME = "Daily stand-up &amp; sync"
QUESTIONS = [
    Question(key="did", text="What did you get done?"),
    Question(key="hours", text="Hours on support", kind="number", required=False),
    Question(key="mood", text="Your day, from 1 to 5", kind="mood", required=False),
]
ANSWERS: dict[str, str | None] = {"q:did": "Shipped <!here> & fixed", "q:hours": "3", "q:mood": "4"}


def stand_up(mode: str = "thread") -> CheckinSettings:
    """Mon-Fri at 09:00, answers until the end of the day, in #standup."""
    return CheckinSettings.model_validate(
        {
            "days": [0, 1, 2, 3, 4],
            "window_days": 0,
            "questions": [q.model_dump() for q in QUESTIONS],
            "channel_id": SETUP_CHANNEL,
            "channel_mode": mode,
        }
    )


async def add_setup(runtime: Runtime, settings: CheckinSettings) -> None:
    """The stand-up, created by the member (a lead, not an admin); the default is off."""
    await set_settings(runtime, CheckinSettings(enabled=False))
    async with transaction(runtime.sessions) as session:
        added = await insert_setup(
            session=session,
            team_id=TEAM_ID,
            name=SETUP_NAME,
            config=config_of(settings),
            created_by=MEMBER_ID,
        )
    assert added is not None


def stand_up_value(fake_slack: FakeSlack, user_id: str, day_label: str) -> str:
    """The button value of the stand-up prompt of ``day_label`` ("Mon 30 Nov")."""
    for call in reversed(fake_slack.calls_to("chat.postMessage")):
        text = call.args["text"]
        prompt = f"It's time for *{SHOWN_NAME}* ({day_label})"
        if call.args["channel"] == user_id and prompt in text:
            return str(call.args["blocks"][1]["elements"][0]["value"])
    raise AssertionError(f"no stand-up prompt of {day_label} was sent to {user_id}")


async def answer_stand_up(
    slack: SlackSender, fake_slack: FakeSlack, user_id: str, day_label: str = "Mon 30 Nov"
) -> str:
    """Answer through the DM's button and the modal; the confirmation the person got."""
    view = await open_modal(
        slack, fake_slack, stand_up_value(fake_slack, user_id, day_label), user_id=user_id
    )
    response = await slack.submit_view(view, ANSWERS, user_id=user_id)
    assert response.status_code == 200 and response.text == ""
    return await confirmation_text(fake_slack, view)


def in_channel(fake_slack: FakeSlack, channel: str = SETUP_CHANNEL) -> list[Call]:
    return [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == channel]


def parents(fake_slack: FakeSlack) -> list[Call]:
    return [c for c in in_channel(fake_slack) if not c.args.get("thread_ts")]


def replies(fake_slack: FakeSlack) -> list[Call]:
    return [c for c in in_channel(fake_slack) if c.args.get("thread_ts")]


def posted_parent_ts(fake_slack: FakeSlack) -> list[str]:
    return [
        ts
        for (channel, ts), message in fake_slack.messages.items()
        if channel == SETUP_CHANNEL and not message.get("thread_ts")
    ]


async def thread_rows(runtime: Runtime) -> list[CheckinThread]:
    async with runtime.sessions() as session:
        return list((await session.exec(select(CheckinThread))).all())


@pytest.fixture
async def prompted(runtime: Runtime, fake_slack: FakeSlack) -> None:
    """The stand-up in thread mode; Monday's prompts sent to both people."""
    await add_people(runtime)
    await add_setup(runtime, stand_up())
    await prompt_round(runtime, fake_slack)


# --- thread mode --------------------------------------------------------------------------------


@pytest.mark.usefixtures("prompted")
async def test_a_round_has_one_thread_in_the_setup_channel_with_every_answer(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    told = await answer_stand_up(slack, fake_slack, MEMBER_ID)
    assert f"<#{SETUP_CHANNEL}>" in told and "could not be posted" not in told
    prompt = next(
        call
        for call in fake_slack.calls_to("chat.postMessage")
        if call.args["channel"] == MEMBER_ID and "Answer by" in str(call.args["text"])
    )
    assert f"Your answers are posted in <#{SETUP_CHANNEL}>" in str(prompt.args["blocks"])
    await answer_stand_up(slack, fake_slack, ADMIN_ID)
    await answer_stand_up(slack, fake_slack, MEMBER_ID)  # an edit: posted again, as updated
    [parent] = parents(fake_slack)
    assert parent.args["text"] == f"*{SHOWN_NAME}* · Mon 30 Nov — answers in the thread"
    [ts] = posted_parent_ts(fake_slack)
    first, second, edited = replies(fake_slack)
    assert {call.args["thread_ts"] for call in (first, second, edited)} == {ts}
    assert first.args["text"] == f"Max Member's {SHOWN_NAME} answer, Mon 30 Nov"
    shown = str(first.args["blocks"])
    assert "Shipped &lt;!here&gt; &amp; fixed" in shown and "<!here>" not in shown
    assert "*Ada Admin*" in str(second.args["blocks"])
    assert "updated answers" in str(edited.args["blocks"])
    [row] = await thread_rows(runtime)
    assert (row.channel_id, row.thread_ts, row.error, row.summary_ts) == (
        SETUP_CHANNEL,
        ts,
        "",
        None,
    )
    # Tuesday is a round of its own: a thread of its own.
    await prompt_round(runtime, fake_slack, date(2026, 12, 1))
    await answer_stand_up(slack, fake_slack, MEMBER_ID, "Tue 1 Dec")
    assert len(parents(fake_slack)) == 2
    assert "Tue 1 Dec" in parents(fake_slack)[1].args["text"]
    assert replies(fake_slack)[-1].args["thread_ts"] != ts


@pytest.fixture
async def second_process(database_url: str, fake_slack: FakeSlack) -> AsyncIterator[Runtime]:
    """Another Northstar process: its own engine and connections on the same database."""
    engine: AsyncEngine = create_engine(database_url)
    settings = make_settings(database_url=database_url, api_url=fake_slack.api_url)
    yield Runtime(settings=settings, engine=engine, sessions=create_session_factory(engine))
    await engine.dispose()


async def move_setup_to(runtime: Runtime, settings: CheckinSettings) -> None:
    async with transaction(runtime.sessions) as session:
        setup = await setup_by_name(session, TEAM_ID, SETUP_NAME)
        assert setup is not None
        await save_settings(session, TEAM_ID, setup.id, settings)


async def test_two_processes_sharing_at_once_still_make_one_parent(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, second_process: Runtime
) -> None:
    """Both answers are saved before the setup gets its channel; then two processes post them
    at the same moment, each with its own connections: one parent, both replies in it."""
    await add_people(runtime)
    await add_setup(runtime, stand_up().model_copy(update={"channel_id": None}))
    await prompt_round(runtime, fake_slack)
    for user in (ADMIN_ID, MEMBER_ID):
        await answer_stand_up(slack, fake_slack, user)
    assert in_channel(fake_slack) == []
    await move_setup_to(runtime, stand_up())
    second_process.clock = runtime.clock
    fake_slack.latency = 0.05  # the first parent is still on its way when the other looks
    client = build_web_client(token="xoxb-test-token", base_url=fake_slack.api_url)
    outcomes = await asyncio.gather(
        *(
            share_answer(
                runtime=process,
                client=client,
                team_id=TEAM_ID,
                delivery_id=int(stand_up_value(fake_slack, user, "Mon 30 Nov")),
                updated=False,
            )
            for process, user in ((runtime, ADMIN_ID), (second_process, MEMBER_ID))
        )
    )
    assert outcomes == [[ShareOutcome(SETUP_CHANNEL, True)]] * 2
    assert len(parents(fake_slack)) == 1
    [ts] = posted_parent_ts(fake_slack)
    thread = replies(fake_slack)
    assert len(thread) == 2 and {call.args["thread_ts"] for call in thread} == {ts}


@pytest.mark.usefixtures("prompted")
async def test_a_channel_northstar_is_not_in_is_recorded_and_its_owner_told_once(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fake_slack.inject("chat.postMessage", error="not_in_channel")  # the parent
    told = await answer_stand_up(slack, fake_slack, ADMIN_ID)
    assert f"It is saved, but could not be posted in <#{SETUP_CHANNEL}>." in told
    [row] = await thread_rows(runtime)
    assert (row.thread_ts, row.error) == (None, "not_in_channel")
    fake_slack.inject("chat.postMessage", error="not_in_channel")  # the parent, tried again
    await answer_stand_up(slack, fake_slack, MEMBER_ID)
    # The member created the setup: the member hears it, once; the admin does not.
    [notice] = dms_to(fake_slack, MEMBER_ID, "could not post")
    assert SHOWN_NAME in notice.args["text"] and "/invite @Northstar" in notice.args["text"]
    assert "not_in_channel" in notice.args["text"]
    assert dms_to(fake_slack, ADMIN_ID, "could not post") == []
    assert [call.injected for call in in_channel(fake_slack)] == [True, True]
    # Northstar was invited: the next answer starts the thread, and a later refusal is news.
    await answer_stand_up(slack, fake_slack, ADMIN_ID)
    assert len(parents(fake_slack)) == 3 and len(replies(fake_slack)) == 1
    [row] = await thread_rows(runtime)
    assert row.thread_ts and row.error == ""
    fake_slack.inject("chat.postMessage", error="not_in_channel")  # a reply this time
    await answer_stand_up(slack, fake_slack, MEMBER_ID)
    assert len(dms_to(fake_slack, MEMBER_ID, "could not post")) == 2
    [row] = await thread_rows(runtime)
    assert row.error == "not_in_channel"


# --- summary mode -------------------------------------------------------------------------------


def job_context(runtime: Runtime, fake_slack: FakeSlack) -> JobContext:
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    return JobContext(runtime, SingleWorkspaceClients(client))


async def run_summaries(runtime: Runtime, fake_slack: FakeSlack, at: datetime) -> None:
    runtime.clock = lambda: at
    [outcome] = await run_job("checkin-summaries", job_context(runtime, fake_slack))
    assert not outcome.failed, outcome.detail


async def test_summary_mode_posts_one_summary_once_the_round_has_closed(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    await add_setup(runtime, stand_up("summary"))
    await prompt_round(runtime, fake_slack)
    told = await answer_stand_up(slack, fake_slack, MEMBER_ID)
    assert SETUP_CHANNEL not in told
    skip_value = stand_up_value(fake_slack, ADMIN_ID, "Mon 30 Nov")
    response, _ = await press(slack, SKIP_ACTION, skip_value, user_id=ADMIN_ID)
    assert response.status_code == 200
    await drain_background_tasks()
    assert in_channel(fake_slack) == []  # nothing per answer
    await run_summaries(runtime, fake_slack, datetime(2026, 11, 30, 23, 55, tzinfo=UTC))
    assert in_channel(fake_slack) == []  # the window is still open
    closed = datetime(2026, 12, 1, 0, 5, tzinfo=UTC)
    await asyncio.gather(*(run_summaries(runtime, fake_slack, closed) for _ in range(2)))
    await run_summaries(runtime, fake_slack, datetime(2026, 12, 1, 1, 0, tzinfo=UTC))
    [summary] = in_channel(fake_slack)
    shown = summary.args["text"] + str(summary.args["blocks"])
    assert f"*{SHOWN_NAME}* · Mon 30 Nov — summary" in shown
    assert "*1 of 2* answered · 1 skipped" in shown and "did not answer" not in shown
    assert "*Your day, from 1 to 5* average 4 of 5 (1 answer)" in shown
    assert "*Hours on support* total 3, average 3 (1 answer)" in shown
    assert "*What did you get done?* 1 answer" in shown
    assert "Shipped" not in shown and "Max" not in shown and "Ada" not in shown
    [row] = await thread_rows(runtime)
    assert row.summary_ts and row.summary_ts[0].isdigit() and row.thread_ts is None


async def test_a_summary_the_channel_refused_is_reported_once_and_tried_again(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    await add_setup(runtime, stand_up("summary"))
    await prompt_round(runtime, fake_slack)
    fake_slack.inject("chat.postMessage", error="channel_not_found")
    await run_summaries(runtime, fake_slack, datetime(2026, 12, 1, 0, 5, tzinfo=UTC))
    [row] = await thread_rows(runtime)
    assert row.error == "channel_not_found" and not (row.summary_ts or "")[:1].isdigit()
    [notice] = dms_to(fake_slack, MEMBER_ID, "could not post the summary")
    assert "archived or gone" in notice.args["text"]
    await run_summaries(runtime, fake_slack, datetime(2026, 12, 1, 0, 10, tzinfo=UTC))
    assert len(in_channel(fake_slack)) == 1  # not before the claim is old enough
    await run_summaries(runtime, fake_slack, datetime(2026, 12, 1, 0, 30, tzinfo=UTC))
    [_, summary] = in_channel(fake_slack)
    assert "*0 of 2* answered · 2 did not answer" in str(summary.args["blocks"])
    assert "Nobody answered" in str(summary.args["blocks"])
    assert len(dms_to(fake_slack, MEMBER_ID, "could not post")) == 1


def test_a_summary_of_eight_long_questions_keeps_within_slacks_limits() -> None:
    questions = [
        QuestionStats(
            Question(key=f"q{n}", text="<&>" * 50, kind=kind),
            answered=12_345,
            total=123_456_789.5 if kind == "number" else None,
            average=3.25 if kind != "text" else None,
        )
        for n, kind in enumerate(["text", "number", "mood"] * 2 + ["text", "number"])
    ]
    stats = RoundStats(invited=20_000, answered=12_345, skipped=7, questions=questions)
    message = build_round_summary(setup_name="<&>" * 26, period="2026-W49", stats=stats)
    assert validate_message(dict(message)) == []
    shown = str(message["blocks"])
    assert "&lt;&amp;&gt;" in shown and "<&>" not in shown
    assert "*12,345 of 20,000* answered · 7 skipped" in shown and "average 3.2 of 5" in shown
    assert "total 123,456,789.5, average 3.2" in shown
