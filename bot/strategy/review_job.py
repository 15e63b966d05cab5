"""The daily review job's decision: post the review of the quarter that ended, the day after
it ends in the workspace's time zone, when a review channel is set."""

from __future__ import annotations

from datetime import timedelta

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.quarters import previous_quarter, quarter_of
from bot.core.runtime import Runtime
from bot.strategy.review_admin import workspace_today
from bot.strategy.review_post import ReviewNotPosted, post_review

LATE_AFTER = timedelta(days=14)  # a review not posted by then is left to /align review


async def post_due_review(*, runtime: Runtime, client: AsyncWebClient, team_id: str) -> str:
    """What the job did, in words for its log."""
    today, fiscal_start, strategy = await workspace_today(runtime, team_id)
    channel_id = strategy.get("review_channel")
    if not isinstance(channel_id, str) or not channel_id:
        return "no review channel"
    ended = previous_quarter(quarter_of(today, fiscal_start), fiscal_start)
    if today - ended.end > LATE_AFTER:
        return f"no review due ({ended.key} ended more than {LATE_AFTER.days} days ago)"
    try:
        posted = await post_review(
            runtime=runtime, client=client, team_id=team_id, quarter=ended, channel_id=channel_id
        )
    except ReviewNotPosted as refused:
        return f"review {ended.key}: Slack refused the post in {channel_id} ({refused.code})"
    return f"review {ended.key}: {posted.result.value}"
