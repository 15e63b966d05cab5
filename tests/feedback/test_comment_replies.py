"""Replying to survey comments from ``/pulse results`` through signed requests: the *Reply*
button (admins only, consented comments only), its modal, the relay to the comment's author,
and that the author's id never reaches the admin's messages or the logs."""

from __future__ import annotations

import itertools
import json
import logging
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest

from bot.core.runtime import Runtime
from bot.feedback import blocks as feedback_blocks
from bot.feedback.comment_reply_form import TEXT_BLOCK
from bot.pulse.blocks.results import COMMENT_REPLY_ACTION
from bot.pulse.lifecycle import advance_surveys, create_survey
from bot.pulse.questions import BANK, Question, QuestionKind, SurveyDraft
from bot.pulse.surveys import submit_answer
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Survey
from tests.conftest import drain_background_tasks
from tests.pulse.test_commands import NOW, PEOPLE, seed_people
from tests.slack_requests import ADMIN_ID, TEAM_ID, SlackSender, block_action_body

AUTHOR = PEOPLE[0]
MEMBER = PEOPLE[1]
CONSENTED = "Standups run long <@UBOSS> & nobody stops them"
PLAIN = "More coffee please"
_TRIGGERS = itertools.count(1)


@pytest.fixture(autouse=True)
def fixed_clock(runtime: Runtime) -> None:
    runtime.clock = lambda: NOW


async def open_survey(runtime: Runtime) -> Survey:
    await seed_people(runtime)
    questions = (*BANK, Question(key="comments", kind=QuestionKind.TEXT, text="Anything else?"))
    draft = SurveyDraft(
        title="Alignment pulse",
        questions=questions,
        opens_at=NOW,
        closes_at=NOW + timedelta(days=5),
    )
    async with transaction(runtime.sessions) as session:
        survey = await create_survey(
            session=session, team_id=TEAM_ID, actor=ADMIN_ID, draft=draft, now=NOW
        )
    async with transaction(runtime.sessions) as session:
        await advance_surveys(session=session, team_id=TEAM_ID, now=NOW)
    return survey


async def answer(runtime: Runtime, survey: Survey, user: str, comment: str, consent: bool) -> None:
    assert survey.id is not None
    submitted: dict[str, object] = {question.key: 4 for question in BANK[:5]}
    submitted["enps"] = 9
    submitted["comments"] = comment
    async with transaction(runtime.sessions) as session:
        await submit_answer(
            session=session,
            team_id=TEAM_ID,
            survey_id=survey.id,
            user_id=user,
            submitted=submitted,
            allow_replies=consent,
            secret_key=runtime.settings.northstar_secret_key.get_secret_value(),
            now=NOW + timedelta(hours=1),
        )


async def results(slack: SlackSender, fake_slack: FakeSlack, user: str) -> list[dict[str, Any]]:
    before = len(fake_slack.calls_to("response_url"))
    response = await slack.command("results P-1", command="/pulse", user_id=user)
    assert response.status_code == 200
    shown = (await fake_slack.wait_for("response_url", before + 1))[-1].args
    raw = shown["blocks"]
    found: list[dict[str, Any]] = json.loads(raw) if isinstance(raw, str) else list(raw)
    return found


def reply_buttons(blocks: list[dict[str, Any]]) -> list[str]:
    return [
        block["accessory"]["value"]
        for block in blocks
        if block.get("accessory", {}).get("action_id") == COMMENT_REPLY_ACTION
    ]


async def press(slack: SlackSender, value: str, *, user_id: str) -> Any:
    body = block_action_body(
        COMMENT_REPLY_ACTION,
        value,
        user_id=user_id,
        response_url=slack.next_response_url(),
        container={"type": "message", "is_ephemeral": True},
    )
    payload = json.loads(parse_qs(body)["payload"][0])
    payload["trigger_id"] = f"1337.{next(_TRIGGERS)}.comment"
    return await slack.post(
        urlencode({"payload": json.dumps(payload)}),
        content_type="application/x-www-form-urlencoded",
    )


def dms(fake_slack: FakeSlack, user_id: str) -> list[dict[str, Any]]:
    return [c.args for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == user_id]


def shown(message: dict[str, Any]) -> str:
    raw = message.get("blocks") or []
    return (raw if isinstance(raw, str) else json.dumps(raw)) + str(message.get("text"))


