"""Anonymous feedback in Slack end to end: ``/pulse feedback`` (called directly, as the
``/pulse`` handler does), the DMs, the Reply/Reveal/Close buttons and the modals through
signed requests into the real app, and what never reaches logs or the database in clear."""

from __future__ import annotations

import itertools
import json
import logging
import re
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest
import sqlalchemy as sa

from bot.core.anonymity import PAYLOAD_LOGGERS
from bot.core.errors import UserInputError
from bot.core.request import RequestContext
from bot.core.runtime import Runtime
from bot.feedback import blocks
from bot.feedback.service import run_feedback_command
from bot.slack.client import build_web_client
from bot.slack.messages import Reply
from fakeslack import FakeSlack
from storage.db import transaction
from storage.repositories.members import MemberProfile
from storage.repositories.teams import create_team, list_teams
from tests.conftest import drain_background_tasks
from tests.factories import add_members
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender, block_action_body

AUTHOR = MEMBER_ID
LEAD = "ULEADSALES"
SECRET = "The roadmap keeps changing every week & nobody says why."
FEEDBACK_TABLES = ("feedback_thread", "feedback_message")
_TRIGGERS = itertools.count(1)


async def press(slack: SlackSender, action_id: str, value: str, *, user_id: str) -> Any:
    """Press a button in a DM, with a fresh ``trigger_id`` each time (Slack's are single-use)."""
    body = block_action_body(
        action_id,
        value,
        user_id=user_id,
        response_url=slack.next_response_url(),
        container={"type": "message", "is_ephemeral": False},
    )
    payload = json.loads(parse_qs(body)["payload"][0])
    payload["trigger_id"] = f"1337.{next(_TRIGGERS)}.feedback"
    return await slack.post(
        urlencode({"payload": json.dumps(payload)}),
        content_type="application/x-www-form-urlencoded",
    )


@pytest.fixture
async def people(runtime: Runtime, fake_slack: FakeSlack) -> None:
    """The admin, the author, Sales (led by LEAD) and Support (no lead)."""
    fake_slack.add_user(LEAD, name="lee", real_name="Lee Lead")
    await add_members(
        runtime,
        MemberProfile(user_id=ADMIN_ID, real_name="Ada Admin", is_admin=True),
        MemberProfile(user_id=AUTHOR, real_name="Max Member"),
        MemberProfile(user_id=LEAD, real_name="Lee Lead"),
    )
    async with transaction(runtime.sessions) as session:
        await create_team(session=session, team_id=TEAM_ID, name="Sales", lead_user_id=LEAD)
        await create_team(session=session, team_id=TEAM_ID, name="Customer Support")


def request_of(runtime: Runtime, fake_slack: FakeSlack, user_id: str = AUTHOR) -> RequestContext:
    client = build_web_client(token="xoxb-test-token", base_url=fake_slack.api_url)
    return RequestContext(
        runtime=runtime,
        client=client,
        team_id=TEAM_ID,
        user_id=user_id,
        known_today=runtime.clock().date(),
        response_url=None,
    )


async def feedback(runtime: Runtime, fake_slack: FakeSlack, text: str) -> Reply:
    result = await run_feedback_command(text=text, request=request_of(runtime, fake_slack))
    assert result.view is None and result.reply is not None
    return result.reply


def _blocks(args: dict[str, Any]) -> list[dict[str, Any]]:
    raw = args.get("blocks") or []
    return json.loads(raw) if isinstance(raw, str) else list(raw)


def dms(fake_slack: FakeSlack, user_id: str) -> list[dict[str, Any]]:
    return [c.args for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == user_id]


def shown(message: dict[str, Any]) -> str:
    return json.dumps(_blocks(message)) + str(message.get("text"))


def buttons(message: dict[str, Any]) -> dict[str, str]:
    """``{action_id: value}`` of the message's buttons."""
    found = {}
    for block in _blocks(message):
        for element in block.get("elements", []):
            if element.get("type") == "button":
                found[element["action_id"]] = element["value"]
    return found


async def open_reply(
    slack: SlackSender, fake_slack: FakeSlack, action_id: str, value: str, user_id: str
) -> dict[str, Any]:
    before = len(fake_slack.calls_to("views.open"))
    response = await press(slack, action_id, value, user_id=user_id)
    assert response.status_code == 200
    view: dict[str, Any] = (await fake_slack.wait_for("views.open", before + 1))[-1].args["view"]
    return view


