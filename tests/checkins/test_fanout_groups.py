"""The prompt fan-out claims and records a group of invitations at a time: a few statements
per group whatever the size, each DM once, and a 429 waited out for its ``Retry-After`` alone.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.checkins.rounds import DUE_BATCH, batch_limit, open_rounds, send_due_prompts
from bot.core.runtime import Runtime
from bot.slack.client import build_web_client
from bot.slack.fanout import SEND_CONCURRENCY, Attempt, RetryAfterPause, Sent, retry_after_pause
from bot.slack.fanout_groups import (
    LIST_AHEAD_GROUPS,
    Batch,
    ClaimedGroup,
    GroupSteps,
    Outgoing,
    fan_out_batches,
)
from fakeslack import FakeSlack
from storage.models import CheckinDelivery
from storage.repositories.members import MemberProfile
from tests.factories import add_members
from tests.reliability.helpers import instant_retries
from tests.statements import recorded_statements

TEAM = "T0001"
MONDAY_NINE = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


async def prompt_everyone(
    runtime: Runtime, fake_slack: FakeSlack, people: int
) -> tuple[Counter[str], list[str]]:
    """``people`` members in UTC, prompted at Monday 09:00: the run's outcomes and the
    statements it sent (opening the round not counted)."""
    await add_members(
        runtime, *(MemberProfile(user_id=f"UG{n:04d}", tz="UTC") for n in range(people))
    )
    runtime.clock = lambda: MONDAY_NINE
    await open_rounds(runtime=runtime, team_id=TEAM, now=MONDAY_NINE)
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    with recorded_statements(runtime) as statements:
        report = await send_due_prompts(
            runtime=runtime, client=client, team_id=TEAM, now=MONDAY_NINE
        )
    return report.outcomes, statements


async def states(runtime: Runtime) -> Counter[str]:
    async with runtime.sessions() as session:
        rows = (await session.exec(select(CheckinDelivery))).all()
    return Counter(row.state for row in rows)


def listings_for(people: int) -> int:
    """The listings a run takes to list ``people`` invitations: they grow from a small first."""
    listings = listed = 0
    while listed < people:
        listed += batch_limit(listings, DUE_BATCH)
        listings += 1
    return listings


@pytest.mark.parametrize("groups", [1, 3])
async def test_a_group_of_prompts_costs_one_claim_one_round_read_and_one_record(
    runtime: Runtime, fake_slack: FakeSlack, groups: int
) -> None:
    people = groups * SEND_CONCURRENCY
    outcomes, statements = await prompt_everyone(runtime, fake_slack, people)

    assert outcomes == {"sent": people}
    assert await states(runtime) == {"sent": people}
    claims = [s for s in statements if s.lstrip().upper().startswith("UPDATE")]
    assert len(claims) == 2 * groups  # each group: the claim, then the record of its sends
    # each listing: a due list and four context reads; three statements a group; the last
    # (empty) due list
    assert len(statements) == (1 + 4) * listings_for(people) + 3 * groups + 1
    recipients = Counter(
        str(call.args["channel"]) for call in fake_slack.calls_to("chat.postMessage")
    )
    assert set(recipients.values()) == {1} and len(recipients) == people


async def test_a_429_pauses_the_fan_out_for_its_retry_after_and_loses_no_one(
    runtime: Runtime, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeps = instant_retries(monkeypatch)
    fake_slack.inject("chat.postMessage", status=429, retry_after=1, times=1)

    outcomes, _ = await prompt_everyone(runtime, fake_slack, 2 * SEND_CONCURRENCY)

    assert outcomes == {"sent": 2 * SEND_CONCURRENCY}
    assert sleeps.rate_limited == [1.0]  # Retry-After exactly: no random extra second
    accepted = Counter(
        str(call.args["channel"])
        for call in fake_slack.calls_to("chat.postMessage")
        if not call.injected
    )
    assert len(accepted) == 2 * SEND_CONCURRENCY and set(accepted.values()) == {1}


def test_the_client_s_rate_limit_retry_becomes_one_shared_pause() -> None:
    client = build_web_client(token="xoxb-test", base_url="http://127.0.0.1:9/api/")

    pause = retry_after_pause(client)

    assert isinstance(pause, RetryAfterPause) and retry_after_pause(client) is pause
    assert sum(isinstance(handler, RetryAfterPause) for handler in client.retry_handlers) == 1


def test_a_run_lists_a_small_batch_first_and_larger_ones_after() -> None:
    assert [batch_limit(before, DUE_BATCH) for before in range(6)] == [16, 64, 256, 500, 500, 500]
    assert [batch_limit(before, 9) for before in range(3)] == [9, 9, 9]
    assert batch_limit(10_000, DUE_BATCH) == DUE_BATCH  # no growth past the most


async def test_the_next_batch_is_listed_while_the_last_groups_of_a_batch_go_out(
    fake_slack: FakeSlack,
) -> None:
    """A batch of six groups asks for the next one as its third group is handed out (four to
    go); a batch of two, as its first is."""
    sizes = iter([6 * SEND_CONCURRENCY, 2 * SEND_CONCURRENCY])
    claims_started: list[int] = []
    asked_after: list[int] = []  # how many groups had started their claim when listing began
    sent: list[int] = []

    async def claim(group: list[int]) -> ClaimedGroup[int]:
        claims_started.append(group[0])
        return ClaimedGroup(
            [Outgoing(item, f"UL{item:04d}", {"text": "hi", "blocks": []}) for item in group]
        )

    async def record(attempts: list[tuple[int, Attempt]]) -> None:
        sent.extend(item for item, attempt in attempts if attempt.sent is Sent.DELIVERED)

    steps = GroupSteps("a DM", "sent", claim, record)

    async def next_batch() -> Batch[int, int] | None:
        asked_after.append(len(claims_started))
        size = next(sizes, 0)
        if not size:
            return None
        first = len(asked_after) * 1000
        return list(range(first, first + size)), steps

    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    report = await fan_out_batches(client, next_batch)

    assert asked_after == [0, 6 - LIST_AHEAD_GROUPS, 6]
    assert report.outcomes == {"sent": 8 * SEND_CONCURRENCY} and len(set(sent)) == len(sent)
