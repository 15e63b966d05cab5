"""The Home tab lists the current quarter's goals and says which quarter it shows; a goal
of a quarter that ended leaves it until it is carried."""

from __future__ import annotations

from datetime import date

from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from tests.goals.helpers import create_goal, fix_clock, reply
from tests.home.helpers import home_of, texts_of
from tests.slack_requests import ADMIN_ID, SlackSender


async def test_home_shows_this_quarters_goals_across_a_quarter_boundary(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime, date(2026, 12, 31))  # the last day of 2026-Q4
    await create_goal(slack, fake_slack, title="Finish the winter menu", due_date=None)
    await create_goal(slack, fake_slack, title="Spring menu", period="2027-Q1", due_date=None)
    await fake_slack.wait_for("views.publish", 2)  # each change redraws the creator's Home
    shown = texts_of(await home_of(slack, fake_slack, ADMIN_ID, "EvPERIOD1"))
    assert "Goals of Q4 FY2026 (Oct\u2013Dec 2026)" in shown
    assert "Finish the winter menu" in shown and "Spring menu" not in shown

    fix_clock(runtime, date(2027, 1, 1))
    shown = texts_of(await home_of(slack, fake_slack, ADMIN_ID, "EvPERIOD2"))
    assert "Goals of Q1 FY2027 (Jan\u2013Mar 2027)" in shown
    assert "Spring menu" in shown and "Finish the winter menu" not in shown

    await reply(slack, fake_slack, "carry G-1")
    await fake_slack.wait_for("views.publish", 5)
    shown = texts_of(await home_of(slack, fake_slack, ADMIN_ID, "EvPERIOD3"))
    assert "Spring menu" in shown and "Finish the winter menu" in shown