async def reply(
    slack: SlackSender,
    fake_slack: FakeSlack,
    action_id: str,
    value: str,
    user_id: str,
    text: str,
) -> Any:
    view = await open_reply(slack, fake_slack, action_id, value, user_id)
    response = await slack.submit_view(view, {blocks.TEXT_BLOCK: text}, user_id=user_id)
    await drain_background_tasks()
    return response


async def all_rows(runtime: Runtime) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    async with runtime.sessions() as session:
        for table in FEEDBACK_TABLES:
            conn = await session.connection()
            result = await conn.execute(sa.text(f"SELECT * FROM {table}"))
            rows += [dict(row._mapping) for row in result]
    return rows


async def test_a_full_round_trip_keeps_the_author_anonymous_until_they_reveal(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    people: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    notice = await feedback(runtime, fake_slack, SECRET)
    code = re.search(r"#([0-9A-F]{4})", notice["text"])
    assert code is not None and "the admins" in notice["text"]
    code_text = code.group(1)

    [to_admin] = dms(fake_slack, ADMIN_ID)
    assert f"Anonymous #{code_text}" in shown(to_admin)
    assert "nobody says why" in shown(to_admin)
    assert AUTHOR not in shown(to_admin) and "Max" not in shown(to_admin)
    assert list(buttons(to_admin)) == [blocks.LEADER_REPLY_ACTION]
    thread_id = buttons(to_admin)[blocks.LEADER_REPLY_ACTION]
    [copy] = dms(fake_slack, AUTHOR)
    assert f"Sent anonymously as *#{code_text}* to the admins" in shown(copy)
    assert list(buttons(copy)) == [
        blocks.AUTHOR_REPLY_ACTION,
        blocks.REVEAL_ACTION,
        blocks.CLOSE_ACTION,
    ]
    assert dms(fake_slack, LEAD) == []

    # the admin replies; the author gets it with their three buttons
    view = await open_reply(slack, fake_slack, blocks.LEADER_REPLY_ACTION, thread_id, ADMIN_ID)
    assert len(view["title"]["text"]) <= 24 and code_text in view["title"]["text"]
    assert "nobody says why" in json.dumps(view["blocks"]) and AUTHOR not in json.dumps(view)
    response = await slack.submit_view(
        view, {blocks.TEXT_BLOCK: "What changed most?"}, user_id=ADMIN_ID
    )
    assert response.status_code == 200 and response.text == ""
    await drain_background_tasks()
    to_author = dms(fake_slack, AUTHOR)[-1]
    assert "What changed most?" in shown(to_author) and f"<@{ADMIN_ID}>" in shown(to_author)
    assert blocks.REVEAL_ACTION in buttons(to_author)
    assert "You replied" in shown(dms(fake_slack, ADMIN_ID)[-1])

    # the author answers back, still anonymous
    await reply(
        slack, fake_slack, blocks.AUTHOR_REPLY_ACTION, thread_id, AUTHOR, "The Q3 priorities."
    )
    to_admin = dms(fake_slack, ADMIN_ID)[-1]
    assert f"Anonymous #{code_text}" in shown(to_admin) and "The Q3 priorities." in shown(to_admin)
    assert AUTHOR not in shown(to_admin)
    # both sides see the whole thread in the reply modal
    view = await open_reply(slack, fake_slack, blocks.LEADER_REPLY_ACTION, thread_id, ADMIN_ID)
    seen = json.dumps(view["blocks"])
    assert "nobody says why" in seen and "What changed most?" in seen and "Q3" in seen

    # reveal, after Slack's confirm dialog: now the admin learns who it is
    button = next(
        e
        for b in _blocks(copy)
        for e in b.get("elements", [])
        if e.get("action_id") == blocks.REVEAL_ACTION
    )
    assert "confirm" in button
    await press(slack, blocks.REVEAL_ACTION, thread_id, user_id=AUTHOR)
    await drain_background_tasks()
    assert f"it is <@{AUTHOR}>" in shown(dms(fake_slack, ADMIN_ID)[-1])

    # close: both sides are told, and later replies are refused
    await press(slack, blocks.CLOSE_ACTION, thread_id, user_id=AUTHOR)
    await drain_background_tasks()
    assert "closed the conversation" in shown(dms(fake_slack, ADMIN_ID)[-1])
    assert "is closed" in shown(dms(fake_slack, AUTHOR)[-1])
    response = await slack.submit_view(
        view, {blocks.TEXT_BLOCK: "One more thing"}, user_id=ADMIN_ID
    )
    body = response.json()
    assert body["response_action"] == "errors"
    assert "This conversation is closed" in body["errors"][blocks.TEXT_BLOCK]
    before = len(fake_slack.calls_to("views.open"))
    await press(slack, blocks.AUTHOR_REPLY_ACTION, thread_id, user_id=AUTHOR)
    await drain_background_tasks()
    assert len(fake_slack.calls_to("views.open")) == before

    # the author's id was never logged; the feedback text neither
    for record in caplog.records:
        line = record.getMessage()
        assert AUTHOR not in line and "nobody says why" not in line and "Q3" not in line
    # only the reveal, at the author's request, stores them in clear
    rows = await all_rows(runtime)
    assert rows
    revealed = [row for row in rows if row.get("revealed_user_id") == AUTHOR]
    assert len(revealed) == 1
    for row in rows:
        for column, value in row.items():
            if column != "revealed_user_id":
                assert AUTHOR not in str(value), column


async def test_before_any_reveal_no_column_holds_the_author(
    fake_slack: FakeSlack, runtime: Runtime, people: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in PAYLOAD_LOGGERS:  # as bot/cli.py does with quiet_payload_loggers()
        caplog.set_level(logging.INFO, logger=name)
    await feedback(runtime, fake_slack, SECRET)
    await feedback(runtime, fake_slack, "team Sales Our pipeline reviews run too long.")
    rows = await all_rows(runtime)
    assert len(rows) == 4
    for row in rows:
        for value in row.values():
            assert AUTHOR not in str(value)
    assert AUTHOR not in caplog.text and "pipeline reviews" not in caplog.text


async def test_team_feedback_goes_to_its_lead_only(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, people: None
) -> None:
    notice = await feedback(runtime, fake_slack, "team sales   Our pipeline reviews run too long.")
    assert "the lead of Sales" in notice["text"]
    [to_lead] = dms(fake_slack, LEAD)
    assert "Our pipeline reviews run too long." in shown(to_lead)
    assert "the lead of Sales" in shown(to_lead)
    assert dms(fake_slack, ADMIN_ID) == []
    # the lead replies through the button; the author receives it
    thread_id = buttons(to_lead)[blocks.LEADER_REPLY_ACTION]
    await reply(slack, fake_slack, blocks.LEADER_REPLY_ACTION, thread_id, LEAD, "Let's cut them.")
    assert "Let's cut them." in shown(dms(fake_slack, AUTHOR)[-1])
    # someone else cannot reply to it
    view = await open_reply(slack, fake_slack, blocks.LEADER_REPLY_ACTION, thread_id, LEAD)
    response = await slack.submit_view(view, {blocks.TEXT_BLOCK: "Hi"}, user_id=ADMIN_ID)
    assert response.json()["response_action"] == "errors"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("team Customer Support Please hire more people", "Customer Support has no lead"),
        ("team Marketing Hello", "There is no team with that name"),
        ("team", "Name the team"),
        ("team Sales", "`/pulse feedback team Sales Your message`"),
        ("hello\x07there", "control character"),
        ("x" * 3001, "3000 characters or fewer"),
    ],
)
async def test_bad_input_says_what_to_type(
    fake_slack: FakeSlack, runtime: Runtime, people: None, text: str, expected: str
) -> None:
    with pytest.raises(UserInputError) as error:
        await run_feedback_command(text=text, request=request_of(runtime, fake_slack))
    assert expected in error.value.message
    assert "`/pulse feedback" in error.value.message
    assert fake_slack.calls_to("chat.postMessage") == []


