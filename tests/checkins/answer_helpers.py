"""Answering check-ins like a person: a round prompted by the real fan-out, the DM's buttons
pressed, the modal submitted; and rows read back."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode

import httpx
from sqlmodel import select

from bot.checkins.blocks.prompts import ANSWER_ACTION
from bot.checkins.rounds import open_rounds, send_due_prompts
from bot.checkins.settings import CheckinSettings, config_of
from bot.checkins.setups import ensure_default_setup, store_default_settings
from bot.core.runtime import Runtime
from bot.core.weeks import week_label
from bot.goals.rollups import rebuild_rollups
from bot.slack.client import build_web_client
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import CheckinAnswer, CheckinDelivery, CheckinShare, Goal, GoalUpdate
from storage.repositories.checkin_setups import insert_setup
from storage.repositories.goals import add_goal
from storage.repositories.members import MemberProfile
from storage.repositories.teams import add_team_members, create_team
from storage.repositories.workspaces import get_workspace
from tests.factories import add_members
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender, block_action_body

MONDAY = date(2026, 11, 30)  # 2026-W49: prompts at 09:00 UTC, answers until Wed 2 Dec 00:00
SALES_CHANNEL = "C0SALES"
_triggers = itertools.count(1)


def set_clock(runtime: Runtime, day: date, hour: int = 12) -> datetime:
    now = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
    runtime.clock = lambda: now
    return now


async def add_people(runtime: Runtime) -> None:
    await add_members(
        runtime,
        MemberProfile(user_id=ADMIN_ID, real_name="Ada Admin", is_admin=True),
        MemberProfile(user_id=MEMBER_ID, real_name="Max Member"),
    )


async def set_settings(runtime: Runtime, settings: CheckinSettings) -> None:
    async with transaction(runtime.sessions) as session:
        workspace = await get_workspace(session=session, team_id=TEAM_ID)
        assert workspace is not None
        await store_default_settings(session, TEAM_ID, settings)
        session.add(workspace)


async def add_sales_team(runtime: Runtime, channel_id: str | None = SALES_CHANNEL) -> None:
    """Sales, led by the admin, with the member in it."""
    async with transaction(runtime.sessions) as session:
        team = await create_team(
            session=session,
            team_id=TEAM_ID,
            name="Sales",
            channel_id=channel_id,
            lead_user_id=ADMIN_ID,
        )
        await add_team_members(session=session, team=team, user_ids=[ADMIN_ID, MEMBER_ID])


def _goal(title: str, **fields: Any) -> Goal:
    return Goal(
        team_id=TEAM_ID,
        number=0,
        title=title,
        level="personal",
        owner_id=MEMBER_ID,
        created_by=MEMBER_ID,
        start_date=MONDAY - timedelta(days=30),
        due_date=MONDAY + timedelta(days=60),
        **fields,
    )


async def add_member_goals(runtime: Runtime) -> dict[str, Goal]:
    """G-1 a number goal at 10 of 40, G-2 a milestone not done, and two goals a check-in
    must not ask about: G-3 measured by its sub-goals, G-4 closed."""
    goals = {
        "number": _goal("Win 40 customers", target_value=40, current_value=10, confidence=7),
        "milestone": _goal("Launch the partner program", measure="milestone", confidence=6),
        "children": _goal("Grow the pipeline", measure="children"),
        "closed": _goal("Old goal", target_value=5, state="done"),
    }
    async with transaction(runtime.sessions) as session:
        for goal in goals.values():
            await add_goal(session=session, goal=goal)
        await rebuild_rollups(session=session, team_id=TEAM_ID)
    return goals


async def prompt_round(runtime: Runtime, fake_slack: FakeSlack, day: date = MONDAY) -> None:
    """Open the week's rounds and send the prompts due at noon UTC of ``day``."""
    now = set_clock(runtime, day)
    client = build_web_client(token="xoxb-test-token", base_url=fake_slack.api_url)
    await open_rounds(runtime=runtime, team_id=TEAM_ID, now=now)
    await send_due_prompts(runtime=runtime, client=client, team_id=TEAM_ID, now=now)


def prompt_value(fake_slack: FakeSlack, user_id: str, week: str) -> str:
    """The button value of the latest prompt DM of ``week`` (ISO, as the rounds key it) sent to
    ``user_id``; people read the week as "week of 30 Nov"."""
    label = week_label(week)
    for call in reversed(fake_slack.calls_to("chat.postMessage")):
        if call.args["channel"] == user_id and label in call.args["text"]:
            return str(call.args["blocks"][1]["elements"][0]["value"])
    raise AssertionError(f"no {week} prompt was sent to {user_id}")


