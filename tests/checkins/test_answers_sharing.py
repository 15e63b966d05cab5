"""Answers shared in each team's weekly thread: one parent per week and team, replies in it,
text shown as typed, and a channel Northstar cannot post in reported once to the lead."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from bot.checkins.settings import CheckinSettings, config_of
from bot.checkins.sharing import ShareOutcome, share_answer
from bot.core.runtime import Runtime
from bot.slack.client import build_web_client
from fakeslack import Call, FakeSlack
from storage.db import transaction
from storage.repositories.checkin_setups import insert_setup
from tests.checkins.answer_helpers import (
    GOOD_ANSWERS,
    SALES_CHANNEL,
    add_people,
    add_sales_team,
    answers,
    open_modal,
    prompt_round,
    prompt_value,
    reply_through,
    set_settings,
    shares,
)
from tests.conftest import drain_background_tasks
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender

W49 = "2026-W49"


@pytest.fixture
async def values(runtime: Runtime, fake_slack: FakeSlack) -> dict[str, str]:
    """Sharing on, Sales (#sales, led by the admin) with both people; W49 prompts sent. The
    button value of each person's prompt."""
    await add_people(runtime)
    await add_sales_team(runtime)
    await set_settings(runtime, CheckinSettings(share_in_team_channels=True))
    await prompt_round(runtime, fake_slack)
    return {user: prompt_value(fake_slack, user, W49) for user in (ADMIN_ID, MEMBER_ID)}


def in_channel(fake_slack: FakeSlack) -> list[Call]:
    return [
        c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == SALES_CHANNEL
    ]


def parents(fake_slack: FakeSlack) -> list[Call]:
    return [c for c in in_channel(fake_slack) if not c.args.get("thread_ts")]


def replies(fake_slack: FakeSlack) -> list[Call]:
    return [c for c in in_channel(fake_slack) if c.args.get("thread_ts")]


def parent_ts(fake_slack: FakeSlack) -> str:
    """The ts Slack gave the one parent message in the team channel."""
    [ts] = [
        ts
        for (channel, ts), message in fake_slack.messages.items()
        if channel == SALES_CHANNEL and not message.get("thread_ts")
    ]
    return ts


def dms_to(fake_slack: FakeSlack, user_id: str, words: str) -> list[Call]:
    return [
        call
        for call in fake_slack.calls_to("chat.postMessage")
        if call.args["channel"] == user_id and words in call.args["text"]
    ]


async def answer(
    slack: SlackSender,
    fake_slack: FakeSlack,
    value: str,
    user_id: str,
    answers_given: dict[str, str | None] | None = None,
) -> dict[str, Any]:
    """Open the modal from the DM and send it; returns the view."""
    view = await open_modal(slack, fake_slack, value, user_id=user_id)
    response = await slack.submit_view(view, answers_given or GOOD_ANSWERS, user_id=user_id)
    assert response.status_code == 200 and response.text == ""
    return view


async def confirmation_text(fake_slack: FakeSlack, view: dict[str, Any]) -> str:
    await drain_background_tasks()
    url = json.loads(view["private_metadata"])["response_url"]
    return str((await reply_through(fake_slack, url))["text"])


async def test_answers_go_to_one_weekly_thread_of_the_team(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, values: dict[str, str]
) -> None:
    view = await answer(
        slack,
        fake_slack,
        values[MEMBER_ID],
        MEMBER_ID,
        {**GOOD_ANSWERS, "q:moved": "Told <!channel> about <https://x.test|this> & more"},
    )
    assert f"Posted in the weekly thread of <#{SALES_CHANNEL}>" in await confirmation_text(
        fake_slack, view
    )
    await answer(slack, fake_slack, values[ADMIN_ID], ADMIN_ID)
    await drain_background_tasks()
    [parent] = parents(fake_slack)
    assert (
        "Check-ins for the week of 30 Nov" in parent.args["text"] and "Sales" in parent.args["text"]
    )
    thread = replies(fake_slack)
    assert len(thread) == 2
    assert {call.args["thread_ts"] for call in thread} == {parent_ts(fake_slack)}
    first = " ".join(str(b) for b in thread[0].args["blocks"])
    assert "*Max Member*" in first and "What moved forward toward your goals?" in first
    assert "Told &lt;!channel&gt; about &lt;https://x.test|this&gt; &amp; more" in first
    assert "<!channel>" not in first and "4 · Good" in first
    assert "*Ada Admin*" in " ".join(str(b) for b in thread[1].args["blocks"])
    # The default setup's team thread reads as it always did.
    assert parent.args["text"] == (
        "*Check-ins for the week of 30 Nov* · Sales\n"
        "Answers arrive in this thread as people send them."
    )
    assert thread[0].args["text"] == "Max Member's check-in for the week of 30 Nov"
    [share] = await shares(runtime)
    assert (share.channel_id, share.thread_ts, share.error) == (
        SALES_CHANNEL,
        parent_ts(fake_slack),
        "",
    )


async def test_answers_shared_at_the_same_time_still_get_one_parent(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, values: dict[str, str]
) -> None:
    await set_settings(runtime, CheckinSettings(share_in_team_channels=False))
    for user in (ADMIN_ID, MEMBER_ID):
        await answer(slack, fake_slack, values[user], user)
    await drain_background_tasks()
    assert in_channel(fake_slack) == []
    await set_settings(runtime, CheckinSettings(share_in_team_channels=True))
    client = build_web_client(token="xoxb-test-token", base_url=fake_slack.api_url)
    outcomes = await asyncio.gather(
        *(
            share_answer(
                runtime=runtime,
                client=client,
                team_id=TEAM_ID,
                delivery_id=int(values[user]),
                updated=False,
            )
            for user in (ADMIN_ID, MEMBER_ID)
        )
    )
    assert outcomes == [[ShareOutcome(SALES_CHANNEL, True)]] * 2
    assert len(parents(fake_slack)) == 1
    thread = replies(fake_slack)
    assert len(thread) == 2
    assert {call.args["thread_ts"] for call in thread} == {parent_ts(fake_slack)}


async def test_a_second_submission_is_posted_as_updated_answers(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, values: dict[str, str]
) -> None:
    await answer(slack, fake_slack, values[MEMBER_ID], MEMBER_ID)
    await drain_background_tasks()
    await answer(slack, fake_slack, values[MEMBER_ID], MEMBER_ID)
    await drain_background_tasks()
    assert len(parents(fake_slack)) == 1
    first, second = replies(fake_slack)
    assert "updated answers" not in str(first.args["blocks"])
    assert "updated answers" in str(second.args["blocks"])
    assert len(await answers(runtime)) == 1


async def test_a_channel_northstar_is_not_in_is_reported_once_to_the_lead(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, values: dict[str, str]
) -> None:
    fake_slack.inject("chat.postMessage", error="not_in_channel")  # the parent post
    view = await answer(slack, fake_slack, values[MEMBER_ID], MEMBER_ID)
    text = await confirmation_text(fake_slack, view)
    assert f"It is saved, but could not be posted in <#{SALES_CHANNEL}>." in text
    [told] = dms_to(fake_slack, ADMIN_ID, "could not post")
    assert "not_in_channel" in told.args["text"] and "/invite @Northstar" in told.args["text"]
    fake_slack.inject("chat.postMessage", error="not_in_channel")  # the parent, tried again
    await answer(slack, fake_slack, values[ADMIN_ID], ADMIN_ID)
    await drain_background_tasks()
    assert len(dms_to(fake_slack, ADMIN_ID, "could not post")) == 1
    assert [call.injected for call in in_channel(fake_slack)] == [True, True]
    assert {saved.user_id for saved in await answers(runtime)} == {ADMIN_ID, MEMBER_ID}
    [share] = await shares(runtime)
    assert (share.thread_ts, share.error, share.error_reported) == (None, "not_in_channel", True)
    # Northstar was invited: the next answer starts the thread and the failure is forgotten.
    await answer(slack, fake_slack, values[MEMBER_ID], MEMBER_ID)
    await drain_background_tasks()
    assert len(parents(fake_slack)) == 3 and len(replies(fake_slack)) == 1
    [share] = await shares(runtime)
    assert share.thread_ts and (share.error, share.error_reported) == ("", False)


async def test_a_reply_refused_in_the_thread_is_reported_too(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, values: dict[str, str]
) -> None:
    await answer(slack, fake_slack, values[ADMIN_ID], ADMIN_ID)
    await drain_background_tasks()
    fake_slack.inject("chat.postMessage", error="is_archived")  # the member's reply
    await answer(slack, fake_slack, values[MEMBER_ID], MEMBER_ID)
    await drain_background_tasks()
    [told] = dms_to(fake_slack, ADMIN_ID, "could not post")
    assert "is_archived" in told.args["text"] and "archived" in told.args["text"]
    [share] = await shares(runtime)
    assert share.thread_ts and (share.error, share.error_reported) == ("is_archived", True)
    assert len(await answers(runtime)) == 2


async def test_nothing_is_posted_when_sharing_is_off_or_the_team_has_no_channel(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, values: dict[str, str]
) -> None:
    await set_settings(runtime, CheckinSettings(share_in_team_channels=False))
    view = await answer(slack, fake_slack, values[MEMBER_ID], MEMBER_ID)
    assert "Posted in" not in await confirmation_text(fake_slack, view)
    assert in_channel(fake_slack) == [] and await shares(runtime) == []
    await set_settings(runtime, CheckinSettings(share_in_team_channels=True, team_refs=[999]))
    await answer(slack, fake_slack, values[ADMIN_ID], ADMIN_ID)  # Sales is not a chosen team
    await drain_background_tasks()
    assert in_channel(fake_slack) == [] and len(await answers(runtime)) == 2


async def test_a_named_setups_team_thread_names_the_setup_and_its_day(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    """A stand-up shared in team channels: a thread per day, named after the setup."""
    await add_people(runtime)
    await add_sales_team(runtime)
    await set_settings(runtime, CheckinSettings(enabled=False))
    stand_up = CheckinSettings(days=[0, 1, 2, 3, 4], window_days=0, share_in_team_channels=True)
    async with transaction(runtime.sessions) as session:
        await insert_setup(
            session=session, team_id=TEAM_ID, name="Daily <stand-up>", config=config_of(stand_up)
        )
    await prompt_round(runtime, fake_slack)
    [prompt] = [
        call
        for call in fake_slack.calls_to("chat.postMessage")
        if call.args["channel"] == MEMBER_ID and "Daily &lt;stand-up&gt;" in call.args["text"]
    ]
    await answer(
        slack, fake_slack, str(prompt.args["blocks"][1]["elements"][0]["value"]), MEMBER_ID
    )
    await drain_background_tasks()
    [parent] = parents(fake_slack)
    assert parent.args["text"] == (
        "*Daily &lt;stand-up&gt;* · Mon 30 Nov · Sales\n"
        "Answers arrive in this thread as people send them."
    )
    [shared] = replies(fake_slack)
    assert shared.args["text"] == "Max Member's Daily &lt;stand-up&gt; answer, Mon 30 Nov"
    assert shared.args["thread_ts"] == parent_ts(fake_slack)