async def test_a_bare_command_opens_the_modal_which_validates_then_sends(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, people: None
) -> None:
    result = await run_feedback_command(text="  ", request=request_of(runtime, fake_slack))
    assert result.view is not None and result.reply is None
    view = result.view
    assert len(view["title"]["text"]) <= 24
    recipient = next(b for b in view["blocks"] if b.get("block_id") == blocks.RECIPIENT_BLOCK)
    options = [o["value"] for o in recipient["element"]["options"]]
    assert options[0] == blocks.ADMINS_VALUE and len(options) == 2  # Support has no lead
    text_block = next(b for b in view["blocks"] if b.get("block_id") == blocks.TEXT_BLOCK)
    assert text_block["element"]["max_length"] == 3000 and text_block["element"]["multiline"]

    response = await slack.submit_view(view, {blocks.TEXT_BLOCK: "   "}, user_id=AUTHOR)
    assert blocks.TEXT_BLOCK in response.json()["errors"]
    response = await slack.submit_view(view, {blocks.TEXT_BLOCK: "Bad\x00byte"}, user_id=AUTHOR)
    assert "control character" in response.json()["errors"][blocks.TEXT_BLOCK]
    response = await slack.submit_view(
        view, {blocks.RECIPIENT_BLOCK: "team:999", blocks.TEXT_BLOCK: "Hi"}, user_id=AUTHOR
    )
    assert blocks.RECIPIENT_BLOCK in response.json()["errors"]
    assert fake_slack.calls_to("chat.postMessage") == []

    response = await slack.submit_view(
        view,
        {blocks.RECIPIENT_BLOCK: options[1], blocks.TEXT_BLOCK: "More <b>focus</b>"},
        user_id=AUTHOR,
    )
    assert response.status_code == 200 and response.text == ""
    await drain_background_tasks()
    [to_lead] = dms(fake_slack, LEAD)
    assert "More &lt;b&gt;focus&lt;/b&gt;" in shown(to_lead)
    assert any("Sent anonymously" in shown(m) for m in dms(fake_slack, AUTHOR))


