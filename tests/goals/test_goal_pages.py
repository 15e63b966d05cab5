"""Lists, trees and the Home read one page: the SQL conditions say what the Python rules say
(periods, needs attention), pages longer than a message say exactly how many are left, and
the number of statements does not grow with the workspace."""

from __future__ import annotations

import itertools
import random
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from bot.core.quarters import CUSTOM
from bot.core.runtime import Runtime
from bot.goals.pages import shown_in, view_of
from bot.goals.period_choice import period_filter
from bot.goals.tree_pages import TREE_LINES_MAX
from bot.home.data import needs_attention
from bot.home.goal_sections import behind, not_aligned, stale
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Goal
from storage.repositories import goal_pages
from storage.repositories.goals import add_goal
from storage.repositories.members import MemberProfile
from storage.states import GoalLevel
from tests.factories import add_members
from tests.goals.helpers import TODAY, fix_clock, reply
from tests.slack_requests import ADMIN_ID, SlackSender
from tests.statements import recorded_statements

TEAM = "T0001"


def _goal(title: str = "A goal", **fields: Any) -> Goal:
    values: dict[str, Any] = {
        "team_id": TEAM,
        "number": 0,
        "title": title,
        "level": "company",
        "owner_id": ADMIN_ID,
        "created_by": ADMIN_ID,
        "start_date": TODAY - timedelta(days=10),
        "due_date": TODAY + timedelta(days=80),
        "progress_at": datetime(2026, 11, 26, tzinfo=UTC),
    }
    values.update(fields)
    return Goal(**values)


async def _add(runtime: Runtime, goals: list[Goal]) -> list[Goal]:
    await add_members(runtime, MemberProfile(user_id=ADMIN_ID, is_admin=True))
    async with transaction(runtime.sessions) as session:
        for goal in goals:
            await add_goal(session=session, goal=goal)
    return goals


async def _ids(runtime: Runtime, where: list[sa.ColumnElement[bool]]) -> set[int]:
    async with runtime.sessions() as session:
        found = await goal_pages.goal_page(session=session, team_id=TEAM, where=where, limit=10_000)
    return {goal.id for goal in found if goal.id is not None}


def _spans() -> list[tuple[str, date | None, date | None, date, date]]:
    """(period, period_start, period_end, start_date, due_date) around the quarters of
    TODAY (2026-11-27, in 2026-Q4 of a January fiscal year)."""
    days = [date(2026, 6, 1), date(2026, 9, 30), date(2026, 10, 1), TODAY, date(2027, 2, 1)]
    spans: list[tuple[str, date | None, date | None, date, date]] = []
    for start, end in itertools.combinations_with_replacement(days, 2):
        spans.append((CUSTOM, start, end, start, end))
        spans.append(("", None, None, start, end))  # from before periods: its own dates
    spans += [
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31), date(2026, 10, 1), date(2026, 12, 31)),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30), date(2026, 7, 1), date(2026, 9, 30)),
        ("2027-Q1", date(2027, 1, 1), date(2027, 3, 31), date(2027, 1, 1), date(2027, 3, 31)),
    ]
    return spans


async def test_the_period_filter_in_sql_keeps_what_period_filter_shows(runtime: Runtime) -> None:
    goals = await _add(
        runtime,
        [
            _goal(period=period, period_start=p_start, period_end=p_end, start_date=s, due_date=d)
            for period, p_start, p_end, s, d in _spans()
        ],
    )
    for word in ("", "2026-Q3", "2026-Q4", "2027-Q1", "all"):
        period = period_filter(word, today=TODAY, fiscal_start=1)
        expected = {goal.id for goal in goals if period.shows(goal)}
        assert await _ids(runtime, shown_in(period)) == expected, word
    # a past quarter viewed today keeps custom goals that overlap it, not only those of today
    past = period_filter("2026-Q3", today=TODAY, fiscal_start=1)
    assert not past.is_current and await _ids(runtime, shown_in(past))


def _attention_goals() -> list[Goal]:
    goals: list[Goal] = []
    grid = itertools.product(
        ("number", "milestone"),
        (0.0, 0.2, 0.4, 0.5, 0.61, 1.0),
        ((-50, 50), (-90, 10), (-100, -1), (0, 0), (5, 40), (-20, 0)),
        (None, "", "on_track", "at_risk", "off_track"),
    )
    for measure, progress, (start, due), override in grid:
        goals.append(
            _goal(
                measure=measure,
                progress=progress,
                current_value=progress,
                start_date=TODAY + timedelta(days=start),
                due_date=TODAY + timedelta(days=due),
                status_override=override,
            )
        )
    goals += [
        _goal(level="team", parent_id=None),
        _goal(progress_at=datetime(2026, 11, 12, 23, 59, tzinfo=UTC)),  # 15 days: stale
        _goal(progress_at=datetime(2026, 11, 13, 0, 0, tzinfo=UTC)),  # 14 days: not yet
    ]
    return goals


async def test_needs_attention_in_sql_is_the_homes_rule(runtime: Runtime) -> None:
    goals = await _add(runtime, _attention_goals())
    expected = {g.id for g in goals if needs_attention(view_of(g, TODAY), TODAY)}
    rule = sa.or_(behind(TODAY), not_aligned(), stale(TODAY))
    assert await _ids(runtime, [rule]) == expected
    assert 0 < len(expected) < len(goals)


