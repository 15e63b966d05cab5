"""Driving the check-in setup form like a person: open it, fill some fields, submit it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlencode

import httpx

from bot.checkins.blocks.settings_modal import Field
from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.models import CheckinSetup
from storage.repositories import checkin_setups as repo
from tests.slack_requests import ADMIN_ID, TEAM_ID, SlackSender, view_submission_body


def _option(element: dict[str, Any], value: str) -> dict[str, Any]:
    for option in element.get("options", []):
        if option["value"] == value:
            return dict(option)
    return {"text": {"type": "plain_text", "text": value}, "value": value}


def _entry(element: dict[str, Any], answer: Any, given: bool) -> dict[str, Any]:
    kind = element["type"]
    if kind == "plain_text_input":
        return {"type": kind, "value": answer if given else element.get("initial_value")}
    if kind in ("static_select", "radio_buttons"):
        chosen = _option(element, answer) if given and answer is not None else None
        return {"type": kind, "selected_option": chosen if given else element.get("initial_option")}
    if kind in ("checkboxes", "multi_static_select"):
        picked = [_option(element, v) for v in answer] if given else element.get("initial_options")
        return {"type": kind, "selected_options": picked or []}
    if kind == "timepicker":
        return {"type": kind, "selected_time": answer if given else element.get("initial_time")}
    if kind == "multi_users_select":
        return {
            "type": kind,
            "selected_users": answer if given else element.get("initial_users", []),
        }
    if kind == "conversations_select":
        chosen = answer if given else element.get("initial_conversation")
        return {"type": kind, "selected_conversation": chosen}
    raise AssertionError(f"no state for {kind}")


def setup_state(view: dict[str, Any], answers: Mapping[Any, Any]) -> dict[str, Any]:
    """What Slack submits: each input's initial value, unless ``answers`` gives another."""
    given = {str(key): value for key, value in answers.items()}
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        block_id, element = block["block_id"], block["element"]
        entry = _entry(element, given.get(block_id), block_id in given)
        values[block_id] = {element["action_id"]: entry}
    return {"values": values}


async def submit_setup(
    slack: SlackSender, view: dict[str, Any], answers: Mapping[Any, Any], user: str = ADMIN_ID
) -> httpx.Response:
    body = view_submission_body({**view, "blocks": []}, {}, user_id=user)
    payload = json.loads(parse_qs(body)["payload"][0])
    payload["view"]["blocks"] = view["blocks"]
    payload["view"]["state"] = setup_state(view, answers)
    return await slack.post(
        urlencode({"payload": json.dumps(payload)}),
        content_type="application/x-www-form-urlencoded",
    )


async def saved_text(
    slack: SlackSender,
    fake_slack: FakeSlack,
    view: dict[str, Any],
    answers: dict[Field, Any],
    user: str = ADMIN_ID,
) -> str:
    """Submit the form, expect it to close, and return the confirmation's text."""
    before = len(fake_slack.calls_to("response_url"))
    response = await submit_setup(slack, view, answers, user)
    assert response.status_code == 200 and response.text == "", response.text
    return str((await fake_slack.wait_for("response_url", before + 1))[-1].args["blocks"])


async def open_form(
    slack: SlackSender, fake_slack: FakeSlack, text: str, user: str = ADMIN_ID
) -> dict[str, Any]:
    """``/checkin text`` (``new``, ``edit NAME``, ``settings``) and the modal it opened."""
    before = len(fake_slack.calls_to("views.open"))
    assert (await slack.command(text, command="/checkin", user_id=user)).status_code == 200
    view: dict[str, Any] = (await fake_slack.wait_for("views.open", before + 1))[-1].args["view"]
    return view


async def new_setup(
    slack: SlackSender,
    fake_slack: FakeSlack,
    answers: dict[Field, Any],
    user: str = ADMIN_ID,
) -> str:
    view = await open_form(slack, fake_slack, "new", user)
    return await saved_text(slack, fake_slack, view, answers, user)


async def setup_rows(runtime: Runtime, *, archived: bool = False) -> list[CheckinSetup]:
    async with runtime.sessions() as session:
        return await repo.list_setups(session=session, team_id=TEAM_ID, include_archived=archived)


def block_of(view: dict[str, Any], field: Field) -> dict[str, Any]:
    found: dict[str, Any] = next(b for b in view["blocks"] if b.get("block_id") == field.value)
    return found


STAND_UP: dict[Field, Any] = {
    Field.NAME: "Daily stand-up",
    Field.DAYS: ["0", "1", "2", "3", "4"],
    Field.WINDOW: "0",
    Field.QUESTIONS: "What did you do yesterday?\nHow many calls today? (number) (optional)",
    Field.EXTRAS: [],
}
