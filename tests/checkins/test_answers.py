"""Answering the weekly check-in end to end: the DM's buttons, the modal, the submission with
goal updates, late answers, old rounds, someone else's check-in, skipping, a bare /checkin."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.checkins.answers import current_checkin_view
from bot.checkins.blocks.prompts import ANSWER_ACTION, SKIP_ACTION
from bot.checkins.settings import CheckinSettings
from bot.checkins.setups import ensure_default_setup
from bot.core.errors import UserInputError
from bot.core.runtime import Runtime
from bot.slack.client import build_web_client
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import CheckinDelivery
from storage.repositories import checkins as repo
from storage.repositories.workspaces import ensure_workspace
from tests.checkins.answer_helpers import (
    GOOD_ANSWERS,
    MONDAY,
    add_member_goals,
    add_people,
    answers,
    block,
    delivery_row,
    ephemeral_answer,
    form_errors,
    goal_row,
    history,
    open_modal,
    prompt_round,
    prompt_value,
    reply_through,
    set_clock,
    set_settings,
)
from tests.conftest import drain_background_tasks
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender

W49 = "2026-W49"


@pytest.fixture
async def prompted(runtime: Runtime, fake_slack: FakeSlack) -> str:
    """Two people, the member's goals, the W49 prompts sent; the member's button value."""
    await add_people(runtime)
    await prompt_round(runtime, fake_slack)
    return prompt_value(fake_slack, MEMBER_ID, W49)


def goal_blocks(view: dict[str, object], goal_id: int | None) -> tuple[str, str]:
    return f"goal:{goal_id}:value", f"goal:{goal_id}:confidence"


async def confirmation(fake_slack: FakeSlack, view: dict[str, object]) -> str:
    url = json.loads(str(view["private_metadata"]))["response_url"]
    await drain_background_tasks()
    answer = await reply_through(fake_slack, url)
    assert answer["response_type"] == "ephemeral"
    return str(answer["text"])


async def test_answer_button_opens_the_modal_with_the_questions_and_open_goals(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, prompted: str
) -> None:
    goals = await add_member_goals(runtime)
    view = await open_modal(slack, fake_slack, prompted)
    assert view["title"]["text"] == "Check-in week of 30 Nov"
    assert json.loads(view["private_metadata"])["delivery"] == int(prompted)
    questions = {
        b["block_id"]: b for b in view["blocks"] if str(b.get("block_id")).startswith("q:")
    }
    assert list(questions) == ["q:moved", "q:blockers", "q:next", "q:mood"]
    assert [questions[key]["optional"] for key in questions] == [False, True, False, True]
    assert questions["q:moved"]["label"]["text"] == "What moved forward toward your goals?"
    assert questions["q:moved"]["element"]["multiline"] is True
    assert questions["q:moved"]["element"]["max_length"] == 3000
    moods = [o["value"] for o in questions["q:mood"]["element"]["options"]]
    assert moods == ["1", "2", "3", "4", "5"]
    value, confidence = goal_blocks(view, goals["number"].id)
    assert block(view, value)["label"]["text"] == "G-1 Win 40 customers"
    assert block(view, value)["element"]["initial_value"] == "10"
    assert "Now 10; target 40" in block(view, value)["hint"]["text"]
    assert block(view, confidence)["element"]["initial_option"]["value"] == "7"
    milestone, milestone_confidence = goal_blocks(view, goals["milestone"].id)
    assert block(view, milestone)["element"]["initial_option"]["value"] == "0"
    assert block(view, milestone_confidence)["element"]["initial_option"]["value"] == "6"
    shown = json.dumps(view["blocks"])
    assert "Grow the pipeline" not in shown and "Old goal" not in shown
    assert "Answer by the end of Tue 1 Dec." in view["blocks"][0]["text"]["text"]


async def test_a_submission_saves_answers_and_goal_updates_then_confirms(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, prompted: str
) -> None:
    goals = await add_member_goals(runtime)
    view = await open_modal(slack, fake_slack, prompted)
    value, confidence = goal_blocks(view, goals["number"].id)
    response = await slack.submit_view(
        view, {**GOOD_ANSWERS, value: "25", confidence: "8"}, user_id=MEMBER_ID
    )
    assert response.status_code == 200 and response.text == ""
    text = await confirmation(fake_slack, view)
    assert "Your check-in for the week of 30 Nov is in" in text
    assert "G-1 10 → 25, confidence 7 → 8" in text and "G-2" not in text
    assert "late" not in text
    [saved] = await answers(runtime)
    assert saved.answers == {
        "moved": "Closed two deals with Acme & Co.",
        "next": "Three demos",
        "mood": "4",
    }
    assert (saved.mood, saved.late, saved.user_id) == (4, False, MEMBER_ID)
    delivery = await delivery_row(runtime, prompted)
    assert delivery.state == "answered" and delivery.answered_at == runtime.clock()
    goal = await goal_row(runtime, goals["number"])
    assert (goal.current_value, goal.confidence) == (25, 8)
    assert goal.progress_at == runtime.clock()
    [entry] = await history(runtime, goals["number"])
    assert (entry.kind, entry.value, entry.confidence, entry.note, entry.author_id) == (
        "update",
        25,
        8,
        "check-in, week of 30 Nov",
        MEMBER_ID,
    )
    assert await history(runtime, goals["milestone"]) == []  # unchanged: no update recorded
    published = [call.args["user_id"] for call in fake_slack.calls_to("views.publish")]
    assert published == [MEMBER_ID]


async def test_a_milestone_marked_done_and_a_confidence_alone_are_updates(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, prompted: str
) -> None:
    goals = await add_member_goals(runtime)
    view = await open_modal(slack, fake_slack, prompted)
    milestone, _ = goal_blocks(view, goals["milestone"].id)
    _, confidence = goal_blocks(view, goals["number"].id)
    response = await slack.submit_view(
        view, {**GOOD_ANSWERS, milestone: "1", confidence: "3"}, user_id=MEMBER_ID
    )
    assert response.text == ""
    assert "G-2 done" in await confirmation(fake_slack, view)
    assert (await goal_row(runtime, goals["milestone"])).current_value == 1
    [done] = await history(runtime, goals["milestone"])
    assert (done.value, done.confidence) == (1, None)
    [confidence_only] = await history(runtime, goals["number"])
    assert (confidence_only.value, confidence_only.confidence) == (None, 3)
    assert (await goal_row(runtime, goals["number"])).current_value == 10


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"q:moved": None}, "q:moved", "Please answer this question."),
        ({"q:next": "  \n "}, "q:next", "Please answer this question."),
        ({"q:mood": "9"}, "q:mood", "Pick a number from 1 to 5."),
        ({"q:moved": "bell \x07"}, "q:moved", "invisible control character"),
    ],
)
async def test_bad_answers_are_shown_on_their_field_and_nothing_is_saved(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    prompted: str,
    change: dict[str, str | None],
    field: str,
    message: str,
) -> None:
    view = await open_modal(slack, fake_slack, prompted)
    errors = form_errors(
        await slack.submit_view(view, {**GOOD_ANSWERS, **change}, user_id=MEMBER_ID)
    )
    assert list(errors) == [field] and message in errors[field]
    assert await answers(runtime) == []
    assert (await delivery_row(runtime, prompted)).state == "sent"


async def test_a_goal_value_that_is_not_a_number_is_shown_on_the_goal(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, prompted: str
) -> None:
    goals = await add_member_goals(runtime)
    view = await open_modal(slack, fake_slack, prompted)
    value, confidence = goal_blocks(view, goals["number"].id)
    errors = form_errors(
        await slack.submit_view(
            view, {**GOOD_ANSWERS, value: "lots", confidence: "9"}, user_id=MEMBER_ID
        )
    )
    assert list(errors) == [value] and "Type a number" in errors[value]
    assert await answers(runtime) == []
    goal = await goal_row(runtime, goals["number"])
    assert (goal.current_value, goal.confidence) == (10, 7)
    assert await history(runtime, goals["number"]) == []


async def test_a_second_submission_updates_the_answer_and_the_modal_shows_it(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, prompted: str
) -> None:
    goals = await add_member_goals(runtime)
    view = await open_modal(slack, fake_slack, prompted)
    value, _ = goal_blocks(view, goals["number"].id)
    await slack.submit_view(view, {**GOOD_ANSWERS, value: "12"}, user_id=MEMBER_ID)
    assert "is in" in await confirmation(fake_slack, view)
    again = await open_modal(slack, fake_slack, prompted)
    assert block(again, "q:moved")["element"]["initial_value"] == GOOD_ANSWERS["q:moved"]
    assert block(again, "q:mood")["element"]["initial_option"]["value"] == "4"
    assert block(again, value)["element"]["initial_value"] == "12"
    assert "sending again updates your answers" in again["blocks"][0]["text"]["text"]
    response = await slack.submit_view(
        again, {"q:moved": "Closed three deals", "q:mood": "5"}, user_id=MEMBER_ID
    )
    assert response.text == ""
    assert "is updated" in await confirmation(fake_slack, again)
    [saved] = await answers(runtime)
    assert saved.answers["moved"] == "Closed three deals" and saved.mood == 5
    assert len(await history(runtime, goals["number"])) == 1  # 12 again is no new update


async def test_an_answer_after_the_window_is_accepted_and_marked_late(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, prompted: str
) -> None:
    set_clock(runtime, MONDAY + timedelta(days=3))  # Thursday: the window closed Wednesday 00:00
    view = await open_modal(slack, fake_slack, prompted)
    assert "marked late" in view["blocks"][0]["text"]["text"]
    assert (await slack.submit_view(view, GOOD_ANSWERS, user_id=MEMBER_ID)).text == ""
    assert "marked late" in await confirmation(fake_slack, view)
    [saved] = await answers(runtime)
    assert saved.late is True
    assert (await delivery_row(runtime, prompted)).state == "answered"


async def test_an_on_time_answer_corrected_late_stays_on_time(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, prompted: str
) -> None:
    view = await open_modal(slack, fake_slack, prompted)
    await slack.submit_view(view, GOOD_ANSWERS, user_id=MEMBER_ID)
    await drain_background_tasks()
    set_clock(runtime, MONDAY + timedelta(days=3))
    later = await open_modal(slack, fake_slack, prompted)
    assert (await slack.submit_view(later, {"q:next": "More demos"}, user_id=MEMBER_ID)).text == ""
    await drain_background_tasks()
    [saved] = await answers(runtime)
    assert saved.answers["next"] == "More demos" and saved.late is False


async def test_the_check_in_stays_open_until_the_next_round_begins_for_the_person(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, prompted: str
) -> None:
    await prompt_round(runtime, fake_slack, MONDAY + timedelta(days=5))  # Saturday: W50 opened
    early = await open_modal(slack, fake_slack, prompted)  # W50's prompt is not out yet
    assert early["title"]["text"] == "Check-in week of 30 Nov"
    await prompt_round(runtime, fake_slack, MONDAY + timedelta(days=7))  # W50 prompts sent
    before = len(fake_slack.calls_to("views.open"))
    text = await ephemeral_answer(slack, fake_slack, ANSWER_ACTION, prompted, user_id=MEMBER_ID)
    assert text == (
        "That check-in is from the week of 30 Nov; the one of the week of 7 Dec is open: "
        "`/checkin`."
    )
    assert len(fake_slack.calls_to("views.open")) == before
    skip = await ephemeral_answer(slack, fake_slack, SKIP_ACTION, prompted, user_id=MEMBER_ID)
    assert "That check-in is from the week of 30 Nov" in skip
    assert (await delivery_row(runtime, prompted)).state == "sent"
    errors = form_errors(await slack.submit_view(early, GOOD_ANSWERS, user_id=MEMBER_ID))
    assert "That check-in is from the week of 30 Nov" in errors["q:moved"]
    assert await answers(runtime) == []


async def test_someone_elses_or_a_missing_check_in_is_refused_alike(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, prompted: str
) -> None:
    theirs = prompt_value(fake_slack, ADMIN_ID, W49)
    async with transaction(runtime.sessions) as session:
        await ensure_workspace(session=session, team_id="T0002")
        elsewhere_setup = await ensure_default_setup(session, "T0002")
        other = await repo.create_round(
            session=session,
            team_id="T0002",
            setup_id=elsewhere_setup.id,
            period=W49,
            week=W49,
            questions=[{"key": "moved", "text": "What moved?", "kind": "text", "required": True}],
            deliveries=[
                {
                    "user_id": MEMBER_ID,
                    "prompt_at": runtime.clock() - timedelta(hours=3),
                    "remind_at": None,
                    "closes_at": runtime.clock() + timedelta(days=1),
                }
            ],
        )
        assert other is not None
        elsewhere = await repo.get_delivery(
            session=session, team_id="T0002", round_id=other.id or 0, user_id=MEMBER_ID
        )
    assert elsewhere is not None
    expected = "There is no such check-in. Open yours with `/checkin`."
    for value in (theirs, str(elsewhere.id), "999999", "not-a-number"):
        for action in (ANSWER_ACTION, SKIP_ACTION):
            text = await ephemeral_answer(slack, fake_slack, action, value, user_id=MEMBER_ID)
            assert text == expected, (value, action)
    assert fake_slack.calls_to("views.open") == []
    mine = await open_modal(slack, fake_slack, prompted)
    forged = {**mine, "private_metadata": json.dumps({"delivery": int(theirs)})}
    errors = form_errors(await slack.submit_view(forged, GOOD_ANSWERS, user_id=MEMBER_ID))
    assert errors == {"q:moved": expected}
    assert (await delivery_row(runtime, theirs)).state == "sent"
    assert await answers(runtime) == []


async def test_skip_marks_the_week_skipped_and_answering_still_works(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, prompted: str
) -> None:
    text = await ephemeral_answer(slack, fake_slack, SKIP_ACTION, prompted, user_id=MEMBER_ID)
    assert "Skipped the check-in of the week of 30 Nov" in text
    assert (await delivery_row(runtime, prompted)).state == "skipped"
    view = await open_modal(slack, fake_slack, prompted)
    assert (await slack.submit_view(view, GOOD_ANSWERS, user_id=MEMBER_ID)).text == ""
    await drain_background_tasks()
    assert (await delivery_row(runtime, prompted)).state == "answered"
    again = await ephemeral_answer(slack, fake_slack, SKIP_ACTION, prompted, user_id=MEMBER_ID)
    assert "already answered" in again
    assert (await delivery_row(runtime, prompted)).state == "answered"
    assert len(await answers(runtime)) == 1


async def test_a_failed_prompt_can_still_be_answered(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    fake_slack.inject("chat.postMessage", error="account_inactive")
    await prompt_round(runtime, fake_slack)
    async with runtime.sessions() as session:
        rows = (await session.exec(select(CheckinDelivery))).all()
    [failed] = [row for row in rows if row.state == "failed"]
    view = await open_modal(slack, fake_slack, str(failed.id), user_id=failed.user_id)
    assert (await slack.submit_view(view, GOOD_ANSWERS, user_id=failed.user_id)).text == ""
    await drain_background_tasks()
    assert (await delivery_row(runtime, str(failed.id))).state == "answered"


# --- a bare /checkin ----------------------------------------------------------------------


async def test_current_checkin_view_offers_the_open_check_in(
    fake_slack: FakeSlack, runtime: Runtime, prompted: str
) -> None:
    client = build_web_client(token="xoxb-test-token", base_url=fake_slack.api_url)
    view = await current_checkin_view(
        runtime=runtime,
        client=client,
        team_id=TEAM_ID,
        user_id=MEMBER_ID,
        response_url="https://hooks.slack.invalid/commands/1",
    )
    assert view["title"]["text"] == "Check-in week of 30 Nov"
    metadata = json.loads(view["private_metadata"])
    assert metadata == {
        "delivery": int(prompted),
        "response_url": "https://hooks.slack.invalid/commands/1",
    }


async def test_current_checkin_view_says_when_the_next_one_comes(
    fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    client = build_web_client(token="xoxb-test-token", base_url=fake_slack.api_url)

    async def refusal() -> str:
        with pytest.raises(UserInputError) as raised:
            await current_checkin_view(
                runtime=runtime,
                client=client,
                team_id=TEAM_ID,
                user_id=MEMBER_ID,
                response_url=None,
            )
        return raised.value.message

    set_clock(runtime, MONDAY - timedelta(days=4))  # Thursday of W48, no round at all
    assert "The next one comes Mon 30 Nov, 09:00 (your time)" in await refusal()
    # Saturday: W48's round opens too late to be sent, W49's ahead of time.
    await prompt_round(runtime, fake_slack, MONDAY - timedelta(days=2))
    assert "The next one comes Mon 30 Nov, 09:00" in await refusal()
    await prompt_round(runtime, fake_slack, MONDAY + timedelta(days=7))  # W50 is out
    await prompt_round(runtime, fake_slack, MONDAY + timedelta(days=12))  # W51 opened early
    set_clock(runtime, MONDAY + timedelta(days=14), hour=8)  # W51's prompt is at 09:00
    view = await current_checkin_view(
        runtime=runtime, client=client, team_id=TEAM_ID, user_id=MEMBER_ID, response_url=None
    )
    assert view["title"]["text"] == "Check-in week of 7 Dec"  # late, but open until W51 starts
    set_clock(runtime, MONDAY + timedelta(days=14), hour=10)  # due, though not sent yet
    view = await current_checkin_view(
        runtime=runtime, client=client, team_id=TEAM_ID, user_id=MEMBER_ID, response_url=None
    )
    assert view["title"]["text"] == "Check-in week of 14 Dec"
    await set_settings(runtime, CheckinSettings(enabled=False))
    set_clock(runtime, MONDAY + timedelta(days=23))  # W51 closed over a week ago
    assert await refusal() == "Check-ins are turned off in this workspace."


async def test_without_a_next_round_answers_are_taken_a_week_after_closing(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, prompted: str
) -> None:
    set_clock(runtime, MONDAY + timedelta(days=8), hour=23)  # Tuesday 8 Dec, no W50 round
    assert (await open_modal(slack, fake_slack, prompted))["title"][
        "text"
    ] == "Check-in week of 30 Nov"
    set_clock(runtime, MONDAY + timedelta(days=9), hour=0)  # closed Wed 2 Dec + 7 days
    text = await ephemeral_answer(slack, fake_slack, ANSWER_ACTION, prompted, user_id=MEMBER_ID)
    assert text == (
        "The check-in of the week of 30 Nov has closed. The next one comes in a direct message."
    )
    assert len(fake_slack.calls_to("views.open")) == 1
