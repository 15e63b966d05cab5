"""The quarter end at the bakery: Rosa picks #leadership for reviews, the clock reaches the
day after the quarter, and the daily ``review`` job posts the review with its canvas (or, if
the simulation already ran past that day, Rosa posts it with ``/align review``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.demo import bakery
from bot.demo.scenario import Simulation
from bot.demo.slack import DemoFailed

LEADERSHIP_CHANNEL, LEADERSHIP_CHANNEL_NAME = "C0LEADERS", "leadership"
QUARTER = "2026-Q1"
REVIEW_AT = datetime(2026, 4, 1, 15, 15, tzinfo=UTC)  # 10:15 in Chicago, the day after Q1


@dataclass(frozen=True)
class QuarterReview:
    """The review as it reached Slack: the post, its thread and the canvas it created."""

    period: str
    post: dict[str, Any]
    thread: tuple[dict[str, Any], ...]
    canvas_title: str
    canvas_markdown: str


def _message(args: dict[str, Any]) -> dict[str, Any]:
    return {key: args[key] for key in ("text", "blocks") if key in args}


async def close_the_quarter(simulation: Simulation) -> QuarterReview:
    slack, owner = simulation.slack, bakery.OWNER
    channel = f"<#{LEADERSHIP_CHANNEL}|{LEADERSHIP_CHANNEL_NAME}>"
    await slack.command(owner, "/align", f"review channel {channel}")
    first = len(slack.fake.calls)
    if simulation.clock.now <= REVIEW_AT:
        simulation.clock.now = REVIEW_AT
        await simulation.run_jobs(("review",))
    else:
        await slack.command(owner, "/align", f"review {QUARTER}")
    calls = slack.fake.calls[first:]
    posts = [
        call.args
        for call in calls
        if call.method == "chat.postMessage" and call.args.get("channel") == LEADERSHIP_CHANNEL
    ]
    canvases = [call.args for call in calls if call.method == "canvases.create"]
    mains = [args for args in posts if "thread_ts" not in args]
    if len(mains) != 1 or len(canvases) != 1:
        raise DemoFailed(f"the {QUARTER} review was not posted once with one canvas")
    content = canvases[0].get("document_content") or {}
    return QuarterReview(
        period=QUARTER,
        post=_message(mains[0]),
        thread=tuple(_message(args) for args in posts if "thread_ts" in args),
        canvas_title=str(canvases[0].get("title") or ""),
        canvas_markdown=str(content.get("markdown") or ""),
    )
