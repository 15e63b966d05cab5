"""``/checkin new`` and ``/checkin edit NAME``: the one setup form, its checks on every field,
who may save what, and the rounds a saved setup opens."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest

from bot.checkins.blocks.settings_modal import Field
from bot.checkins.settings import read_config
from bot.core.runtime import Runtime
from fakeslack import FakeSlack, validate_view
from storage.repositories import checkins as repo
from storage.repositories.members import MemberProfile
from tests.checkins.command_helpers import (
    add_people,
    checkin,
    form_errors,
    open_modal,
    set_clock,
)
from tests.checkins.setup_helpers import (
    STAND_UP,
    block_of,
    new_setup,
    saved_text,
    setup_rows,
    submit_setup,
)
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender

OPS_PERSON = "UOPS0001"


@pytest.fixture(autouse=True)
def fixed_clock(runtime: Runtime) -> None:
    set_clock(runtime)  # Monday 30 Nov 2026, 07:00 UTC


async def make_teams(slack: SlackSender, fake_slack: FakeSlack) -> None:
    """Sales (channel #sales, led by the member) and Ops (with one person)."""
    for text in (
        f"team add Sales <#C0SALES|sales> lead <@{MEMBER_ID}>",
        "team add Ops",
        f"team Ops add <@{OPS_PERSON}>",
    ):
        before = len(fake_slack.calls_to("response_url"))
        await slack.command(text)
        await fake_slack.wait_for("response_url", before + 1)


async def test_an_admin_creates_a_daily_stand_up_that_opens_todays_round(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    view = await open_modal(slack, fake_slack, "new")
    assert view["title"]["text"] == "New check-in" and validate_view(view) == []
    assert block_of(view, Field.NAME)["element"].get("initial_value") is None
    text = await saved_text(slack, fake_slack, view, STAND_UP)
    assert "*Daily stand-up* created" in text
    home = (await fake_slack.wait_for("views.publish", 1))[-1].args  # the saver's Home, redrawn
    assert home["user_id"] == ADMIN_ID and "*Daily stand-up*" in str(home["view"]["blocks"])
    assert "*Mon\u2013Fri* at *09:00* in each person's time zone" in text
    assert "answers until the end of the same day" in text
    assert "2 questions; everyone takes part" in text
    [row] = [row for row in await setup_rows(runtime) if row.default_key is None]
    settings = read_config(row.config)
    assert (row.name, row.created_by, settings.days) == (
        "Daily stand-up",
        ADMIN_ID,
        [0, 1, 2, 3, 4],
    )
    assert [(q.kind, q.required) for q in settings.questions] == [
        ("text", True),
        ("number", False),
    ]
    assert settings.questions[1].text == "How many calls today?"
    async with runtime.sessions() as session:
        today = await repo.get_round(
            session=session, team_id=TEAM_ID, week="2026-11-30", setup_id=row.id
        )
        assert today is not None and today.id is not None
        invited = await repo.round_deliveries(session=session, team_id=TEAM_ID, round_id=today.id)
    assert sorted(d.user_id for d in invited) == sorted([ADMIN_ID, MEMBER_ID])
    reopened = await open_modal(slack, fake_slack, "edit daily STAND-UP")
    assert block_of(reopened, Field.NAME)["element"]["initial_value"] == "Daily stand-up"
    assert block_of(reopened, Field.QUESTIONS)["element"]["initial_value"] == (
        "What did you do yesterday?\nHow many calls today? (number) (optional)"
    )
    assert [o["value"] for o in block_of(reopened, Field.DAYS)["element"]["initial_options"]] == [
        "0",
        "1",
        "2",
        "3",
        "4",
    ]


async def test_every_other_week_starts_in_the_week_it_is_turned_on(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    text = await new_setup(
        slack,
        fake_slack,
        {Field.NAME: "Retro", Field.DAYS: ["3"], Field.EVERY: "2", Field.TIME: "15:00"},
    )
    assert "every other *Thursday* at *15:00*" in text
    [row] = [row for row in await setup_rows(runtime) if row.default_key is None]
    settings = read_config(row.config)
    assert (settings.every_weeks, settings.anchor_week) == (2, "2026-W49")
    assert settings.local_time == time(15, 0)


NINE = "\n".join(f"Question number {n}?" for n in range(1, 10))


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({Field.NAME: "   "}, Field.NAME, "Give the check-in a name"),
        ({Field.NAME: "x" * 81}, Field.NAME, "The name is 81 characters long; the most is 80"),
        ({Field.NAME: "Sync <!here>"}, Field.NAME, "cannot contain mentions, links"),
        ({Field.NAME: "*Bold* sync"}, Field.NAME, "formatting characters"),
        ({Field.NAME: "Bell\x07"}, Field.NAME, "invisible control character"),
        ({Field.NAME: "Sales team sync"}, Field.NAME, "the word “team”"),
        ({Field.DAYS: []}, Field.DAYS, "Choose at least one day"),
        ({Field.DAYS: ["0", "9"]}, Field.DAYS, "Choose days from the list"),
        (
            {Field.DAYS: ["0", "1", "2", "3", "4"], Field.WINDOW: "2"},
            Field.WINDOW,
            "must close before its next day: with these days choose “The end of the same day”",
        ),
        (
            {Field.DAYS: ["0", "3"], Field.WINDOW: "4"},
            Field.WINDOW,
            "“The end of the 2nd day after” or earlier",
        ),
        ({Field.QUESTIONS: NINE, Field.EXTRAS: []}, Field.QUESTIONS, "ask at most 8."),
        (
            {Field.QUESTIONS: "\n".join(NINE.split("\n")[:7])},
            Field.QUESTIONS,
            "ask at most 6 with the mood question and goal updates on",
        ),
        ({Field.QUESTIONS: "Ping <@U123>?"}, Field.QUESTIONS, "mention or link"),
        ({Field.QUESTIONS: "", Field.EXTRAS: []}, Field.QUESTIONS, "Ask at least one question"),
        ({Field.QUESTIONS: "(number)"}, Field.QUESTIONS, "Question 1 has no words"),
        ({Field.TIME: "25:00"}, Field.TIME, "Pick a time"),
        ({Field.EVERY: "3"}, Field.EVERY, "Choose one of the options"),
        ({Field.PEOPLE: ["<!channel>"]}, Field.PEOPLE, "not a Slack user id"),
        ({Field.CHANNEL: "#general"}, Field.CHANNEL, "Choose a channel from the list"),
        ({Field.CHANNEL_MODE: "both"}, Field.CHANNEL_MODE, "Choose one of the options"),
        ({Field.SHARE: "on"}, Field.SHARE, "None of the teams taking part has a channel"),
    ],
)
async def test_each_mistake_is_shown_on_its_field_and_nothing_is_saved(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    answers: dict[Field, Any],
    field: Field,
    message: str,
) -> None:
    await add_people(runtime)
    view = await open_modal(slack, fake_slack, "new")
    errors = form_errors(await submit_setup(slack, view, {Field.NAME: "Retro", **answers}))
    assert message in errors[field.value], errors
    assert all(len(text) <= 2000 for text in errors.values())
    assert await setup_rows(runtime, archived=True) == []


async def test_names_are_unique_whatever_their_case_and_spacing(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    await new_setup(slack, fake_slack, {Field.NAME: "Weekly  Retro"})
    view = await open_modal(slack, fake_slack, "new")
    errors = form_errors(
        await submit_setup(slack, view, {Field.NAME: "weekly retro", Field.DAYS: []})
    )
    assert "There is already a check-in called weekly retro" in errors[Field.NAME.value]
    assert "Choose at least one day" in errors[Field.DAYS.value]  # every mistake at once
    assert [row.name for row in await setup_rows(runtime)] == ["Weekly Retro"]
    view = await open_modal(slack, fake_slack, "new")  # the default's name, though not stored
    errors = form_errors(await submit_setup(slack, view, {Field.NAME: "weekly CHECK-IN"}))
    assert "There is already a check-in called weekly CHECK-IN" in errors[Field.NAME.value]
    edit = await open_modal(slack, fake_slack, "edit weekly retro")
    text = await saved_text(slack, fake_slack, edit, {Field.NAME: "WEEKLY retro"})
    assert "*WEEKLY retro* saved" in text  # its own name, in another case, is fine


async def test_team_leads_ask_only_their_teams_and_members_not_at_all(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime, MemberProfile(OPS_PERSON, name="ops"))
    await make_teams(slack, fake_slack)
    refused = await checkin(slack, fake_slack, "new", OPS_PERSON)
    assert "Only Northstar admins and team leads can create check-ins" in refused
    view = await open_modal(slack, fake_slack, "new", MEMBER_ID)
    sales = [o["value"] for o in block_of(view, Field.TEAMS)["element"]["initial_options"]]
    ops = next(
        o["value"]
        for o in block_of(view, Field.TEAMS)["element"]["options"]
        if o["value"] != sales[0]
    )
    everyone = {Field.NAME: "Sales sync", Field.TEAMS: [], Field.PEOPLE: []}
    errors = form_errors(await submit_setup(slack, view, everyone, MEMBER_ID))
    assert "Only admins can ask everyone" in errors[Field.TEAMS.value]
    others = {Field.NAME: "Sales sync", Field.TEAMS: [*sales, ops], Field.PEOPLE: [OPS_PERSON]}
    errors = form_errors(await submit_setup(slack, view, others, MEMBER_ID))
    assert "you do not lead Ops" in errors[Field.TEAMS.value]
    assert f"not <@{OPS_PERSON}>" in errors[Field.PEOPLE.value]
    assert [row.name for row in await setup_rows(runtime)] == []
    text = await saved_text(slack, fake_slack, view, {Field.NAME: "Sales sync"}, MEMBER_ID)
    assert "only Sales take part" in text
    # The lead may change it; the person in Ops may not; an admin may.
    assert (await open_modal(slack, fake_slack, "edit Sales sync", MEMBER_ID))["title"]["text"] == (
        "Edit check-in"
    )
    refused = await checkin(slack, fake_slack, "edit Sales sync", OPS_PERSON)
    assert "Only Northstar admins, the person who created *Sales sync*" in refused
    forged = form_errors(await submit_setup(slack, view, {Field.NAME: "Mine"}, OPS_PERSON))
    assert "Only Northstar admins and team leads" in forged[Field.NAME.value]
    assert (await open_modal(slack, fake_slack, "edit sales sync"))["title"]["text"] == (
        "Edit check-in"
    )
    # An admin widens it to everyone: now it is the admins' alone, even for its creator.
    admin_view = await open_modal(slack, fake_slack, "edit sales sync")
    await saved_text(slack, fake_slack, admin_view, {Field.TEAMS: [], Field.PEOPLE: []})
    refused = await checkin(slack, fake_slack, "remove Sales sync", MEMBER_ID)
    assert "Only Northstar admins" in refused
    assert [row.name for row in await setup_rows(runtime)] == ["Sales sync"]


async def test_the_default_setup_is_edited_by_admins_with_the_same_form(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    view = await open_modal(slack, fake_slack, "settings")
    assert view["title"]["text"] == "Check-in settings" and validate_view(view) == []
    assert block_of(view, Field.NAME)["element"]["initial_value"] == "Weekly check-in"
    text = await saved_text(slack, fake_slack, view, {Field.NAME: "Company check-in"})
    assert "*Company check-in* saved" in text
    [row] = await setup_rows(runtime)
    assert (row.name, row.default_key) == ("Company check-in", "default")
    refused = await checkin(slack, fake_slack, "edit company check-in", MEMBER_ID)
    assert "Only Northstar admins can change check-in settings" in refused


async def test_an_unknown_name_says_how_to_find_the_right_one(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    answer = await checkin(slack, fake_slack, "edit Standup")
    assert "There is no check-in called *Standup*. `/checkin setups` lists them." in answer
