"""``/goal carry G-12``: an open goal of a past or the current quarter moves to the next one,
keeping its row and its history; closed, custom and future goals are refused."""

from __future__ import annotations

from datetime import date

from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.models import Goal
from storage.repositories.goals import get_goal_by_number, recent_updates
from tests.goals.helpers import create_goal, fix_clock, reply
from tests.slack_requests import MEMBER_ID, TEAM_ID, SlackSender

NOV_27 = date(2026, 11, 27)
JAN_4 = date(2027, 1, 4)  # the first Monday of 2027-Q1


async def goal_row(runtime: Runtime, number: int) -> Goal:
    async with runtime.sessions() as session:
        goal = await get_goal_by_number(session=session, team_id=TEAM_ID, number=number)
    assert goal is not None
    return goal


async def test_a_goal_of_the_past_quarter_moves_to_the_next_with_its_history(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime, NOV_27)
    await create_goal(slack, fake_slack, title="Sign 10 catering contracts", due_date=None)
    await reply(slack, fake_slack, "update G-1 40 halfway there")
    before = await goal_row(runtime, 1)
    assert (before.period, before.due_date) == ("2026-Q4", date(2026, 12, 31))

    fix_clock(runtime, JAN_4)  # the quarter is over: the default list no longer shows it
    assert "G-1" not in await reply(slack, fake_slack, "list")
    answer = await reply(slack, fake_slack, "carry G-1")
    assert "carried to Q1 FY2027 (Jan\u2013Mar 2027), due 2027-03-31" in answer

    after = await goal_row(runtime, 1)
    assert after.id == before.id and after.current_value == 40
    assert (after.period, after.period_start, after.period_end, after.due_date) == (
        "2027-Q1",
        date(2027, 1, 1),
        date(2027, 3, 31),
        date(2027, 3, 31),
    )
    async with runtime.sessions() as session:
        assert after.id is not None
        history = await recent_updates(session=session, team_id=TEAM_ID, goal_id=after.id)
    assert [(u.kind, u.note) for u in history] == [
        ("carry", "Carried from 2026-Q4 to 2027-Q1"),
        ("update", "halfway there"),
        ("create", ""),
    ]
    shown = await reply(slack, fake_slack, "show G-1")
    assert "carry" in shown and "Carried from 2026-Q4 to 2027-Q1" in shown
    listed = await reply(slack, fake_slack, "list")
    assert "G-1" in listed and "Q1 FY2027" in listed


async def test_a_due_date_inside_the_quarter_is_kept_when_carried_from_the_current_quarter(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime, NOV_27)
    await create_goal(slack, fake_slack, title="Hire a baker", due_date="2027-02-15")
    assert "carried to Q1 FY2027" in await reply(slack, fake_slack, "carry G-1")
    goal = await goal_row(runtime, 1)
    assert (goal.period, goal.due_date) == ("2027-Q1", date(2027, 2, 15))
    # now a goal of next quarter: it has not started, so it is not carried again
    answer = await reply(slack, fake_slack, "carry G-1")
    assert "has not started yet" in answer and "/goal edit G-1" in answer
    assert (await goal_row(runtime, 1)).period == "2027-Q1"


async def test_closed_custom_and_other_peoples_goals_are_refused(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime, NOV_27)
    await create_goal(slack, fake_slack, title="Closed goal")
    await create_goal(slack, fake_slack, title="Own span", period="custom", due_date="2027-01-20")
    await reply(slack, fake_slack, "close G-1 done")
    answer = await reply(slack, fake_slack, "carry G-1")
    assert "G-1 is done; only open goals are carried" in answer and "/goal reopen G-1" in answer
    answer = await reply(slack, fake_slack, "carry G-2")
    assert "custom period" in answer and "/goal edit G-2" in answer
    assert "Only the owner of G-2" in await reply(slack, fake_slack, "carry G-2", MEMBER_ID)
    assert "Which goal?" in await reply(slack, fake_slack, "carry")
    assert "Nothing goes after" in await reply(slack, fake_slack, "carry G-2 now")
    assert [(await goal_row(runtime, n)).period for n in (1, 2)] == ["2026-Q4", "custom"]
