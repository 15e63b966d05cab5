"""A fan-out over batches lists the next batch while the last groups of the current one are
still to go (``GROUPS_LEFT_WHEN_LISTING``), so a slow listing does not leave the send gate
empty; every item is still sent once. Real fan-out, fake Slack's Web API."""

from __future__ import annotations

import pytest

from bot.slack.client import build_web_client
from bot.slack.fanout import SEND_CONCURRENCY, Attempt
from bot.slack.fanout_groups import (
    GROUPS_LEFT_WHEN_LISTING,
    Batch,
    ClaimedGroup,
    GroupSteps,
    Outgoing,
    fan_out_batches,
)
from fakeslack import FakeSlack


class Run:
    """Batches of the given numbers of groups, listing and claiming noted as they happen."""

    def __init__(self, groups_per_batch: list[int]) -> None:
        self.batches = [
            [f"U{number}{index:03d}" for index in range(groups * SEND_CONCURRENCY)]
            for number, groups in enumerate(groups_per_batch)
        ]
        self.claimed_groups = 0
        self.claimed_when_listed: list[int] = []  # groups claimed when each listing began
        self.recorded: list[str] = []

    async def next_batch(self) -> Batch[str, str] | None:
        self.claimed_when_listed.append(self.claimed_groups)
        if not self.batches:
            return None
        return self.batches.pop(0), GroupSteps("a test DM", "sent", self.claim, self.record)

    async def claim(self, group: list[str]) -> ClaimedGroup[str]:
        self.claimed_groups += 1
        return ClaimedGroup(
            [Outgoing(user, user, {"text": "hello", "blocks": []}) for user in group]
        )

    async def record(self, attempts: list[tuple[str, Attempt]]) -> None:
        self.recorded.extend(user for user, _ in attempts)


@pytest.mark.parametrize("groups", [10, GROUPS_LEFT_WHEN_LISTING, 1])
async def test_the_next_batch_is_listed_with_the_last_groups_still_to_go(
    fake_slack: FakeSlack, groups: int
) -> None:
    run = Run([groups, groups])
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)

    report = await fan_out_batches(client, run.next_batch)

    left_when_listed = max(0, groups - GROUPS_LEFT_WHEN_LISTING)
    assert run.claimed_when_listed == [0, left_when_listed, groups + left_when_listed]
    everyone = [
        f"U{number}{index:03d}" for number in (0, 1) for index in range(groups * SEND_CONCURRENCY)
    ]
    assert sorted(run.recorded) == everyone
    sent = [call.args["channel"] for call in fake_slack.calls_to("chat.postMessage")]
    assert sorted(sent) == everyone  # each once
    assert report.outcomes == {"sent": len(everyone)}
