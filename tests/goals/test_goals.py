"""``/goal`` end to end: modals with SMART checks, updates, cascade, permissions, isolation."""

from __future__ import annotations

import pytest

from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.repositories.goals import get_goal_by_number, recent_updates
from tests.goals.helpers import (
    KEEP,
    create_goal,
    due,
    fix_clock,
    form_errors,
    goal_answers,
    open_form,
    parent_value,
    reply,
    submit,
    team_value,
)
from tests.slack_requests import ADMIN_ID, MEMBER_ID, SlackSender


@pytest.fixture(autouse=True)
def fixed_clock(runtime: Runtime) -> None:
    fix_clock(runtime)


async def goal_row(runtime: Runtime, number: int):  # type: ignore[no-untyped-def]
    async with runtime.sessions() as session:
        return await get_goal_by_number(session=session, team_id="T0001", number=number)


async def test_new_goal_modal_creates_a_goal_and_confirms(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    view = await open_form(slack, fake_slack, "new Grow revenue to $2M")
    title_block = next(b for b in view["blocks"] if b["block_id"] == "title")
    assert title_block["element"]["initial_value"] == "Grow revenue to $2M"
    assert view["title"]["text"] == "New goal"
    response = await submit(
        slack,
        fake_slack,
        view,
        goal_answers(
            title=KEEP, level="company", target_value="$2M", unit="USD", start_value="$1,200,000"
        ),
    )
    assert response.status_code == 200 and response.text == ""
    confirmation = (await fake_slack.wait_for("response_url"))[-1].args["text"]
    assert "*G-1* Grow revenue to $2M created" in confirmation
    goal = await goal_row(runtime, 1)
    assert goal is not None
    assert (goal.level, goal.start_value, goal.target_value, goal.current_value, goal.unit) == (
        "company",
        1_200_000,
        2_000_000,
        1_200_000,
        "USD",
    )
    assert goal.owner_id == ADMIN_ID and goal.due_date.isoformat() == due(90)
    published = await fake_slack.wait_for("views.publish")
    assert published[-1].args["user_id"] == ADMIN_ID


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"title": "ab"}, "title", "3 characters or more"),
        ({"title": "x" * 151}, "title", "the most is 150"),
        ({"title": "Ship <!channel> now"}, "title", "cannot contain mentions"),
        ({"target_value": None}, "target_value", "needs a target value"),
        ({"target_value": "lots"}, "target_value", "is not a number"),
        ({"start_value": "5", "target_value": "5"}, "target_value", "must differ"),
        ({"due_date": due(0)}, "due_date", "must be in the future"),
        ({"due_date": due(-3)}, "due_date", "must be in the future"),
        ({"due_date": due(800)}, "due_date", "within two years"),
        ({"due_date": None, "period": "custom"}, "due_date", "custom period runs to the due date"),
        ({"owner": None}, "owner", "needs an owner"),
        ({"level": "team"}, "team", "needs its team"),
    ],
)
async def test_smart_checks_answer_inline_and_save_nothing(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    answers: dict[str, str | None],
    field: str,
    message: str,
) -> None:
    view = await open_form(slack, fake_slack, "new")
    errors = form_errors(await submit(slack, fake_slack, view, goal_answers(**answers)))
    assert message in errors[field]
    assert await goal_row(runtime, 1) is None


