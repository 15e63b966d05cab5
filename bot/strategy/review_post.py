"""Post a period's review exactly once: claim, post the summary and its thread, create the
canvas once, link it.

The claim is the ``Review`` row (unique per team and period): inserting it claims the period.
The message's ts is stored before the canvas is made and the canvas id as soon as Slack
answers, so a retry after a crash neither posts again nor makes a second canvas. A claim
older than ``STALE_CLAIM`` that never finished (its process died) may be taken over.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel import col, or_, select, update

from bot.core.quarters import Quarter
from bot.core.runtime import Runtime
from bot.slack.errors import error_code
from bot.slack.messages import build_notice
from bot.strategy import review_texts as texts
from bot.strategy.blocks.review import review_details, review_summary
from bot.strategy.review_data import build_review_pack
from bot.strategy.review_render import canvas_markdown
from storage.db import transaction
from storage.models import Review
from storage.upsert import insert_ignoring_conflict

logger = logging.getLogger(__name__)
UNCONFIRMED = "unconfirmed"  # the post's ts when Slack never answered it
STALE_CLAIM = timedelta(minutes=10)


class ReviewResult(StrEnum):
    POSTED = "posted"
    ALREADY_POSTED = "already posted"
    IN_PROGRESS = "in progress"


class ReviewNotPosted(Exception):
    """Slack refused the summary post (``code``: ``not_in_channel``, ``channel_not_found``…)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class PostedReview:
    result: ReviewResult
    channel_id: str | None


async def _claim(runtime: Runtime, team_id: str, period: str, channel_id: str) -> Review | None:
    """The Review row when this caller must (finish) posting it, else None."""
    now = runtime.clock()
    values = {
        "team_id": team_id,
        "period": period,
        "channel_id": channel_id,
        "claimed_at": now,
        "created_at": now,
    }
    async with transaction(runtime.sessions) as session:
        inserted = await insert_ignoring_conflict(session, Review, values, ["team_id", "period"])
        if not inserted:
            taken_over = await session.exec(
                update(Review)
                .where(
                    col(Review.team_id) == team_id,
                    col(Review.period) == period,
                    col(Review.posted_at).is_(None),
                    or_(
                        col(Review.claimed_at).is_(None), col(Review.claimed_at) < now - STALE_CLAIM
                    ),
                )
                .values(claimed_at=now)
            )
            if int(getattr(taken_over, "rowcount", 0) or 0) != 1:
                return None
        statement = select(Review).where(Review.team_id == team_id, Review.period == period)
        return (await session.exec(statement.execution_options(populate_existing=True))).one()


async def _existing(runtime: Runtime, team_id: str, period: str) -> Review | None:
    async with runtime.sessions() as session:
        statement = select(Review).where(Review.team_id == team_id, Review.period == period)
        return (await session.exec(statement)).first()


async def _save(runtime: Runtime, review_id: int | None, **changes: object) -> None:
    async with transaction(runtime.sessions) as session:
        await session.exec(update(Review).where(col(Review.id) == review_id).values(**changes))


async def post_review(
    *, runtime: Runtime, client: AsyncWebClient, team_id: str, quarter: Quarter, channel_id: str
) -> PostedReview:
    """Post the review of ``quarter`` in ``channel_id`` unless it is (being) posted."""
    review = await _claim(runtime, team_id, quarter.key, channel_id)
    if review is None:
        found = await _existing(runtime, team_id, quarter.key)
        done = found is not None and found.posted_at is not None
        result = ReviewResult.ALREADY_POSTED if done else ReviewResult.IN_PROGRESS
        return PostedReview(result, found.channel_id if found else None)
    async with runtime.sessions() as session:
        pack = await build_review_pack(session=session, team_id=team_id, quarter=quarter)
    channel = review.channel_id or channel_id
    message_ts = review.message_ts
    if message_ts is None:
        try:
            answer = await client.chat_postMessage(channel=channel, **review_summary(pack))
            posted = {"ts": str(answer["ts"]), "channel": str(answer.get("channel") or channel)}
        except SlackApiError as failure:
            # Nothing was posted: let the next try (a command, tomorrow's job) claim it at once.
            code = error_code(failure)
            await _save(runtime, review.id, claimed_at=None, error=f"post: {code}"[:200])
            raise ReviewNotPosted(code) from failure
        except Exception:
            # No answer: it may be in the channel. Never post it again; the canvas still comes.
            logger.exception("the review post of %s %s went unanswered", team_id, quarter.key)
            posted = {"ts": UNCONFIRMED, "channel": channel}
        message_ts, channel = posted["ts"], posted["channel"]
        await _save(runtime, review.id, message_ts=message_ts, channel_id=channel)
        if message_ts != UNCONFIRMED:
            for reply in review_details(pack):
                await client.chat_postMessage(channel=channel, thread_ts=message_ts, **reply)
    made = review.canvas_id is not None or await _make_canvas(
        runtime,
        client,
        review,
        pack_markdown=canvas_markdown(pack),
        title=texts.canvas_title(pack.label),
        channel=channel,
        ts=None if message_ts == UNCONFIRMED else message_ts,
    )
    if made:
        await _save(runtime, review.id, posted_at=runtime.clock(), error="")
    else:  # the post stands; the next run or `/align review` tries the canvas again
        await _save(runtime, review.id, claimed_at=None)
    return PostedReview(ReviewResult.POSTED, channel)


async def _make_canvas(
    runtime: Runtime,
    client: AsyncWebClient,
    review: Review,
    *,
    pack_markdown: str,
    title: str,
    channel: str,
    ts: str | None,
) -> bool:
    """Create the canvas, store its id at once, then link it in the thread (or, when the post
    went unanswered, in the channel); True when it was made. A refused canvas is said and
    recorded; the post stands."""
    try:
        made = await client.canvases_create(
            title=title, document_content={"type": "markdown", "markdown": pack_markdown}
        )
    except SlackApiError as failure:
        code = error_code(failure)
        logger.warning("review canvas for %s %s refused: %s", review.team_id, review.period, code)
        await _save(runtime, review.id, error=f"canvas: {code}"[:200])
        await client.chat_postMessage(
            channel=channel, thread_ts=ts, **build_notice(texts.canvas_failed(code))
        )
        return False
    canvas_id = str(made["canvas_id"])
    await _save(runtime, review.id, canvas_id=canvas_id)
    await client.chat_postMessage(
        channel=channel, thread_ts=ts, **build_notice(texts.canvas_link(review.team_id, canvas_id))
    )
    return True
