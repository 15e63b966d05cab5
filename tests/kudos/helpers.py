"""Kudos like people give them: the workspace's people, a team, goals, ``/kudos`` and its
answer, the "Give kudos" form submitted as Slack would, and what reached Slack."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlmodel import col, select

from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from fakeslack.app_requests import DEFAULT_APP_ID, TOKEN, VIEW_ID
from storage.db import transaction
from storage.models import Goal, Kudos
from storage.repositories.goals import add_goal
from storage.repositories.members import MemberProfile
from storage.repositories.teams import add_team_members, create_team
from storage.repositories.workspaces import ensure_workspace
from tests.factories import add_members
from tests.goals.helpers import TODAY
from tests.slack_requests import (
    ADMIN_ID,
    MEMBER_ID,
    SUBMIT_TRIGGER_ID,
    TEAM_DOMAIN,
    TEAM_ID,
    SlackSender,
)

ADA = "UADA0001"
SAM = "USAM0001"
TEAM_CHANNEL = "CSALES01"
KUDOS_CHANNEL = "CKUDOS01"
OTHER_TEAM_ID = "T0OTHER"


@dataclass(frozen=True)
class Seeded:
    goal: Goal
    """G-1 of the tests' workspace."""
    foreign_goal: Goal
    """G-2 of another workspace (which has G-1 and G-2)."""


async def _goal(runtime: Runtime, team_id: str, title: str, owner: str) -> Goal:
    async with transaction(runtime.sessions) as session:
        await ensure_workspace(session=session, team_id=team_id)
        return await add_goal(
            session=session,
            goal=Goal(
                team_id=team_id,
                number=0,
                title=title,
                level="team",
                owner_id=owner,
                created_by=owner,
                start_date=TODAY,
                target_value=10,
                due_date=TODAY + timedelta(days=60),
            ),
        )


async def seed(runtime: Runtime, *, team_channel: str | None = TEAM_CHANNEL) -> Seeded:
    """The admin, the member, Ada and Sam; the member is in Sales (with ``team_channel``);
    G-1 "Launch the beta" here, and two goals in another workspace."""
    await add_members(
        runtime,
        MemberProfile(user_id=ADMIN_ID, is_admin=True),
        MemberProfile(user_id=MEMBER_ID, name="max"),
        MemberProfile(user_id=ADA, name="ada"),
        MemberProfile(user_id=SAM, name="sam"),
    )
    async with transaction(runtime.sessions) as session:
        team = await create_team(
            session=session, team_id=TEAM_ID, name="Sales", channel_id=team_channel
        )
        await add_team_members(session=session, team=team, user_ids=[MEMBER_ID, ADA])
    goal = await _goal(runtime, TEAM_ID, "Launch the beta", ADA)
    await _goal(runtime, OTHER_TEAM_ID, "Their first goal", "UOTHER01")
    foreign = await _goal(runtime, OTHER_TEAM_ID, "Their secret goal", "UOTHER01")
    return Seeded(goal=goal, foreign_goal=foreign)


def shown(reply: dict[str, Any]) -> str:
    """The mrkdwn of every block of a message or reply."""
    return " ".join(str(block) for block in reply["blocks"])


async def answer_to(
    slack: SlackSender, fake_slack: FakeSlack, text: str, *, command: str, user: str
) -> dict[str, Any]:
    """Send ``command text`` and return the ephemeral answer."""
    before = len(fake_slack.calls_to("response_url"))
    response = await slack.command(text, command=command, user_id=user)
    assert response.status_code == 200 and response.text == ""
    answer = (await fake_slack.wait_for("response_url", before + 1))[-1].args
    assert answer["response_type"] == "ephemeral" and answer["text"]
    return dict(answer)


async def kudos(
    slack: SlackSender, fake_slack: FakeSlack, text: str, *, user: str = MEMBER_ID
) -> dict[str, Any]:
    return await answer_to(slack, fake_slack, text, command="/kudos", user=user)


async def align(
    slack: SlackSender, fake_slack: FakeSlack, text: str, *, user: str = ADMIN_ID
) -> str:
    return shown(await answer_to(slack, fake_slack, text, command="/align", user=user))


def posts_to(fake_slack: FakeSlack, channel: str) -> list[dict[str, Any]]:
    return [c.args for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == channel]


async def kudos_rows(runtime: Runtime) -> list[Kudos]:
    async with runtime.sessions() as session:
        return list((await session.exec(select(Kudos).order_by(col(Kudos.id)))).all())


def kudos_form_state(
    view: dict[str, Any], *, recipients: list[str], text: str | None, goal_id: int | None
) -> dict[str, Any]:
    """What Slack submits for the "Give kudos" form (a multi-user select included)."""
    values: dict[str, Any] = {
        "kudos_recipients": {"users": {"type": "multi_users_select", "selected_users": recipients}},
        "kudos_text": {"text": {"type": "plain_text_input", "value": text}},
    }
    goal_block = next((b for b in view["blocks"] if b.get("block_id") == "kudos_goal"), None)
    if goal_block is not None:
        chosen = None
        if goal_id is not None:
            options = goal_block["element"]["options"]
            chosen = next(o for o in options if o["value"] == str(goal_id))
        values["kudos_goal"] = {"select": {"type": "static_select", "selected_option": chosen}}
    return {"values": values}


async def submit_kudos_form(
    slack: SlackSender,
    view: dict[str, Any],
    *,
    recipients: list[str],
    text: str | None,
    goal_id: int | None = None,
    user: str = MEMBER_ID,
) -> httpx.Response:
    """Submit the form as ``user``, signed, the way Slack posts a ``view_submission``."""
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "api_app_id": DEFAULT_APP_ID,
        "token": TOKEN,
        "trigger_id": SUBMIT_TRIGGER_ID,
        "view": {
            **view,
            "id": VIEW_ID,
            "team_id": TEAM_ID,
            "state": kudos_form_state(view, recipients=recipients, text=text, goal_id=goal_id),
            "hash": "1.abc",
        },
        "response_urls": [],
        "is_enterprise_install": False,
    }
    return await slack.post(urlencode({"payload": json.dumps(payload)}))