async def test_only_admins_create_company_goals_and_leads_team_goals(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await slack.command(f"team add Sales lead <@{MEMBER_ID}>")
    await slack.command("team add Ops")
    await fake_slack.wait_for("response_url", 2)
    view = await open_form(slack, fake_slack, "new", MEMBER_ID)
    errors = form_errors(
        await submit(slack, fake_slack, view, goal_answers(level="company"), MEMBER_ID)
    )
    assert "Only Northstar admins create company goals" in errors["level"]
    ops = team_value(view, "Ops")
    errors = form_errors(
        await submit(slack, fake_slack, view, goal_answers(level="team", team=ops), MEMBER_ID)
    )
    assert "Only Northstar admins and the lead of Ops create team goals" in errors["level"]
    sales = team_value(view, "Sales")
    response = await submit(
        slack, fake_slack, view, goal_answers(level="team", team=sales), MEMBER_ID
    )
    assert response.text == ""
    goal = await goal_row(runtime, 1)
    assert goal is not None and goal.level == "team"
    errors = form_errors(
        await submit(slack, fake_slack, view, goal_answers(owner=ADMIN_ID), MEMBER_ID)
    )
    assert "for yourself, or for people in a team you lead" in errors["owner"]


async def test_cascade_rollup_status_and_not_aligned(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await create_goal(
        slack,
        fake_slack,
        title="Be the top choice",
        level="company",
        measure="children",
        target_value=None,
    )
    view = await open_form(slack, fake_slack, "new")
    company = parent_value(view, 1)
    await create_goal(
        slack,
        fake_slack,
        title="Win 40 customers",
        level="personal",
        parent=company,
        target_value="40",
    )
    await create_goal(
        slack,
        fake_slack,
        title="Launch the partner program",
        level="personal",
        parent=company,
        measure="milestone",
        target_value=None,
    )
    confirmation = await create_goal(slack, fake_slack, title="Tidy the wiki", target_value="10")
    assert "not aligned" in confirmation
    assert "*G-2* Win 40 customers" in await reply(slack, fake_slack, "update G-2 20 halfway there")
    assert "G-3" in await reply(slack, fake_slack, "update G-3 done")
    tree = await reply(slack, fake_slack, "tree")
    assert "G-1* Be the top choice `▓▓▓▓▓▓▓▓░░ 75%`" in tree  # (50% + 100%) / 2
    assert "G-2* Win 40 customers `▓▓▓▓▓░░░░░ 50%`" in tree
    assert "G-4* Tidy the wiki" in tree
    assert tree.index("G-2*") < tree.index("G-4*")
    listing = await reply(slack, fake_slack, "list")
    assert "_not aligned_" in listing and listing.count("*G-") == 4
    shown = await reply(slack, fake_slack, "show G-2")
    assert "G-1 Be the top choice" in shown and "halfway there" in shown
    assert "20 / 40" in shown


async def test_update_close_reopen_link_and_history(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await create_goal(slack, fake_slack, title="Company aim", level="company", target_value="10")
    await create_goal(slack, fake_slack, title="My part", target_value="1.2k")
    for value, stored in (
        ("45", 45),
        ("45%", 45),
        ("12,500", 12_500),
        ("$3,000", 3_000),
        ("1.2k", 1_200),
    ):
        await reply(slack, fake_slack, f"update G-2 {value}")
        goal = await goal_row(runtime, 2)
        assert goal is not None and goal.current_value == stored
    assert "now serves *G-1*" in await reply(slack, fake_slack, "link G-2 to G-1")
    assert "can only serve a goal above its level" in await reply(
        slack, fake_slack, "link G-1 to G-2"
    )
    assert "is done" in await reply(slack, fake_slack, "close G-2 done shipped")
    assert "Reopen it first" in await reply(slack, fake_slack, "update G-2 5")
    assert "open again" in await reply(slack, fake_slack, "reopen G-2")
    assert "already open" in await reply(slack, fake_slack, "reopen G-2")
    goal = await goal_row(runtime, 2)
    assert goal is not None and goal.id is not None
    async with runtime.sessions() as session:
        history = await recent_updates(session=session, team_id="T0001", goal_id=goal.id, limit=20)
    kinds = [entry.kind for entry in history]
    assert kinds[:3] == ["reopen", "done", "link"] and kinds.count("update") == 5
    assert "no longer serves" in await reply(slack, fake_slack, "link G-2 to none")


async def test_update_modal_records_value_confidence_override_and_note(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await create_goal(slack, fake_slack, title="Reach 50 demos", target_value="50")
    view = await open_form(slack, fake_slack, "update G-1")
    assert view["title"]["text"] == "Update G-1"
    errors = form_errors(await submit(slack, fake_slack, view, {"value": "many"}))
    assert "Type a number" in errors["value"]
    response = await submit(
        slack,
        fake_slack,
        view,
        {"value": "20", "confidence": "4", "status_override": "at_risk", "note": "slow month"},
    )
    assert response.text == ""
    goal = await goal_row(runtime, 1)
    assert goal is not None
    assert (goal.current_value, goal.confidence, goal.status_override) == (20, 4, "at_risk")
    assert "At risk (set by owner)" in await reply(slack, fake_slack, "show G-1")


async def test_only_owner_lead_or_admin_change_a_goal(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await create_goal(slack, fake_slack, title="Admin's own goal", target_value="10")
    for text in ("update G-1 5", "close G-1 dropped", "link G-1 to none", "edit G-1", "update G-1"):
        assert "Only the owner of G-1" in await reply(slack, fake_slack, text, MEMBER_ID)
    goal = await goal_row(runtime, 1)
    assert goal is not None and (goal.current_value, goal.state) == (0, "open")
    assert "G-1 Admin's own goal" in await reply(slack, fake_slack, "show G-1", MEMBER_ID)


async def test_edit_modal_changes_the_goal(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await create_goal(slack, fake_slack, title="First title", target_value="10")
    view = await open_form(slack, fake_slack, "edit G-1")
    assert view["title"]["text"] == "Edit G-1"
    response = await submit(
        slack, fake_slack, view, {"title": "Better title", "due_date": due(200)}
    )
    assert response.text == ""
    goal = await goal_row(runtime, 1)
    assert (
        goal is not None and goal.title == "Better title" and goal.due_date.isoformat() == due(200)
    )
    assert goal.target_value == 10


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("show G-99", "There is no goal G-99"),
        ("show K-1", "is not a G number"),
        ("show G-²", "is not a G number"),
        ("update ٣ 5", "is not a G number"),
        ("show", "Which goal?"),
        ("update G-1 lots", "is not a number"),
        ("update G-1 5 " + "n" * 1001, "The note is 1,001 characters long"),
        ("close G-1 maybe", "Close it as `done` or `dropped`"),
        ("link G-1 G-2", "Say which goal it contributes to"),
        ("list team Nowhere", "There is no team called “Nowhere”"),
        ("list <@U1> <@U2>", "is not a person"),
        ("tree G-42", "There is no goal G-42"),
        ("export now", "takes nothing after it"),
        ("frobnicate", "has no subcommand `frobnicate`"),
        ("x" * 25_000, "commands take at most 20,000"),
    ],
)
async def test_bad_goal_commands_are_explained(
    slack: SlackSender, fake_slack: FakeSlack, text: str, expected: str
) -> None:
    await create_goal(slack, fake_slack, title="Something to point at", target_value="10")
    answer = await reply(slack, fake_slack, text)
    assert expected in answer
    assert "/goal" in answer or "/align teams" in answer  # the right form to type


async def test_goal_numbers_of_another_workspace_look_missing(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    from storage.db import transaction
    from storage.models import Goal
    from storage.repositories.goals import add_goal
    from storage.repositories.workspaces import ensure_workspace
    from tests.goals.helpers import TODAY

    async with transaction(runtime.sessions) as session:
        await ensure_workspace(session=session, team_id="TOTHER")
        await add_goal(
            session=session,
            goal=Goal(
                team_id="TOTHER",
                number=0,
                title="Secret plan",
                level="company",
                owner_id="UX",
                created_by="UX",
                start_date=TODAY,
                due_date=TODAY,
                target_value=5,
            ),
        )
    for text in ("show G-1", "update G-1 3", "tree G-1", "close G-1 done"):
        assert "There is no goal G-1 in this workspace" in await reply(slack, fake_slack, text)
    assert "Secret plan" not in await reply(slack, fake_slack, "list all")


async def test_export_uploads_a_csv_to_the_callers_dm(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await create_goal(slack, fake_slack, title="=HYPERLINK(evil)", target_value="10")
    await create_goal(slack, fake_slack, title="Second goal", target_value="3", unit="deals")
    assert "2 goals exported" in await reply(slack, fake_slack, "export")
    completed = await fake_slack.wait_for("files.completeUploadExternal")
    assert completed[-1].args["channel_id"] == f"D{ADMIN_ID}"
    content = next(iter(fake_slack.uploads.values())).decode()
    rows = content.splitlines()
    assert rows[0].startswith("goal,title,level,team,owner,owner_id,parent,aligned,measure")
    assert rows[1].startswith(
        "G-1,'=HYPERLINK(evil),personal,,Ada Admin,UADMIN01,,no,number,0,10,0,,0,"
    )
    assert rows[2].startswith("G-2,Second goal,personal,") and ",deals," in rows[2]


async def test_parent_select_stays_within_limits_and_keeps_the_current_parent(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    from datetime import timedelta

    from storage.db import transaction
    from storage.models import Goal
    from storage.repositories.goals import add_goal
    from storage.repositories.workspaces import ensure_workspace
    from tests.goals.helpers import TODAY

    async with transaction(runtime.sessions) as session:
        await ensure_workspace(session=session, team_id="T0001")
        for index in range(150):
            await add_goal(
                session=session,
                goal=Goal(
                    team_id="T0001",
                    number=0,
                    title=f"Company goal {index}",
                    level="company",
                    owner_id=ADMIN_ID,
                    created_by=ADMIN_ID,
                    start_date=TODAY,
                    target_value=5,
                    due_date=TODAY + timedelta(days=100),
                ),
            )
        await add_goal(
            session=session,
            goal=Goal(
                team_id="T0001",
                number=0,
                title="Serves the oldest",
                level="personal",
                owner_id=ADMIN_ID,
                created_by=ADMIN_ID,
                start_date=TODAY,
                target_value=5,
                due_date=TODAY + timedelta(days=100),
                parent_id=1,
            ),
        )
    view = await open_form(slack, fake_slack, "edit G-151")
    parent = next(b for b in view["blocks"] if b["block_id"] == "parent")
    options = [o for group in parent["element"]["option_groups"] for o in group["options"]]
    assert len(options) == 100
    assert parent["element"]["initial_option"]["text"]["text"] == "G-1 Company goal 0"
    assert parent["element"]["initial_option"] in options
    assert "50 older goals are not listed" in parent["hint"]["text"]


async def test_text_updates_refresh_the_owners_home(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await create_goal(slack, fake_slack, title="Visible on Home", target_value="10")
    published = len(await fake_slack.wait_for("views.publish"))
    await reply(slack, fake_slack, "update G-1 7")
    home = (await fake_slack.wait_for("views.publish", published + 1))[-1].args
    assert home["user_id"] == ADMIN_ID
    assert "`▓▓▓▓▓▓▓░░░ 70%`" in str(home["view"])


async def test_modal_text_is_stored_escaped_so_it_never_pings_or_hides_a_link(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await create_goal(
        slack,
        fake_slack,
        title="Escaping check",
        target_value="10",
        description="<!channel> read <https://evil.example|our intranet> & act",
    )
    goal = await goal_row(runtime, 1)
    assert goal is not None
    assert goal.description == (
        "&lt;!channel&gt; read &lt;https://evil.example|our intranet&gt; &amp; act"
    )
    shown = await reply(slack, fake_slack, "show G-1")
    assert "<!channel>" not in shown and "&lt;!channel&gt;" in shown


async def test_due_dates_count_in_the_persons_own_days(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fake_slack.add_user("UAUCKLND", name="kiri", tz="Pacific/Auckland")  # already Saturday
    view = await open_form(slack, fake_slack, "new", "UAUCKLND")
    tomorrow_in_utc = goal_answers(title="Ship the beta", due_date=due(1))
    errors = form_errors(await submit(slack, fake_slack, view, tomorrow_in_utc, "UAUCKLND"))
    assert "must be in the future" in errors["due_date"]
    response = await submit(
        slack, fake_slack, view, goal_answers(title="Ship the beta", due_date=due(2)), "UAUCKLND"
    )
    assert response.text == ""
    goal = await goal_row(runtime, 1)
    assert goal is not None and goal.start_date.isoformat() == due(1)  # their Saturday
