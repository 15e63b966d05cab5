"""The review pack's rules (blocker themes, meeting questions), the fake Slack's
``canvases.create`` checks, and a large quarter posted within Slack's limits."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from sqlmodel import select

from bot.core.quarters import quarter_by_key
from bot.core.runtime import Runtime
from bot.slack.client import build_web_client
from bot.strategy.review_data import served_priorities
from bot.strategy.review_pack import blocker_themes
from bot.strategy.review_post import ReviewResult, post_review
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Goal, Priority, Review
from storage.repositories.workspaces import ensure_workspace
from tests.slack_requests import ADMIN_ID, TEAM_ID

LEADERSHIP = "CLEAD0001"


def test_a_theme_needs_three_people_and_counts_once_per_answer() -> None:
    themes, real = blocker_themes(
        [
            ("UANA", "Waiting on the supplier, the supplier again"),
            ("UBEN", "Supplier late; oven broken"),
            ("UCLO", "none"),
            ("UCLO", "Nothing."),
            ("UDAN", ""),
            ("UDAN", "the oven, and the supplier"),
            ("UEVE", "burnout"),  # one person, however often: never a theme
            ("UEVE", "burnout again"),
            ("UEVE", "still burnout"),
            ("UFAY", "the oven"),
        ]
    )
    assert real == 7
    assert [(theme.word, theme.mentions) for theme in themes] == [
        ("oven", 3),
        ("supplier", 3),
    ]  # ties: a to z


def test_no_blocker_answers_give_no_theme() -> None:
    assert blocker_themes([("U1", "n/a"), ("U2", "all good"), ("U3", "No")]) == ((), 0)


async def test_the_fake_slack_checks_canvas_content(fake_slack: FakeSlack) -> None:
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    made = await client.canvases_create(
        title="Q4", document_content={"type": "markdown", "markdown": "# Review"}
    )
    assert str(made["canvas_id"]).startswith("F")
    bad: list[dict[str, Any]] = [
        {"type": "html", "markdown": "x"},
        {"type": "markdown", "markdown": 3},
    ]
    for content in bad:
        with pytest.raises(SlackApiError):
            await client.api_call(
                "canvases.create", json={"title": "Q4", "document_content": content}
            )
    with pytest.raises(SlackApiError):
        too_long = {"type": "markdown", "markdown": "x" * 100_001}
        await client.canvases_create(title="Q4", document_content=too_long)
    assert len(fake_slack.take_violations()) == 3
    assert len(fake_slack.calls_to("canvases.create")) == 4


async def test_a_quarter_with_many_goals_posts_within_slack_limits(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    async with transaction(runtime.sessions) as session:
        await ensure_workspace(session=session, team_id=TEAM_ID, name="Big")
        session.add(Priority(team_id=TEAM_ID, rank=1, title="Everything"))
        await session.flush()
        [priority] = (await session.exec(select(Priority))).all()
        for number in range(1, 121):
            session.add(
                Goal(
                    team_id=TEAM_ID,
                    number=number,
                    title=f"Goal {number} " + "with a rather long title " * 5,
                    level="company",
                    owner_id=ADMIN_ID,
                    created_by=ADMIN_ID,
                    start_date=date(2026, 10, 1),
                    due_date=date(2026, 12, 31),
                    period="2026-Q4",
                    priority_id=priority.id,
                )
            )
    runtime.clock = lambda: datetime(2027, 1, 2, 9, 0, tzinfo=UTC)
    quarter = quarter_by_key("2026-Q4")
    assert quarter is not None
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    posted = await post_review(
        runtime=runtime, client=client, team_id=TEAM_ID, quarter=quarter, channel_id=LEADERSHIP
    )
    assert posted.result is ReviewResult.POSTED
    fake_slack.assert_no_violations()
    markdown = fake_slack.calls_to("canvases.create")[0].args["document_content"]["markdown"]
    assert "G-120 Goal 120" in markdown  # the canvas holds every goal
    async with runtime.sessions() as session:
        [review] = (await session.exec(select(Review))).all()
    assert review.canvas_id is not None and review.error == ""


def test_goals_serve_the_priority_of_the_nearest_goal_above_them_that_names_one() -> None:
    def goal(number: int, parent: int | None, priority: int | None) -> Goal:
        return Goal(
            id=number,
            team_id=TEAM_ID,
            number=number,
            title=f"G{number}",
            level="company" if parent is None else "team",
            owner_id=ADMIN_ID,
            parent_id=parent,
            start_date=datetime(2026, 1, 1, tzinfo=UTC).date(),
            due_date=datetime(2026, 3, 31, tzinfo=UTC).date(),
            created_by=ADMIN_ID,
            priority_id=priority,
        )

    goals = [goal(1, None, 7), goal(2, 1, None), goal(3, 2, None), goal(4, None, None)]
    goals.append(goal(5, 4, 9))  # names its own
    assert served_priorities(goals) == {1: 7, 2: 7, 3: 7, 4: None, 5: 9}
