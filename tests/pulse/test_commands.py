"""``/pulse`` and its survey builder through signed requests into the real app."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from bot.core.runtime import Runtime
from bot.pulse.blocks.builder import Field, custom_field
from bot.pulse.lifecycle import advance_surveys, create_survey
from bot.pulse.questions import BANK, SurveyDraft
from bot.pulse.surveys import submit_answer
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Survey
from storage.repositories.members import MemberProfile, upsert_members
from storage.repositories.surveys import get_survey_by_number
from storage.repositories.teams import create_team
from storage.repositories.workspaces import ensure_workspace
from tests.kpis.helpers import inline_errors, text_of
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
PEOPLE = tuple(f"UPULSE{number:03d}" for number in range(1, 11))  # ten besides the admin
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def fixed_clock(runtime: Runtime) -> None:
    runtime.clock = lambda: NOW


# --- driving Slack -----------------------------------------------------------------------------


async def ask(slack: SlackSender, fake_slack: FakeSlack, text: str, user: str = ADMIN_ID) -> str:
    """``/pulse text``: acknowledged at once, answered ephemerally; returns what it says."""
    before = len(fake_slack.calls_to("response_url"))
    response = await slack.command(text, command="/pulse", user_id=user)
    assert response.status_code == 200 and response.text == ""
    answer = (await fake_slack.wait_for("response_url", before + 1))[-1].args
    assert answer["response_type"] == "ephemeral"
    assert answer["text"]
    return text_of(answer["blocks"])


async def open_builder(slack: SlackSender, fake_slack: FakeSlack) -> dict[str, Any]:
    before = len(fake_slack.calls_to("views.open"))
    assert (await slack.command("new", command="/pulse", user_id=ADMIN_ID)).status_code == 200
    view: dict[str, Any] = (await fake_slack.wait_for("views.open", before + 1))[-1].args["view"]
    return view


def _entry(element: dict[str, Any], value: Any) -> dict[str, Any]:
    """What Slack puts in ``view.state`` for one element holding ``value``."""
    kind = element["type"]
    if kind == "plain_text_input":
        return {"type": kind, "value": value}
    if kind == "static_select":
        chosen = next((o for o in element["options"] if o["value"] == value), None)
        return {"type": kind, "selected_option": chosen}
    if kind == "multi_static_select":
        chosen = [o for o in element["options"] if o["value"] in (value or [])]
        return {"type": kind, "selected_options": chosen}
    assert kind == "datetimepicker"
    return {"type": kind, "selected_date_time": value}


def _initial(element: dict[str, Any]) -> Any:
    if element.get("initial_option"):
        return element["initial_option"]["value"]
    if "initial_options" in element:
        return [option["value"] for option in element["initial_options"]]
    return element.get("initial_value", element.get("initial_date_time"))


async def submit(
    slack: SlackSender, view: dict[str, Any], answers: dict[str, Any]
) -> httpx.Response:
    values = {
        block["block_id"]: {
            block["element"]["action_id"]: _entry(
                block["element"], answers.get(block["block_id"], _initial(block["element"]))
            )
        }
        for block in view["blocks"]
        if block["type"] == "input"
    }
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "acme"},
        "user": {"id": ADMIN_ID, "username": "ada", "team_id": TEAM_ID},
        "api_app_id": "A0001",
        "token": "legacy-verification-token",
        "trigger_id": "1337.42.submit",
        "view": {**view, "id": "V0001", "team_id": TEAM_ID, "state": {"values": values}},
        "response_urls": [],
        "is_enterprise_install": False,
    }
    body = urlencode({"payload": json.dumps(payload)})
    response = await slack.post(body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    return response


# --- seeding the core directly -----------------------------------------------------------------


async def seed_people(runtime: Runtime) -> None:
    profiles = [MemberProfile(user_id=ADMIN_ID, name="ada", is_admin=True)]
    profiles += [MemberProfile(user_id=user, name=user.lower()) for user in PEOPLE]
    async with transaction(runtime.sessions) as session:
        await ensure_workspace(session=session, team_id=TEAM_ID)
        await upsert_members(session=session, team_id=TEAM_ID, profiles=profiles)


async def open_survey(runtime: Runtime, *, repeat: str = "none") -> Survey:
    await seed_people(runtime)
    draft = SurveyDraft(
        title="Alignment pulse",
        questions=BANK,
        opens_at=NOW,
        closes_at=NOW + timedelta(days=5),
        repeat=repeat,
    )
    async with transaction(runtime.sessions) as session:
        survey = await create_survey(
            session=session, team_id=TEAM_ID, actor=ADMIN_ID, draft=draft, now=NOW
        )
    async with transaction(runtime.sessions) as session:
        changes = await advance_surveys(session=session, team_id=TEAM_ID, now=NOW)
    assert [opened.id for opened in changes.opened] == [survey.id]
    return survey


async def answer_as(runtime: Runtime, survey: Survey, users: tuple[str, ...]) -> None:
    assert survey.id is not None
    submitted: dict[str, object] = {question.key: 4 for question in BANK[:5]}
    submitted["enps"] = 9
    for user in users:
        async with transaction(runtime.sessions) as session:
            await submit_answer(
                session=session,
                team_id=TEAM_ID,
                survey_id=survey.id,
                user_id=user,
                submitted=submitted,
                allow_replies=False,
                secret_key=runtime.settings.northstar_secret_key.get_secret_value(),
                now=NOW + timedelta(hours=1),
            )


async def survey_row(runtime: Runtime, number: int) -> Survey | None:
    async with runtime.sessions() as session:
        return await get_survey_by_number(session=session, team_id=TEAM_ID, number=number)


# --- tests -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "help"])
async def test_help_lists_every_subcommand(
    slack: SlackSender, fake_slack: FakeSlack, text: str
) -> None:
    shown = await ask(slack, fake_slack, text, user=MEMBER_ID)
    for command in ("/pulse new", "/pulse list", "/pulse results P-4", "/pulse close P-4"):
        assert command in shown
    assert "/pulse threshold P-4 8" in shown and "/pulse feedback" in shown


async def test_new_builder_creates_a_survey_and_confirms(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await seed_people(runtime)
    async with transaction(runtime.sessions) as session:
        await ensure_workspace(session=session, team_id=TEAM_ID)
        await create_team(session=session, team_id=TEAM_ID, name="Sales")
    view = await open_builder(slack, fake_slack)
    fields = {block["block_id"]: block["element"] for block in view["blocks"] if "element" in block}
    assert [o["value"] for o in fields[Field.BANK]["options"]] == [q.key for q in BANK]
    assert fields[Field.MIN_RESPONSES]["initial_value"] == "5"
    assert fields[Field.OPENS]["initial_date_time"] == int(NOW.timestamp())
    assert fields[Field.CLOSES]["initial_date_time"] == int((NOW + timedelta(days=7)).timestamp())
    assert fields[Field.TEAMS]["options"][0]["text"]["text"] == "Sales"

    response = await submit(
        slack,
        view,
        {
            Field.TITLE: "Q4 pulse",
            Field.BANK: ["direction", "enps"],
            custom_field(1, "kind"): "choice",
            custom_field(1, "text"): "Best day for all-hands?",
            custom_field(1, "options"): "Monday\nFriday\n",
            Field.REPEAT: "monthly",
        },
    )
    assert inline_errors(response) == {}
    confirmation = (await fake_slack.wait_for("response_url", 1))[-1].args
    assert "P-1 Q4 pulse* created" in text_of(confirmation["blocks"])
    assert "opens" in confirmation["text"]
    survey = await survey_row(runtime, 1)
    assert survey is not None and survey.created_by == ADMIN_ID
    assert [q["key"] for q in survey.questions] == ["direction", "enps", "custom_1"]
    assert survey.questions[2]["options"] == ["Monday", "Friday"]
    assert survey.repeat == "monthly" and survey.min_responses == 5 and survey.team_refs == []


async def test_builder_shows_each_problem_on_its_field(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    view = await open_builder(slack, fake_slack)
    response = await submit(
        slack,
        view,
        {
            Field.TITLE: "   ",
            Field.MIN_RESPONSES: "2",
            Field.CLOSES: int((NOW - timedelta(days=1)).timestamp()),
            custom_field(2, "kind"): "choice",
            custom_field(2, "text"): "Pick one",
            custom_field(2, "options"): "Only one",
        },
    )
    errors = inline_errors(response)
    assert errors[Field.TITLE] == "Give the survey a title."
    assert "at least 3" in errors[Field.MIN_RESPONSES]
    assert "close after it opens" in errors[Field.CLOSES]
    assert "Question 2" in errors[custom_field(2, "text")]
    assert Field.BANK not in errors  # the refused question says more than "add a question"
    assert await survey_row(runtime, 1) is None
    assert fake_slack.calls_to("response_url") == []


async def test_new_is_for_admins_only(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    shown = await ask(slack, fake_slack, "new", user=MEMBER_ID)
    assert "Only Northstar admins can create surveys" in shown
    assert fake_slack.calls_to("views.open") == []
    await open_survey(runtime)
    assert "Only Northstar admins can close surveys" in await ask(
        slack, fake_slack, "close P-1", user=MEMBER_ID
    )
    assert "Only Northstar admins" in await ask(slack, fake_slack, "threshold P-1 9", MEMBER_ID)
    survey = await survey_row(runtime, 1)
    assert survey is not None and survey.state == "open" and survey.min_responses == 5


async def test_list_shows_counts_and_never_who(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    survey = await open_survey(runtime)
    await answer_as(runtime, survey, PEOPLE[:2])
    before = len(fake_slack.calls_to("response_url"))
    shown = await ask(slack, fake_slack, "list", user=MEMBER_ID)
    assert "P-1" in shown and "Alignment pulse" in shown and "open" in shown
    assert "2 of 11 answered" in shown  # everyone is invited: the ten and the admin
    raw = json.dumps(fake_slack.calls_to("response_url")[before].args)
    for user in PEOPLE:
        assert user not in raw


async def test_results_are_withheld_below_the_threshold_and_nothing_is_uploaded(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    survey = await open_survey(runtime)
    await answer_as(runtime, survey, PEOPLE[:4])
    assert "still open" in await ask(slack, fake_slack, "results P-1")
    runtime.clock = lambda: NOW + timedelta(hours=2)
    assert "is closed" in await ask(slack, fake_slack, "close P-1")
    shown = await ask(slack, fake_slack, "results P-1")
    assert "got 4 of the 5 responses" in shown
    assert "4.00" not in shown
    assert fake_slack.calls_to("files.getUploadURLExternal") == []
    assert fake_slack.calls_to("conversations.open") == []


async def test_results_at_the_threshold_are_shown_with_a_chart_in_the_dm(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    survey = await open_survey(runtime)
    await answer_as(runtime, survey, PEOPLE[:5])
    runtime.clock = lambda: NOW + timedelta(hours=2)
    assert "is closed" in await ask(slack, fake_slack, "close P-1")
    shown = await ask(slack, fake_slack, "results P-1")
    assert "5 responses" in shown and "4.00 of 5" in shown and "eNPS +100" in shown
    completed = await fake_slack.wait_for("files.completeUploadExternal", 1)
    opened = fake_slack.calls_to("conversations.open")
    assert [call.args["users"] for call in opened] == [ADMIN_ID]
    assert completed[0].args["channel_id"] == "D" + ADMIN_ID
    [upload] = fake_slack.uploads.values()
    assert upload.startswith(PNG_MAGIC)
    [info] = fake_slack.files.values()
    assert info["name"] == "P-1-results.png" and info["alt_txt"]


async def test_results_of_a_repeating_survey_show_the_trend(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    survey = await open_survey(runtime, repeat="weekly")
    await answer_as(runtime, survey, PEOPLE[:5])
    runtime.clock = lambda: NOW + timedelta(hours=2)
    assert "next round is scheduled" in await ask(slack, fake_slack, "close P-1")
    shown = await ask(slack, fake_slack, "results P-1")
    assert "Trend" in shown and "direction 4.00" in shown


async def test_close_refuses_a_survey_that_is_not_open(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await seed_people(runtime)
    assert "not open" in await ask(slack, fake_slack, "close P-9")
    assert "no survey P-9" in await ask(slack, fake_slack, "results P-9")


async def test_threshold_goes_up_but_not_down_once_answers_exist(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    survey = await open_survey(runtime)
    await answer_as(runtime, survey, PEOPLE[:1])
    assert "at least 7 responses" in await ask(slack, fake_slack, "threshold P-1 7")
    refused = await ask(slack, fake_slack, "threshold P-1 4")
    assert "can only go up from 7" in refused
    assert "at least 3" in await ask(slack, fake_slack, "threshold P-1 2")
    row = await survey_row(runtime, 1)
    assert row is not None and row.min_responses == 7


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("launch", "has no subcommand"),
        ("results", "Which survey?"),
        ("close G-4", "not a survey number"),
        ("threshold P-1 many", "not a whole number"),
        ("list everything", "takes nothing after it"),
    ],
)
async def test_bad_input_is_answered_with_what_to_type(
    slack: SlackSender, fake_slack: FakeSlack, text: str, says: str
) -> None:
    shown = await ask(slack, fake_slack, text, user=MEMBER_ID)
    assert says in shown and "/pulse" in shown


async def test_feedback_is_routed_to_anonymous_feedback(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await seed_people(runtime)
    shown = await ask(slack, fake_slack, "feedback More focus time, please", user=MEMBER_ID)
    assert "went wrong" not in shown and "/pulse` has no subcommand" not in shown
    posted = [call.args for call in fake_slack.calls_to("chat.postMessage")]
    to_admin = [args for args in posted if args.get("channel") == ADMIN_ID]
    assert to_admin and "More focus time, please" in json.dumps(to_admin)
    assert MEMBER_ID not in json.dumps(to_admin)  # the author stays anonymous
    assert (await slack.command("feedback", command="/pulse", user_id=MEMBER_ID)).status_code == 200
    assert len(await fake_slack.wait_for("views.open", 1)) == 1
