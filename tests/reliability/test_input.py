"""Bad input, as a property: every slash command with arbitrary text, and every modal Northstar
opens submitted with arbitrary state, through signed requests into the real app.

For every example: Slack gets HTTP 200 at once; no error or traceback is logged (a fault
Northstar did not expect); the person hears back (a reply, a modal, or a DM); everything that
reached the fake Slack is valid Block Kit within Slack's limits (the fake records violations);
a modal refused with ``response_action: errors`` names only its own input blocks and wrote
nothing to the database.

Examples come from the ``ci`` Hypothesis profile (derandomized, so every run is the same) with
a modest number per command or modal; state is shared across examples of one test, so later
examples meet what earlier ones created.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.checkins.blocks.prompts import ANSWER_ACTION as CHECKIN_ANSWER_ACTION
from bot.core.runtime import Runtime
from bot.feedback.blocks import LEADER_REPLY_ACTION
from bot.pulse.delivery import ANSWER_ACTION as PULSE_ANSWER_ACTION
from bot.pulse.delivery import advance, send_invitations
from bot.slack.client import build_web_client
from fakeslack import FakeSlack
from storage.repositories.members import MemberProfile
from tests.checkins import answer_helpers as checkin
from tests.conftest import drain_background_tasks
from tests.factories import add_members
from tests.goals import helpers as goal_helpers
from tests.kpis import helpers as kpi_helpers
from tests.pulse.test_delivery import add_bystanders, schedule_survey
from tests.pulse.test_delivery import add_people as add_pulse_people
from tests.reliability.helpers import (
    click,
    command,
    errors_logged,
    replies,
    snapshot,
    submit,
)
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender

PROPERTY = settings(
    settings.get_profile("ci"),
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
MODAL_PROPERTY = settings(PROPERTY, max_examples=30)

# --- arbitrary text, as Slack would deliver it (should_escape: true) --------------------------

FRAGMENTS = st.sampled_from(
    [
        f"<@{MEMBER_ID}>",
        f"<@{ADMIN_ID}|ada>",
        "<@UNOBODY99|ghost>",
        "<#C0SALES|sales>",
        "<#C0NOWHERE>",
        "<!here>",
        "<!channel>",
        "<!everyone>",
        "<!subteam^S0123|@devs>",
        "<https://example.com|click>",
        "<mailto:a@b.c|a@b.c>",
        "&amp;",
        "&lt;script&gt;",
        "G-1",
        "G-2",
        "g-0",
        "G-99999999999999999999",
        "K-1",
        "K--1",
        "P-1",
        "P-007",
        "#7F3A",
        "Sales",
        '"Sales team"',
        "@max",
        "@",
        "to",
        "none",
        "done",
        "dropped",
        "on",
        "off",
        "team",
        "until",
        "2026-11-30",
        "2026-02-30",
        "\u0662\u0660\u0662\u0666-\u0661\u0661-\u0663\u0660",  # Arabic-Indic digits
        "9:30",
        "25:61",
        "monday",
        "12,500",
        "$3,000",
        "45%",
        "1.2k",
        "-0",
        "1e309",
        "NaN",
        "inf",
        "0x10",
        "\x00",
        "\x1b[31m",
        "\u202e",
        "\u200b",
        "\r\n",
        "\t",
        "💥",
        "👩‍👩‍👧‍👦",
        "ﷺ",
        "e\u0301",
        "\ud7ff",
        "*bold*",
        "`code`",
        "```",
        ">",
    ]
)
WORDS = st.lists(st.one_of(FRAGMENTS, st.text(max_size=12)), max_size=8).map(" ".join)
TEXT = st.one_of(
    WORDS,
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
    st.sampled_from(["x" * 5000, "é" * 5000, "💥" * 3001, "<@UMEMBER1> " * 400, " " * 5000]),
)


def prefixed(*prefixes: str) -> st.SearchStrategy[str]:
    """A subcommand from the command's help, then anything."""
    return st.one_of(
        TEXT, st.tuples(st.sampled_from(prefixes), TEXT).map(lambda parts: "".join(parts))
    )


