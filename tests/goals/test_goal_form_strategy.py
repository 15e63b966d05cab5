"""The goal form's period and priority, and lists of one period (the current quarter by
default, ``period 2027-Q1`` or ``period all`` on request)."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.core.runtime import Runtime
from bot.strategy.settings import with_strategy
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Goal, Priority, Workspace
from storage.repositories.goals import get_goal_by_number
from storage.repositories.workspaces import ensure_workspace
from tests.goals.helpers import (
    create_goal,
    fix_clock,
    form_errors,
    goal_answers,
    open_form,
    reply,
    submit,
)
from tests.slack_requests import TEAM_ID, SlackSender

NOV_27 = date(2026, 11, 27)


async def goal_row(runtime: Runtime, number: int) -> Goal:
    async with runtime.sessions() as session:
        goal = await get_goal_by_number(session=session, team_id=TEAM_ID, number=number)
    assert goal is not None
    return goal


def block(view: dict[str, Any], block_id: str) -> dict[str, Any] | None:
    return next((b for b in view["blocks"] if b["block_id"] == block_id), None)


def options(view: dict[str, Any], block_id: str) -> dict[str, str]:
    found = block(view, block_id)
    assert found is not None
    return {o["value"]: o["text"]["text"] for o in found["element"]["options"]}


async def add_priorities(runtime: Runtime, *titles: str) -> list[int]:
    async with transaction(runtime.sessions) as session:
        rows = [Priority(team_id=TEAM_ID, rank=n, title=t) for n, t in enumerate(titles, 1)]
        session.add_all(rows)
        await session.flush()
        return [row.id or 0 for row in rows]


async def start_fiscal_year_in(runtime: Runtime, month: int) -> None:
    async with transaction(runtime.sessions) as session:
        await ensure_workspace(session=session, team_id=TEAM_ID)
        workspace = await session.get(Workspace, TEAM_ID)
        assert workspace is not None
        workspace.settings = with_strategy(workspace.settings, fiscal_year_start=month)
        session.add(workspace)


async def test_new_goals_default_to_this_quarter_and_its_last_day(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime, NOV_27)
    view = await open_form(slack, fake_slack, "new")
    assert options(view, "period") == {
        "2026-Q4": "This quarter: Q4 FY2026 (Oct\u2013Dec 2026)",
        "2027-Q1": "Next quarter: Q1 FY2027 (Jan\u2013Mar 2027)",
        "custom": "Custom: from today (its start) to the due date",
    }
    assert block(view, "period")["element"]["initial_option"]["value"] == "2026-Q4"  # type: ignore[index]
    assert block(view, "priority") is None  # no priorities in this workspace
    await create_goal(slack, fake_slack, title="This quarter", due_date=None)
    await create_goal(slack, fake_slack, title="Next quarter", period="2027-Q1", due_date=None)
    await create_goal(slack, fake_slack, title="Own span", period="custom", due_date="2027-02-10")
    rows = [await goal_row(runtime, n) for n in (1, 2, 3)]
    assert [(g.period, g.period_start, g.period_end, g.due_date) for g in rows] == [
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31), date(2026, 12, 31)),
        ("2027-Q1", date(2027, 1, 1), date(2027, 3, 31), date(2027, 3, 31)),
        ("custom", NOV_27, date(2027, 2, 10), date(2027, 2, 10)),
    ]
    errors = form_errors(
        await submit(slack, fake_slack, view, goal_answers(period="custom", due_date=None))
    )
    assert errors == {"due_date": "A custom period runs to the due date: pick one."}


async def test_a_company_goal_names_its_priority_when_there_are_priorities(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime, NOV_27)
    await create_goal(slack, fake_slack, title="Without priorities", level="company")
    assert (await goal_row(runtime, 1)).priority_id is None
    grow, _bake = await add_priorities(runtime, "Grow catering", "Bake in-house")
    view = await open_form(slack, fake_slack, "new")
    assert list(options(view, "priority").values()) == ["1. Grow catering", "2. Bake in-house"]
    errors = form_errors(await submit(slack, fake_slack, view, goal_answers(level="company")))
    assert errors == {"priority": "A company goal names the priority it serves: choose one."}
    assert "created" in await create_goal(
        slack, fake_slack, title="Grow", level="company", priority=str(grow)
    )
    assert (await goal_row(runtime, 2)).priority_id == grow
    # a personal goal serves no priority itself, even if one is picked
    await create_goal(slack, fake_slack, title="Mine", priority=str(grow))
    assert (await goal_row(runtime, 3)).priority_id is None
    # editing keeps the priority and the period
    edit = await open_form(slack, fake_slack, "edit G-2")
    assert block(edit, "priority")["element"]["initial_option"]["value"] == str(grow)  # type: ignore[index]
    assert block(edit, "period")["element"]["initial_option"]["value"] == "2026-Q4"  # type: ignore[index]
    response = await submit(slack, fake_slack, edit, {"title": "Grow catering 20%"})
    assert response.text == ""
    goal = await goal_row(runtime, 2)
    assert (goal.title, goal.priority_id, goal.period) == ("Grow catering 20%", grow, "2026-Q4")


async def test_lists_and_trees_show_one_period_and_say_which(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime, NOV_27)
    await create_goal(slack, fake_slack, title="Now goal", level="company", due_date=None)
    await create_goal(slack, fake_slack, title="Later goal", period="2027-Q1", due_date=None)
    await create_goal(slack, fake_slack, title="Span goal", period="custom", due_date="2027-01-20")
    listed = await reply(slack, fake_slack, "list all")
    assert "All open goals \u00b7 Q4 FY2026 (Oct\u2013Dec 2026) (2)" in listed
    assert "Now goal" in listed and "Span goal" in listed and "Later goal" not in listed
    assert "period all" in listed
    later = await reply(slack, fake_slack, "list all period 2027-q1")
    assert "Q1 FY2027 (Jan\u2013Mar 2027) (2)" in later
    assert "Later goal" in later and "Span goal" in later and "Now goal" not in later
    every = await reply(slack, fake_slack, "list period all")
    assert "all periods (3)" in every
    tree = await reply(slack, fake_slack, "tree")
    assert "The goal cascade \u00b7 Q4 FY2026" in tree and "Later goal" not in tree
    assert "Later goal" in await reply(slack, fake_slack, "tree period 2027-Q1")
    assert "No open goals here in Q2 FY2027" in await reply(
        slack, fake_slack, "list company period 2027-Q2"
    )
    for text in ("list period soon", "list period", "tree period 2027-Q5"):
        answer = await reply(slack, fake_slack, text)
        assert "period 2026-Q3" in answer or "`2026-Q3`" in answer, answer


async def test_an_april_fiscal_year_across_a_quarter_boundary(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await start_fiscal_year_in(runtime, 4)
    fix_clock(runtime, date(2027, 3, 31))  # the last day of Q4 FY2027
    view = await open_form(slack, fake_slack, "new")
    assert list(options(view, "period"))[:2] == ["2027-Q4", "2028-Q1"]
    await create_goal(slack, fake_slack, title="Year end stock count", due_date=None)
    goal = await goal_row(runtime, 1)
    assert (goal.period, goal.due_date) == ("2027-Q4", date(2027, 3, 31))
    assert "Q4 FY2027 (Jan\u2013Mar 2027)" in await reply(slack, fake_slack, "list")
    fix_clock(runtime, date(2027, 4, 1))  # a new fiscal year
    listed = await reply(slack, fake_slack, "list")
    assert "Q1 FY2028 (Apr\u2013Jun 2027)" in listed and "Year end stock count" not in listed
    assert "Year end stock count" in await reply(slack, fake_slack, "list period 2027-Q4")
    assert "carried to Q1 FY2028" in await reply(slack, fake_slack, "carry G-1")
    assert "Year end stock count" in await reply(slack, fake_slack, "list")
