"""A check-in invitation as the fan-out holds it once claimed, and how its outcome is
written: the row-level steps of ``bot.checkins.rounds``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.runtime import Runtime
from bot.slack.fanout import TAKEN, Attempt, Sent
from bot.slack.fanout_groups import ClaimedGroup, Outgoing
from bot.slack.messages import Reply
from storage.db import transaction
from storage.models import CheckinDelivery, CheckinRound
from storage.repositories import checkin_claims as claims
from storage.repositories import checkins as repo
from storage.repositories.checkin_claims import ClaimedInvitation, DueInvitation

ClaimKey = tuple[int, datetime]
"""A claimed invitation in a group: its id and the claim's time, which the record must match."""


@dataclass(frozen=True)
class Claimed:
    """An invitation as it stands once this run has won it. The DM is built from this, never
    from the batch's earlier read: settings saved mid-run may have changed its times or the
    round's questions since."""

    row: CheckinDelivery
    period: str
    questions: int  # questions to answer; the goal inputs are not counted
    goals: bool = True  # the form has the person's goals to update


@dataclass(frozen=True)
class RoundFacts:
    """What a DM says of its round, as the round stands when the invitation is claimed."""

    period: str
    questions: int  # questions to answer; the goal inputs are not counted
    goals: bool  # the form has the person's goals to update

    @classmethod
    def of(cls, found: CheckinRound | None) -> RoundFacts:
        if found is None:
            return cls(period="", questions=0, goals=False)
        return cls(
            period=found.period,
            # the goals "question" is the form's goal inputs, not a question to count
            questions=sum(1 for q in found.questions if q.get("kind") != "goals"),
            goals=any(q.get("kind") == "goals" for q in found.questions),
        )


Decide = Callable[[ClaimedInvitation, RoundFacts], Reply | str]
"""The DM of a claimed invitation, or why it is skipped instead (written as its error)."""


async def reread(session: AsyncSession, delivery_id: int, team_id: str) -> Claimed:
    """The claimed row and its round, read in the claim's own transaction."""
    row = await repo.get_delivery_by_id(session=session, team_id=team_id, delivery_id=delivery_id)
    assert row is not None  # claimed a moment ago in this transaction; rows are never deleted
    found = await repo.get_round_by_id(session=session, team_id=team_id, round_id=row.round_id)
    facts = RoundFacts.of(found)
    return Claimed(row=row, period=facts.period, questions=facts.questions, goals=facts.goals)


async def claim_prompts(
    runtime: Runtime, team_id: str, group: list[DueInvitation], due_by: datetime, decide: Decide
) -> ClaimedGroup[ClaimKey]:
    """Claim a group of prompts in one transaction: the conditional UPDATE wins the rows still
    due at ``due_by``, their rounds are read as they stand after it, and the rows ``decide``
    skips are recorded skipped at once. The DMs are built from these fresh rows, never from
    the batch's earlier read: settings saved mid-run may have moved them."""
    claimed_at = runtime.clock()  # read now: a long run must not write claims that look stale
    outgoing: list[Outgoing[ClaimKey]] = []
    skipped: list[tuple[int, dict[str, Any]]] = []
    async with transaction(runtime.sessions) as session:
        won = await claims.claim_deliveries(
            session=session, ids=[row.id for row in group], now=claimed_at, due_by=due_by
        )
        rounds = await claims.rounds_by_id(
            session=session, team_id=team_id, round_ids=[row.round_id for row in won]
        )
        for row in won:
            decided = decide(row, RoundFacts.of(rounds.get(row.round_id)))
            if isinstance(decided, str):
                skipped.append((row.id, {"state": repo.SKIPPED, "error": decided}))
            else:
                outgoing.append(Outgoing((row.id, claimed_at), row.user_id, decided))
        await claims.record_deliveries(session=session, claimed_at=claimed_at, outcomes=skipped)
    outcomes = Counter({TAKEN: len(group) - len(won), "skipped": len(skipped)})
    return ClaimedGroup(outgoing, +outcomes)


def _prompt_outcome(attempt: Attempt, claimed_at: datetime) -> dict[str, Any]:
    """The columns a prompt's attempt writes: refused for good, to try again, or sent."""
    if attempt.sent is Sent.REFUSED:
        return {"state": repo.FAILED, "error": attempt.code}
    if attempt.sent is Sent.RETRY:
        return {"state": repo.PENDING, "claimed_at": None}
    if attempt.sent is Sent.UNCONFIRMED:
        return {"state": repo.SENT, "sent_at": claimed_at, "error": "unconfirmed"}
    return {
        "state": repo.SENT,
        "sent_at": claimed_at,
        "channel_id": attempt.channel_id,
        "message_ts": attempt.message_ts,
    }


async def record_prompts(runtime: Runtime, attempts: list[tuple[ClaimKey, Attempt]]) -> None:
    """Write a group's attempts in one transaction, each only under its own claim."""
    by_claim: dict[datetime, list[tuple[int, dict[str, Any]]]] = {}
    for (delivery_id, claimed_at), attempt in attempts:
        outcome = _prompt_outcome(attempt, claimed_at)
        by_claim.setdefault(claimed_at, []).append((delivery_id, outcome))
    if not by_claim:
        return
    async with transaction(runtime.sessions) as session:
        for claimed_at, outcomes in by_claim.items():
            await claims.record_deliveries(
                session=session, claimed_at=claimed_at, outcomes=outcomes
            )
