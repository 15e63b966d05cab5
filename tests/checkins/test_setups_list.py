"""``/checkin setups`` lists every setup with Edit buttons where the viewer may edit;
``/checkin remove NAME`` archives a setup, cancels what it had not sent and frees its name."""

from __future__ import annotations

import pytest

from bot.checkins.blocks.settings_modal import Field
from bot.checkins.blocks.setup_list import EDIT_ACTION, NEW_ACTION
from bot.checkins.settings import CheckinSettings, config_of
from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.db import transaction
from storage.repositories import checkins as repo
from storage.repositories.checkin_setups import insert_setup
from tests.checkins.command_helpers import add_people, checkin, set_clock
from tests.checkins.setup_helpers import STAND_UP, new_setup, setup_rows
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender


@pytest.fixture(autouse=True)
def fixed_clock(runtime: Runtime) -> None:
    set_clock(runtime)


async def listed(slack: SlackSender, fake_slack: FakeSlack, user: str) -> list[dict[str, object]]:
    before = len(fake_slack.calls_to("response_url"))
    await slack.command("setups", command="/checkin", user_id=user)
    blocks: list[dict[str, object]] = (await fake_slack.wait_for("response_url", before + 1))[
        -1
    ].args["blocks"]
    return blocks


def buttons(blocks: list[dict[str, object]], action_id: str) -> list[str]:
    found = [b.get("accessory") for b in blocks] + [
        element
        for b in blocks
        for element in b.get("elements", [])  # type: ignore[attr-defined]
    ]
    return [
        str(e["value"])
        for e in found
        if isinstance(e, dict) and str(e.get("action_id")).split(":")[0] == action_id
    ]


async def test_the_list_shows_days_time_people_and_edit_buttons(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    await new_setup(slack, fake_slack, {**STAND_UP, Field.CHANNEL: "C0STANDUP"})
    await new_setup(slack, fake_slack, {Field.NAME: "Retro", Field.DAYS: ["0"], Field.EVERY: "2"})
    await new_setup(
        slack,
        fake_slack,
        {Field.NAME: "Thursday notes", Field.DAYS: ["3"], Field.PEOPLE: [MEMBER_ID]},
    )
    blocks = await listed(slack, fake_slack, ADMIN_ID)
    text = str(blocks)
    assert "*Weekly check-in* (default)" in text and "Mondays at 09:00 · everyone" in text
    assert "*Daily stand-up*" in text and "Mon\u2013Fri at 09:00 · everyone · <#C0STANDUP>" in text
    assert "every other Monday at 09:00" in text
    assert "Thursdays at 09:00 · 1 person" in text
    rows = await setup_rows(runtime)
    assert len(buttons(blocks, EDIT_ACTION)) == 4 and buttons(blocks, NEW_ACTION) == ["new"]
    assert "0" in buttons(blocks, EDIT_ACTION) and len(rows) == 3  # the default is not stored
    member_view = await listed(slack, fake_slack, MEMBER_ID)
    assert buttons(member_view, EDIT_ACTION) == [] and buttons(member_view, NEW_ACTION) == []
    assert "*Daily stand-up*" in str(member_view)


async def test_removing_a_setup_stops_its_rounds_keeps_history_and_frees_its_name(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    await new_setup(slack, fake_slack, STAND_UP)
    [row] = await setup_rows(runtime)
    refused = await checkin(slack, fake_slack, "remove daily stand-up", MEMBER_ID)
    assert "Only Northstar admins, the person who created *Daily stand-up*" in refused
    answer = await checkin(slack, fake_slack, "remove daily stand-up")
    assert (
        "*Daily stand-up* is removed" in answer
        and "6 invitations not sent yet were cancelled" in answer
    )
    async with runtime.sessions() as session:
        today = await repo.get_round(
            session=session, team_id=TEAM_ID, week="2026-11-30", setup_id=row.id
        )
        assert today is not None and today.id is not None  # history stays
        invited = await repo.round_deliveries(session=session, team_id=TEAM_ID, round_id=today.id)
    assert {(d.state, d.error) for d in invited} == {("skipped", "check-ins turned off")}
    assert await setup_rows(runtime) == []
    [archived] = await setup_rows(runtime, archived=True)
    assert archived.archived_at is not None and archived.name_key == f"daily stand-up#{row.id}"
    again = await checkin(slack, fake_slack, "remove Daily stand-up")
    assert "There is no check-in called *Daily stand-up*. `/checkin setups` lists them." in again
    await new_setup(slack, fake_slack, STAND_UP)  # the name is free again
    assert [r.name for r in await setup_rows(runtime)] == ["Daily stand-up"]


async def test_the_default_is_never_removed_and_names_are_escaped(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    answer = await checkin(slack, fake_slack, "remove weekly check-in")
    assert "*Weekly check-in* is the workspace's default check-in, so it stays" in answer
    assert "turn it off: `/checkin settings`" in answer
    async with transaction(runtime.sessions) as session:  # a name from elsewhere, with markup
        await insert_setup(
            session=session,
            team_id=TEAM_ID,
            name="Sync <!here>",
            config=config_of(CheckinSettings()),
        )
    text = str(await listed(slack, fake_slack, ADMIN_ID))
    assert "*Sync &lt;!here&gt;*" in text and "<!here>" not in text
