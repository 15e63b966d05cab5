"""Issue 15 end to end, through the real app with an injected clock: priorities set in their
form, a company objective with three key results (one bound to a KPI that ``kpi-sync``
fetches), a confidence given in a check-in, the quarter ends and its review is posted once
with one canvas, the goal is carried with its history, and a newcomer is welcomed once."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from bot.core.runtime import Runtime
from bot.core.text_input import escape_mrkdwn
from bot.slack.client import SingleWorkspaceClients, build_web_client
from fakeslack import FakeSlack
from fakeslack.server import Call
from scheduler.jobs import JobContext, run_job
from storage.models import Review
from tests.checkins.answer_helpers import (
    GOOD_ANSWERS,
    add_people,
    open_modal,
    prompt_round,
    prompt_value,
    reply_through,
)
from tests.conftest import drain_background_tasks
from tests.goals.helpers import fix_clock
from tests.kpis.helpers import make_kpi
from tests.kpis.http_source_server import Reply, SourceServer
from tests.okrs.helpers import (
    create_goal,
    goal_of,
    key_results_of,
    reply,
    submit_key_results,
    updates_of,
)
from tests.onboarding.helpers import dms_to, join, message_text, newcomer
from tests.slack_requests import ADMIN_ID, SlackSender
from tests.strategy.priorities_helpers import reply_to, save, stored

NOV_27 = date(2026, 11, 27)  # in 2026-Q4
MEAN_OF_KEY_RESULTS = pytest.approx((18_000 - 10_000) / (20_000 - 10_000) / 3, abs=1e-6)
MONDAY = date(2026, 11, 30)  # 2026-W49: the check-in week
DAY_AFTER = datetime(2027, 1, 1, 9, 15, tzinfo=UTC)  # Q4 2026 ended on 31 December
LEADERSHIP = "CLEAD0001"
PRIORITIES = (
    ("Grow catering & events", "Catering pays twice what the counter does."),
    ("Bake in-house", "Bought-in bread eats the margin."),
    ("Happy regulars", "Most revenue comes from people who come back."),
)
KEY_RESULTS = (
    {"title": "Monthly revenue 20k", "start": "10k", "target": "20k"},  # bound to K-1
    {"title": "Ten catering contracts", "start": "0", "target": "10"},
    {"title": "Two event partners", "start": "0", "target": "2"},
)


@pytest.fixture
async def server() -> AsyncIterator[SourceServer]:
    async with SourceServer() as source_server:
        yield source_server


def set_now(runtime: Runtime, moment: datetime) -> None:
    runtime.clock = lambda: moment


def job_context(runtime: Runtime, fake_slack: FakeSlack) -> JobContext:
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    return JobContext(runtime, SingleWorkspaceClients(client))


def review_posts(fake_slack: FakeSlack, *, thread: bool) -> list[Call]:
    return [
        call
        for call in fake_slack.calls_to("chat.postMessage")
        if call.args.get("channel") == LEADERSHIP and ("thread_ts" in call.args) == thread
    ]


async def revenue_kpi(runtime: Runtime, server: SourceServer, revenue: float) -> int:
    """K-1 *Revenue*, fetched hourly from a JSON source answering ``revenue``."""
    runtime.settings = runtime.settings.model_copy(update={"northstar_allow_private_urls": True})
    server.reply("/revenue.json", Reply.json({"revenue": revenue}))
    source = {
        "kind": "json",
        "url": server.url("/revenue.json"),
        "path": "revenue",
        "header_name": None,
        "secret_env": None,
    }
    kpi = await make_kpi(runtime, name="Revenue", cadence="hourly", source=source)
    assert kpi.id is not None
    return kpi.id


async def set_priorities(slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime) -> int:
    """Step 1: the admin's form; returns the id of priority 1."""
    response = await save(slack, fake_slack, PRIORITIES)
    assert response.text == "", response.text
    saved = await stored(runtime)
    assert [(p.rank, p.title) for p in saved] == [
        (rank, title) for rank, (title, _) in enumerate(PRIORITIES, start=1)
    ]
    assert saved[0].id is not None
    return saved[0].id


async def objective_with_bound_key_result(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, priority_id: int, kpi_id: int
) -> None:
    """Step 2: G-1, a company goal of this quarter serving priority 1, with three KRs."""
    await create_goal(
        slack,
        fake_slack,
        title="Become the town's caterer",
        level="company",
        priority=str(priority_id),
        period="2026-Q4",
        due_date=None,
    )
    goal = await goal_of(runtime, 1)
    assert (goal.level, goal.priority_id, goal.period) == ("company", priority_id, "2026-Q4")
    rows = [dict(row) for row in KEY_RESULTS]
    rows[0]["kpi"] = str(kpi_id)
    _, response = await submit_key_results(slack, fake_slack, 1, *rows)
    assert response.status_code == 200 and response.text == "", response.text
    assert [kr.title for kr in await key_results_of(runtime, 1)] == [
        row["title"] for row in KEY_RESULTS
    ]