async def test_a_typed_slash_command_relays_no_live_mention_or_disguised_link(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, people: None
) -> None:
    # What Slack sends for what the author typed: its own & < > escaped, markup left live.
    typed = (
        "Heads up <!here> <!channel> <!subteam^S0ADMINS|@admins> <@U0VICTIM>? "
        "Log in at <http://evil.example|https://bank.example> to fix &lt;b&gt; &amp; co."
    )
    before = len(fake_slack.calls_to("response_url"))
    response = await slack.command(f"feedback {typed}", command="/pulse", user_id=AUTHOR)
    assert response.status_code == 200
    await fake_slack.wait_for("response_url", before + 1)
    await drain_background_tasks()
    [to_admin] = dms(fake_slack, ADMIN_ID)
    relayed = shown(to_admin)
    for live in ("<!here", "<!channel", "<!subteam", "<@U0VICTIM", "<http"):
        assert live not in relayed, live
    assert "&lt;!here&gt;" in relayed
    assert "&lt;http://evil.example|https://bank.example&gt;" in relayed
    # what the author typed as text is shown as they typed it, escaped once, not twice
    assert "to fix &lt;b&gt; &amp; co." in relayed and "&amp;lt;" not in relayed


NEW_LEAD = "ULEADNEW01"
NEW_ADMIN = "UADMINNEW1"


async def refused_to(slack: SlackSender, fake_slack: FakeSlack, thread_id: str, user: str) -> str:
    """``user`` presses *Reply* on the thread: no modal opens; returns what they are told."""
    opened = len(fake_slack.calls_to("views.open"))
    told = len(fake_slack.calls_to("response_url"))
    assert (await press(slack, blocks.LEADER_REPLY_ACTION, thread_id, user_id=user)).status_code
    answer = (await fake_slack.wait_for("response_url", told + 1))[-1].args
    await drain_background_tasks()
    assert len(fake_slack.calls_to("views.open")) == opened
    return str(answer["text"])


