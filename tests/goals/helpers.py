"""Driving ``/goal`` like a person: commands, modals opened and submitted, replies read."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from tests.slack_requests import ADMIN_ID, SlackSender

TODAY = date(2026, 11, 27)


def fix_clock(runtime: Runtime, day: date = TODAY) -> None:
    runtime.clock = lambda: datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)


async def reply(slack: SlackSender, fake_slack: FakeSlack, text: str, user: str = ADMIN_ID) -> str:
    """``/goal text`` and the text of all blocks of the ephemeral answer."""
    before = len(fake_slack.calls_to("response_url"))
    assert (await slack.command(text, command="/goal", user_id=user)).status_code == 200
    answer = (await fake_slack.wait_for("response_url", before + 1))[-1].args
    assert answer["response_type"] == "ephemeral" and answer["text"]
    return " ".join(str(block) for block in answer["blocks"])


async def open_form(
    slack: SlackSender, fake_slack: FakeSlack, text: str, user: str = ADMIN_ID
) -> dict[str, Any]:
    """``/goal new …`` / ``edit`` / ``update``: the modal Northstar opened."""
    before = len(fake_slack.calls_to("views.open"))
    assert (await slack.command(text, command="/goal", user_id=user)).status_code == 200
    call = (await fake_slack.wait_for("views.open", before + 1))[-1]
    assert str(call.args["trigger_id"]).endswith(".command")
    view: dict[str, Any] = call.args["view"]
    return view


def due(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


KEEP = "<keep what the form shows>"


def goal_answers(**answers: str | None) -> dict[str, str | None]:
    """Answers for the goal form; ``None`` leaves a field empty, ``KEEP`` keeps its initial."""
    base: dict[str, str | None] = {
        "title": "Grow revenue to 2M",
        "level": "personal",
        "measure": "number",
        "start_value": "0",
        "target_value": "100",
        "due_date": due(90),
    }
    base.update(answers)
    return {key: value for key, value in base.items() if value != KEEP}


async def submit(
    slack: SlackSender,
    fake_slack: FakeSlack,
    view: dict[str, Any],
    answers: dict[str, str | None],
    user: str = ADMIN_ID,
) -> httpx.Response:
    return await slack.submit_view(view, answers, user_id=user)


async def create_goal(
    slack: SlackSender, fake_slack: FakeSlack, user: str = ADMIN_ID, **answers: str | None
) -> str:
    """Create a goal through the modal; returns the confirmation text."""
    view = await open_form(slack, fake_slack, "new", user)
    before = len(fake_slack.calls_to("response_url"))
    response = await submit(slack, fake_slack, view, goal_answers(**answers), user)
    assert response.status_code == 200 and response.text == "", response.text
    confirmation = (await fake_slack.wait_for("response_url", before + 1))[-1].args
    return str(confirmation["text"])


def form_errors(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 200
    body = response.json()
    assert body["response_action"] == "errors"
    errors: dict[str, str] = body["errors"]
    return errors


def parent_value(view: dict[str, Any], number: int) -> str:
    """The option value of goal ``G-number`` in the form's parent select."""
    block = next(b for b in view["blocks"] if b["block_id"] == "parent")
    for group in block["element"].get("option_groups") or []:
        for option in group["options"]:
            if option["text"]["text"].startswith(f"G-{number} "):
                return str(option["value"])
    raise AssertionError(f"G-{number} is not offered as a parent")


def team_value(view: dict[str, Any], name: str) -> str:
    block = next(b for b in view["blocks"] if b["block_id"] == "team")
    for option in block["element"]["options"]:
        if option["text"]["text"] == name:
            return str(option["value"])
    raise AssertionError(f"team {name} is not offered")
