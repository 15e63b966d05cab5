"""The fan-out of many DMs a group at a time: rows are claimed and recorded a group at a time
(a few statements per group, not several per DM), and the next group is claimed while the
current one is in flight, so the send gate never waits for the database.

The items come in batches (``fan_out_batches``): the next batch is listed while the last few
groups of the current one are claimed and sent, so the sends do not stop between batches.
Listing a batch early is safe: a row is only a candidate until its claim, which decides who
sends it.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Sequence
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.client import pooled_connections
from bot.slack.fanout import SEND_CONCURRENCY, Attempt, FanOutReport, send_dm
from bot.slack.messages import Reply

logger = logging.getLogger(__name__)

T = TypeVar("T")
K = TypeVar("K")

GROUPS_CLAIMED_AHEAD = 1
"""Groups ``fan_out_groups`` claims beyond the one in flight, so the gate never waits for a
claim. Rows claimed and not yet recorded are at most ``MOST_CLAIMED``: the most a crash could
leave ``sending`` (only those whose DM Slack had accepted can be doubled after it)."""
MOST_CLAIMED = SEND_CONCURRENCY * (1 + GROUPS_CLAIMED_AHEAD)
LIST_AHEAD_GROUPS = 4
"""The next batch is listed from the moment this many groups of the current one are left to
hand out (all of them, in a smaller batch): its listing then has about as many send times
to finish in (some 90 ms at 20 ms a DM) before the slots would run dry."""
RECORD_ATTEMPTS = 3
RECORD_RETRY_SECONDS = 0.5


@dataclass(frozen=True)
class Outgoing(Generic[K]):
    """One claimed DM of a group: the feature's key for its row, the person and the message."""

    key: K
    user_id: str
    message: Reply


@dataclass
class ClaimedGroup(Generic[K]):
    """What claiming a group won (``outgoing``) and what became of the rest (``outcomes``:
    taken by another run, skipped …)."""

    outgoing: list[Outgoing[K]]
    outcomes: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class GroupSteps(Generic[T, K]):
    """A feature's steps for ``fan_out_groups``: claim a group of items in one go (building
    each won DM's message), and record a group's attempts in one go."""

    what: str  # "a check-in DM" … for the log
    delivered: str  # the outcome's name on success: "sent"
    claim: Callable[[list[T]], Awaitable[ClaimedGroup[K]]]
    record: Callable[[list[tuple[K, Attempt]]], Awaitable[None]]


Batch = tuple[Sequence[T], GroupSteps[T, K]]
NextBatch = Callable[[], Awaitable[Batch[T, K] | None]]
"""The next batch of items to send and how, or ``None`` when there is nothing more."""


async def fan_out_groups(
    client: AsyncWebClient,
    items: Sequence[T],
    steps: GroupSteps[T, K],
    *,
    group_size: int = SEND_CONCURRENCY,
) -> FanOutReport:
    """Claim, send and record ``items`` a group at a time, ``SEND_CONCURRENCY`` DMs in flight;
    the next group is claimed while the current one is being sent. Each group runs to its
    record even when the run is cancelled."""
    batches: list[Batch[T, K]] = [(items, steps)]

    async def next_batch() -> Batch[T, K] | None:
        return batches.pop() if batches else None

    return await fan_out_batches(client, next_batch, group_size=group_size)


async def fan_out_batches(
    client: AsyncWebClient, next_batch: NextBatch[T, K], *, group_size: int = SEND_CONCURRENCY
) -> FanOutReport:
    """``fan_out_groups`` over batches that ``next_batch`` lists one after the other: it is
    asked for the next batch while the current batch's last groups are claimed and sent."""
    report = FanOutReport()
    gate = asyncio.Semaphore(SEND_CONCURRENCY)
    running: set[asyncio.Future[None]] = set()
    async with (
        pooled_connections(lambda: running),
        aclosing(_groups(next_batch, group_size)) as groups,
    ):
        await _claim_and_send(client, groups, gate, running, report)
    return report