COMMANDS: dict[str, st.SearchStrategy[str]] = {
    "/align": prefixed(
        "help",
        "vision ",
        "mission ",
        "admins",
        "admins add ",
        "admins remove ",
        "teams",
        "team add ",
        "team Sales add ",
        "team Sales remove ",
        "team Sales lead ",
        "team Sales channel ",
        "digest ",
        "digest teams ",
        "digest preview",
        "digest off",
        "retention ",
        "delete-workspace-data ",
        "kudos ",
        "kudos channel ",
    ),
    "/goal": prefixed(
        "help",
        "new ",
        "list ",
        "list team ",
        "show ",
        "show G-1",
        "update G-1 ",
        "update ",
        "close G-2 ",
        "reopen ",
        "edit ",
        "link G-2 to ",
        "tree ",
    ),
    "/kpi": prefixed(
        "help", "new ", "log K-1 ", "log ", "list", "show ", "edit ", "archive ", "unarchive "
    ),
    "/checkin": prefixed(
        "help",
        "skip",
        "pause until ",
        "resume",
        "history",
        "status ",
        "status team ",
        "settings",
        "holidays",
        "holidays add ",
        "holidays remove ",
        "new",
        "setups",
        "edit ",
        "remove ",
        "workweek ",
        "pause Weekly check-in until ",
        "status Weekly check-in team ",
    ),
    "/kudos": prefixed("", "help", f"<@{MEMBER_ID}|max> ", f"<@{ADMIN_ID}> ", "G-1 "),
    "/pulse": prefixed(
        "help", "new", "list", "results ", "close ", "threshold P-1 ", "feedback ", "feedback team "
    ),
}
PEOPLE = st.sampled_from([ADMIN_ID, MEMBER_ID])


# --- what must hold for every example -------------------------------------------------------


class Watch:
    """What one example caused: log records, Slack calls and violations."""

    def __init__(self, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture) -> None:
        self.fake_slack = fake_slack
        self.caplog = caplog
        self.calls = len(fake_slack.calls)
        self.records = len(caplog.records)

    def check(self, what: str) -> None:
        assert errors_logged(self.caplog.records[self.records :]) == [], what
        assert self.fake_slack.take_violations() == [], what

    def answered(self) -> bool:
        return bool(replies(self.fake_slack, self.calls))


async def world(runtime: Runtime, fake_slack: FakeSlack, slack: SlackSender) -> None:
    """A workspace with something behind every kind of reference: a team, goals, a KPI,
    a scheduled survey, another person."""
    await checkin.add_people(runtime)
    await add_members(runtime, MemberProfile(user_id="UPEER001", real_name="Pat Peer"))
    await checkin.add_sales_team(runtime)
    goal_helpers.fix_clock(runtime)
    await goal_helpers.create_goal(slack, fake_slack, title="Company aim", level="company")
    await goal_helpers.create_goal(slack, fake_slack, title="My part", target_value="40")
    await kpi_helpers.make_kpi(runtime, name="Revenue", owner=MEMBER_ID)
    await add_bystanders(runtime)
    await schedule_survey(runtime)
    await drain_background_tasks()
    fake_slack.clear()


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO)
    return caplog


@pytest.fixture
async def populated(slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime) -> SlackSender:
    """The app, in a workspace built once for all of a test's examples."""
    await world(runtime, fake_slack, slack)
    return slack


@pytest.mark.parametrize("name", sorted(COMMANDS))
@PROPERTY
@given(data=st.data())
async def test_any_text_after_any_command_is_answered_without_a_fault(
    populated: SlackSender,
    fake_slack: FakeSlack,
    logs: pytest.LogCaptureFixture,
    name: str,
    data: st.DataObject,
) -> None:
    text = data.draw(COMMANDS[name], label="text")
    user_id = data.draw(PEOPLE, label="user")
    watch = Watch(fake_slack, logs)
    response, _ = await command(populated, text, name=name, user_id=user_id)
    assert (response.status_code, response.text) == (200, ""), text
    await drain_background_tasks()
    watch.check(f"{name} {text!r}")
    assert watch.answered(), f"{name} {text!r} got no answer"


# --- arbitrary modal state ------------------------------------------------------------------------


def _options(element: dict[str, Any]) -> list[dict[str, Any]]:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options += group["options"]
    return options


# An option the view no longer offers (a modal left open while teams or goals changed), with
# a value of the size Slack allows (150 characters).
FORGED_OPTION = st.builds(
    lambda text: {"text": {"type": "plain_text", "text": text[:75] or "?"}, "value": text[:150]},
    st.one_of(TEXT, st.sampled_from(["0", "-1", "999999999999", "1.5", "null", "G-1"])),
)
SLACK_USERS = st.one_of(
    st.sampled_from([ADMIN_ID, MEMBER_ID, "UNOBODY99", "W0ENTERPRISE", "USLACKBOT", ""]),
    st.text(max_size=20),
)
DATES = st.one_of(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)).map(date.isoformat),
    st.sampled_from(["2026-02-30", "0000-00-00", "tomorrow", "2026-13-01"]),
    st.text(max_size=12),
)
TIMES = st.one_of(
    st.times().map(lambda t: t.strftime("%H:%M")),
    st.sampled_from(["24:00", "9:5", "noon", "-1:00"]),
    st.text(max_size=6),
)
EPOCHS = st.one_of(
    st.integers(min_value=-(2**40), max_value=2**40),
    st.integers(min_value=1_700_000_000, max_value=1_900_000_000),
)


