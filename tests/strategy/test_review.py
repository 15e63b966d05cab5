"""The quarterly review: posted once (two job runs, two claims, a crash after posting), its
canvas created once, withheld pulse results kept withheld, blockers only from check-ins, and
the commands for admins only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cryptography.fernet import Fernet
from sqlmodel import select

from bot.core.quarters import quarter_by_key
from bot.core.runtime import Runtime
from bot.pulse.lifecycle import advance_surveys, create_survey
from bot.pulse.questions import BANK, SurveyDraft, custom_question
from bot.pulse.surveys import submit_answer
from bot.slack.client import SingleWorkspaceClients, build_web_client
from bot.strategy.review_post import ReviewResult, post_review
from bot.strategy.settings import with_strategy
from fakeslack import FakeSlack
from fakeslack.server import Call
from scheduler.jobs import JobContext, run_job
from storage.db import transaction
from storage.models import Goal, KeyResult, Priority, Review, Workspace
from tests.digest.helpers import OPS, SALES, agreeing, at, build_bakery
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender

LEADERSHIP = "CLEAD0001"
DAY_AFTER = datetime(2027, 1, 1, 9, 15, tzinfo=UTC)  # Q4 2026 ended on 31 December


async def bakery_with_priorities(runtime: Runtime, *, channel: str | None = LEADERSHIP) -> None:
    await build_bakery(runtime)
    async with transaction(runtime.sessions) as session:
        grow = Priority(team_id=TEAM_ID, rank=1, title="Grow <catering> & events")
        oven = Priority(team_id=TEAM_ID, rank=2, title="Bake in-house")
        session.add_all([grow, oven])
        await session.flush()
        goals = {g.number: g for g in (await session.exec(select(Goal))).all()}
        for number in (1, 2, 3):
            goals[number].priority_id = grow.id
            session.add(goals[number])
        for position, (title, current) in enumerate((("Contracts", 10), ("Events", 2)), 1):
            session.add(
                KeyResult(
                    team_id=TEAM_ID,
                    goal_id=goals[1].id or 0,
                    position=position,
                    title=title,
                    target_value=10,
                    current_value=current,
                )
            )
        workspace = await session.get(Workspace, TEAM_ID)
        assert workspace is not None
        if channel:
            workspace.settings = with_strategy(workspace.settings, review_channel=channel)
        session.add(workspace)


def context_of(runtime: Runtime, fake_slack: FakeSlack) -> JobContext:
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    return JobContext(runtime, SingleWorkspaceClients(client))


def posts(fake_slack: FakeSlack, *, thread: bool) -> list[Call]:
    return [
        call
        for call in fake_slack.calls_to("chat.postMessage")
        if call.args.get("channel") == LEADERSHIP and ("thread_ts" in call.args) == thread
    ]


async def test_the_job_posts_the_review_once_with_one_canvas(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await bakery_with_priorities(runtime)
    runtime.clock = lambda: DAY_AFTER - timedelta(days=1)  # 31 December: not ended yet
    [early] = await run_job("review", context_of(runtime, fake_slack))
    assert "2026-Q3" in early.detail and not posts(fake_slack, thread=False)

    runtime.clock = lambda: DAY_AFTER
    await run_job("review", context_of(runtime, fake_slack))
    [again] = await run_job("review", context_of(runtime, fake_slack))
    assert "already posted" in again.detail
    [main] = posts(fake_slack, thread=False)
    summary = str(main.args["blocks"])
    assert "Quarterly review: Q4 FY2026" in summary
    assert "Grow &lt;catering&gt; &amp; events" in summary  # people's text escaped
    assert "key results 1 hit, 1 missed" in summary
    assert "strategy_priorities_edit" in summary
    [canvas] = fake_slack.calls_to("canvases.create")
    markdown = canvas.args["document_content"]["markdown"]
    assert canvas.args["document_content"]["type"] == "markdown"
    assert "## Questions for the meeting" in markdown
    assert "Grow \\<catering\\> & events" in markdown  # markdown escapes, not entities
    assert "Bake in-house had no goal this period" in markdown
    thread = " ".join(str(call.args["blocks"]) for call in posts(fake_slack, thread=True))
    assert thread.count("its canvas>") == 1
    fake_slack.assert_no_violations()

    async with runtime.sessions() as session:
        [review] = (await session.exec(select(Review))).all()
    assert review.period == "2026-Q4" and review.message_ts is not None
    assert review.canvas_id is not None and review.posted_at is not None


async def test_withheld_pulse_stays_withheld_and_blockers_come_from_check_ins(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await bakery_with_priorities(runtime)
    runtime.clock = lambda: DAY_AFTER
    await run_job("review", context_of(runtime, fake_slack))
    markdown = fake_slack.calls_to("canvases.create")[0].args["document_content"]["markdown"]
    kitchen = [line for line in markdown.splitlines() if "Kitchen pulse" in line]
    assert kitchen == [
        "- P-2 Kitchen pulse: results withheld: fewer answers than the anonymity threshold"
    ]
    assert "P-1 Alignment pulse: 6 answers" in markdown
    assert "- older: 10 mentions" in markdown  # answered in two earlier weeks' check-ins
    assert "things" not in markdown  # every check-in's "moved" answer: not a blocker
    for name in ("USALES01", "UOPS0001", "Ada"):
        assert name not in markdown


async def test_a_second_claim_and_a_crash_after_posting_post_nothing_twice(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await bakery_with_priorities(runtime)
    runtime.clock = lambda: DAY_AFTER
    quarter = quarter_by_key("2026-Q4")
    assert quarter is not None
    async with transaction(runtime.sessions) as session:  # a process died after posting
        session.add(
            Review(
                team_id=TEAM_ID,
                period="2026-Q4",
                channel_id=LEADERSHIP,
                message_ts="1.000001",
                claimed_at=DAY_AFTER - timedelta(minutes=5),
            )
        )
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    busy = await post_review(
        runtime=runtime, client=client, team_id=TEAM_ID, quarter=quarter, channel_id=LEADERSHIP
    )
    assert busy.result is ReviewResult.IN_PROGRESS and not fake_slack.calls

    runtime.clock = lambda: DAY_AFTER + timedelta(minutes=6)  # the claim is now stale
    done = await post_review(
        runtime=runtime, client=client, team_id=TEAM_ID, quarter=quarter, channel_id=LEADERSHIP
    )
    assert done.result is ReviewResult.POSTED
    assert not posts(fake_slack, thread=False)  # the summary was posted before the crash
    assert len(fake_slack.calls_to("canvases.create")) == 1
    again = await post_review(
        runtime=runtime, client=client, team_id=TEAM_ID, quarter=quarter, channel_id=LEADERSHIP
    )
    assert again.result is ReviewResult.ALREADY_POSTED
    assert len(fake_slack.calls_to("canvases.create")) == 1


async def reply_to(slack: SlackSender, fake_slack: FakeSlack, text: str, user: str) -> str:
    before = len(fake_slack.calls_to("response_url"))
    await slack.command(f"review {text}".strip(), user_id=user)
    calls = await fake_slack.wait_for("response_url", before + 1)
    return str(calls[-1].args["blocks"])


async def test_admins_set_the_channel_preview_and_post_members_are_refused(
    runtime: Runtime, fake_slack: FakeSlack, slack: SlackSender
) -> None:
    await bakery_with_priorities(runtime, channel=None)
    runtime.clock = lambda: DAY_AFTER + timedelta(days=3)
    for text in ("", "channel <#CX|x>", "preview", "2026-Q4"):
        assert "admin" in (await reply_to(slack, fake_slack, text, MEMBER_ID)).lower()
    assert "No review channel yet" in await reply_to(slack, fake_slack, "", ADMIN_ID)
    assert "pick it from the list" in await reply_to(slack, fake_slack, "channel lead", ADMIN_ID)
    assert "has not ended yet" in await reply_to(slack, fake_slack, "2027-q1", ADMIN_ID)
    assert "not a quarter" in await reply_to(slack, fake_slack, "2026-Q5", ADMIN_ID)
    set_reply = await reply_to(slack, fake_slack, f"channel <#{LEADERSHIP}|leadership>", ADMIN_ID)
    assert f"<#{LEADERSHIP}>" in set_reply
    preview = await reply_to(slack, fake_slack, "preview", ADMIN_ID)
    assert "only you can see it" in preview and not posts(fake_slack, thread=False)
    assert "is posted in" in await reply_to(slack, fake_slack, "", ADMIN_ID)
    assert "already posted" in await reply_to(slack, fake_slack, "2026-Q4", ADMIN_ID)
    assert len(posts(fake_slack, thread=False)) == 1
    assert len(fake_slack.calls_to("canvases.create")) == 1


async def test_survey_comments_never_become_blocker_themes(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await bakery_with_priorities(runtime)
    comment = custom_question(6, kind="text", text="Anything else?", required=False)
    draft = SurveyDraft(
        title="Comment pulse",
        questions=(*BANK, comment),
        opens_at=at(2, 9, month=12),
        closes_at=at(9, 9, month=12),
        team_refs=(),
        min_responses=4,
        repeat="none",
    )
    async with transaction(runtime.sessions) as session:
        survey = await create_survey(
            session=session, team_id=TEAM_ID, actor=ADMIN_ID, draft=draft, now=draft.opens_at
        )
    async with transaction(runtime.sessions) as session:
        await advance_surveys(session=session, team_id=TEAM_ID, now=draft.opens_at)
    assert survey.id is not None
    for user_id in SALES + OPS[:2]:
        async with transaction(runtime.sessions) as session:
            await submit_answer(
                session=session,
                team_id=TEAM_ID,
                survey_id=survey.id,
                user_id=user_id,
                submitted=agreeing(4, 9) | {comment.key: "The sourdough starter keeps dying"},
                allow_replies=False,
                secret_key=Fernet.generate_key().decode(),
                now=at(3, 9, month=12),
            )
    async with transaction(runtime.sessions) as session:
        await advance_surveys(session=session, team_id=TEAM_ID, now=draft.closes_at)
    runtime.clock = lambda: DAY_AFTER
    await run_job("review", context_of(runtime, fake_slack))
    markdown = fake_slack.calls_to("canvases.create")[0].args["document_content"]["markdown"]
    assert "P-3 Comment pulse: 6 answers" in markdown  # released, scores only
    assert "sourdough" not in markdown.lower() and "starter" not in markdown.lower()
    thread = str([call.args for call in fake_slack.calls_to("chat.postMessage")])
    assert "sourdough" not in thread.lower()


async def test_a_refused_post_says_what_to_do_and_can_be_tried_again_at_once(
    runtime: Runtime, fake_slack: FakeSlack, slack: SlackSender
) -> None:
    await bakery_with_priorities(runtime)
    runtime.clock = lambda: DAY_AFTER
    fake_slack.channel_errors[LEADERSHIP] = "not_in_channel"
    refused = await reply_to(slack, fake_slack, "", ADMIN_ID)
    assert "not_in_channel" in refused and "/invite @Northstar" in refused
    assert not fake_slack.calls_to("canvases.create")
    del fake_slack.channel_errors[LEADERSHIP]
    fake_slack.clear()  # the refused call was recorded too
    assert "is posted in" in await reply_to(slack, fake_slack, "2026-Q4", ADMIN_ID)
    assert len(posts(fake_slack, thread=False)) == 1
    assert len(fake_slack.calls_to("canvases.create")) == 1


async def test_a_refused_canvas_is_tried_again_without_posting_the_review_twice(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    """An install from before the canvas scope gets `missing_scope`: the review stands, and
    the next run makes the canvas, once."""
    await bakery_with_priorities(runtime)
    runtime.clock = lambda: DAY_AFTER
    fake_slack.inject("canvases.create", error="missing_scope")
    await run_job("review", context_of(runtime, fake_slack))
    assert len(posts(fake_slack, thread=False)) == 1
    async with runtime.sessions() as session:
        [review] = (await session.exec(select(Review))).all()
    assert review.canvas_id is None and review.posted_at is None  # not done yet

    runtime.clock = lambda: DAY_AFTER + timedelta(days=1)
    await run_job("review", context_of(runtime, fake_slack))
    [again] = await run_job("review", context_of(runtime, fake_slack))
    assert "already posted" in again.detail
    assert len(posts(fake_slack, thread=False)) == 1
    assert len(fake_slack.calls_to("canvases.create")) == 2  # refused once, made once
    async with runtime.sessions() as session:
        [review] = (await session.exec(select(Review))).all()
    assert review.canvas_id is not None and review.posted_at is not None
