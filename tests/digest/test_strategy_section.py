"""The digest's strategy section: the priorities right after the north star, the flags in the
company digest, and "Priorities changed this week" from the changes in the digest's week,
escaped, mentioning who changed them as the digest's mention setting says."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.core.local_time import zone
from bot.core.runtime import Runtime
from bot.digest.blocks.post import build_digest_post
from bot.digest.build import build_digest
from bot.digest.model import COMPANY_SCOPE, Digest, team_scope
from bot.digest.settings import read_digest_settings, with_digest_settings
from bot.digest.source import DigestWeek, load_source
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Goal, Priority, PriorityChange
from storage.repositories.workspaces import get_workspace
from tests.digest.helpers import (
    DIGEST_CHANNEL,
    DUE,
    VISION,
    WEEK,
    Bakery,
    at,
    build_bakery,
    clock_at,
    digest_messages,
    post_digest,
)
from tests.digest.test_blocks import block_text
from tests.slack_requests import ADMIN_ID, TEAM_ID
from tests.statements import recorded_statements

NOW = DUE + timedelta(seconds=30)  # Friday 27 November 2026, 16:00:30 UTC
HOSTILE = "Grow <!channel> & <https://evil.test|events>"


@pytest.fixture
async def bakery(runtime: Runtime) -> Bakery:
    world = await build_bakery(runtime)
    async with transaction(runtime.sessions) as session:
        grow = Priority(team_id=TEAM_ID, rank=1, title=HOSTILE, why="Offices <@USALES01> pay")
        session.add_all([grow, Priority(team_id=TEAM_ID, rank=2, title="Bake in-house")])
        await session.flush()
        goal = (await session.exec(select(Goal).where(Goal.number == 1))).one()
        goal.priority_id = grow.id
        session.add(goal)
    clock_at(runtime, NOW)
    return world


async def change(runtime: Runtime, summary: str, when: datetime, author: str = ADMIN_ID) -> None:
    async with transaction(runtime.sessions) as session:
        session.add(
            PriorityChange(team_id=TEAM_ID, author_id=author, summary=summary, created_at=when)
        )


async def digest_of(runtime: Runtime, scope: str = COMPANY_SCOPE) -> Digest:
    period = DigestWeek(week=WEEK, tz=zone("UTC"), now=NOW)
    return build_digest(
        await load_source(runtime=runtime, team_id=TEAM_ID, period=period), scope=scope
    )


async def test_the_company_digest_shows_priorities_flags_and_the_weeks_changes(
    runtime: Runtime, bakery: Bakery
) -> None:
    await change(runtime, "Added “Bake in-house” at #2", at(25))
    await change(runtime, "Last week's change", at(22, 23))
    await change(runtime, "After the digest", at(27, 17))
    strategy = (await digest_of(runtime)).strategy
    assert [(p.rank, p.title) for p in strategy.priorities] == [(1, HOSTILE), (2, "Bake in-house")]
    assert strategy.flags.startswith(":mag: 1 priority with no open company goal (Bake in-house)")
    assert "serving no current priority" not in strategy.flags
    assert strategy.changes == ("Added “Bake in-house” at #2",)
    assert strategy.changed_by == (ADMIN_ID,)

    text = block_text(build_digest_post(await digest_of(runtime))["blocks"])
    assert text.index(VISION) < text.index(":dart: *Our priorities*") < text.index("Alignment")
    assert (
        "*1. Grow &lt;!channel&gt; &amp; &lt;https://evil.test|events&gt;* — "
        "Offices &lt;@USALES01&gt; pay"
    ) in text
    assert f":arrows_counterclockwise: *Priorities changed this week* (by <@{ADMIN_ID}>)" in text
    assert "• Added “Bake in-house” at #2" in text
    assert "<!channel>" not in text and "Last week's change" not in text


async def test_a_team_digest_shows_the_priorities_without_the_flags(
    runtime: Runtime, bakery: Bakery
) -> None:
    team = await digest_of(runtime, team_scope(bakery.teams["Sales"]))
    assert [p.title for p in team.strategy.priorities] == [HOSTILE, "Bake in-house"]
    assert team.strategy.flags == "" and team.strategy.changes == ()
    text = block_text(build_digest_post(team)["blocks"])
    assert ":dart: *Our priorities*" in text and "no open company goal" not in text
    assert "Priorities changed" not in text


async def test_with_mentions_off_the_author_is_named_not_mentioned(
    runtime: Runtime, bakery: Bakery
) -> None:
    await change(runtime, "Moved “Bake in-house” from #2 to #1", at(24))
    async with transaction(runtime.sessions) as session:
        workspace = await get_workspace(session=session, team_id=TEAM_ID)
        assert workspace is not None
        quiet = read_digest_settings(workspace.settings).model_copy(update={"mentions": False})
        workspace.settings = with_digest_settings(workspace.settings, quiet)
        session.add(workspace)
    text = block_text(build_digest_post(await digest_of(runtime))["blocks"])
    assert "*Priorities changed this week* (by Ada Admin)" in text
    assert "<@" not in text


async def test_no_priorities_means_no_section(runtime: Runtime, bakery: Bakery) -> None:
    async with transaction(runtime.sessions) as session:
        await session.exec(sa.update(Goal).values(priority_id=None))
        await session.exec(sa.delete(Priority))
    digest = await digest_of(runtime)
    assert digest.strategy.priorities == () and digest.strategy.flags == ""
    assert "Our priorities" not in block_text(build_digest_post(digest)["blocks"])


async def test_the_changes_cost_the_same_statements_however_many(
    runtime: Runtime, bakery: Bakery
) -> None:
    async def statements_of_load() -> int:
        with recorded_statements(runtime) as seen:
            await digest_of(runtime)
        return len(seen)

    await change(runtime, "One", at(24))
    one = await statements_of_load()
    for n in range(20):
        await change(runtime, f"Change {n}", at(25))
    assert await statements_of_load() == one


async def test_the_job_posts_the_section_within_slacks_limits(
    runtime: Runtime, fake_slack: FakeSlack, bakery: Bakery
) -> None:
    async with transaction(runtime.sessions) as session:
        for rank in range(3, 8):
            session.add(Priority(team_id=TEAM_ID, rank=rank, title="&<" * 40, why="<!here>" * 42))
    for n in range(30):
        await change(runtime, f"Renamed #3 “{'<' * 80}” to “{'&' * 80}” {n}", at(25))
    assert (await post_digest(runtime, fake_slack, NOW)).status == "done"
    [main, *_thread] = digest_messages(fake_slack, DIGEST_CHANNEL)
    post = block_text(main.args["blocks"])
    assert ":dart: *Our priorities*" in post
    assert "more: `/align priorities`" in post
    assert "<!here>" not in post and "<!channel>" not in post
