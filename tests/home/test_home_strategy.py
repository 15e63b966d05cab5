"""Home's "Our priorities" under the mission: ranked, with their why, escaped; for admins a
flag line (priorities no open company goal serves, company goals serving no priority)."""

from __future__ import annotations

from sqlmodel import select

from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Goal, Priority
from tests.goals.helpers import fix_clock
from tests.home.helpers import home_of, seed, texts_of
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender


async def _priorities(runtime: Runtime, *titles: str, serve: int | None = None) -> list[Priority]:
    """Priorities ranked in order; G-1 (the seeded company goal) serves the ``serve``-th."""
    async with transaction(runtime.sessions) as session:
        rows = [
            Priority(team_id=TEAM_ID, rank=rank, title=title, why=f"Why {rank} <!here>")
            for rank, title in enumerate(titles, start=1)
        ]
        session.add_all(rows)
        await session.flush()
        if serve is not None:
            goal = (await session.exec(select(Goal).where(Goal.number == 1))).one()
            goal.priority_id = rows[serve - 1].id
            session.add(goal)
    return rows


def _section_after_mission(view: dict[str, object]) -> list[str]:
    blocks = view["blocks"]
    assert isinstance(blocks, list)
    headers = [str(b["text"]["text"]) if b["type"] == "header" else "" for b in blocks]
    start = headers.index(":dart: Our priorities")
    assert headers[start - 2] == ":compass: Our mission"
    return [str(block) for block in blocks[start : start + 3]]


async def test_everyone_sees_the_ranked_priorities_escaped_and_members_no_flags(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    await seed(runtime)
    await _priorities(runtime, "Delight <@UADMIN01> & customers", "Grow", serve=1)
    view = await home_of(slack, fake_slack, MEMBER_ID, "EvHOMEP1")
    section = " ".join(_section_after_mission(view))
    assert "*1. Delight &lt;@UADMIN01&gt; &amp; customers* — Why 1 &lt;!here&gt;" in section
    assert "*2. Grow* — Why 2" in section
    assert "<!here>" not in texts_of(view) and "no open company goal" not in texts_of(view)


async def test_admins_see_what_no_goal_serves_and_goals_serving_no_priority(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    await seed(runtime)
    await _priorities(runtime, "Delight customers", "Grow", "Hire")
    shown = texts_of(await home_of(slack, fake_slack, ADMIN_ID, "EvHOMEP2"))
    assert (
        "3 priorities with no open company goal (Delight customers, Grow, Hire); "
        "1 company goal serving no current priority (G-1)."
    ) in shown
    async with transaction(runtime.sessions) as session:
        first = (await session.exec(select(Priority).where(Priority.rank == 1))).one()
        goal = (await session.exec(select(Goal).where(Goal.number == 1))).one()
        goal.priority_id = first.id
        session.add(goal)
    shown = texts_of(await home_of(slack, fake_slack, ADMIN_ID, "EvHOMEP3"))
    assert "2 priorities with no open company goal (Grow, Hire)." in shown
    assert "serving no current priority" not in shown


async def test_no_priorities_invites_admins_to_set_them_and_shows_members_nothing(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    await seed(runtime)
    admin = texts_of(await home_of(slack, fake_slack, ADMIN_ID, "EvHOMEP4"))
    assert "`/align priorities edit`" in admin
    member = texts_of(await home_of(slack, fake_slack, MEMBER_ID, "EvHOMEP5"))
    assert "Our priorities" not in member