@pytest.fixture
async def closed(runtime: Runtime, slack: SlackSender, fake_slack: FakeSlack) -> None:
    survey = await open_survey(runtime)
    await answer(runtime, survey, AUTHOR, CONSENTED, consent=True)
    for user in PEOPLE[1:5]:
        await answer(runtime, survey, user, PLAIN, consent=False)
    runtime.clock = lambda: NOW + timedelta(hours=2)
    response = await slack.command("close P-1", command="/pulse", user_id=ADMIN_ID)
    assert response.status_code == 200
    await fake_slack.wait_for("response_url", 1)


async def test_only_consented_comments_get_a_reply_button_and_only_for_admins(
    slack: SlackSender, fake_slack: FakeSlack, closed: None
) -> None:
    admin_view = await results(slack, fake_slack, ADMIN_ID)
    assert len(admin_view) <= 50
    [token] = reply_buttons(admin_view)
    assert "Standups run long &lt;@UBOSS&gt; &amp; nobody" in json.dumps(admin_view)
    assert "<@UBOSS>" not in json.dumps(admin_view)
    assert PLAIN in json.dumps(admin_view)  # the other comments stay text, without a button
    member_view = await results(slack, fake_slack, MEMBER)
    assert reply_buttons(member_view) == []
    assert "Standups run long" in json.dumps(member_view)
    assert token not in json.dumps(member_view)


async def test_a_reply_reaches_the_author_without_their_comment_and_stays_anonymous(
    slack: SlackSender,
    fake_slack: FakeSlack,
    closed: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)  # as the feedback tests: slack_sdk DEBUG echoes requests
    [token] = reply_buttons(await results(slack, fake_slack, ADMIN_ID))
    before = len(fake_slack.calls_to("views.open"))
    assert (await press(slack, token, user_id=ADMIN_ID)).status_code == 200
    view = (await fake_slack.wait_for("views.open", before + 1))[-1].args["view"]
    assert view["title"]["text"] == "Reply to a comment"
    assert "Standups run long &lt;@UBOSS&gt;" in json.dumps(view["blocks"])
    assert AUTHOR not in json.dumps(view)

    empty = await slack.submit_view(view, {TEXT_BLOCK: "   "}, user_id=ADMIN_ID)
    assert empty.json()["response_action"] == "errors" and TEXT_BLOCK in empty.json()["errors"]
    too_long = await slack.submit_view(view, {TEXT_BLOCK: "x" * 3001}, user_id=ADMIN_ID)
    assert "3000" in too_long.json()["errors"][TEXT_BLOCK]
    assert dms(fake_slack, AUTHOR) == []

    response = await slack.submit_view(
        view, {TEXT_BLOCK: "Let's cap them <at> 15m"}, user_id=ADMIN_ID
    )
    assert response.status_code == 200 and not response.text
    await drain_background_tasks()

    [to_author] = dms(fake_slack, AUTHOR)
    text = shown(to_author)
    assert "cap them &lt;at&gt; 15m" in text
    assert f"<@{ADMIN_ID}> replied to a comment you left in a survey" in text
    assert "Standups" not in text  # an export of the author's DMs must not show their comment
    actions = [
        element["action_id"]
        for block in to_author["blocks"]
        for element in block.get("elements", [])
        if element.get("type") == "button"
    ]
    assert actions == [
        feedback_blocks.AUTHOR_REPLY_ACTION,
        feedback_blocks.REVEAL_ACTION,
        feedback_blocks.CLOSE_ACTION,
    ]
    to_admin = dms(fake_slack, ADMIN_ID)
    assert to_admin and "cap them" in shown(to_admin[-1]) and "Standups" in shown(to_admin[-1])
    for message in to_admin:
        assert AUTHOR not in shown(message)
    for call in fake_slack.calls_to("response_url"):
        assert AUTHOR not in json.dumps(call.args)
    for record in caplog.records:
        line = record.getMessage()
        assert AUTHOR not in line and "Standups" not in line and "cap them" not in line


async def test_a_forged_token_and_a_member_are_refused(
    slack: SlackSender, fake_slack: FakeSlack, closed: None
) -> None:
    [token] = reply_buttons(await results(slack, fake_slack, ADMIN_ID))
    before = len(fake_slack.calls_to("response_url"))
    assert (await press(slack, "forged-token", user_id=ADMIN_ID)).status_code == 200
    refused = (await fake_slack.wait_for("response_url", before + 1))[-1].args
    assert refused["response_type"] == "ephemeral" and "did not ask for replies" in refused["text"]
    assert (await press(slack, token, user_id=MEMBER)).status_code == 200
    denied = (await fake_slack.wait_for("response_url", before + 2))[-1].args
    assert denied["response_type"] == "ephemeral" and "admin" in shown(denied).lower()
    assert fake_slack.calls_to("views.open") == []
    assert dms(fake_slack, AUTHOR) == []
