"""A fan-out over batches that stops early (a group failed) leaves nothing running behind it:
the next batch's listing, already under way, has ended by the time the run returns, and a
listing that failed is said in the log, not lost."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import pytest

from bot.slack.client import build_web_client
from bot.slack.fanout import SEND_CONCURRENCY, Attempt
from bot.slack.fanout_groups import (
    LIST_AHEAD_GROUPS,
    Batch,
    ClaimedGroup,
    GroupSteps,
    NextBatch,
    Outgoing,
    fan_out_batches,
)
from fakeslack import FakeSlack

GROUPS = LIST_AHEAD_GROUPS + 2  # the next listing starts at the batch's third group
FAILING_GROUP = GROUPS - 2  # a group after that listing began, before the batch's end
Listing = Callable[[], Awaitable[None]]  # a listing after the first: it never lists a batch


class ClaimFailed(Exception):
    pass


class ListingFailed(Exception):
    pass


def steps_failing_at(group_index: int) -> GroupSteps[int, int]:
    """Steps whose claim fails for the group starting at ``group_index``."""

    async def claim(group: list[int]) -> ClaimedGroup[int]:
        if group[0] == group_index * SEND_CONCURRENCY:
            raise ClaimFailed("the database went away")
        return ClaimedGroup(
            [Outgoing(item, f"US{item:04d}", {"text": "hi", "blocks": []}) for item in group]
        )

    async def record(attempts: list[tuple[int, Attempt]]) -> None:
        pass

    return GroupSteps("a DM", "sent", claim, record)


def failing_batch_then(later: Listing) -> NextBatch[int, int]:
    """Listings: first a batch of ``GROUPS`` groups whose claim fails at ``FAILING_GROUP``,
    then ``later`` for every batch after it."""
    first = True

    async def next_batch() -> Batch[int, int] | None:
        nonlocal first
        if first:
            first = False
            return list(range(GROUPS * SEND_CONCURRENCY)), steps_failing_at(FAILING_GROUP)
        await later()
        return None  # nothing more to send

    return next_batch


async def test_a_run_that_stops_has_ended_the_next_batch_s_listing_when_it_returns(
    fake_slack: FakeSlack,
) -> None:
    listings: list[str] = []  # what became of each listing after the first

    async def slower_than_the_run() -> None:
        listings.append("under way")
        try:
            await asyncio.Event().wait()
        finally:
            listings[-1] = "ended"

    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    with pytest.raises(ClaimFailed):
        await fan_out_batches(client, failing_batch_then(slower_than_the_run))

    assert listings == ["ended"]  # no yield to the event loop since the run returned


async def test_a_listing_that_failed_while_the_run_stopped_is_logged(
    fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    async def failing() -> None:
        raise ListingFailed("the listing's read failed")

    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    with (
        caplog.at_level(logging.ERROR, logger="bot.slack.fanout_groups"),
        pytest.raises(ClaimFailed),
    ):
        await fan_out_batches(client, failing_batch_then(failing))

    logged = [record for record in caplog.records if record.name == "bot.slack.fanout_groups"]
    assert [record.getMessage() for record in logged] == ["listing the next batch failed"]
    assert logged[0].exc_info is not None and isinstance(logged[0].exc_info[1], ListingFailed)
