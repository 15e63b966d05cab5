"""The global shortcuts through the real app: New goal, Check in now, Anonymous feedback. A
global shortcut has no channel and no response URL, so every answer that is not a modal
reaches the person by DM."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.models import Goal
from tests.checkins.answer_helpers import MONDAY, add_people, prompt_round, set_clock
from tests.conftest import drain_background_tasks
from tests.goals.helpers import fix_clock, goal_answers
from tests.shortcuts.helpers import global_shortcut
from tests.slack_requests import MEMBER_ID, SlackSender


async def opened_view(fake_slack: FakeSlack, before: int) -> dict[str, Any]:
    call = (await fake_slack.wait_for("views.open", before + 1))[-1]
    assert str(call.args["trigger_id"]).endswith(".shortcut")
    view: dict[str, Any] = call.args["view"]
    return view


async def test_new_goal_opens_the_goal_form_and_the_goal_is_created(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    response = await global_shortcut(slack, "new_goal", user_id=MEMBER_ID)
    assert response.status_code == 200
    view = await opened_view(fake_slack, 0)
    assert view["callback_id"] == "goal_form"
    assert view["title"]["text"] == "New goal"

    saved = await slack.submit_view(view, goal_answers(), user_id=MEMBER_ID)
    assert saved.status_code == 200 and saved.text == ""
    await drain_background_tasks()
    async with runtime.sessions() as session:
        goals = list((await session.exec(select(Goal))).all())
    assert [(goal.title, goal.owner_id) for goal in goals] == [("Grow revenue to 2M", MEMBER_ID)]
    dm = fake_slack.calls_to("chat.postMessage")[-1].args  # no response URL: by DM
    assert dm["channel"] == MEMBER_ID and "G-1" in dm["text"]


async def test_check_in_now_opens_the_open_check_in(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    await prompt_round(runtime, fake_slack)
    before = len(fake_slack.calls_to("views.open"))
    assert (await global_shortcut(slack, "check_in_now", user_id=MEMBER_ID)).status_code == 200
    view = await opened_view(fake_slack, before)
    assert view["callback_id"] == "checkin_answer_form"
    assert "30 Nov" in str(view["title"])


async def test_check_in_now_with_none_open_says_when_the_next_comes_by_dm(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    set_clock(runtime, MONDAY, hour=6)  # prompts go out at 09:00
    assert (await global_shortcut(slack, "check_in_now", user_id=MEMBER_ID)).status_code == 200
    dm = (await fake_slack.wait_for("chat.postMessage"))[-1].args
    assert dm["channel"] == MEMBER_ID
    assert "You have no open check-in right now. The next one comes" in dm["text"]
    assert fake_slack.calls_to("views.open") == []


async def test_anonymous_feedback_opens_the_feedback_modal(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    assert (
        await global_shortcut(slack, "anonymous_feedback", user_id=MEMBER_ID)
    ).status_code == 200
    view = await opened_view(fake_slack, 0)
    assert view["callback_id"] == "pulse_feedback_send"
