"""Driving ``/kpi`` like a person, and making KPIs directly when a test needs many."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

import httpx

from bot.core.runtime import Runtime
from bot.kpis.blocks.modal import Field
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Kpi, KpiValue
from storage.repositories.kpis import add_kpi, get_kpi_by_number, recent_values, record_value
from storage.repositories.workspaces import ensure_workspace
from tests.slack_requests import ADMIN_ID, TEAM_ID, SlackSender

TODAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def fix_clock(runtime: Runtime, now: datetime = NOW) -> None:
    runtime.clock = lambda: now


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


async def ask(slack: SlackSender, fake_slack: FakeSlack, text: str, user: str = ADMIN_ID) -> str:
    """``/kpi text``: acknowledged at once, answered ephemerally; returns what it says."""
    before = len(fake_slack.calls_to("response_url"))
    response = await slack.command(text, command="/kpi", user_id=user)
    assert response.status_code == 200
    assert response.text == ""
    answer = (await fake_slack.wait_for("response_url", before + 1))[-1].args
    assert answer["response_type"] == "ephemeral"
    assert answer["text"]
    return text_of(answer["blocks"])


async def open_form(
    slack: SlackSender, fake_slack: FakeSlack, text: str = "new", user: str = ADMIN_ID
) -> dict[str, Any]:
    """``/kpi new …`` or ``/kpi edit …``: the modal Northstar opened."""
    before = len(fake_slack.calls_to("views.open"))
    assert (await slack.command(text, command="/kpi", user_id=user)).status_code == 200
    call = (await fake_slack.wait_for("views.open", before + 1))[-1]
    view: dict[str, Any] = call.args["view"]
    return view


def answers(**changes: str | None) -> dict[str, str | None]:
    """A valid form; keyword names are ``Field`` member names in lower case."""
    base: dict[str, str | None] = {
        Field.NAME: "Monthly revenue",
        Field.UNIT: "$",
        Field.DIRECTION: "higher",
        Field.TARGET: "15,000",
        Field.GREEN: "12,000",
        Field.RED: "8,000",
        Field.CADENCE: "weekly",
        Field.SOURCE: "none",
    }
    base.update({Field[name.upper()].value: value for name, value in changes.items()})
    return {str(key): value for key, value in base.items()}


async def submit(
    slack: SlackSender, view: dict[str, Any], form: dict[str, str | None], user: str = ADMIN_ID
) -> httpx.Response:
    response = await slack.submit_view(view, form, user_id=user)
    assert response.status_code == 200
    return response


def inline_errors(response: httpx.Response) -> dict[str, str]:
    """The errors a view submission was acknowledged with (none: ``{}``)."""
    if not response.content:
        return {}
    body = response.json()
    assert body["response_action"] == "errors"
    errors: dict[str, str] = body["errors"]
    return errors


async def make_kpi(
    runtime: Runtime,
    *,
    name: str = "Revenue",
    team_id: str = TEAM_ID,
    owner: str = ADMIN_ID,
    values: Iterable[tuple[date, float]] = (),
    **fields: Any,
) -> Kpi:
    """A KPI written straight to the database (target 100, green 80, red 50 unless given)."""
    settings: dict[str, Any] = {"target": 100.0, "green_threshold": 80.0, "red_threshold": 50.0}
    settings.update(fields)
    async with transaction(runtime.sessions) as session:
        await ensure_workspace(session=session, team_id=team_id)
        kpi = await add_kpi(
            session=session,
            kpi=Kpi(
                team_id=team_id,
                number=0,
                name=name,
                name_key="",
                owner_id=owner,
                created_by=owner,
                **settings,
            ),
        )
        for day, value in values:
            await record_value(
                session=session, kpi=kpi, value=value, recorded_on=day, author_id=owner
            )
    return kpi


async def kpi_row(runtime: Runtime, number: int, team_id: str = TEAM_ID) -> Kpi | None:
    async with runtime.sessions() as session:
        return await get_kpi_by_number(session=session, team_id=team_id, number=number)


async def values_of(runtime: Runtime, kpi: Kpi) -> list[KpiValue]:
    assert kpi.id is not None
    async with runtime.sessions() as session:
        found = await recent_values(
            session=session, team_id=kpi.team_id, kpi_ids=[kpi.id], per_kpi=1000
        )
    return found.get(kpi.id, [])