async def test_a_long_list_shows_a_page_and_counts_the_rest_exactly(
    runtime: Runtime, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    fix_clock(runtime)
    await _add(runtime, [_goal(f"Goal {index}") for index in range(45)])
    text = await reply(slack, fake_slack, "list all")
    assert "(45)" in text
    assert len(re.findall(r"\*G-\d+\*", text)) == 30
    assert "…and 15 more. Narrow the list" in text
    mine = await reply(slack, fake_slack, "list company period all")
    assert "(45)" in mine and "…and 15 more" in mine


async def test_counts_stop_at_the_cap_and_say_so(
    runtime: Runtime, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    fix_clock(runtime)
    await _add(runtime, [_goal(f"Goal {index}") for index in range(goal_pages.COUNT_CAP + 5)])

    listed = await reply(slack, fake_slack, "list all")
    tree = await reply(slack, fake_slack, "tree")

    cap = goal_pages.COUNT_CAP
    assert f"({cap:,}+)" in listed and f"…and {cap - 30:,}+ more" in listed
    assert "+ more. Show one branch" in tree


async def _statements_of(
    runtime: Runtime, slack: SlackSender, fake_slack: FakeSlack, text: str
) -> int:
    await reply(slack, fake_slack, text)  # warm: the member is known, caches filled
    with recorded_statements(runtime) as statements:
        await reply(slack, fake_slack, text)
    return len(statements)


async def test_statements_do_not_grow_with_the_goals(
    runtime: Runtime, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    fix_clock(runtime)
    [top] = await _add(runtime, [_goal("Top")])
    await _add(runtime, [_goal(f"Team {i}", level="team", parent_id=top.id) for i in range(5)])
    commands = ("list all", "tree", f"tree G-{top.number}", "show G-1", "list")
    before = [await _statements_of(runtime, slack, fake_slack, text) for text in commands]
    await _add(runtime, [_goal(f"More {i}", level="team", parent_id=top.id) for i in range(60)])
    after = [await _statements_of(runtime, slack, fake_slack, text) for text in commands]
    assert before == after


async def test_a_tree_wider_than_a_message_shows_the_first_and_counts_the_rest(
    runtime: Runtime, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    fix_clock(runtime)
    [top] = await _add(runtime, [_goal("Top")])
    children = [
        _goal(f"Child {i}", level="team", parent_id=top.id) for i in range(TREE_LINES_MAX + 40)
    ]
    await _add(runtime, children)
    for text in ("tree", f"tree G-{top.number}"):
        answer = await reply(slack, fake_slack, text)
        shown = len(re.findall(r"\*G-\d+\*", answer))
        hidden = int(re.search(r"…and ([\d,]+) more", answer).group(1).replace(",", ""))  # type: ignore[union-attr]
        assert shown + hidden == 1 + len(children), text
        assert 0 < shown < TREE_LINES_MAX


async def test_a_tree_deeper_than_a_message_shows_the_first_and_counts_the_rest(
    runtime: Runtime, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    fix_clock(runtime)
    depth = 120
    parent: Goal | None = None
    await add_members(runtime, MemberProfile(user_id=ADMIN_ID, is_admin=True))
    async with transaction(runtime.sessions) as session:
        for index in range(depth):
            level = GoalLevel.COMPANY if parent is None else GoalLevel.TEAM
            goal = _goal(f"Step {index}", level=level, parent_id=parent.id if parent else None)
            parent = await add_goal(session=session, goal=goal)
    answer = await reply(slack, fake_slack, "tree G-1")
    shown = len(re.findall(r"\*G-\d+\*", answer))
    hidden = int(re.search(r"…and ([\d,]+) more", answer).group(1).replace(",", ""))  # type: ignore[union-attr]
    assert shown + hidden == depth
    # a closed goal in the middle cuts its branch: what is below it is not counted
    async with transaction(runtime.sessions) as session:
        await session.exec(sa.update(Goal).where(col(Goal.number) == 3).values(state="done"))
    answer = await reply(slack, fake_slack, "tree G-1")
    assert "…and" not in answer and len(re.findall(r"\*G-\d+\*", answer)) == 2


async def test_sub_goals_in_tree_order_read_only_the_parents_needed_and_miss_none(
    runtime: Runtime,
) -> None:
    """``children_in_order`` against a plain oracle: parents with none, few or many
    sub-goals, some closed, ranked in a shuffled order, with limits that stop in the first
    parent, in the middle and never."""
    randomness = random.Random(16)
    parents = await _add(runtime, [_goal(f"Parent {i}") for i in range(12)])
    children: list[Goal] = []
    for parent in parents:
        for index in range(randomness.choice([0, 0, 1, 3, 9])):
            state = "open" if randomness.random() < 0.7 else "done"
            children.append(_goal(f"Sub {index}", level="team", parent_id=parent.id, state=state))
    randomness.shuffle(children)  # numbers do not follow the parents
    await _add(runtime, children)
    for _ in range(20):
        chosen = randomness.sample(parents, randomness.randint(1, len(parents)))
        ranks = {parent.id or 0: place for place, parent in enumerate(chosen)}
        for limit in (1, 4, 10, 1_000):
            expected = sorted(
                (child for child in children if child.parent_id in ranks and child.state == "open"),
                key=lambda child: (ranks[child.parent_id or 0], child.number),
            )[:limit]
            async with runtime.sessions() as session:
                found = await goal_pages.children_in_order(
                    session=session,
                    team_id=TEAM,
                    parent_ranks=ranks,
                    where=[col(Goal.state) == "open"],
                    limit=limit,
                )
            assert [goal.id for goal in found] == [goal.id for goal in expected]
