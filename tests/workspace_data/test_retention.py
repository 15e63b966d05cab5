"""Retention: ``/align retention`` sets how long free text is kept, and the nightly ``retention``
job removes older free text while every number, state and count stays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from bot.core.runtime import Runtime
from bot.slack.client import SingleWorkspaceClients, build_web_client
from fakeslack import FakeSlack
from scheduler.jobs import JobContext, JobOutcome, run_job
from storage.db import transaction
from storage.models import (
    CheckinAnswer,
    CheckinDelivery,
    FeedbackMessage,
    FeedbackThread,
    GoalUpdate,
    KpiValue,
    Kudos,
    ReplyToken,
    SurveyAnswer,
    SurveyComment,
)
from storage.repositories.workspace_data import set_workspace_setting
from storage.repositories.workspaces import ensure_workspace
from tests.align.test_align import reply_to
from tests.factories import workspace_row
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender
from tests.workspace_data.helpers import OTHER_TEAM_ID, OTHER_USER, add_one_of_everything

NOW = datetime(2027, 1, 31, 4, 45, tzinfo=UTC)  # with 30 days, text before 1 January goes
OLD = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)
RECENT = datetime(2027, 1, 20, 10, 0, tzinfo=UTC)


async def run_retention(runtime: Runtime, fake_slack: FakeSlack, now: datetime) -> JobOutcome:
    runtime.clock = lambda: now
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    [outcome] = await run_job("retention", JobContext(runtime, SingleWorkspaceClients(client)))
    return outcome


async def keep_for(runtime: Runtime, team_id: str, days: int | None) -> None:
    async with transaction(runtime.sessions) as session:
        await ensure_workspace(session=session, team_id=team_id)
        await set_workspace_setting(
            session=session, team_id=team_id, key="retention_days", value=days, now=NOW
        )


async def old_and_recent_text(runtime: Runtime, team_id: str, user_id: str) -> None:
    await add_one_of_everything(runtime, team_id, user_id, words="Old", written=OLD)
    await add_one_of_everything(
        runtime, team_id, user_id + "R", words="Recent", number=200, written=RECENT
    )


async def stored(runtime: Runtime, team_id: str) -> dict[str, list[Any]]:
    """What retention may touch, and what it must not, as comparable rows."""
    queries: dict[str, Any] = {
        "checkins": select(CheckinAnswer.answers, CheckinAnswer.mood, CheckinAnswer.user_id)
        .where(CheckinAnswer.team_id == team_id)
        .order_by(col(CheckinAnswer.user_id)),
        "deliveries": select(CheckinDelivery.user_id, CheckinDelivery.state)
        .where(CheckinDelivery.team_id == team_id)
        .order_by(col(CheckinDelivery.user_id)),
        "notes": select(GoalUpdate.note, GoalUpdate.value)
        .where(GoalUpdate.team_id == team_id)
        .order_by(col(GoalUpdate.created_at)),
        "surveys": select(SurveyAnswer.answers).where(SurveyAnswer.team_id == team_id),
        "comments": select(SurveyComment.text)
        .where(SurveyComment.team_id == team_id)
        .order_by(col(SurveyComment.text)),
        "tokens": select(ReplyToken.question_key, ReplyToken.text)
        .where(ReplyToken.team_id == team_id)
        .order_by(col(ReplyToken.text)),
        "threads": select(
            FeedbackThread.code,
            FeedbackThread.state,
            FeedbackThread.message_count,
            col(FeedbackThread.reply_token_id).is_not(None),
        )
        .where(FeedbackThread.team_id == team_id)
        .order_by(col(FeedbackThread.code)),
        "messages": select(FeedbackMessage.text).where(FeedbackMessage.team_id == team_id),
        "kpi_values": select(KpiValue.value).where(KpiValue.team_id == team_id),
        "kudos": select(Kudos.text, Kudos.recipient_ids)
        .where(Kudos.team_id == team_id)
        .order_by(col(Kudos.created_at)),
    }
    async with runtime.sessions() as session:
        return {
            name: [tuple(row) if isinstance(row, tuple) else row for row in (await session.exec(q))]
            for name, q in queries.items()
        }


async def test_text_older_than_the_retention_goes_and_everything_else_stays(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await old_and_recent_text(runtime, TEAM_ID, "UPERSON1")
    await old_and_recent_text(runtime, OTHER_TEAM_ID, OTHER_USER)
    await keep_for(runtime, TEAM_ID, 30)
    await keep_for(runtime, OTHER_TEAM_ID, 30)  # its own run is another day's business
    before, other_before = await stored(runtime, TEAM_ID), await stored(runtime, OTHER_TEAM_ID)

    outcome = await run_retention(runtime, fake_slack, NOW)

    assert (outcome.status, outcome.team_id) == ("done", TEAM_ID)
    assert outcome.detail == (
        "older than 30 days: 1 check-in answers, 1 goal-update notes, 2 survey comments, "
        "1 feedback messages, 1 kudos texts cleared; 1 feedback threads closed"
    )
    after = await stored(runtime, TEAM_ID)
    assert after["checkins"] == [
        ({}, 4, "UPERSON1"),
        ({"blockers": "Recent blocker"}, 4, "UPERSON1R"),
    ]
    assert after["deliveries"] == before["deliveries"]  # who answered still counts
    assert after["notes"] == [("", 1.0), ("Recent note", 1.0)]
    assert after["surveys"] == [{"clear": 4}, {"clear": 4}]
    # Comments go by their survey's closing day: answers carry no date of their own.
    assert after["comments"] == ["Recent note"]
    assert after["tokens"] == [("comment", "Recent comment")]  # the old one's token went
    assert after["threads"] == [("0100", "closed", 1, False), ("0200", "open", 1, True)]
    assert after["messages"] == ["Recent feedback"]
    assert after["kpi_values"] == before["kpi_values"]
    assert after["kudos"] == [("", ["UPERSON1"]), ("Recent kudos", ["UPERSON1R"])]
    assert await stored(runtime, OTHER_TEAM_ID) == other_before


async def test_retention_runs_once_a_day_and_finds_nothing_more_the_next(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await old_and_recent_text(runtime, TEAM_ID, "UPERSON1")
    await keep_for(runtime, TEAM_ID, 30)
    assert (await run_retention(runtime, fake_slack, NOW)).ran
    assert not (await run_retention(runtime, fake_slack, NOW + timedelta(hours=1))).ran
    next_day = await run_retention(runtime, fake_slack, NOW + timedelta(days=1))
    assert next_day.detail.endswith(
        "0 check-in answers, 0 goal-update notes, 0 survey comments, 0 feedback messages, "
        "0 kudos texts cleared; 0 feedback threads closed"
    )


async def test_without_retention_nothing_is_removed(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await old_and_recent_text(runtime, TEAM_ID, "UPERSON1")
    before = await stored(runtime, TEAM_ID)
    outcome = await run_retention(runtime, fake_slack, NOW)
    assert (outcome.status, outcome.detail) == ("done", "retention is off")
    assert await stored(runtime, TEAM_ID) == before


async def test_admin_sets_shows_and_turns_off_retention(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    shown = await reply_to(slack, fake_slack, "retention")
    assert shown.startswith("Northstar keeps free text for as long as it runs: retention is off")
    saved = await reply_to(slack, fake_slack, "retention 365")
    assert saved.startswith(":white_check_mark: Northstar now keeps free text for 365 days.")
    workspace = await workspace_row(runtime)
    assert workspace is not None and workspace.settings["retention_days"] == 365
    shown = await reply_to(slack, fake_slack, "retention", user=MEMBER_ID)
    assert shown.startswith("Northstar keeps free text for 365 days.")
    assert "survey comments (scores and choices stay)" in shown
    assert (await reply_to(slack, fake_slack, "retention 90 days")).startswith(
        ":white_check_mark: Northstar now keeps free text for 90 days."
    )
    assert (await reply_to(slack, fake_slack, "retention OFF")).startswith(
        ":white_check_mark: Retention is off"
    )
    workspace = await workspace_row(runtime)
    assert workspace is not None and "retention_days" not in workspace.settings
    assert await reply_to(slack, fake_slack, "retention off") == (
        "Retention was already off; nothing changed."
    )


@pytest.mark.parametrize("text", ["retention 365", "retention off"])
async def test_members_cannot_change_retention(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, text: str
) -> None:
    await keep_for(runtime, TEAM_ID, 400)
    reply = await reply_to(slack, fake_slack, text, user=MEMBER_ID)
    assert reply.startswith(":no_entry: Only Northstar admins can change how long Northstar keeps")
    workspace = await workspace_row(runtime)
    assert workspace is not None and workspace.settings["retention_days"] == 400


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("retention 29", "not 29."),
        ("retention 0", "not 0."),
        ("retention 3651", "not 3,651."),
        ("retention 99999999999999999999999999", "not that many."),
        ("retention " + "9" * 6000, "not that many."),
        ("retention -5", "`-5` is neither"),
        ("retention 365.5", "`365.5` is neither"),
        ("retention 1e3", "`1e3` is neither"),
        ("retention one year", "`one year` is neither"),
        ("retention 365 <@U123>", "is neither"),
        ("retention <!channel>", "is neither"),
    ],
)
async def test_malformed_retention_is_explained_and_changes_nothing(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, text: str, expected: str
) -> None:
    reply = await reply_to(slack, fake_slack, text, user=ADMIN_ID)
    assert expected in reply
    assert "between 30 and 3,650" in reply
    workspace = await workspace_row(runtime)
    assert workspace is not None and "retention_days" not in workspace.settings