def element_state(draw: st.DrawFn, element: dict[str, Any]) -> dict[str, Any]:
    """What Slack could put in ``view.state`` for ``element``, and what it never would."""
    kind = element["type"]
    options = _options(element)
    offered = st.sampled_from(options) if options else FORGED_OPTION
    some_option = st.one_of(offered, FORGED_OPTION)
    if kind == "plain_text_input":
        # Slack's client keeps typed text within the element's max_length (3000 at most).
        limit = int(element.get("max_length") or 3000)
        text = draw(st.one_of(st.none(), TEXT))
        return {"type": kind, "value": None if text is None else text[:limit]}
    if kind in ("static_select", "external_select", "radio_buttons"):
        return {"type": kind, "selected_option": draw(st.one_of(st.none(), some_option))}
    if kind in ("multi_static_select", "checkboxes"):
        return {"type": kind, "selected_options": draw(st.lists(some_option, max_size=6))}
    if kind == "users_select":
        return {"type": kind, "selected_user": draw(st.one_of(st.none(), SLACK_USERS))}
    if kind == "conversations_select":
        channel = st.one_of(st.none(), st.sampled_from(["C0SALES", "G0PRIVATE", ""]), TEXT)
        return {"type": kind, "selected_conversation": draw(channel)}
    if kind == "multi_users_select":
        return {"type": kind, "selected_users": draw(st.lists(SLACK_USERS, max_size=4))}
    if kind == "datepicker":
        return {"type": kind, "selected_date": draw(st.one_of(st.none(), DATES))}
    if kind == "timepicker":
        return {"type": kind, "selected_time": draw(st.one_of(st.none(), TIMES))}
    if kind == "datetimepicker":
        return {"type": kind, "selected_date_time": draw(st.one_of(st.none(), EPOCHS))}
    if kind == "number_input":
        return {"type": kind, "value": draw(st.one_of(st.none(), TEXT))}
    raise AssertionError(f"no arbitrary state for element type {kind}")


