"""``/checkin settings``: the default setup's form (the one setup form), its checks on every
field, and the rounds it shapes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from bot.checkins.blocks.settings_modal import Field
from bot.checkins.blocks.setup_modal import build_setup_form
from bot.checkins.rounds import open_rounds
from bot.checkins.settings import CheckinSettings
from bot.checkins.setups import default_settings
from bot.core.runtime import Runtime
from fakeslack import FakeSlack, validate_view
from storage.models import Team
from storage.repositories import checkins as repo
from storage.repositories.members import MemberProfile
from tests.checkins.command_helpers import (
    MONDAY,
    WEEK,
    add_people,
    form_errors,
    invitation,
    open_modal,
    open_week,
    option_value,
    set_clock,
    set_state,
)
from tests.checkins.setup_helpers import submit_setup as submit_settings
from tests.factories import workspace_row
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender

DEFAULT_LINES = (
    "What moved forward toward your goals?\n"
    "What is blocking you? (optional)\n"
    "What will you focus on next?"
)


@pytest.fixture(autouse=True)
def fixed_clock(runtime: Runtime) -> None:
    set_clock(runtime)


async def stored(runtime: Runtime) -> CheckinSettings:
    async with runtime.sessions() as session:
        return await default_settings(session, TEAM_ID)


async def make_teams(slack: SlackSender, fake_slack: FakeSlack) -> None:
    for text in (
        f"team add Sales <#C0SALES|sales> lead <@{MEMBER_ID}>",
        "team add Ops",
        "team Ops add <@UOPS0001>",
    ):
        before = len(fake_slack.calls_to("response_url"))
        await slack.command(text)
        await fake_slack.wait_for("response_url", before + 1)


def block(view: dict[str, Any], field: Field) -> dict[str, Any]:
    found: dict[str, Any] = next(b for b in view["blocks"] if b.get("block_id") == field.value)
    return found


async def test_only_admins_open_the_settings(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    before = len(fake_slack.calls_to("response_url"))
    response = await slack.command("settings", command="/checkin", user_id=MEMBER_ID)
    assert response.status_code == 200
    answer = (await fake_slack.wait_for("response_url", before + 1))[-1].args["text"]
    assert "Only Northstar admins can change check-in settings" in answer
    assert fake_slack.calls_to("views.open") == []


async def test_the_form_shows_the_current_settings(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    view = await open_modal(slack, fake_slack, "settings")
    assert view["title"]["text"] == "Check-in settings" and len(view["title"]["text"]) <= 24
    intro = view["blocks"][0]["elements"][0]["text"]
    assert intro.startswith("The next check-in goes out Monday 30 Nov, 09:00 your time.")
    assert block(view, Field.ENABLED)["element"]["initial_option"]["value"] == "on"
    assert [o["value"] for o in block(view, Field.DAYS)["element"]["initial_options"]] == ["0"]
    assert block(view, Field.EVERY)["element"]["initial_option"]["value"] == "1"
    assert block(view, Field.NAME)["element"]["initial_value"] == "Weekly check-in"
    assert block(view, Field.TIME)["element"]["initial_time"] == "09:00"
    assert block(view, Field.WINDOW)["element"]["initial_option"]["text"]["text"] == (
        "The end of the next day"
    )
    assert block(view, Field.REMINDER)["element"]["initial_option"]["value"] == "half"
    assert block(view, Field.QUESTIONS)["element"]["initial_value"] == DEFAULT_LINES
    extras = block(view, Field.EXTRAS)["element"]["initial_options"]
    assert [o["value"] for o in extras] == ["mood", "goals"]
    assert block(view, Field.SHARE)["element"]["initial_option"]["value"] == "off"
    assert all(b.get("block_id") != Field.TEAMS.value for b in view["blocks"])  # no teams yet
    assert "create teams with `/align team add`" in str(view["blocks"])


async def test_saving_moves_this_weeks_unsent_invitations_and_later_rounds(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime, MemberProfile("UOPS0001", name="ops"))
    await make_teams(slack, fake_slack)
    this_week = await open_week(runtime)
    view = await open_modal(slack, fake_slack, "settings")
    assert [o["text"]["text"] for o in block(view, Field.TEAMS)["element"]["options"]] == [
        "Ops",
        "Sales · has a channel",
    ]
    before = len(fake_slack.calls_to("response_url"))
    response = await submit_settings(
        slack,
        view,
        {
            Field.DAYS: [option_value(view, Field.DAYS, "Wednesday")],
            Field.TIME: "14:30",
            Field.WINDOW: "2",
            Field.REMINDER: "off",
            Field.QUESTIONS: "What did you ship?\r\n\n  What is   blocking you? (Optional)  \n"
            "What will you focus on next?",
            Field.EXTRAS: [],
            Field.TEAMS: [option_value(view, Field.TEAMS, "Sales")],
            Field.SHARE: "on",
        },
    )
    assert response.status_code == 200 and response.text == "", response.text
    confirmation = (await fake_slack.wait_for("response_url", before + 1))[-1].args
    text = str(confirmation["blocks"])
    assert "every *Wednesday* at *14:30* in each person's time zone" in text
    assert "answers until the end of the 2nd day after; no reminder; 3 questions;" in text
    assert "only Sales take part" in text and "shared in Sales (<#C0SALES>)" in text
    assert "The next check-in goes out Wednesday 2 Dec, 14:30 your time." in text

    moved = await invitation(runtime, this_week, MEMBER_ID)  # Sales: still invited, new times
    assert (moved.state, moved.prompt_at) == ("pending", datetime(2026, 12, 2, 14, 30, tzinfo=UTC))
    assert (moved.remind_at, moved.closes_at) == (None, datetime(2026, 12, 5, 0, 0, tzinfo=UTC))
    dropped = await invitation(runtime, this_week, "UOPS0001")  # Ops no longer takes part
    assert (dropped.state, dropped.error) == ("skipped", "team no longer takes part")
    async with runtime.sessions() as session:
        reread = await repo.get_round(session=session, team_id=TEAM_ID, week=WEEK)
    assert reread is not None and reread.questions[0]["text"] == "What did you ship?"

    settings = await stored(runtime)
    assert (settings.weekday, settings.local_time, settings.window_days) == (2, time(14, 30), 2)
    assert settings.reminder_at is None and settings.share_in_team_channels
    assert [(q.key, q.text, q.required) for q in settings.questions] == [
        ("q1", "What did you ship?", True),
        ("blockers", "What is blocking you?", False),
        ("next", "What will you focus on next?", True),
    ]
    assert len(settings.team_refs) == 1

    next_week = await open_week(runtime, MONDAY + timedelta(weeks=1))
    assert [q["text"] for q in next_week.questions] == [
        "What did you ship?",
        "What is blocking you?",
        "What will you focus on next?",
    ]
    lead = await invitation(runtime, next_week, MEMBER_ID)
    assert lead.prompt_at == datetime(2026, 12, 9, 14, 30, tzinfo=UTC)
    assert lead.remind_at is None
    assert lead.closes_at == datetime(2026, 12, 12, 0, 0, tzinfo=UTC)
    async with runtime.sessions() as session:
        invited = await repo.round_deliveries(
            session=session, team_id=TEAM_ID, round_id=next_week.id or 0
        )
    assert [d.user_id for d in invited] == [MEMBER_ID]  # Ops and the admin do not take part
    reopened = await open_modal(slack, fake_slack, "settings")
    assert block(reopened, Field.TIME)["element"]["initial_time"] == "14:30"
    chosen = block(reopened, Field.TEAMS)["element"]["initial_options"]
    assert [option["text"]["text"] for option in chosen] == ["Sales · has a channel"]


async def test_turning_check_ins_off_stops_new_rounds_and_unsent_invitations(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    this_week = await open_week(runtime)
    await set_state(runtime, this_week, MEMBER_ID, "sending")
    view = await open_modal(slack, fake_slack, "settings")
    before = len(fake_slack.calls_to("response_url"))
    assert (await submit_settings(slack, view, {Field.ENABLED: "off"})).text == ""
    confirmation = (await fake_slack.wait_for("response_url", before + 1))[-1].args
    assert "it is *off*; no new rounds open" in str(confirmation["blocks"])
    assert "No check-in goes out while check-ins are off" in str(confirmation["blocks"])
    assert not (await stored(runtime)).enabled
    cancelled = await invitation(runtime, this_week, ADMIN_ID)
    assert (cancelled.state, cancelled.error) == ("skipped", "check-ins turned off")
    being_sent = await invitation(runtime, this_week, MEMBER_ID)  # its sender finishes it
    assert being_sent.state == "sending"
    assert await open_rounds(runtime=runtime, team_id=TEAM_ID, now=MONDAY) == []


NINE = "\n".join(f"Question number {n}?" for n in range(1, 10))
EIGHT = "\n".join(f"Question number {n}?" for n in range(1, 9))


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({Field.TIME: "25:00"}, Field.TIME, "Pick a time"),
        ({Field.TIME: None}, Field.TIME, "Pick a time"),
        ({Field.DAYS: ["9"]}, Field.DAYS, "Choose days from the list"),
        ({Field.DAYS: []}, Field.DAYS, "Choose at least one day"),
        ({Field.WINDOW: "seven"}, Field.WINDOW, "Choose one of the options"),
        ({Field.ENABLED: None}, Field.ENABLED, "Choose one of the options"),
        ({Field.QUESTIONS: "  \n \n", Field.EXTRAS: []}, Field.QUESTIONS, "Ask at least one"),
        ({Field.QUESTIONS: None, Field.EXTRAS: []}, Field.QUESTIONS, "Ask at least one"),
        ({Field.QUESTIONS: NINE, Field.EXTRAS: []}, Field.QUESTIONS, "ask at most 8"),
        ({Field.QUESTIONS: EIGHT}, Field.QUESTIONS, "ask at most 6 with the mood question"),
        (
            {Field.QUESTIONS: EIGHT, Field.EXTRAS: ["mood"]},
            Field.QUESTIONS,
            "ask at most 7 with the mood question on",
        ),
        ({Field.QUESTIONS: "q" * 151}, Field.QUESTIONS, "Question 1 is 151 characters long"),
        ({Field.QUESTIONS: "Fine?\nHi <!channel>"}, Field.QUESTIONS, "Question 2 contains a"),
        ({Field.QUESTIONS: "Ping <@U123>?"}, Field.QUESTIONS, "mention or link"),
        ({Field.QUESTIONS: "Same?\nsame?"}, Field.QUESTIONS, "Question 2 is asked twice"),
        ({Field.QUESTIONS: "(optional)"}, Field.QUESTIONS, "Question 1 has no words"),
        ({Field.QUESTIONS: "Bell\x07?"}, Field.QUESTIONS, "invisible control character"),
        ({Field.SHARE: "on"}, Field.SHARE, "None of the teams taking part has a channel"),
    ],
)
async def test_each_mistake_is_shown_on_its_field_and_nothing_is_saved(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    answers: dict[str, Any],
    field: Field,
    message: str,
) -> None:
    view = await open_modal(slack, fake_slack, "settings")
    errors = form_errors(await submit_settings(slack, view, answers))
    assert message in errors[field.value], errors
    assert all(len(text) <= 2000 for text in errors.values())
    workspace = await workspace_row(runtime)
    assert workspace is not None and "checkins" not in workspace.settings


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({Field.TEAMS: ["999"]}, "A chosen team no longer exists"),
        ({Field.TEAMS: ["not-a-number"]}, "A chosen team no longer exists"),
    ],
)
async def test_team_choices_are_checked(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    answers: dict[str, Any],
    message: str,
) -> None:
    await add_people(runtime, MemberProfile("UOPS0001", name="ops"))
    await make_teams(slack, fake_slack)
    view = await open_modal(slack, fake_slack, "settings")
    errors = form_errors(await submit_settings(slack, view, answers))
    assert message in errors[Field.TEAMS.value]
    assert await stored(runtime) == CheckinSettings()


async def test_sharing_needs_a_channel_among_the_teams_taking_part(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime, MemberProfile("UOPS0001", name="ops"))
    await make_teams(slack, fake_slack)
    view = await open_modal(slack, fake_slack, "settings")
    ops_only: dict[str, Any] = {
        Field.TEAMS: [option_value(view, Field.TEAMS, "Ops")],
        Field.SHARE: "on",
    }
    errors = form_errors(await submit_settings(slack, view, ops_only))
    assert "None of the teams taking part has a channel" in errors[Field.SHARE.value]
    before = len(fake_slack.calls_to("response_url"))
    assert (await submit_settings(slack, view, {Field.SHARE: "on"})).text == ""
    text = str((await fake_slack.wait_for("response_url", before + 1))[-1].args["blocks"])
    assert "shared in Sales (<#C0SALES>). Not shared for Ops: no channel." in text


async def test_a_non_admin_cannot_save_a_forged_form(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    view = await open_modal(slack, fake_slack, "settings")
    errors = form_errors(await submit_settings(slack, view, {Field.ENABLED: "off"}, MEMBER_ID))
    assert "Only Northstar admins can change check-in settings" in errors[Field.NAME.value]
    assert (await stored(runtime)).enabled


def test_a_long_team_list_is_cut_but_keeps_the_chosen_teams() -> None:
    teams = [
        Team(id=n, team_id=TEAM_ID, name=f"Team {n:03d}", name_key=f"team {n:03d}")
        for n in range(1, 151)
    ]
    view = build_setup_form(
        name="Weekly check-in",
        settings=CheckinSettings(team_refs=[149, 150]),
        teams=teams,
        metadata={},
        title="Check-in settings",
        intro="Intro",
    )
    assert validate_view(view) == []
    element = block(view, Field.TEAMS)["element"]
    assert len(element["options"]) == 100
    assert [option["value"] for option in element["initial_options"]] == ["149", "150"]
    assert element["options"][0]["value"] == "1"