async def the_quarter(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, server: SourceServer
) -> None:
    """Steps 1 to 4: priorities, the objective and its KPI, a check-in, the quarter's review."""
    fix_clock(runtime, NOV_27)
    await add_people(runtime)
    priority_id = await set_priorities(slack, fake_slack, runtime)
    kpi_id = await revenue_kpi(runtime, server, 18_000)
    await objective_with_bound_key_result(slack, fake_slack, runtime, priority_id, kpi_id)
    assert (await key_results_of(runtime, 1))[0].current_value == 10_000  # no KPI value yet
    assert (await goal_of(runtime, 1)).current_value == pytest.approx(0)

    [synced] = await run_job("kpi-sync", job_context(runtime, fake_slack))
    assert synced.status == "done", synced.detail
    revenue, contracts, partners = await key_results_of(runtime, 1)
    assert revenue.current_value == 18_000
    assert (contracts.current_value, partners.current_value) == (0, 0)
    assert (await goal_of(runtime, 1)).current_value == MEAN_OF_KEY_RESULTS
    assert [(u.source, u.value) for u in (await updates_of(runtime, revenue))[1:]] == [
        ("kpi-sync", 18_000)
    ]

    # Step 3: the owner (the admin, who created G-1) answers the week's check-in.
    await prompt_round(runtime, fake_slack, MONDAY)
    view = await open_modal(
        slack, fake_slack, prompt_value(fake_slack, ADMIN_ID, "2026-W49"), user_id=ADMIN_ID
    )
    answers = {**GOOD_ANSWERS, f"kr:{contracts.id}:confidence": "4"}
    response = await slack.submit_view(view, answers, user_id=ADMIN_ID)
    assert response.status_code == 200 and response.text == "", response.text
    await drain_background_tasks()
    url = json.loads(str(view["private_metadata"]))["response_url"]
    confirmation = str((await reply_through(fake_slack, url))["text"])
    assert "G-1 KR 2 confidence" in confirmation and "→ 4" in confirmation
    history = await updates_of(runtime, (await key_results_of(runtime, 1))[1])
    assert [(u.source, u.confidence, u.author_id) for u in history if u.confidence] == [
        ("checkin", 4, ADMIN_ID)
    ]

    # Step 4: the quarter ends; the review job runs twice that day and once the next.
    set_reply = await reply_to(slack, fake_slack, f"review channel <#{LEADERSHIP}|leadership>")
    assert f"<#{LEADERSHIP}>" in set_reply
    details = []
    for moment in (DAY_AFTER, DAY_AFTER, DAY_AFTER + timedelta(days=1)):
        set_now(runtime, moment)
        [outcome] = await run_job("review", job_context(runtime, fake_slack))
        assert outcome.status == "done", outcome.detail
        details.append(outcome.detail)
    assert ["already posted" in detail for detail in details] == [False, True, True], details
    [post] = review_posts(fake_slack, thread=False)
    summary = str(post.args["blocks"])
    assert "Quarterly review: Q4 FY2026" in summary
    assert "Grow catering &amp; events" in summary
    thread = review_posts(fake_slack, thread=True)
    async with runtime.sessions() as session:
        [review] = (await session.exec(select(Review))).all()
    assert (review.period, review.canvas_id is not None) == ("2026-Q4", True)
    assert thread and {call.args["thread_ts"] for call in thread} == {review.message_ts}
    [canvas] = fake_slack.calls_to("canvases.create")
    markdown = canvas.args["document_content"]["markdown"]
    assert "Become the town" in markdown and "Monthly revenue 20k" in markdown
    fake_slack.assert_no_violations()


async def test_a_quarter_from_priorities_to_review_carry_and_welcome(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, server: SourceServer
) -> None:
    await the_quarter(slack, fake_slack, runtime, server)

    # Step 5: carried into the next quarter, keeping what happened before.
    fix_clock(runtime, DAY_AFTER.date() + timedelta(days=1))
    answer = await reply(slack, fake_slack, "carry G-1")
    assert "carried to Q1 FY2027" in answer
    goal = await goal_of(runtime, 1)
    assert (goal.period, goal.priority_id) == ("2027-Q1", (await stored(runtime))[0].id)
    assert goal.current_value == MEAN_OF_KEY_RESULTS
    assert len(await key_results_of(runtime, 1)) == 3
    shown = await reply(slack, fake_slack, "show G-1")
    assert "Carried from 2026-Q4 to 2027-Q1" in shown
    assert "18,000 / 20,000" in shown  # the KR's value from before the carry
    revenue = (await key_results_of(runtime, 1))[0]
    assert [u.source for u in await updates_of(runtime, revenue)][1:] == ["kpi-sync"]

    # Step 6: a newcomer, told twice by Slack, is welcomed once with the priorities.
    user = newcomer(fake_slack)
    await join(slack, user, event_id="EvQJOIN1")
    await join(slack, user, event_id="EvQJOIN2")
    [dm] = dms_to(fake_slack, user["id"])
    text = message_text(dm)
    for rank, (title, why) in enumerate(PRIORITIES, start=1):
        assert f"*{rank}. {escape_mrkdwn(title)}*" in text and why in text
    fake_slack.assert_no_violations()


async def test_a_review_asked_for_by_an_admin_after_the_job_is_not_posted_again(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, server: SourceServer
) -> None:
    await the_quarter(slack, fake_slack, runtime, server)
    assert "already posted" in await reply_to(slack, fake_slack, "review 2026-Q4")
    assert len(review_posts(fake_slack, thread=False)) == 1
    assert len(fake_slack.calls_to("canvases.create")) == 1
