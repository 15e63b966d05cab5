"""A fan-out over batches that stops early (a group failed) leaves nothing running behind it:
the next batch's listing, already under way, has ended by the time the run returns, and a
listing that failed is said in the log, not lost."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.slack.client import build_web_client
from bot.slack.fanout import SEND_CONCURRENCY, Attempt
from bot.slack.fanout_groups import (
    LIST_AHEAD_GROUPS,
    Batch,
    ClaimedGroup,
    GroupSteps,
    Outgoing,
    fan_out_batches,
)
from fakeslack import FakeSlack

GROUPS = LIST_AHEAD_GROUPS + 2  # the next listing starts at the batch's third group
FAILING_GROUP = GROUPS - 2  # a group after that listing began, before the batch's end


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


async def test_a_run_that_stops_has_ended_the_next_batch_s_listing_when_it_returns(
    fake_slack: FakeSlack,
) -> None:
    listings: list[str] = []  # what became of each listing after the first
    first = True

    async def next_batch() -> Batch[int, int] | None:
        nonlocal first
        if first:
            first = False
            return list(range(GROUPS * SEND_CONCURRENCY)), steps_failing_at(FAILING_GROUP)
        listings.append("under way")
        try:
            await asyncio.Event().wait()  # a listing slower than the run
        finally:
            listings[-1] = "ended"
        return None

    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    with pytest.raises(ClaimFailed):
        await fan_out_batches(client, next_batch)

    assert listings == ["ended"]  # no yield to the event loop since the run returned


async def test_a_listing_that_failed_while_the_run_stopped_is_logged(
    fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    first = True

    async def next_batch() -> Batch[int, int] | None:
        nonlocal first
        if first:
            first = False
            return list(range(GROUPS * SEND_CONCURRENCY)), steps_failing_at(FAILING_GROUP)
        raise ListingFailed("the listing's read failed")

    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    with (
        caplog.at_level(logging.ERROR, logger="bot.slack.fanout_groups"),
        pytest.raises(ClaimFailed),
    ):
        await fan_out_batches(client, next_batch)

    logged = [record for record in caplog.records if record.name == "bot.slack.fanout_groups"]
    assert [record.getMessage() for record in logged] == ["listing the next batch failed"]
    assert logged[0].exc_info is not None and isinstance(logged[0].exc_info[1], ListingFailed)