async def test_a_thread_stays_with_the_lead_it_was_written_to(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, people: None
) -> None:
    fake_slack.add_user(NEW_LEAD, name="nea", real_name="Nea New")
    await add_members(runtime, MemberProfile(user_id=NEW_LEAD, real_name="Nea New"))
    await feedback(runtime, fake_slack, "team Sales Our pipeline reviews run too long.")
    [to_lead] = dms(fake_slack, LEAD)
    thread_id = buttons(to_lead)[blocks.LEADER_REPLY_ACTION]
    response = await slack.command(f"team Sales lead <@{NEW_LEAD}|nea>", user_id=ADMIN_ID)
    assert response.status_code == 200
    await drain_background_tasks()
    async with runtime.sessions() as session:
        [sales] = [t for t in await list_teams(session=session, team_id=TEAM_ID) if t.lead_user_id]
    assert sales.lead_user_id == NEW_LEAD

    # the new lead can neither read the earlier thread nor reply to it
    assert "Only the people Anonymous #" in await refused_to(slack, fake_slack, thread_id, NEW_LEAD)
    view = await open_reply(slack, fake_slack, blocks.LEADER_REPLY_ACTION, thread_id, LEAD)
    assert "pipeline reviews" in json.dumps(view["blocks"])  # the lead it went to still can
    response = await slack.submit_view(view, {blocks.TEXT_BLOCK: "Mine now"}, user_id=NEW_LEAD)
    assert response.json()["response_action"] == "errors"
    response = await slack.submit_view(view, {blocks.TEXT_BLOCK: "Let's cut them."}, user_id=LEAD)
    assert response.status_code == 200 and response.text == ""
    await drain_background_tasks()
    assert "Let's cut them." in shown(dms(fake_slack, AUTHOR)[-1])
    await reply(slack, fake_slack, blocks.AUTHOR_REPLY_ACTION, thread_id, AUTHOR, "By half?")
    assert "By half?" in shown(dms(fake_slack, LEAD)[-1])
    assert dms(fake_slack, NEW_LEAD) == []
    # feedback written from now on goes to the new lead
    await feedback(runtime, fake_slack, "team Sales Welcome aboard.")
    [to_new_lead] = dms(fake_slack, NEW_LEAD)
    assert "Welcome aboard." in shown(to_new_lead)


async def test_a_thread_to_the_admins_stays_with_the_admins_of_its_day(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, people: None
) -> None:
    await feedback(runtime, fake_slack, SECRET)
    [to_admin] = dms(fake_slack, ADMIN_ID)
    thread_id = buttons(to_admin)[blocks.LEADER_REPLY_ACTION]
    # a new Slack admin arrives and the first one steps down, as Slack tells Northstar
    newcomer = fake_slack.add_user(NEW_ADMIN, name="nadia", is_admin=True)
    former = next(user for user in fake_slack.users if user["id"] == ADMIN_ID)
    for event_id, user in (("EvADMIN1", newcomer), ("EvADMIN2", {**former, "is_admin": False})):
        await slack.event({"type": "user_change", "user": user}, event_id=event_id)
        await drain_background_tasks()

    assert "Only the people Anonymous #" in await refused_to(
        slack, fake_slack, thread_id, NEW_ADMIN
    )
    await reply(slack, fake_slack, blocks.LEADER_REPLY_ACTION, thread_id, ADMIN_ID, "Noted.")
    assert "Noted." in shown(dms(fake_slack, AUTHOR)[-1])
    assert dms(fake_slack, NEW_ADMIN) == []
    # new feedback to the admins reaches the admin of today only
    await feedback(runtime, fake_slack, "Second thoughts.")
    assert "Second thoughts." in shown(dms(fake_slack, NEW_ADMIN)[-1])
    assert "Second thoughts." not in json.dumps(dms(fake_slack, ADMIN_ID))


async def test_the_authors_dms_never_repeat_what_they_wrote(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, people: None
) -> None:
    notice = await feedback(runtime, fake_slack, SECRET)
    assert "nobody says why" not in notice["text"]
    thread_id = buttons(dms(fake_slack, ADMIN_ID)[0])[blocks.LEADER_REPLY_ACTION]
    await reply(slack, fake_slack, blocks.LEADER_REPLY_ACTION, thread_id, ADMIN_ID, "Which week?")
    await reply(slack, fake_slack, blocks.AUTHOR_REPLY_ACTION, thread_id, AUTHOR, "The Q3 plan.")
    to_author = [shown(message) for message in dms(fake_slack, AUTHOR)]
    assert len(to_author) == 3  # the receipt, the admin's reply, the receipt of the answer
    assert "Sent anonymously as *#" in to_author[0] and "Which week?" in to_author[1]
    assert "was sent anonymously" in to_author[2]
    for message in to_author:
        assert "nobody says why" not in message and "Q3" not in message
    # the admin still has both of the author's messages
    assert "nobody says why" in shown(dms(fake_slack, ADMIN_ID)[0])
    assert "The Q3 plan." in shown(dms(fake_slack, ADMIN_ID)[-1])
