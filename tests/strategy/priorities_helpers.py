"""Driving ``/align priorities`` and its form like a person, and reading what was stored."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx
from sqlmodel import col, select

from bot.core.runtime import Runtime
from bot.strategy.blocks.forms import title_block, why_block
from fakeslack import FakeSlack
from storage.models import PRIORITIES_MAX, Priority, PriorityChange
from storage.repositories.priorities import list_priorities
from tests.slack_requests import ADMIN_ID, TEAM_ID, SlackSender


def text_of(value: Any) -> str:
    """Every ``text`` string in blocks (or a view), joined: what a person would read."""
    if isinstance(value, list):
        return " ".join(text_of(item) for item in value)
    if isinstance(value, dict):
        return " ".join(
            item if key == "text" and isinstance(item, str) else text_of(item)
            for key, item in value.items()
        )
    return ""


async def reply_to(
    slack: SlackSender, fake_slack: FakeSlack, text: str, user: str = ADMIN_ID
) -> str:
    """``/align text``, answered ephemerally: what the answer says."""
    before = len(fake_slack.calls_to("response_url"))
    response = await slack.command(text, user_id=user)
    assert response.status_code == 200 and response.text == ""
    answer = (await fake_slack.wait_for("response_url", before + 1))[-1].args
    assert answer["response_type"] == "ephemeral"
    return text_of(answer["blocks"])


async def open_form(
    slack: SlackSender, fake_slack: FakeSlack, text: str = "priorities edit"
) -> dict[str, Any]:
    before = len(fake_slack.calls_to("views.open"))
    assert (await slack.command(text)).status_code == 200
    view: dict[str, Any] = (await fake_slack.wait_for("views.open", before + 1))[-1].args["view"]
    return view


def filled(*priorities: tuple[str, str]) -> dict[str, str | None]:
    """Every slot of the form: these (title, why) in rank order, the rest empty."""
    answers: dict[str, str | None] = {}
    for rank in range(1, PRIORITIES_MAX + 1):
        title, why = priorities[rank - 1] if rank <= len(priorities) else ("", "")
        answers[title_block(rank)] = title or None
        answers[why_block(rank)] = why or None
    return answers


def inline_errors(response: httpx.Response) -> dict[str, str]:
    if not response.content:
        return {}
    body = response.json()
    assert body["response_action"] == "errors"
    errors: dict[str, str] = body["errors"]
    return errors


async def save(
    slack: SlackSender,
    fake_slack: FakeSlack,
    priorities: Sequence[tuple[str, str]],
    user: str = ADMIN_ID,
) -> httpx.Response:
    """Open the form as an admin and submit these priorities as ``user``."""
    view = await open_form(slack, fake_slack)
    response = await slack.submit_view(view, filled(*priorities), user_id=user)
    assert response.status_code == 200
    return response


async def stored(runtime: Runtime, *, archived: bool = False) -> list[Priority]:
    async with runtime.sessions() as session:
        return await list_priorities(session=session, team_id=TEAM_ID, include_archived=archived)


async def change_summaries(runtime: Runtime) -> list[str]:
    async with runtime.sessions() as session:
        rows = (await session.exec(select(PriorityChange).order_by(col(PriorityChange.id)))).all()
    return [row.summary for row in rows]
