"""Driving ``/checkin`` like a person: commands, the settings modal, rounds in given states."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from bot.checkins.rounds import open_rounds
from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import CheckinAnswer, CheckinDelivery, CheckinRound
from storage.repositories import checkins as repo
from storage.repositories.members import MemberProfile
from tests.checkins.setup_helpers import setup_state, submit_setup
from tests.factories import add_members
from tests.slack_requests import (
    ADMIN_ID,
    MEMBER_ID,
    TEAM_ID,
    SlackSender,
)

MONDAY = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)  # 2026-W49, two hours before the prompts
WEEK = "2026-W49"


def set_clock(runtime: Runtime, moment: datetime = MONDAY) -> None:
    runtime.clock = lambda: moment


async def checkin(
    slack: SlackSender, fake_slack: FakeSlack, text: str, user: str = ADMIN_ID
) -> str:
    """``/checkin text`` and the text of all blocks of the ephemeral answer."""
    before = len(fake_slack.calls_to("response_url"))
    assert (await slack.command(text, command="/checkin", user_id=user)).status_code == 200
    answer = (await fake_slack.wait_for("response_url", before + 1))[-1].args
    assert answer["response_type"] == "ephemeral" and answer["text"]
    return " ".join(str(block) for block in answer["blocks"])


async def open_modal(
    slack: SlackSender, fake_slack: FakeSlack, text: str, user: str = ADMIN_ID
) -> dict[str, Any]:
    before = len(fake_slack.calls_to("views.open"))
    assert (await slack.command(text, command="/checkin", user_id=user)).status_code == 200
    view: dict[str, Any] = (await fake_slack.wait_for("views.open", before + 1))[-1].args["view"]
    return view


async def add_people(runtime: Runtime, *others: MemberProfile) -> None:
    """The admin and the member of the fake Slack, plus ``others``, in the member table."""
    await add_members(
        runtime,
        MemberProfile(ADMIN_ID, name="ada", real_name="Ada Admin", is_admin=True),
        MemberProfile(MEMBER_ID, name="max", real_name="Max Member"),
        *others,
    )


async def open_week(runtime: Runtime, now: datetime = MONDAY) -> CheckinRound:
    """Open the round of ``now``'s week (as the ``checkins`` job does) and return it."""
    await open_rounds(runtime=runtime, team_id=TEAM_ID, now=now)
    week = f"{now.isocalendar()[0]}-W{now.isocalendar()[1]:02d}"
    async with runtime.sessions() as session:
        found = await repo.get_round(session=session, team_id=TEAM_ID, week=week)
    assert found is not None and found.id is not None
    return found


async def invitation(runtime: Runtime, round_: CheckinRound, user_id: str) -> CheckinDelivery:
    assert round_.id is not None
    async with runtime.sessions() as session:
        found = await repo.get_delivery(
            session=session, team_id=TEAM_ID, round_id=round_.id, user_id=user_id
        )
    assert found is not None
    return found


async def set_state(
    runtime: Runtime,
    round_: CheckinRound,
    user_id: str,
    state: str,
    *,
    answers: dict[str, str] | None = None,
    mood: int | None = None,
    late: bool = False,
) -> None:
    """Move a person's invitation to ``state`` the way the fan-out does (claim, then finish);
    ``answers`` also stores an answer row."""
    delivery = await invitation(runtime, round_, user_id)
    assert delivery.id is not None
    moment = delivery.prompt_at + timedelta(minutes=1)
    async with transaction(runtime.sessions) as session:
        assert await repo.claim_delivery(session=session, delivery=delivery, now=moment)
        fields: dict[str, Any] = {"sent_at": moment} if state != repo.FAILED else {}
        if state == repo.ANSWERED:
            fields["answered_at"] = moment
        await repo.finish_delivery(
            session=session, delivery_id=delivery.id, claimed_at=moment, state=state, **fields
        )
        if answers is not None:
            session.add(
                CheckinAnswer(
                    delivery_id=delivery.id,
                    round_id=delivery.round_id,
                    team_id=TEAM_ID,
                    user_id=user_id,
                    answers=answers,
                    mood=mood,
                    late=late,
                )
            )


def day(text: str) -> date:
    return date.fromisoformat(text)


# --- the settings modal ------------------------------------------------------------------------


def settings_state(view: dict[str, Any], answers: dict[Any, Any]) -> dict[str, Any]:
    """What Slack submits for the setup form: initial values overridden by ``answers``."""
    return setup_state(view, answers)


async def submit_settings(
    slack: SlackSender, view: dict[str, Any], answers: dict[Any, Any], user: str = ADMIN_ID
) -> httpx.Response:
    """Submit the setup form (``/checkin settings``, ``new``, ``edit``) with ``answers``."""
    return await submit_setup(slack, view, answers, user)


def form_errors(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 200
    body = response.json()
    assert body["response_action"] == "errors"
    errors: dict[str, str] = body["errors"]
    return errors


def option_value(view: dict[str, Any], block_id: str, text: str) -> str:
    block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    for option in block["element"]["options"]:
        if option["text"]["text"].startswith(text):
            return str(option["value"])
    raise AssertionError(f"{text!r} is not offered in {block_id}")
