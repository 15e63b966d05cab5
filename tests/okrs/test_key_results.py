"""``/goal kr``: the form creates and edits key results, the objective rolls up on write,
``/goal kr G-1 2 45 confidence 8`` sets one, ``/goal show`` lists them with the trend."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.core.runtime import Runtime
from bot.goals.blocks.messages import build_goal_tree
from bot.goals.progress import evaluate
from fakeslack import FakeSlack
from storage.db import transaction
from storage.repositories.goals import recent_updates
from storage.repositories.workspaces import ensure_workspace
from tests.goals.helpers import TODAY, fix_clock, form_errors
from tests.kpis.helpers import make_kpi
from tests.okrs.helpers import (
    create_goal,
    goal_of,
    key_results_of,
    open_form,
    reply,
    submit_key_results,
    updates_of,
)
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender

REVENUE = {"title": "Revenue to 2M", "start": "1M", "target": "2M", "unit": "USD", "weight": "2"}
CHURN = {"title": "Churn down to 2%", "start": "5", "target": "2", "unit": "%"}
NPS = {"title": "NPS 50", "start": "30", "target": "50"}


@pytest.fixture(autouse=True)
def fixed_clock(runtime: Runtime) -> None:
    fix_clock(runtime)


async def objective(slack: SlackSender, fake_slack: FakeSlack) -> None:
    await create_goal(slack, fake_slack, title="Become the bakery people love")
    _, response = await submit_key_results(slack, fake_slack, 1, REVENUE, CHURN, NPS)
    assert response.status_code == 200 and response.text == "", response.text


async def test_the_form_creates_key_results_and_makes_the_goal_an_objective(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await objective(slack, fake_slack)
    krs = await key_results_of(runtime, 1)
    assert [(k.position, k.title, k.start_value, k.target_value, k.current_value) for k in krs] == [
        (1, "Revenue to 2M", 1e6, 2e6, 1e6),
        (2, "Churn down to 2%", 5, 2, 5),
        (3, "NPS 50", 30, 50, 30),
    ]
    assert [k.weight for k in krs] == [2, 1, 1]
    goal = await goal_of(runtime, 1)
    assert (goal.measure, goal.start_value, goal.target_value, goal.current_value) == (
        "key_results",
        0,
        1,
        0,
    )
    assert [len(await updates_of(runtime, k)) for k in krs] == [1, 1, 1]
    confirmation = (await fake_slack.wait_for("response_url"))[-1].args["text"]
    assert "G-1" in confirmation and "3 key results" in confirmation


async def test_setting_values_rolls_the_objective_up_weighted_and_lower_is_better(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await objective(slack, fake_slack)
    text = await reply(slack, fake_slack, "kr G-1 1 1.5M confidence 7")
    assert "KR #1" in text and "confidence 7" in text
    await reply(slack, fake_slack, "kr G-1 2 3.5")  # churn 5 → 3.5: half way down to 2
    goal = await goal_of(runtime, 1)
    # (0.5 * 2 + 0.5 * 1 + 0 * 1) / 4
    assert goal.current_value == pytest.approx(0.375)
    assert goal.progress_at == runtime.clock()
    [view] = evaluate([goal], TODAY).values()
    assert view.progress == pytest.approx(0.375)
    krs = await key_results_of(runtime, 1)
    assert (krs[0].current_value, krs[0].confidence, krs[1].current_value) == (1.5e6, 7, 3.5)
    history = await updates_of(runtime, krs[0])
    assert [(u.source, u.value, u.confidence, u.author_id) for u in history[1:]] == [
        ("command", 1.5e6, 7, ADMIN_ID)
    ]
    assert goal.id is not None
    async with runtime.sessions() as session:
        goal_history = await recent_updates(session=session, team_id=TEAM_ID, goal_id=goal.id)
    # The objective's own history moves too, so the digest counts it among the movers.
    assert [(u.kind, round(u.value or 0, 3), u.note) for u in goal_history][:2] == [
        ("update", 0.375, "from key result #2"),
        ("update", 0.25, "from key result #1"),
    ]
    await reply(slack, fake_slack, "kr G-1 2 1")  # beyond the target: clamped at 100 %
    assert (await goal_of(runtime, 1)).current_value == pytest.approx(0.5)  # (1 + 1 + 0) / 4


async def test_editing_keeps_values_and_history_and_clearing_a_title_removes_one(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await objective(slack, fake_slack)
    await reply(slack, fake_slack, "kr G-1 3 40")
    view = await open_form(slack, fake_slack, "kr G-1")
    blocks = {b["block_id"]: b for b in view["blocks"] if "block_id" in b}
    assert blocks["kr1_title"]["element"]["initial_value"] == "Revenue to 2M"
    assert blocks["kr1_target"]["element"]["initial_value"] == "2,000,000"
    assert blocks["kr2_unit"]["element"]["initial_value"] == "%"
    assert "initial_value" not in blocks["kr4_title"]["element"]
    answers = {"kr2_title": "", "kr2_start": "", "kr2_target": "", "kr2_unit": "", "kr2_weight": ""}
    before = len(fake_slack.calls_to("response_url"))
    response = await slack.submit_view(view, answers, user_id=ADMIN_ID)
    assert response.status_code == 200 and response.text == "", response.text
    await fake_slack.wait_for("response_url", before + 1)
    krs = await key_results_of(runtime, 1)
    assert [(k.position, k.title, k.current_value) for k in krs] == [
        (1, "Revenue to 2M", 1e6),
        (2, "NPS 50", 40),
    ]
    # NPS half way (weight 1) and revenue at its start (weight 2): 0.5 / 3
    assert (await goal_of(runtime, 1)).current_value == pytest.approx(0.5 / 3, abs=1e-6)


@pytest.mark.parametrize(
    ("rows", "field", "message"),
    [
        ([{"title": "Revenue", "start": "5", "target": "5"}], "kr1_target", "must differ"),
        ([{"title": "Revenue", "start": "lots", "target": "5"}], "kr1_start", "number"),
        (
            [{"title": "Revenue", "start": "0", "target": "5", "weight": "0"}],
            "kr1_weight",
            "above 0",
        ),
        (
            [{"title": "Revenue", "start": "0", "target": "5", "weight": "-1"}],
            "kr1_weight",
            "above 0",
        ),
        ([{"title": "Revenue", "start": "0"}], "kr1_target", "target"),
        ([{"start": "0", "target": "5"}], "kr1_title", "title"),
        ([], "kr1_title", "at least one key result"),
    ],
)
async def test_form_mistakes_stay_on_their_field_and_nothing_is_written(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    rows: list[dict[str, str]],
    field: str,
    message: str,
) -> None:
    await create_goal(slack, fake_slack, title="Grow revenue")
    _, response = await submit_key_results(slack, fake_slack, 1, *rows)
    assert message in form_errors(response)[field]
    assert await key_results_of(runtime, 1) == []
    assert (await goal_of(runtime, 1)).measure == "number"


async def test_another_workspaces_kpi_cannot_be_bound(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    async with transaction(runtime.sessions) as session:
        await ensure_workspace(session=session, team_id="T0OTHER")
    foreign = await make_kpi(runtime, name="Their revenue", team_id="T0OTHER")
    await create_goal(slack, fake_slack, title="Grow revenue")
    view = await open_form(slack, fake_slack, "kr G-1")
    kpi_block = next(b for b in view["blocks"] if b.get("block_id") == "kr1_kpi")
    # A crafted submission: Slack only sends the options it showed, but a forger can send any.
    kpi_block["element"]["options"].append(
        {"text": {"type": "plain_text", "text": "theirs"}, "value": str(foreign.id)}
    )
    response = await slack.submit_view(
        view, {**{f"kr1_{k}": v for k, v in REVENUE.items()}, "kr1_kpi": str(foreign.id)}
    )
    assert "not in this workspace" in form_errors(response)["kr1_kpi"]
    assert await key_results_of(runtime, 1) == []


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("kr G-99", "There is no goal G-99"),
        ("kr G-99 1 5", "There is no goal G-99"),
        ("kr G-1 7 5", "at most 5 key results"),
        ("kr G-1 6 5", "at most 5 key results"),
        ("kr G-1 4 5", "no key result #4; it has 3"),
        ("kr G-1 2 lots", "`lots` is not a number"),
        ("kr G-1 two 5", "by its number"),
        ("kr G-1 2 5 confidence 11", "from 1 to 10"),
        ("kr G-1 2 5 confidence high", "from 1 to 10"),
        ("kr G-1 2", "a value, a confidence, or both"),
        ("update G-1 45", "comes from its key results"),
        ("update G-1", "comes from its key results"),
    ],
)
async def test_bad_commands_say_what_to_type_and_change_nothing(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, command: str, message: str
) -> None:
    await objective(slack, fake_slack)
    text = await reply(slack, fake_slack, command)
    assert message in text
    krs = await key_results_of(runtime, 1)
    assert [k.current_value for k in krs] == [1e6, 5, 30]
    assert [len(await updates_of(runtime, k)) for k in krs] == [1, 1, 1]


async def test_only_the_owner_lead_or_admin_changes_key_results(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await objective(slack, fake_slack)
    assert "Only the owner of G-1" in await reply(slack, fake_slack, "kr G-1 1 5", MEMBER_ID)
    assert "Only the owner of G-1" in await reply(slack, fake_slack, "kr G-1", MEMBER_ID)
    assert (await key_results_of(runtime, 1))[0].current_value == 1e6


async def test_a_goal_measured_by_sub_goals_has_no_key_results(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await create_goal(slack, fake_slack, title="Grow the pipeline", measure="children")
    assert "measured by its sub-goals" in await reply(slack, fake_slack, "kr G-1")


async def test_show_lists_key_results_with_progress_and_confidence_trend(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await objective(slack, fake_slack)
    for confidence in (6, 7):
        await reply(slack, fake_slack, f"kr G-1 3 confidence {confidence}")
        runtime.clock = (lambda now: lambda: now + timedelta(hours=1))(runtime.clock())
    await reply(slack, fake_slack, "kr G-1 3 40 confidence 8")
    text = await reply(slack, fake_slack, "show G-1")
    assert "*Key results*" in text
    assert "*KR 3* NPS 50 · 40 / 50" in text and "50%" in text
    assert "confidence 6 → 7 → 8" in text
    assert "*KR 2* Churn down to 2% · 5% / 2%" in text
    assert "from its key results" in text


async def test_key_result_titles_are_escaped_where_others_read_them(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await create_goal(slack, fake_slack, title="Grow revenue")
    row = {"title": "Beat <@U0ADMIN> & <!here>", "start": "0", "target": "3"}
    _, response = await submit_key_results(slack, fake_slack, 1, row)
    assert response.status_code == 200 and response.text == ""
    text = await reply(slack, fake_slack, "show G-1")
    assert "Beat &lt;@U0ADMIN&gt; &amp; &lt;!here&gt;" in text and "<!here>" not in text


async def test_the_tree_lists_each_objectives_key_results_under_it(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await objective(slack, fake_slack)
    await reply(slack, fake_slack, "kr G-1 3 40")
    goal = await goal_of(runtime, 1)
    views = evaluate([goal], TODAY)
    tree = build_goal_tree(
        "The goal cascade",
        [(0, views[goal.id or 0])],
        "none",
        key_results={goal.id or 0: await key_results_of(runtime, 1)},
    )
    text = json.dumps(tree["blocks"], ensure_ascii=False)
    assert "*G-1* Become the bakery people love" in text
    assert "↳ KR 1 Revenue to 2M" in text and "↳ KR 3 NPS 50 `▓▓▓▓▓░░░░░ 50%`" in text


async def test_tree_command_shows_key_results_and_editing_an_objective_keeps_them(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await objective(slack, fake_slack)
    await reply(slack, fake_slack, "kr G-1 3 40")
    tree = await reply(slack, fake_slack, "tree")
    assert "↳ KR 3 NPS 50" in json.dumps(tree, ensure_ascii=False)
    rolled = (await goal_of(runtime, 1)).current_value

    view = await open_form(slack, fake_slack, "edit G-1")
    measure = next(b for b in view["blocks"] if b["block_id"] == "measure")
    assert measure["element"]["initial_option"]["value"] == "key_results"
    answers = {"title": "Become the bakery people adore", "measure": "key_results"}
    response = await slack.submit_view(view, answers, user_id=ADMIN_ID)
    assert response.status_code == 200 and response.text == "", response.text
    edited = await goal_of(runtime, 1)
    assert (edited.title, edited.measure) == ("Become the bakery people adore", "key_results")
    assert edited.current_value == rolled and len(await key_results_of(runtime, 1)) == 3