async def _groups(
    next_batch: NextBatch[T, K], group_size: int
) -> AsyncGenerator[tuple[list[T], GroupSteps[T, K]]]:
    """The groups of every batch in turn; the next batch is listed (in a task of its own)
    from the moment the current batch's last ``LIST_AHEAD_GROUPS`` groups are being handed
    out."""
    upcoming: asyncio.Future[Batch[T, K] | None] = asyncio.ensure_future(next_batch())
    awaiting = True  # a failed listing raises from the ``await``: no need to log it again
    try:
        while (batch := await upcoming) is not None:
            awaiting = False
            items, steps = batch
            starts = range(0, len(items), group_size)
            list_next_at = max(0, len(starts) - LIST_AHEAD_GROUPS)  # the index of a group
            if not starts:
                upcoming = asyncio.ensure_future(next_batch())
            for index, start in enumerate(starts):
                if index == list_next_at:
                    upcoming = asyncio.ensure_future(next_batch())
                yield list(items[start : start + group_size]), steps
            awaiting = True
    finally:
        if not upcoming.done():
            upcoming.cancel()
            # waited for, so that its session is closed before the run returns, not after
            await asyncio.wait({upcoming})
        if not (awaiting or upcoming.cancelled()) and (failed := upcoming.exception()):
            # the run stopped for another reason (a failed group, a cancel) with the next
            # batch's listing failed: say so, rather than lose it
            logger.error("listing the next batch failed", exc_info=failed)


async def _claim_and_send(
    client: AsyncWebClient,
    groups: AsyncIterator[tuple[list[T], GroupSteps[T, K]]],
    gate: asyncio.Semaphore,
    running: set[asyncio.Future[None]],
    report: FanOutReport,
) -> None:
    async for group, steps in groups:
        while len(running) > GROUPS_CLAIMED_AHEAD:
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            running.difference_update(done)
            for finished in done:
                finished.result()  # a group that failed fails the run, as one DM's fault would
        claimed = asyncio.get_running_loop().create_future()
        task = asyncio.ensure_future(_one_group(client, group, steps, gate, claimed, report))
        running.add(task)
        await asyncio.shield(claimed)  # the next group is claimed once this one is
    if running:
        await asyncio.shield(asyncio.gather(*running))


async def _one_group(
    client: AsyncWebClient,
    group: list[T],
    steps: GroupSteps[T, K],
    gate: asyncio.Semaphore,
    claimed: asyncio.Future[None],
    report: FanOutReport,
) -> None:
    try:
        won = await steps.claim(group)
    finally:
        claimed.set_result(None)
    report.outcomes.update(won.outcomes)

    async def send(outgoing: Outgoing[K]) -> Attempt:
        async with gate:
            return await send_dm(client, outgoing.user_id, outgoing.message, what=steps.what)

    attempts = await asyncio.gather(*(send(outgoing) for outgoing in won.outgoing))
    outcomes = [(out.key, attempt) for out, attempt in zip(won.outgoing, attempts, strict=True)]
    await _record_group(steps, outcomes)
    report.outcomes.update(attempt.outcome(steps.delivered) for attempt in attempts)


async def _record_group(steps: GroupSteps[T, K], outcomes: list[tuple[K, Attempt]]) -> None:
    """Record a group's outcomes, trying again when the database refuses for a moment (a
    locked SQLite file, a dropped connection): until they are recorded, DMs Slack accepted
    stay ``sending``, and a later run would send them again once the claim is stale."""
    for attempt in range(1, RECORD_ATTEMPTS + 1):
        try:
            await steps.record(outcomes)
            return
        except Exception:
            if attempt == RECORD_ATTEMPTS:
                raise
            logger.warning("recording a group of %s failed; trying again", steps.what)
            await asyncio.sleep(RECORD_RETRY_SECONDS * attempt)
