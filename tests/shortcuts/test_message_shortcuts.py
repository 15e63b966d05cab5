"""The message shortcuts through the real app: "Add as goal update" (a message as a note on
one of my goals) and "Create goal from message". Message text is anyone's: its markup never
turns into a live mention, and it is cut to what each input takes."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlmodel import select

from bot.core.runtime import Runtime
from bot.goals.rollups import rebuild_rollups
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Goal, GoalUpdate
from storage.repositories.goals import add_goal
from storage.repositories.members import MemberProfile
from tests.checkins.answer_helpers import reply_through
from tests.conftest import drain_background_tasks
from tests.factories import add_members
from tests.goals.helpers import TODAY, fix_clock, form_errors, goal_answers
from tests.shortcuts.helpers import message_shortcut
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender

HOSTILE = (
    "Shipped the beta <!here> thanks <@UADMIN01|ada> &amp; see "
    "<https://evil.example/login|https://bank.example> &lt;b&gt;*now*"
)


async def seed(runtime: Runtime) -> dict[str, Goal]:
    """The member owns G-1 and G-2 (G-2 closed); the admin owns G-3."""
    await add_members(
        runtime, MemberProfile(user_id=ADMIN_ID, is_admin=True), MemberProfile(user_id=MEMBER_ID)
    )
    goals = {}
    async with transaction(runtime.sessions) as session:
        for key, owner, state in (
            ("mine", MEMBER_ID, "open"),
            ("closed", MEMBER_ID, "done"),
            ("theirs", ADMIN_ID, "open"),
        ):
            goals[key] = await add_goal(
                session=session,
                goal=Goal(
                    team_id=TEAM_ID,
                    number=0,
                    title=f"Goal {key}",
                    level="personal",
                    owner_id=owner,
                    created_by=owner,
                    start_date=TODAY,
                    target_value=10,
                    due_date=TODAY + timedelta(days=60),
                    state=state,
                ),
            )
        await rebuild_rollups(session=session, team_id=TEAM_ID)
    return goals


async def opened(fake_slack: FakeSlack) -> dict[str, Any]:
    call = (await fake_slack.wait_for("views.open"))[-1]
    assert str(call.args["trigger_id"]).endswith(".shortcut")
    view: dict[str, Any] = call.args["view"]
    return view


def element(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    return dict(found["element"])


async def updates(runtime: Runtime) -> list[GoalUpdate]:
    async with runtime.sessions() as session:
        return list((await session.exec(select(GoalUpdate))).all())


async def test_add_as_goal_update_offers_only_my_open_goals_and_saves_the_note(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    goals = await seed(runtime)
    response, url = await message_shortcut(
        slack, "add_as_goal_update", user_id=MEMBER_ID, text=HOSTILE, author=ADMIN_ID
    )
    assert response.status_code == 200
    view = await opened(fake_slack)
    select_ = element(view, "note_goal")
    assert [o["text"]["text"] for o in select_["options"]] == ["G-1 Goal mine"]
    assert select_["initial_option"]["value"] == str(goals["mine"].id)
    note = element(view, "note_text")["initial_value"]
    assert note == (
        "Shipped the beta @here thanks @ada & see https://bank.example "
        "(https://evil.example/login) <b>*now*"
    )
    assert json.loads(view["private_metadata"])["response_url"] == url

    saved = await slack.submit_view(view, {}, user_id=MEMBER_ID)
    assert saved.status_code == 200 and saved.text == ""
    await drain_background_tasks()
    rows = await updates(runtime)
    assert [(row.goal_id, row.kind, row.author_id, row.value) for row in rows] == [
        (goals["mine"].id, "update", MEMBER_ID, None)
    ]
    assert rows[0].note == (
        "Shipped the beta @here thanks @ada &amp; see https://bank.example "
        "(https://evil.example/login) &lt;b&gt;*now*"
    )
    assert "<" not in rows[0].note and ">" not in rows[0].note
    answer = await reply_through(fake_slack, url)
    assert answer["response_type"] == "ephemeral"
    assert "Added the note to *G-1* Goal mine" in answer["text"]


async def test_picking_someone_elses_goal_is_refused_and_nothing_is_written(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    goals = await seed(runtime)
    await message_shortcut(
        slack, "add_as_goal_update", user_id=MEMBER_ID, text="Done", author=MEMBER_ID
    )
    view = await opened(fake_slack)
    for forged in (goals["theirs"].id, goals["closed"].id, 999, "G-1"):
        response = await slack.submit_view(view, {"note_goal": str(forged)}, user_id=MEMBER_ID)
        assert form_errors(response) == {
            "note_goal": "Choose one of your own open goals from the list."
        }
    response = await slack.submit_view(view, {"note_text": "  "}, user_id=MEMBER_ID)
    assert list(form_errors(response)) == ["note_text"]
    await drain_background_tasks()
    assert await updates(runtime) == []
    async with runtime.sessions() as session:
        theirs = await session.get(Goal, goals["theirs"].id)
    assert theirs is not None and theirs.progress_at == goals["theirs"].progress_at


async def test_add_as_goal_update_without_goals_answers_in_the_channel(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    await add_members(runtime, MemberProfile(user_id=MEMBER_ID))
    _, url = await message_shortcut(
        slack, "add_as_goal_update", user_id=MEMBER_ID, text="Done", author=MEMBER_ID
    )
    answer = await reply_through(fake_slack, url)
    assert answer["response_type"] == "ephemeral"
    assert "You have no open goals to add this to" in answer["text"]
    assert fake_slack.calls_to("views.open") == []


async def test_a_long_message_is_cut_to_the_note_input(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    await seed(runtime)
    text = "&lt;" * 600 + "tail"  # 600 "<" escape to 2,400 characters when saved
    await message_shortcut(
        slack, "add_as_goal_update", user_id=MEMBER_ID, text=text, author=ADMIN_ID
    )
    view = await opened(fake_slack)
    note = element(view, "note_text")
    assert note["max_length"] == 1000
    assert note["initial_value"] == "<" * 250  # 1,000 characters once escaped
    saved = await slack.submit_view(view, {}, user_id=MEMBER_ID)
    assert saved.status_code == 200 and saved.text == ""
    await drain_background_tasks()
    assert [row.note for row in await updates(runtime)] == ["&lt;" * 250]


async def test_create_goal_from_message_prefills_title_and_description(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    await seed(runtime)
    first_line = "Launch *the* partner program <@UADMIN01|ada> " + "x" * 200
    text = f"\n{first_line}\nSecond line &amp; more " + "y" * 2000
    _, url = await message_shortcut(
        slack, "goal_from_message", user_id=MEMBER_ID, text=text, author=ADMIN_ID
    )
    view = await opened(fake_slack)
    assert view["callback_id"] == "goal_form"
    title = element(view, "title")["initial_value"]
    assert title.startswith("Launch the partner program @ada xxx") and len(title) == 150
    description = element(view, "description")["initial_value"]
    assert description.startswith("Launch *the* partner program @ada")
    assert "Second line & more" in description
    assert len(description) == 996  # the "&" is saved as "&amp;": 1,000 characters in all
    assert json.loads(view["private_metadata"])["response_url"] == url

    answers = goal_answers(title=None, description=None)  # keep what the message gave
    answers = {key: value for key, value in answers.items() if key not in ("title", "description")}
    saved = await slack.submit_view(view, answers, user_id=MEMBER_ID)
    assert saved.status_code == 200 and saved.text == ""
    await drain_background_tasks()
    async with runtime.sessions() as session:
        created = (await session.exec(select(Goal).where(Goal.title.startswith("Launch")))).one()
    assert created.owner_id == MEMBER_ID and len(created.title) == 150
    assert "Second line &amp; more" in created.description
    answer = await reply_through(fake_slack, url)
    assert answer["response_type"] == "ephemeral"
