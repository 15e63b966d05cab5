"""The replay guard records the signatures of requests that arrive together in one batch and
still refuses every replay, within a batch, across batches and after a mixed batch."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.app.request_guard import ReplayLedger
from bot.core.runtime import Runtime
from tests.slack_requests import TEAM_ID

EXPIRES = datetime(2030, 1, 1, tzinfo=UTC)


async def first_times(ledger: ReplayLedger, hashes: list[str]) -> list[bool]:
    """Each hash recorded by its own request, all at once (one batch)."""
    return list(
        await asyncio.gather(
            *(
                ledger.first_time(team_id=TEAM_ID, signature_hash=value, expires_at=EXPIRES)
                for value in hashes
            )
        )
    )


async def test_a_burst_of_new_signatures_is_let_in(runtime: Runtime) -> None:
    ledger = ReplayLedger(runtime.sessions)
    hashes = [f"{number:064x}" for number in range(50)]
    assert await first_times(ledger, hashes) == [True] * 50
    assert await first_times(ledger, hashes[:3]) == [False] * 3


async def test_a_copy_in_the_same_batch_is_a_replay(runtime: Runtime) -> None:
    ledger = ReplayLedger(runtime.sessions)
    assert await first_times(ledger, ["a" * 64, "b" * 64, "a" * 64]) == [True, True, False]


async def test_a_batch_mixing_new_and_seen_signatures_tells_them_apart(runtime: Runtime) -> None:
    ledger = ReplayLedger(runtime.sessions)
    assert await first_times(ledger, ["c" * 64]) == [True]
    mixed = ["d" * 64, "c" * 64, "e" * 64, "d" * 64]
    assert await first_times(ledger, mixed) == [True, False, True, False]
    assert await first_times(ledger, ["d" * 64, "e" * 64]) == [False, False]
