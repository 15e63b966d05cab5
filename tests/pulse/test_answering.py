"""Answering a pulse survey from its DM: the modal per question kind, one anonymous answer,
inline errors, refusals, the consent box, and nothing logged or stored about the answerer."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel, select

from bot.core.runtime import Runtime
from bot.pulse import texts as core_texts
from bot.pulse.answer_modal import CONSENT_BLOCK, CONSENT_VALUE
from bot.pulse.delivery import ANSWER_ACTION, advance, send_invitations
from bot.pulse.questions import BANK
from bot.pulse.surveys import survey_counts
from bot.slack.client import build_web_client
from fakeslack import FakeSlack
from storage.models import DOOR_TABLES, ReplyToken, Survey, SurveyAnswer
from tests.checkins.answer_helpers import block, form_errors, press, reply_through
from tests.conftest import drain_background_tasks
from tests.pulse.test_delivery import (
    CHOICE,
    CLOSES,
    COMMENT,
    NOW,
    add_people,
    schedule_survey,
    set_clock,
)
from tests.slack_requests import MEMBER_ID, TEAM_ID, SlackSender, view_state

GOOD = {"q:direction": "4", "q:enps": "9", f"q:{CHOICE.key}": "Fri", f"q:{COMMENT.key}": None}


@pytest.fixture
async def survey(runtime: Runtime, fake_slack: FakeSlack) -> Survey:
    await add_people(runtime)
    found = await schedule_survey(runtime)
    set_clock(runtime, NOW)
    await advance(runtime=runtime, team_id=TEAM_ID, now=NOW)
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    await send_invitations(runtime=runtime, client=client, team_id=TEAM_ID, now=NOW)
    set_clock(runtime, NOW + timedelta(hours=2))
    return found


async def open_modal(slack: SlackSender, fake_slack: FakeSlack, survey: Survey) -> dict[str, Any]:
    before = len(fake_slack.calls_to("views.open"))
    response, _ = await press(slack, ANSWER_ACTION, str(survey.id), user_id=MEMBER_ID)
    assert response.status_code == 200
    view: dict[str, Any] = (await fake_slack.wait_for("views.open", before + 1))[-1].args["view"]
    return view


async def submit(
    slack: SlackSender, view: dict[str, Any], answers: dict[str, str | None], *, consent: bool
) -> httpx.Response:
    """Submit the modal as Slack would, the consent box ticked or not."""
    questions = {
        **view,
        "blocks": [b for b in view["blocks"] if b.get("block_id") != CONSENT_BLOCK],
    }
    state = view_state(questions, answers)
    if any(b.get("block_id") == CONSENT_BLOCK for b in view["blocks"]):
        chosen = [{"value": CONSENT_VALUE}] if consent else []
        state["values"][CONSENT_BLOCK] = {
            "answer": {"type": "checkboxes", "selected_options": chosen}
        }
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "acme"},
        "user": {"id": MEMBER_ID, "username": "max", "team_id": TEAM_ID},
        "api_app_id": "A0001",
        "token": "legacy-verification-token",
        "trigger_id": "1337.42.submit",
        "view": {**view, "id": "V0001", "team_id": TEAM_ID, "state": state, "hash": "1.abc"},
        "response_urls": [],
        "is_enterprise_install": False,
    }
    body = urlencode({"payload": json.dumps(payload)})
    return await slack.post(body, content_type="application/x-www-form-urlencoded")


async def snapshot(runtime: Runtime) -> dict[str, set[str]]:
    rows: dict[str, set[str]] = {}
    async with runtime.engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in DOOR_TABLES:  # each request leaves its signature's hash there
                continue
            result = await connection.execute(sa.select(table))
            rows[table.name] = {repr(tuple(row)) for row in result}
    return rows


async def test_the_modal_has_one_input_per_question_kind_and_the_consent_box(
    slack: SlackSender, fake_slack: FakeSlack, survey: Survey
) -> None:
    view = await open_modal(slack, fake_slack, survey)
    assert len(view["title"]["text"]) <= 24 and view["callback_id"] == "pulse_answer_form"
    assert json.loads(view["private_metadata"])["survey"] == survey.id
    inputs = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    assert inputs == ["q:direction", "q:enps", f"q:{CHOICE.key}", f"q:{COMMENT.key}", CONSENT_BLOCK]
    scale = block(view, "q:direction")
    assert scale["element"]["type"] == "static_select" and scale["optional"] is False
    labels = [o["text"]["text"] for o in scale["element"]["options"]]
    assert labels == ["1 — Strongly disagree", "2", "3 — Neutral", "4", "5 — Strongly agree"]
    enps = [o["value"] for o in block(view, "q:enps")["element"]["options"]]
    assert enps == [str(n) for n in range(11)]
    choice = block(view, f"q:{CHOICE.key}")["element"]
    assert [o["value"] for o in choice["options"]] == ["Mon", "Fri"]
    comment = block(view, f"q:{COMMENT.key}")
    assert comment["optional"] is True
    assert comment["element"]["multiline"] is True
    assert comment["element"]["max_length"] == 3000
    consent = block(view, CONSENT_BLOCK)["element"]
    assert consent["type"] == "checkboxes"
    assert consent["options"][0]["text"]["text"] == "Let leaders reply to me anonymously"
    assert "Closes Sat 7 Mar, 10:00" in view["blocks"][0]["text"]["text"]


async def test_no_consent_box_without_a_text_question(
    runtime: Runtime, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    await add_people(runtime)
    found = await schedule_survey(runtime, questions=(BANK[0],))
    set_clock(runtime, NOW)
    await advance(runtime=runtime, team_id=TEAM_ID, now=NOW)
    view = await open_modal(slack, fake_slack, found)
    assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"] == ["q:direction"]


async def test_a_valid_answer_is_stored_once_anonymously_and_only_the_answerer_hears_of_it(
    runtime: Runtime,
    slack: SlackSender,
    fake_slack: FakeSlack,
    survey: Survey,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    for name in ("bot", "handlers", "storage", "scheduler"):
        caplog.set_level(logging.DEBUG, logger=name)
    view = await open_modal(slack, fake_slack, survey)
    before = await snapshot(runtime)
    posts = len(fake_slack.calls_to("chat.postMessage"))
    response = await submit(slack, view, GOOD, consent=False)
    assert response.status_code == 200 and response.text == ""
    url = json.loads(view["private_metadata"])["response_url"]
    await drain_background_tasks()
    thanks = await reply_through(fake_slack, url)
    assert thanks["text"] == "Thanks — your answer is stored anonymously."
    assert thanks["response_type"] == "ephemeral"
    assert len(fake_slack.calls_to("chat.postMessage")) == posts  # nothing posted anywhere
    [home] = [c.args for c in fake_slack.calls_to("views.publish")][-1:]
    assert home["user_id"] == MEMBER_ID  # their own Home, redrawn without the survey
    assert survey.title not in str(home["view"])
    assert survey.id is not None
    async with runtime.sessions() as session:
        counts = await survey_counts(session=session, team_id=TEAM_ID, survey_id=survey.id)
        [stored] = (await session.exec(select(SurveyAnswer))).all()
        tokens = (await session.exec(select(ReplyToken))).all()
    assert counts.answered == 1 and tokens == []
    assert stored.answers == {"direction": 4, "enps": 9, CHOICE.key: "Fri"}
    after = await snapshot(runtime)
    changed = {name: after[name] - before[name] for name in after}
    assert changed["survey_answer"]
    holding_id = {name for name, rows in changed.items() if any(MEMBER_ID in r for r in rows)}
    assert holding_id <= {"survey_invite"}
    # A second answer is refused and says nothing of the first.
    again = form_errors(await submit(slack, view, GOOD, consent=False))
    assert again == {"q:direction": core_texts.ALREADY_ANSWERED}
    _, url = await press(slack, ANSWER_ACTION, str(survey.id), user_id=MEMBER_ID)
    refused = await reply_through(fake_slack, url)
    assert "already answered" in refused["text"] and "Fri" not in refused["text"]
    async with runtime.sessions() as session:
        assert len((await session.exec(select(SurveyAnswer))).all()) == 1
    logged = "\n".join(
        f"{record.getMessage()} {record.exc_text or ''} {record.args!r}"
        for record in caplog.records
    )
    assert caplog.records  # the capture works
    assert MEMBER_ID not in logged and MEMBER_ID.lower() not in logged


async def test_the_consent_box_keeps_a_reply_token_for_the_comment(
    runtime: Runtime, slack: SlackSender, fake_slack: FakeSlack, survey: Survey
) -> None:
    view = await open_modal(slack, fake_slack, survey)
    answers = {**GOOD, f"q:{COMMENT.key}": "More demos, please."}
    response = await submit(slack, view, answers, consent=True)
    assert response.text == ""
    async with runtime.sessions() as session:
        [token] = (await session.exec(select(ReplyToken))).all()
        [stored] = (await session.exec(select(SurveyAnswer))).all()
    # The token holds the comment itself; the answer keeps neither it nor anything joining them.
    assert (token.survey_id, token.question_key) == (survey.id, COMMENT.key)
    assert token.text == "More demos, please."
    assert COMMENT.key not in stored.answers
    assert MEMBER_ID not in token.sealed_author


async def test_a_missing_required_answer_is_shown_next_to_its_question(
    runtime: Runtime, slack: SlackSender, fake_slack: FakeSlack, survey: Survey
) -> None:
    view = await open_modal(slack, fake_slack, survey)
    errors = form_errors(await submit(slack, view, {**GOOD, "q:enps": None}, consent=False))
    assert list(errors) == ["q:enps"]
    async with runtime.sessions() as session:
        assert (await session.exec(select(SurveyAnswer))).all() == []


async def test_a_closed_survey_refuses_the_answer(
    runtime: Runtime, slack: SlackSender, fake_slack: FakeSlack, survey: Survey
) -> None:
    view = await open_modal(slack, fake_slack, survey)
    set_clock(runtime, CLOSES)
    errors = form_errors(await submit(slack, view, GOOD, consent=False))
    assert errors == {"q:direction": core_texts.SURVEY_NOT_OPEN}
    _, url = await press(slack, ANSWER_ACTION, str(survey.id), user_id=MEMBER_ID)
    assert (await reply_through(fake_slack, url))["text"] == core_texts.SURVEY_NOT_OPEN
    async with runtime.sessions() as session:
        assert (await session.exec(select(SurveyAnswer))).all() == []
