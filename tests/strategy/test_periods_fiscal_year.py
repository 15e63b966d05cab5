"""``/align fiscal-year``: the start month shown with the current quarter; admins change it,
and open goals' quarters are renamed when their dates still make a quarter, or kept as a
custom period when they do not."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from bot.core.quarters import read_fiscal_start
from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Goal, Review, Workspace
from storage.repositories.goals import get_goal_by_number
from tests.goals.helpers import create_goal, fix_clock, reply
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender


async def align(slack: SlackSender, fake_slack: FakeSlack, text: str, user: str = ADMIN_ID) -> str:
    before = len(fake_slack.calls_to("response_url"))
    assert (await slack.command(text, command="/align", user_id=user)).status_code == 200
    answer = (await fake_slack.wait_for("response_url", before + 1))[-1].args
    assert answer["response_type"] == "ephemeral"
    return " ".join(str(block) for block in answer["blocks"])


async def goal_row(runtime: Runtime, number: int) -> Goal:
    async with runtime.sessions() as session:
        goal = await get_goal_by_number(session=session, team_id=TEAM_ID, number=number)
    assert goal is not None
    return goal


async def fiscal_start(runtime: Runtime) -> int:
    async with runtime.sessions() as session:
        workspace = await session.get(Workspace, TEAM_ID)
    return read_fiscal_start(workspace.settings if workspace else None)


async def test_shows_the_start_month_and_the_current_quarter(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime, date(2026, 11, 27))
    answer = await align(slack, fake_slack, "fiscal-year", MEMBER_ID)
    assert "starts in *January*" in answer
    assert "Q4 FY2026 (Oct\u2013Dec 2026)" in answer


async def test_an_admin_starts_the_fiscal_year_in_april_and_open_goals_take_the_new_key(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime, date(2026, 11, 27))
    await create_goal(slack, fake_slack, title="Open the second shop", due_date=None)
    assert (await goal_row(runtime, 1)).period == "2026-Q4"
    answer = await align(slack, fake_slack, "fiscal-year April")
    assert "now starts in *April*" in answer and "Q3 FY2027 (Oct\u2013Dec 2026)" in answer
    assert "1 open goal whose quarter still runs on the same dates" in answer
    assert await fiscal_start(runtime) == 4
    goal = await goal_row(runtime, 1)
    assert (goal.period, goal.period_start, goal.period_end, goal.due_date) == (
        "2027-Q3",
        date(2026, 10, 1),
        date(2026, 12, 31),
        date(2026, 12, 31),
    )
    assert "Q3 FY2027 (Oct\u2013Dec 2026)" in await align(slack, fake_slack, "fiscal-year")
    listed = await reply(slack, fake_slack, "list")
    assert "Q3 FY2027" in listed and "G-1" in listed
    # a number works too, and setting the same month changes nothing
    assert "already starts in *April*" in await align(slack, fake_slack, "fiscal-year 4")


async def test_a_start_that_breaks_the_quarters_keeps_the_dates_as_a_custom_period(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime, date(2026, 11, 27))
    await create_goal(slack, fake_slack, title="Open the second shop", due_date=None)
    answer = await align(slack, fake_slack, "fiscal-year feb")
    assert "1 open goal whose quarter is no longer a quarter" in answer
    goal = await goal_row(runtime, 1)
    assert (goal.period, goal.period_start, goal.period_end) == (
        "custom",
        date(2026, 10, 1),
        date(2026, 12, 31),
    )
    # still listed this quarter (Nov-Jan with a February start): its span includes today
    assert "G-1" in await reply(slack, fake_slack, "list")


async def test_only_admins_change_it_and_bad_months_are_explained(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime, date(2026, 11, 27))
    assert "admin" in (await align(slack, fake_slack, "fiscal-year april", MEMBER_ID)).lower()
    for text in ("fiscal-year 13", "fiscal-year Aprill", "fiscal-year april may"):
        answer = await align(slack, fake_slack, text)
        assert "is not a month" in answer and "/align fiscal-year april" in answer
    assert await fiscal_start(runtime) == 1


async def test_closed_goals_and_posted_reviews_follow_a_new_fiscal_year(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    """A review reads its goals by quarter key, closed ones included, and the daily job
    looks for the review of a quarter by key: both move with the months they name."""
    fix_clock(runtime, date(2026, 11, 27))
    await create_goal(slack, fake_slack, title="Open the second shop", due_date=None)
    await create_goal(slack, fake_slack, title="Open the third shop", due_date=None)
    await reply(slack, fake_slack, "close G-1 done")
    async with transaction(runtime.sessions) as session:
        session.add(Review(team_id=TEAM_ID, period="2026-Q3", message_ts="1.0"))  # Jul-Sep
    await align(slack, fake_slack, "fiscal-year April")
    assert [(await goal_row(runtime, n)).period for n in (1, 2)] == ["2027-Q3", "2027-Q3"]
    async with runtime.sessions() as session:
        review = (await session.exec(select(Review))).one()
    assert review.period == "2027-Q2"  # Jul-Sep under an April start
