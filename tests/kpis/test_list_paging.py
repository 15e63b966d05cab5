"""``/kpi list`` reads one page: the first KPIs, their exact count and their last values.

The reads that serve it (``kpi_page``, ``recent_values``) are checked on the real databases
for their edges: a list longer than a page, archived KPIs and other workspaces left out, the
values oldest first and only the last ones, ``until``; the command is checked for its counts
and for sending the same statements whatever the number of KPIs and values."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.runtime import Runtime
from bot.kpis.blocks.messages import LIST_LINES_MAX, LIST_PAGE
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Kpi
from storage.repositories.kpis import (
    add_kpi,
    kpi_page,
    recent_points,
    recent_values,
    record_value,
)
from storage.repositories.workspaces import ensure_workspace
from tests.kpis.helpers import TODAY, fix_clock, text_of
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender
from tests.statements import recorded_statements

OTHER_TEAM_ID = "T0THER01"


@pytest.fixture(autouse=True)
def fixed_clock(runtime: Runtime) -> None:
    fix_clock(runtime)


async def add_kpis(
    runtime: Runtime,
    count: int,
    *,
    team_id: str = TEAM_ID,
    owner: str = ADMIN_ID,
    archived: bool = False,
    days: int = 0,
) -> list[Kpi]:
    """``count`` KPIs named ``Metric <number>`` in one transaction, each with a value for
    each of the last ``days`` days (the value is the day's distance from today)."""
    made: list[Kpi] = []
    async with transaction(runtime.sessions) as session:
        await ensure_workspace(session=session, team_id=team_id)
        for _ in range(count):
            kpi = await add_kpi(
                session=session,
                kpi=Kpi(
                    team_id=team_id,
                    number=0,
                    name="Metric",
                    name_key="",
                    owner_id=owner,
                    created_by=owner,
                    archived=archived,
                    target=100.0,
                    green_threshold=80.0,
                    red_threshold=50.0,
                ),
            )
            kpi.name = f"Metric {kpi.number}"
            for back in range(days):
                day = TODAY - timedelta(days=back)
                await record_value(
                    session=session, kpi=kpi, value=back, recorded_on=day, author_id=owner
                )
            made.append(kpi)
    return made


async def test_a_page_is_the_first_active_kpis_in_number_order_with_their_exact_count(
    runtime: Runtime,
) -> None:
    await add_kpis(runtime, 30)
    await add_kpis(runtime, 5, archived=True)
    await add_kpis(runtime, 20, owner=MEMBER_ID)
    await add_kpis(runtime, 7, team_id=OTHER_TEAM_ID)
    async with runtime.sessions() as session:
        page = await kpi_page(session=session, team_id=TEAM_ID, limit=12)
        theirs = await kpi_page(session=session, team_id=TEAM_ID, limit=12, owner_id=MEMBER_ID)
        everything = await kpi_page(session=session, team_id=TEAM_ID, limit=100)
        nobody = await kpi_page(session=session, team_id="T0NOBODY", limit=12)
    assert [kpi.number for kpi in page.kpis] == list(range(1, 13))
    assert page.total == 50
    assert [kpi.number for kpi in theirs.kpis] == list(range(36, 48))
    assert theirs.total == 20
    assert [kpi.number for kpi in everything.kpis] == [*range(1, 31), *range(36, 56)]
    assert everything.total == 50
    assert nobody.kpis == [] and nobody.total == 0


async def test_recent_values_are_the_last_ones_of_each_kpi_oldest_first(runtime: Runtime) -> None:
    long, short, empty = (
        await add_kpis(runtime, 1, days=30)
        + await add_kpis(runtime, 1, days=2)
        + await add_kpis(runtime, 1)
    )
    (foreign,) = await add_kpis(runtime, 1, team_id=OTHER_TEAM_ID, days=5)
    asked = [kpi.id for kpi in (long, short, empty, foreign, long) if kpi.id is not None]
    async with runtime.sessions() as session:
        last = await recent_values(session=session, team_id=TEAM_ID, kpi_ids=asked, per_kpi=3)
        before = await recent_values(
            session=session,
            team_id=TEAM_ID,
            kpi_ids=asked,
            per_kpi=4,
            until=TODAY - timedelta(days=10),
        )
        none = await recent_values(session=session, team_id=TEAM_ID, kpi_ids=asked, per_kpi=0)
    assert long.id is not None and short.id is not None
    assert set(last) == {long.id, short.id}
    days = [value.recorded_on for value in last[long.id]]
    assert days == [TODAY - timedelta(days=2), TODAY - timedelta(days=1), TODAY]
    assert [value.value for value in last[long.id]] == [2, 1, 0]
    assert [value.value for value in last[short.id]] == [1, 0]
    assert [value.value for value in before[long.id]] == [13, 12, 11, 10]
    assert set(before) == {long.id}
    assert none == {}


async def test_recent_points_are_the_recent_values_as_plain_tuples(runtime: Runtime) -> None:
    kpis = await add_kpis(runtime, 2, days=30) + await add_kpis(runtime, 1, days=2)
    (foreign,) = await add_kpis(runtime, 1, team_id=OTHER_TEAM_ID, days=5)
    asked = [kpi.id for kpi in (*kpis, foreign) if kpi.id is not None]
    until = TODAY - timedelta(days=10)
    async with runtime.sessions() as session:
        for per_kpi, day in ((3, None), (4, until), (12, until), (0, None)):
            rows = await recent_values(
                session=session, team_id=TEAM_ID, kpi_ids=asked, per_kpi=per_kpi, until=day
            )
            points = await recent_points(
                session=session, team_id=TEAM_ID, kpi_ids=asked, per_kpi=per_kpi, until=day
            )
            assert points == {
                kpi_id: [(row.recorded_on, row.value) for row in values]
                for kpi_id, values in rows.items()
            }


@pytest.mark.parametrize(
    ("count", "more"),
    [(LIST_LINES_MAX, None), (LIST_PAGE, 1), (LIST_PAGE + 1, 2), (LIST_LINES_MAX + 30, 30)],
)
async def test_the_list_shows_a_page_and_counts_exactly_the_rest(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, count: int, more: int | None
) -> None:
    await add_kpis(runtime, 3, archived=True)
    await add_kpis(runtime, count, days=2)
    before = len(fake_slack.calls_to("response_url"))
    await slack.command("list", command="/kpi")
    answer = (await fake_slack.wait_for("response_url", before + 1))[-1].args
    shown = text_of(answer["blocks"])
    assert answer["text"] == f"KPIs: {count}"
    assert "*K-4* Metric 4 · 0 ↓ · target 100" in shown  # the latest value, 1 the day before
    last_shown = 3 + LIST_LINES_MAX
    assert f"*K-{last_shown}* " in shown and f"*K-{last_shown + 1}* " not in shown
    if more is None:
        assert "more. See one with" not in shown
    else:
        assert f"…and {more} more. See one with" in shown
    assert fake_slack.take_violations() == []


async def list_statements(slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime) -> int:
    with recorded_statements(runtime) as statements:
        before = len(fake_slack.calls_to("response_url"))
        await slack.command("list", command="/kpi")
        await fake_slack.wait_for("response_url", before + 1)
    assert not any("row_number" in statement.lower() for statement in statements)
    return len(statements)


async def test_the_list_sends_the_same_statements_for_few_and_many_kpis_and_values(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_kpis(runtime, 2, days=3)
    await list_statements(slack, fake_slack, runtime)  # the person is stored on first use
    few = await list_statements(slack, fake_slack, runtime)
    await add_kpis(runtime, 2 * LIST_PAGE, days=40)
    many = await list_statements(slack, fake_slack, runtime)
    assert few == many