@st.composite
def arbitrary_state(draw: st.DrawFn, view: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        values[block["block_id"]] = {element["action_id"]: element_state(draw, element)}
    return {"values": values}


def input_blocks(view: dict[str, Any]) -> set[str]:
    return {block["block_id"] for block in view["blocks"] if block["type"] == "input"}


async def submit_arbitrarily(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    logs: pytest.LogCaptureFixture,
    view: dict[str, Any],
    state: dict[str, Any],
    user_id: str,
) -> None:
    """Submit ``view`` with ``state``; the checks every modal must pass."""
    metadata = json.loads(str(view.get("private_metadata") or "{}"))
    if isinstance(metadata, dict) and metadata.get("response_url"):
        # Each opening of a modal brings its own response URL (Slack allows five uses of
        # one); a saved modal closes, so a person never submits the same one twice.
        metadata["response_url"] = slack.next_response_url()
        view = {**view, "private_metadata": json.dumps(metadata)}
    before = await snapshot(runtime.engine)
    watch = Watch(fake_slack, logs)
    response: httpx.Response = await submit(slack, view, user_id=user_id, state=state)
    what = f"{view.get('callback_id')}: {json.dumps(state)[:2000]}"
    assert response.status_code == 200, what
    if response.content:
        body = response.json()
        assert body["response_action"] == "errors", what
        errors: dict[str, str] = body["errors"]
        assert errors and set(errors) <= input_blocks(view), what
        assert all(isinstance(m, str) and 0 < len(m) <= 2000 for m in errors.values()), what
        assert await snapshot(runtime.engine) == before, f"refused yet written: {what}"
    await drain_background_tasks()
    watch.check(what)


Opener = Callable[[SlackSender, FakeSlack, Runtime], Any]


async def open_goal_new(slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime) -> Any:
    return await goal_helpers.open_form(slack, fake_slack, "new")


async def open_goal_edit(slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime) -> Any:
    return await goal_helpers.open_form(slack, fake_slack, "edit G-2")


async def open_goal_update(slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime) -> Any:
    return await goal_helpers.open_form(slack, fake_slack, "update G-2")


async def open_kpi_new(slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime) -> Any:
    return await kpi_helpers.open_form(slack, fake_slack, "new")


async def open_kpi_edit(slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime) -> Any:
    return await kpi_helpers.open_form(slack, fake_slack, "edit K-1")


async def open_checkin_settings(slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime) -> Any:
    return await opened_by_command(slack, fake_slack, "/checkin", "settings")


async def open_pulse_builder(slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime) -> Any:
    return await opened_by_command(slack, fake_slack, "/pulse", "new")


async def open_feedback(slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime) -> Any:
    return await opened_by_command(slack, fake_slack, "/pulse", "feedback", user_id=MEMBER_ID)


async def open_feedback_reply(slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime) -> Any:
    await command(slack, "feedback The plan changes weekly", name="/pulse", user_id=MEMBER_ID)
    await drain_background_tasks()
    [relayed] = [
        c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == ADMIN_ID
    ]
    value = next(
        element["value"]
        for block in relayed.args["blocks"]
        for element in block.get("elements", [])
        if element.get("action_id") == LEADER_REPLY_ACTION
    )
    return await opened_by_click(slack, fake_slack, LEADER_REPLY_ACTION, value, ADMIN_ID)


async def open_checkin_answer(slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime) -> Any:
    await checkin.prompt_round(runtime, fake_slack)
    value = checkin.prompt_value(fake_slack, MEMBER_ID, "2026-W49")
    return await opened_by_click(slack, fake_slack, CHECKIN_ANSWER_ACTION, value, MEMBER_ID)


async def open_pulse_answer(slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime) -> Any:
    await add_pulse_people(runtime)
    survey = await schedule_survey(runtime)
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    runtime.clock = lambda: now + timedelta(hours=1)
    await advance(runtime=runtime, team_id=TEAM_ID, now=now)
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    await send_invitations(runtime=runtime, client=client, team_id=TEAM_ID, now=now)
    return await opened_by_click(slack, fake_slack, PULSE_ANSWER_ACTION, str(survey.id), MEMBER_ID)


async def opened_by_command(
    slack: SlackSender, fake_slack: FakeSlack, name: str, text: str, user_id: str = ADMIN_ID
) -> Any:
    before = len(fake_slack.calls_to("views.open"))
    await command(slack, text, name=name, user_id=user_id)
    return (await fake_slack.wait_for("views.open", before + 1))[-1].args["view"]


async def opened_by_click(
    slack: SlackSender, fake_slack: FakeSlack, action_id: str, value: str, user_id: str
) -> Any:
    before = len(fake_slack.calls_to("views.open"))
    await click(slack, action_id, value, user_id=user_id)
    return (await fake_slack.wait_for("views.open", before + 1))[-1].args["view"]


# Every callback_id Northstar registers, with how a person gets its modal and who submits it.
MODALS: dict[str, tuple[Opener, str]] = {
    "goal new": (open_goal_new, ADMIN_ID),
    "goal edit": (open_goal_edit, ADMIN_ID),
    "goal update": (open_goal_update, ADMIN_ID),
    "kpi new": (open_kpi_new, ADMIN_ID),
    "kpi edit": (open_kpi_edit, MEMBER_ID),
    "check-in answer": (open_checkin_answer, MEMBER_ID),
    "check-in settings": (open_checkin_settings, ADMIN_ID),
    "pulse builder": (open_pulse_builder, ADMIN_ID),
    "pulse answer": (open_pulse_answer, MEMBER_ID),
    "feedback": (open_feedback, MEMBER_ID),
    "feedback reply": (open_feedback_reply, ADMIN_ID),
}


@pytest.fixture
async def modal(
    request: pytest.FixtureRequest, populated: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> tuple[dict[str, Any], str]:
    """The modal named by the test's parameter, as Northstar opened it, and who submits it."""
    opener, user_id = MODALS[request.param]
    view = await opener(populated, fake_slack, runtime)
    await drain_background_tasks()
    assert fake_slack.take_violations() == []
    return view, user_id


@pytest.mark.parametrize("modal", sorted(MODALS), indirect=True)
@MODAL_PROPERTY
@given(data=st.data())
async def test_any_state_of_any_modal_is_saved_or_refused_cleanly(
    populated: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    logs: pytest.LogCaptureFixture,
    modal: tuple[dict[str, Any], str],
    data: st.DataObject,
) -> None:
    view, user_id = modal
    state = data.draw(arbitrary_state(view), label="state")
    await submit_arbitrarily(populated, fake_slack, runtime, logs, view, state, user_id)
