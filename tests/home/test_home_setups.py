"""The Home's "Check-ins" list for admins and team leads: each setup's days, time and people,
Edit buttons where the viewer may edit, a "New check-in" button, and one query for them."""

from __future__ import annotations

from typing import Any

from bot.checkins.blocks.setup_list import EDIT_ACTION, NEW_ACTION
from bot.checkins.settings import CheckinSettings, config_of
from bot.core.runtime import Runtime
from bot.home.data import gather_home
from fakeslack import FakeSlack, validate_view
from storage.db import transaction
from storage.repositories.checkin_setups import insert_setup
from storage.repositories.members import MemberProfile
from storage.repositories.teams import add_team_members, create_team
from tests.factories import add_members
from tests.goals.helpers import fix_clock
from tests.home.helpers import home_of, opened_by_click, seed, texts_of
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender
from tests.statements import recorded_statements

LEAD = "ULEAD001"


def edit_values(view: dict[str, Any]) -> list[str]:
    return [
        element["value"]
        for block in view["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == f"{EDIT_ACTION}:{element['value']}"
    ]


def has_new_button(view: dict[str, Any]) -> bool:
    return any(
        element.get("action_id") == NEW_ACTION
        for block in view["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    )


async def add_setup(runtime: Runtime, name: str, settings: CheckinSettings, by: str = "") -> int:
    async with transaction(runtime.sessions) as session:
        row = await insert_setup(
            session=session, team_id=TEAM_ID, name=name, config=config_of(settings), created_by=by
        )
    assert row is not None and row.id is not None
    return row.id


async def test_admins_see_every_setup_and_open_the_forms_from_home(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    await seed(runtime)
    stand_up = await add_setup(
        runtime, "Daily <stand-up>", CheckinSettings(days=[0, 1, 2, 3, 4], window_days=0)
    )
    view = await home_of(slack, fake_slack, ADMIN_ID, "EvSETUP1")
    assert validate_view(view) == []
    shown = texts_of(view)
    assert ":calendar: Check-ins" in shown
    assert "*Weekly check-in* (default)" in shown and "Mondays at 09:00 · everyone" in shown
    assert "*Daily &lt;stand-up&gt;*" in shown and "Mon\u2013Fri at 09:00" in shown
    assert edit_values(view) == ["0", str(stand_up)] and has_new_button(view)
    settings_form = await opened_by_click(
        slack, fake_slack, f"{EDIT_ACTION}:0", user_id=ADMIN_ID, value="0"
    )
    assert settings_form["title"]["text"] == "Check-in settings"
    edit_form = await opened_by_click(
        slack, fake_slack, f"{EDIT_ACTION}:{stand_up}", user_id=ADMIN_ID, value=str(stand_up)
    )
    assert edit_form["title"]["text"] == "Edit check-in"
    new_form = await opened_by_click(slack, fake_slack, NEW_ACTION, user_id=ADMIN_ID)
    assert new_form["title"]["text"] == "New check-in"


async def test_a_lead_may_edit_only_setups_of_their_teams_and_members_see_none(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    await seed(runtime)
    await add_members(runtime, MemberProfile(user_id=LEAD))
    async with transaction(runtime.sessions) as session:
        ops = await create_team(session=session, team_id=TEAM_ID, name="Ops", lead_user_id=LEAD)
        await add_team_members(session=session, team=ops, user_ids=[LEAD])
    assert ops.id is not None
    theirs = await add_setup(runtime, "Ops sync", CheckinSettings(team_refs=[ops.id]), ADMIN_ID)
    await add_setup(runtime, "All hands", CheckinSettings(days=[4]), ADMIN_ID)
    view = await home_of(slack, fake_slack, LEAD, "EvSETUP2")
    shown = texts_of(view)
    assert "*Ops sync*" in shown and "Mondays at 09:00 · Ops" in shown and "*All hands*" in shown
    assert edit_values(view) == [str(theirs)] and has_new_button(view)
    refused_before = len(fake_slack.calls_to("chat.postMessage"))
    member_view = await home_of(slack, fake_slack, MEMBER_ID, "EvSETUP3")
    assert ":calendar: Check-ins" not in texts_of(member_view)
    assert edit_values(member_view) == [] and not has_new_button(member_view)
    assert len(fake_slack.calls_to("chat.postMessage")) == refused_before


async def test_the_home_reads_all_setups_in_one_query(runtime: Runtime) -> None:
    fix_clock(runtime)
    await seed(runtime)

    async def statements_of_home() -> int:
        with recorded_statements(runtime) as statements:
            async with runtime.sessions() as session:
                data = await gather_home(
                    session=session, team_id=TEAM_ID, user_id=ADMIN_ID, now=runtime.clock()
                )
        assert data.setups
        return len(statements)

    one = await statements_of_home()
    for number in range(8):
        await add_setup(runtime, f"Setup {number}", CheckinSettings(days=[number % 7]))
    assert await statements_of_home() == one
