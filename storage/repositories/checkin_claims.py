"""The fan-out's listing, and its claims and records for a group of invitations at once, one
statement each.

The same rules as ``claim_delivery`` and ``finish_delivery`` in ``checkins`` (a row is won by
one conditional UPDATE, its outcome written only under the claim that won it), written for a
group of rows so that a fan-out costs a few statements per group, not several per DM. The
statements are built once, in Core, so that sending them costs no ORM bookkeeping.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlmodel import and_, col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import CheckinDelivery, CheckinRound
from storage.repositories.checkins import SENDING_STALE_AFTER, due_at, free_to_claim
from storage.states import CheckinState

DELIVERIES = cast(sa.Table, CheckinDelivery.__table__)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class DueInvitation:
    """An invitation a fan-out run may claim, as listed: the columns the run needs before its
    claim (which reads the row afresh), not a whole row. Building 500 whole rows took the
    event loop about 7 ms, the send slots' answers waiting meanwhile; these take 2."""

    id: int
    round_id: int
    user_id: str
    prompt_at: datetime


async def due_deliveries(
    *,
    session: AsyncSession,
    team_id: str,
    now: datetime,
    limit: int = 500,
    after: tuple[datetime, int] | None = None,
) -> list[DueInvitation]:
    """Invitations whose prompt time has come and that nobody is sending (or whose sender
    died): the candidates a fan-out run tries to claim, in ``(prompt_at, id)`` order, after
    ``after`` (the last one listed before) when given."""
    past: list[Any] = []
    if after is not None:
        prompt_at, delivery_id = after
        at = col(CheckinDelivery.prompt_at)
        past = [or_(at > prompt_at, and_(at == prompt_at, col(CheckinDelivery.id) > delivery_id))]
    statement = (
        select(
            col(CheckinDelivery.id),
            col(CheckinDelivery.round_id),
            col(CheckinDelivery.user_id),
            col(CheckinDelivery.prompt_at),
        )
        .where(
            *past,
            CheckinDelivery.team_id == team_id,
            *due_at(now),
            free_to_claim(now - SENDING_STALE_AFTER),
        )
        .order_by(col(CheckinDelivery.prompt_at), col(CheckinDelivery.id))
        .limit(limit)
    )
    rows = (await session.exec(statement)).all()
    return [
        DueInvitation(cast(int, row_id), round_id, user_id, prompt_at)
        for row_id, round_id, user_id, prompt_at in rows
    ]


@dataclass(frozen=True)
class ClaimedInvitation:
    """An invitation as it stands once claimed: the row's own times, read by the claim."""

    id: int
    team_id: str
    user_id: str
    round_id: int
    prompt_at: datetime
    closes_at: datetime


_CLAIM = (
    sa.update(DELIVERIES)
    .where(
        DELIVERIES.c.id.in_(sa.bindparam("ids", expanding=True)),
        *due_at(sa.bindparam("due_by")),
        free_to_claim(sa.bindparam("stale_before")),
    )
    .values(state=CheckinState.SENDING, claimed_at=sa.bindparam("claimed_at"))
    .returning(
        DELIVERIES.c.id,
        DELIVERIES.c.team_id,
        DELIVERIES.c.user_id,
        DELIVERIES.c.round_id,
        DELIVERIES.c.prompt_at,
        DELIVERIES.c.closes_at,
    )
)


async def claim_deliveries(
    *, session: AsyncSession, ids: Sequence[int], now: datetime, due_by: datetime
) -> list[ClaimedInvitation]:
    """Take the right to send each of these DMs that is still due at ``due_by`` and nobody
    holds (or whose holder died): one UPDATE … RETURNING, so exactly one caller wins each
    row, and the rows come back as they stand now. ``now`` is written as ``claimed_at``."""
    if not ids:
        return []
    connection = await session.connection()
    result = await connection.execute(
        _CLAIM,
        {
            "ids": list(ids),
            "due_by": due_by,
            "stale_before": now - SENDING_STALE_AFTER,
            "claimed_at": now,
        },
    )
    return sorted((ClaimedInvitation(*row) for row in result.all()), key=lambda claimed: claimed.id)


def _record_statement(fields: Sequence[str]) -> Any:
    values: dict[str, Any] = {name: sa.bindparam(f"new_{name}") for name in fields}
    return (
        sa.update(DELIVERIES)
        .where(
            DELIVERIES.c.id == sa.bindparam("row_id"),
            DELIVERIES.c.state == CheckinState.SENDING,
            DELIVERIES.c.claimed_at == sa.bindparam("claim"),
        )
        .values(values)
    )


_RECORD_STATEMENTS: dict[tuple[str, ...], Any] = {}


async def record_deliveries(
    *, session: AsyncSession, claimed_at: datetime, outcomes: Sequence[tuple[int, dict[str, Any]]]
) -> None:
    """Write each row's outcome (``state`` and the other columns given), only where the row is
    still this claim's (``claimed_at``): one executemany per set of columns written, so a
    group that was all sent costs one statement."""
    by_fields: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row_id, values in outcomes:
        fields = tuple(sorted(values))
        params = {f"new_{name}": value for name, value in values.items()}
        by_fields.setdefault(fields, []).append({**params, "row_id": row_id, "claim": claimed_at})
    if not by_fields:
        return
    connection = await session.connection()
    for fields, rows in by_fields.items():
        statement = _RECORD_STATEMENTS.get(fields)
        if statement is None:
            statement = _RECORD_STATEMENTS.setdefault(fields, _record_statement(fields))
        await connection.execute(statement, rows)


# built once: building it anew for every group cost more than running it
_ROUNDS = select(CheckinRound).where(
    col(CheckinRound.team_id) == sa.bindparam("team_id"),
    col(CheckinRound.id).in_(sa.bindparam("round_ids", expanding=True)),
)


async def rounds_by_id(
    *, session: AsyncSession, team_id: str, round_ids: Sequence[int]
) -> dict[int, CheckinRound]:
    """The rounds of ``round_ids`` in the workspace, by id."""
    if not round_ids:
        return {}
    params = {"team_id": team_id, "round_ids": sorted(set(round_ids))}
    found = (await session.exec(_ROUNDS, params=params)).all()
    return {round_.id: round_ for round_ in found if round_.id}