async def press(
    slack: SlackSender, action_id: str, value: str, *, user_id: str
) -> tuple[httpx.Response, str]:
    """Press a button in a DM, with a fresh trigger id; returns the response and the
    ``response_url`` the press carried."""
    response_url = slack.next_response_url()
    body = block_action_body(
        action_id,
        value,
        user_id=user_id,
        response_url=response_url,
        container={"type": "message", "is_ephemeral": False, "channel_id": "D" + user_id},
    )
    payload = json.loads(parse_qs(body)["payload"][0])
    payload["trigger_id"] = f"1337.{next(_triggers)}.checkin"
    signed = urlencode({"payload": json.dumps(payload)})
    response = await slack.post(signed, content_type="application/x-www-form-urlencoded")
    return response, response_url


async def open_modal(
    slack: SlackSender, fake_slack: FakeSlack, value: str, *, user_id: str = MEMBER_ID
) -> dict[str, Any]:
    """Press Answer check-in; the modal Northstar opened."""
    before = len(fake_slack.calls_to("views.open"))
    response, _ = await press(slack, ANSWER_ACTION, value, user_id=user_id)
    assert response.status_code == 200
    view: dict[str, Any] = (await fake_slack.wait_for("views.open", before + 1))[-1].args["view"]
    return view


async def reply_through(fake_slack: FakeSlack, url: str) -> dict[str, Any]:
    """What Northstar sent through the ``response_url`` ``url`` (waiting for it)."""
    name = url.rsplit("/", 1)[-1]
    for count in itertools.count(1):
        calls = await fake_slack.wait_for("response_url", count)
        mine = [call.args for call in calls if call.args["_name"] == name]
        if mine:
            return mine[-1]
    raise AssertionError("unreachable")


async def ephemeral_answer(
    slack: SlackSender, fake_slack: FakeSlack, action_id: str, value: str, *, user_id: str
) -> str:
    """Press a button and read the ephemeral answer that came back through its URL."""
    response, url = await press(slack, action_id, value, user_id=user_id)
    assert response.status_code == 200
    answer = await reply_through(fake_slack, url)
    assert answer["response_type"] == "ephemeral"
    return str(answer["text"])


def block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def form_errors(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 200
    body = response.json()
    assert body["response_action"] == "errors"
    errors: dict[str, str] = body["errors"]
    return errors


GOOD_ANSWERS = {
    "q:moved": "Closed two deals with Acme & Co.",
    "q:blockers": None,
    "q:next": "Three demos",
    "q:mood": "4",
}


async def answers(runtime: Runtime) -> list[CheckinAnswer]:
    async with runtime.sessions() as session:
        return list((await session.exec(select(CheckinAnswer))).all())


async def delivery_row(runtime: Runtime, delivery_id: str) -> CheckinDelivery:
    async with runtime.sessions() as session:
        found = await session.get(CheckinDelivery, int(delivery_id))
    assert found is not None
    return found


async def goal_row(runtime: Runtime, goal: Goal) -> Goal:
    async with runtime.sessions() as session:
        found = await session.get(Goal, goal.id)
    assert found is not None
    return found


async def history(runtime: Runtime, goal: Goal) -> list[GoalUpdate]:
    async with runtime.sessions() as session:
        statement = select(GoalUpdate).where(GoalUpdate.goal_id == goal.id)
        return list((await session.exec(statement)).all())


async def shares(runtime: Runtime) -> list[CheckinShare]:
    async with runtime.sessions() as session:
        return list((await session.exec(select(CheckinShare))).all())


async def add_setup(runtime: Runtime, name: str, settings: CheckinSettings) -> int:
    """Another setup beside the default one (stored first); its id."""
    async with transaction(runtime.sessions) as session:
        await ensure_default_setup(session, TEAM_ID)
        row = await insert_setup(
            session=session, team_id=TEAM_ID, name=name, config=config_of(settings)
        )
        assert row is not None and row.id is not None
        return row.id


def prompt_value_of(fake_slack: FakeSlack, user_id: str, text: str) -> str:
    """The button value of the latest prompt DM to ``user_id`` whose text holds ``text``."""
    for call in reversed(fake_slack.calls_to("chat.postMessage")):
        if call.args["channel"] == user_id and text in call.args["text"]:
            return str(call.args["blocks"][1]["elements"][0]["value"])
    raise AssertionError(f"no prompt with {text!r} was sent to {user_id}")


async def send_prompts_at(runtime: Runtime, fake_slack: FakeSlack, now: datetime) -> list[str]:
    """Open the rounds due at ``now`` and send the prompts due then; who got a DM."""
    runtime.clock = lambda: now
    client = build_web_client(token="xoxb-test-token", base_url=fake_slack.api_url)
    before = len(fake_slack.calls_to("chat.postMessage"))
    await open_rounds(runtime=runtime, team_id=TEAM_ID, now=now)
    await send_due_prompts(runtime=runtime, client=client, team_id=TEAM_ID, now=now)
    return [str(call.args["channel"]) for call in fake_slack.calls_to("chat.postMessage")[before:]]
