"""Each Home button through the real app: the quick actions open the modals their slash
commands open, Log KPI logs through ``/kpi log``'s checks, the admins' and leads' buttons
refuse anyone else (a forged press included) by DM."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Kpi, KpiValue
from storage.repositories.kpis import add_kpi
from tests.conftest import drain_background_tasks
from tests.goals.helpers import TODAY, fix_clock, form_errors
from tests.home.helpers import home_click, opened_by_click, seed
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender


@pytest.mark.parametrize(
    ("action_id", "callback_id"),
    [
        ("home_new_goal", "goal_form"),
        ("home_new_kpi", "kpi_form"),
        ("home_log_kpi", "kpi_log_form"),
        ("home_feedback", "pulse_feedback_send"),
    ],
)
async def test_quick_actions_open_the_slash_commands_modals(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, action_id: str, callback_id: str
) -> None:
    fix_clock(runtime)
    await seed(runtime)
    view = await opened_by_click(slack, fake_slack, action_id, user_id=MEMBER_ID)
    assert view["callback_id"] == callback_id


@pytest.mark.parametrize(
    ("action_id", "callback_id"),
    [("home_checkin_settings", "checkin_settings"), ("home_new_survey", "pulse_builder")],
)
async def test_admin_buttons_open_their_modals(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, action_id: str, callback_id: str
) -> None:
    fix_clock(runtime)
    await seed(runtime)
    view = await opened_by_click(slack, fake_slack, action_id, user_id=ADMIN_ID)
    assert view["callback_id"] == callback_id


async def test_check_in_status_answers_a_lead_by_dm(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    await seed(runtime)
    response = await home_click(slack, "home_checkin_status", "home", user_id=ADMIN_ID)
    assert response.status_code == 200
    message = (await fake_slack.wait_for("chat.postMessage"))[-1].args
    assert message["channel"] == ADMIN_ID
    assert fake_slack.calls_to("views.open") == []


@pytest.mark.parametrize(
    ("action_id", "refusal"),
    [
        ("home_checkin_settings", "Only Northstar admins can change check-in settings"),
        ("home_new_survey", "Only Northstar admins can create surveys"),
        ("home_checkin_status", "Only Northstar admins and team leads can see who answered"),
    ],
)
async def test_a_forged_press_of_an_admin_button_is_refused_by_dm(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, action_id: str, refusal: str
) -> None:
    fix_clock(runtime)
    await seed(runtime)
    assert (await home_click(slack, action_id, "x", user_id=MEMBER_ID)).status_code == 200
    message = (await fake_slack.wait_for("chat.postMessage"))[-1].args
    assert message["channel"] == MEMBER_ID and refusal in message["text"]
    assert fake_slack.calls_to("views.open") == []


async def kpi_values(runtime: Runtime) -> list[tuple[int, float, str | None]]:
    async with runtime.sessions() as session:
        rows = (await session.exec(select(KpiValue).order_by(KpiValue.id))).all()  # type: ignore[arg-type]
    return [(row.kpi_id, row.value, row.author_id) for row in rows]


async def admins_kpi(runtime: Runtime) -> Kpi:
    async with transaction(runtime.sessions) as session:
        return await add_kpi(
            session=session,
            kpi=Kpi(
                team_id=TEAM_ID,
                number=0,
                name="Churn",
                name_key="",
                unit="%",
                target=2,
                green_threshold=3,
                red_threshold=5,
                higher_is_better=False,
                owner_id=ADMIN_ID,
                created_by=ADMIN_ID,
            ),
        )


def options(view: dict[str, Any]) -> list[str]:
    block = next(b for b in view["blocks"] if b["block_id"] == "kpi_log_kpi")
    return [option["text"]["text"] for option in block["element"]["options"]]


async def test_log_kpi_logs_a_value_for_one_of_my_kpis(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    await seed(runtime)  # the member owns K-1 Revenue, with three values
    await admins_kpi(runtime)
    before = await kpi_values(runtime)
    view = await opened_by_click(slack, fake_slack, "home_log_kpi", user_id=MEMBER_ID)
    assert options(view) == ["K-1 Revenue"]  # not the admin's K-2
    saved = await slack.submit_view(view, {"kpi_log_value": "21,500"}, user_id=MEMBER_ID)
    assert saved.status_code == 200 and saved.text == ""
    await drain_background_tasks()
    assert (await kpi_values(runtime))[len(before) :] == [(1, 21_500.0, MEMBER_ID)]
    message = fake_slack.calls_to("chat.postMessage")[-1].args
    assert message["channel"] == MEMBER_ID and "Logged $21,500" in message["text"]
    assert TODAY.isoformat() in message["text"]


async def test_log_kpi_keeps_every_mistake_on_its_field_and_writes_nothing(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    await seed(runtime)
    theirs = await admins_kpi(runtime)
    before = await kpi_values(runtime)
    view = await opened_by_click(slack, fake_slack, "home_log_kpi", user_id=MEMBER_ID)
    forged = await slack.submit_view(
        view, {"kpi_log_kpi": str(theirs.number), "kpi_log_value": "4"}, user_id=MEMBER_ID
    )
    assert list(form_errors(forged)) == ["kpi_log_kpi"]
    assert "K-2" in form_errors(forged)["kpi_log_kpi"]
    not_a_number = await slack.submit_view(view, {"kpi_log_value": "lots"}, user_id=MEMBER_ID)
    assert list(form_errors(not_a_number)) == ["kpi_log_value"]
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    future = await slack.submit_view(
        view, {"kpi_log_value": "5", "kpi_log_day": tomorrow}, user_id=MEMBER_ID
    )
    assert list(form_errors(future)) == ["kpi_log_day"]
    await drain_background_tasks()
    assert await kpi_values(runtime) == before


async def test_log_kpi_without_a_kpi_says_how_to_make_one_by_dm(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    await seed(runtime)
    async with transaction(runtime.sessions) as session:
        for kpi in (await session.exec(select(Kpi))).all():
            kpi.archived = True
            session.add(kpi)
    assert (await home_click(slack, "home_log_kpi", "home", user_id=MEMBER_ID)).status_code == 200
    message = (await fake_slack.wait_for("chat.postMessage"))[-1].args
    assert message["channel"] == MEMBER_ID and "You have no KPI to log" in message["text"]
    assert fake_slack.calls_to("views.open") == []
