"""Admin-only actions, each tried by an ordinary member: every command the README marks for
admins (or owners, or a goal's or KPI's owner, lead and admins), and every admin modal
submitted by someone who is not one. The member is told no; nothing is written, nothing is
posted, no modal opens, no file is shared."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.db import transaction
from storage.repositories import checkin_calendar
from storage.repositories.members import MemberProfile
from tests.checkins import answer_helpers as checkin
from tests.checkins.command_helpers import settings_state
from tests.conftest import drain_background_tasks
from tests.factories import add_members
from tests.goals import helpers as goal_helpers
from tests.kpis import helpers as kpi_helpers
from tests.pulse.test_delivery import add_bystanders, schedule_survey
from tests.reliability.helpers import command, snapshot, submit
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender

PEER = "UPEER0001"
REFUSED = re.compile(r"\bonly\b|\badmins?\b|\bowners?\b|\blead\b|not allowed|cannot", re.I)

ADMIN_COMMANDS = [
    ("/align", "vision Members rule now"),
    ("/align", "mission Whatever we like"),
    ("/align", f"admins add <@{PEER}>"),
    ("/align", f"admins remove <@{ADMIN_ID}>"),
    ("/align", "team add Ops"),
    ("/align", f"team Sales add <@{PEER}>"),
    ("/align", f"team Sales remove <@{ADMIN_ID}>"),
    ("/align", f"team Sales lead <@{MEMBER_ID}>"),
    ("/align", "team Sales channel <#C0HACKED|hacked>"),
    ("/align", "digest <#C0DIGEST1|digest> monday 9:30"),
    ("/align", "digest teams on"),
    ("/align", "digest preview"),
    ("/align", "digest now"),
    ("/align", "digest off"),
    ("/align", "export"),
    ("/align", "retention 365"),
    ("/align", "retention off"),
    ("/align", "delete-workspace-data"),
    ("/align", f"delete-workspace-data {TEAM_ID}"),
    ("/checkin", "settings"),
    ("/checkin", "holidays add 2026-12-24"),
    ("/checkin", "holidays remove 2026-12-25"),
    ("/checkin", "status"),
    ("/checkin", "status team Sales"),
    ("/pulse", "new"),
    ("/pulse", "close P-1"),
    ("/pulse", "threshold P-1 9"),
    ("/kpi", "log K-1 5"),
    ("/kpi", "edit K-1"),
    ("/kpi", "archive K-1"),
    ("/goal", "update G-1 5"),
    ("/goal", "update G-1"),
    ("/goal", "close G-1 done"),
    ("/goal", "edit G-1"),
    ("/goal", "link G-1 to none"),
]
# Slack calls that would mean the member got what they asked for.
WRITES = ("views.open", "files.completeUploadExternal", "conversations.open")


@pytest.fixture
async def workspace(slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime) -> None:
    """Sales led by the admin (the member is in it, not leading it), the admin's company goal
    G-1 and KPI K-1, an open survey P-1, and a holiday."""
    await checkin.add_people(runtime)
    await add_members(runtime, MemberProfile(user_id=PEER, real_name="Pat Peer"))
    await checkin.add_sales_team(runtime)
    goal_helpers.fix_clock(runtime)
    await goal_helpers.create_goal(slack, fake_slack, title="Company aim", level="company")
    await kpi_helpers.make_kpi(runtime, name="Revenue", owner=ADMIN_ID)
    await add_bystanders(runtime)
    await schedule_survey(runtime)
    async with transaction(runtime.sessions) as session:
        await checkin_calendar.add_holiday(session=session, team_id=TEAM_ID, day=date(2026, 12, 25))
    await drain_background_tasks()
    fake_slack.clear()


@pytest.mark.parametrize(
    ("name", "text"), ADMIN_COMMANDS, ids=[f"{n} {t}" for n, t in ADMIN_COMMANDS]
)
async def test_a_member_is_refused_every_admin_command_and_nothing_happens(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    workspace: None,
    name: str,
    text: str,
) -> None:
    before = await snapshot(runtime.engine)
    response, _ = await command(slack, text, name=name, user_id=MEMBER_ID)
    assert response.status_code == 200
    await drain_background_tasks()
    [reply] = fake_slack.calls_to("response_url")
    assert reply.args["response_type"] == "ephemeral"
    assert REFUSED.search(str(reply.args["text"])), reply.args["text"]
    assert [call.method for call in fake_slack.calls if call.method in WRITES] == []
    assert fake_slack.calls_to("chat.postMessage") == []
    assert await snapshot(runtime.engine) == before


@pytest.mark.parametrize(("name", "text"), ADMIN_COMMANDS[:3], ids=["vision", "mission", "admins"])
async def test_the_same_commands_work_for_the_admin(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    workspace: None,
    name: str,
    text: str,
) -> None:
    """The control: the refusals above are about who asked, not about a broken command."""
    before = await snapshot(runtime.engine)
    await command(slack, text, name=name, user_id=ADMIN_ID)
    await drain_background_tasks()
    assert await snapshot(runtime.engine) != before


ADMIN_MODALS = [
    ("/checkin", "settings", {}),
    ("/goal", "edit G-1", {"title": "Members' aim now"}),
    ("/goal", "update G-1", {"value": "99", "confidence": "10"}),
    ("/kpi", "edit K-1", {"kpi_name": "Members' revenue"}),
]


@pytest.mark.parametrize(
    ("name", "text", "answers"), ADMIN_MODALS, ids=[t for _, t, _ in ADMIN_MODALS]
)
async def test_an_admins_modal_submitted_by_a_member_is_refused_and_writes_nothing(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    workspace: None,
    name: str,
    text: str,
    answers: dict[str, str | None],
) -> None:
    """A modal opened by the admin (its metadata naming the admin's goal or KPI) and submitted
    by a member, as a shared screen or a replayed payload would."""
    await command(slack, text, name=name, user_id=ADMIN_ID)
    view: dict[str, Any] = (await fake_slack.wait_for("views.open"))[-1].args["view"]
    await drain_background_tasks()
    before = await snapshot(runtime.engine)
    calls = len(fake_slack.calls)
    if text == "settings":  # time and multi-select inputs: the settings form's own state
        response = await submit(slack, view, user_id=MEMBER_ID, state=settings_state(view, {}))
    else:
        response = await submit(slack, view, user_id=MEMBER_ID, answers=answers)
    await drain_background_tasks()
    refused = response.json() if response.content else {}
    said = [str(call.args.get("text")) for call in fake_slack.calls[calls:]]
    assert refused.get("response_action") == "errors" or any(REFUSED.search(s) for s in said), (
        response.text,
        said,
    )
    assert await snapshot(runtime.engine) == before


async def test_the_pulse_builder_submitted_by_a_member_creates_no_survey(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, workspace: None
) -> None:
    await command(slack, "new", name="/pulse", user_id=ADMIN_ID)
    view: dict[str, Any] = (await fake_slack.wait_for("views.open"))[-1].args["view"]
    state: dict[str, Any] = {"values": {}}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        entry: dict[str, Any] = {"type": element["type"]}
        if element["type"] == "plain_text_input":
            entry["value"] = "Members' survey" if block["block_id"].endswith("title") else None
        elif element["type"] == "multi_static_select":
            entry["selected_options"] = element.get("options", [])[:2]
        elif element["type"] == "static_select":
            entry["selected_option"] = element.get("initial_option")
        elif element["type"] == "datetimepicker":
            entry["selected_date_time"] = element.get("initial_date_time")
        state["values"][block["block_id"]] = {element["action_id"]: entry}
    before = await snapshot(runtime.engine)
    as_admin_would = await submit(slack, view, user_id=MEMBER_ID, state=state)
    await drain_background_tasks()
    assert await snapshot(runtime.engine) == before, as_admin_would.text
