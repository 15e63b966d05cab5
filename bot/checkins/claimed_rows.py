"""A check-in invitation as the fan-out holds it once claimed, and how its outcome is
written: the row-level steps of ``bot.checkins.rounds``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.runtime import Runtime
from bot.slack.fanout import Attempt, Sent
from storage.db import transaction
from storage.models import CheckinDelivery
from storage.repositories import checkins as repo


@dataclass(frozen=True)
class Claimed:
    """An invitation as it stands once this run has won it. The DM is built from this, never
    from the batch's earlier read: settings saved mid-run may have changed its times or the
    round's questions since."""

    row: CheckinDelivery
    period: str
    questions: int  # questions to answer; the goal inputs are not counted
    goals: bool = True  # the form has the person's goals to update


async def reread(session: AsyncSession, delivery_id: int, team_id: str) -> Claimed:
    """The claimed row and its round, read in the claim's own transaction."""
    row = await repo.get_delivery_by_id(session=session, team_id=team_id, delivery_id=delivery_id)
    assert row is not None  # claimed a moment ago in this transaction; rows are never deleted
    found = await repo.get_round_by_id(session=session, team_id=team_id, round_id=row.round_id)
    return Claimed(
        row=row,
        period=found.period if found else "",
        # the goals "question" is the form's goal inputs, not a question to count
        questions=sum(1 for q in found.questions if q.get("kind") != "goals") if found else 0,
        goals=any(q.get("kind") == "goals" for q in found.questions) if found else False,
    )


async def finish(
    runtime: Runtime,
    delivery_id: int,
    claimed_at: datetime,
    state: str,
    *,
    release: bool = False,
    **fields: object,
) -> None:
    async with transaction(runtime.sessions) as session:
        await repo.finish_delivery(
            session=session,
            delivery_id=delivery_id,
            claimed_at=claimed_at,
            state=state,
            release=release,
            **fields,
        )


async def record_prompt(
    runtime: Runtime, delivery_id: int, claimed_at: datetime, attempt: Attempt
) -> None:
    """Write what Slack said to a prompt: refused for good, to try again, or sent."""
    if attempt.sent is Sent.REFUSED:
        await finish(runtime, delivery_id, claimed_at, repo.FAILED, error=attempt.code)
    elif attempt.sent is Sent.RETRY:
        await finish(runtime, delivery_id, claimed_at, repo.PENDING, release=True)
    elif attempt.sent is Sent.UNCONFIRMED:
        await finish(
            runtime, delivery_id, claimed_at, repo.SENT, sent_at=claimed_at, error="unconfirmed"
        )
    else:
        await finish(
            runtime,
            delivery_id,
            claimed_at,
            repo.SENT,
            sent_at=claimed_at,
            channel_id=attempt.channel_id,
            message_ts=attempt.message_ts,
        )
