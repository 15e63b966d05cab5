"""Driving ``/goal kr`` like a person, and reading key results back."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.models import Goal, KeyResult, KeyResultUpdate
from storage.repositories.goals import get_goal_by_number
from tests.goals.helpers import create_goal, open_form, reply, submit
from tests.slack_requests import ADMIN_ID, TEAM_ID, SlackSender

__all__ = ["create_goal", "open_form", "reply", "submit"]


def kr_answers(*rows: dict[str, str]) -> dict[str, str | None]:
    """Form answers: row n of ``rows`` fills KR n's fields (title, start, target, unit,
    weight, kpi)."""
    answers: dict[str, str | None] = {}
    for row, fields in enumerate(rows, start=1):
        for field, value in fields.items():
            answers[f"kr{row}_{field}"] = value
    return answers


async def submit_key_results(
    slack: SlackSender,
    fake_slack: FakeSlack,
    number: int,
    *rows: dict[str, str],
    user: str = ADMIN_ID,
) -> tuple[dict[str, Any], Any]:
    view = await open_form(slack, fake_slack, f"kr G-{number}", user)
    before = len(fake_slack.calls_to("response_url"))
    response = await slack.submit_view(view, kr_answers(*rows), user_id=user)
    if response.text == "":  # saved: wait for the confirmation, so later replies are theirs
        await fake_slack.wait_for("response_url", before + 1)
    return view, response


async def goal_of(runtime: Runtime, number: int) -> Goal:
    async with runtime.sessions() as session:
        goal = await get_goal_by_number(session=session, team_id=TEAM_ID, number=number)
    assert goal is not None
    return goal


async def key_results_of(runtime: Runtime, number: int) -> list[KeyResult]:
    goal = await goal_of(runtime, number)
    async with runtime.sessions() as session:
        statement = (
            select(KeyResult).where(KeyResult.goal_id == goal.id).order_by(col(KeyResult.position))
        )
        return list((await session.exec(statement)).all())


async def updates_of(runtime: Runtime, key_result: KeyResult) -> list[KeyResultUpdate]:
    async with runtime.sessions() as session:
        statement = (
            select(KeyResultUpdate)
            .where(KeyResultUpdate.key_result_id == key_result.id)
            .order_by(col(KeyResultUpdate.id))
        )
        return list((await session.exec(statement)).all())
