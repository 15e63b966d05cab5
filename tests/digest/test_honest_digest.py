"""The digest tells the truth about people: participation among those actually asked, each
person @-mentioned at most once per post and thread (or never, when an admin says so), dates
people read, and a KPI's health judged in its own direction. Posted by the real job into the
fake Slack; settings changed by signed ``/align digest`` commands."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from typing import Any

from sqlmodel import col, delete, select

from bot.core.local_time import zone
from bot.core.runtime import Runtime
from bot.digest.build import build_digest
from bot.digest.model import Digest
from bot.digest.source import DigestWeek, load_source
from bot.kpis.health import Health
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import CheckinDelivery, CheckinRound, Kpi, KpiValue
from storage.repositories.members import MemberProfile, upsert_members
from tests.digest.helpers import (
    DIGEST_CHANNEL,
    DUE,
    OPS,
    OPS_CHANNEL,
    SALES,
    SALES_CHANNEL,
    WEEK,
    at,
    build_bakery,
    clock_at,
    digest_messages,
    post_digest,
)
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender

NOW = DUE + timedelta(seconds=30)
CHANNELS = (DIGEST_CHANNEL, SALES_CHANNEL, OPS_CHANNEL)
NEVER_ASKED = tuple(f"UNEW{n:04d}" for n in range(60))
MENTION = re.compile(r"<@(U[A-Z0-9]+)>")


async def digest_now(runtime: Runtime) -> Digest:
    period = DigestWeek(week=WEEK, tz=zone("UTC"), now=NOW)
    return build_digest(await load_source(runtime=runtime, team_id=TEAM_ID, period=period))


def mrkdwn_of(message: dict[str, Any]) -> str:
    """Every text of a message's blocks, in order."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message.get("blocks", []))
    return "\n".join(found)


def channel_text(fake_slack: FakeSlack, channel: str) -> str:
    """The digest's post and thread in ``channel``, blocks and fallback texts."""
    return "\n".join(
        mrkdwn_of(call.args) + "\n" + call.args.get("text", "")
        for call in digest_messages(fake_slack, channel)
    )


async def set_week_states(runtime: Runtime, states: dict[str, str]) -> None:
    """Set this week's delivery states; people not named in ``states`` keep theirs."""
    async with transaction(runtime.sessions) as session:
        round_ = (await session.exec(select(CheckinRound).where(CheckinRound.week == WEEK))).one()
        rows = await session.exec(
            select(CheckinDelivery).where(CheckinDelivery.round_id == round_.id)
        )
        for delivery in rows.all():
            if delivery.user_id in states:
                delivery.state = states[delivery.user_id]
                session.add(delivery)


async def invite_never_sent(runtime: Runtime, people: tuple[str, ...], state: str) -> None:
    """Members with this week's delivery in ``state``: due or refused, never sent."""
    async with transaction(runtime.sessions) as session:
        await upsert_members(
            session=session,
            team_id=TEAM_ID,
            profiles=[MemberProfile(user_id=user, name=user.lower()) for user in people],
        )
        round_ = (await session.exec(select(CheckinRound).where(CheckinRound.week == WEEK))).one()
        assert round_.id is not None
        for user in people:
            session.add(
                CheckinDelivery(
                    round_id=round_.id,
                    team_id=TEAM_ID,
                    user_id=user,
                    state=state,
                    prompt_at=at(27, 20),
                    closes_at=at(28, 23),
                )
            )


# --- participation ----------------------------------------------------------------------------


async def test_people_never_sent_a_prompt_do_not_count_as_asked(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await build_bakery(runtime)
    await invite_never_sent(runtime, NEVER_ASKED[:50], "pending")
    await invite_never_sent(runtime, NEVER_ASKED[50:55], "sending")
    await invite_never_sent(runtime, NEVER_ASKED[55:], "failed")

    digest = await digest_now(runtime)
    assert digest.checkins is not None
    this_week = digest.checkins.this_week
    assert (this_week.answered, this_week.asked) == (5, 7)  # not 5 of 67
    participation = {part.key: part for part in digest.score.parts}["participation"]
    assert (participation.value, participation.detail) == (71, "5 of 7 people answered")

    assert (await post_digest(runtime, fake_slack, NOW)).status == "done"
    text = channel_text(fake_slack, DIGEST_CHANNEL)
    assert "Participation this week: 71% (5 of 7)" in text
    assert "of 67" not in text and "of 68" not in text


async def test_when_no_prompt_went_out_the_digest_says_so_instead_of_zero(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await build_bakery(runtime)
    await set_week_states(runtime, dict.fromkeys((*SALES, *OPS), "pending"))
    await invite_never_sent(runtime, NEVER_ASKED, "pending")

    digest = await digest_now(runtime)
    assert digest.checkins is not None
    assert digest.checkins.this_week.asked == 0
    participation = {part.key: part for part in digest.score.parts}["participation"]
    assert participation.value is None
    assert participation.detail == "no check-ins went out this week"

    assert (await post_digest(runtime, fake_slack, NOW)).status == "done"
    for channel in CHANNELS:
        text = channel_text(fake_slack, channel)
        assert "No check-ins went out this week" in text, channel
        assert "Participation this week: 0%" not in text and "0 of " not in text


async def test_a_team_digest_counts_only_its_members_who_were_asked(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await build_bakery(runtime)
    # Ops: one answered, the others never reached.
    await set_week_states(runtime, {OPS[0]: "answered", OPS[1]: "failed", OPS[2]: "pending"})
    assert (await post_digest(runtime, fake_slack, NOW)).status == "done"
    assert "Participation this week: 100% (1 of 1)" in channel_text(fake_slack, OPS_CHANNEL)
    assert "Participation this week: 75% (3 of 4)" in channel_text(fake_slack, SALES_CHANNEL)


# --- dates people read ------------------------------------------------------------------------


async def test_every_week_reads_as_a_date(runtime: Runtime, fake_slack: FakeSlack) -> None:
    await build_bakery(runtime)
    assert (await post_digest(runtime, fake_slack, NOW)).status == "done"
    for channel in CHANNELS:
        [main, *_] = digest_messages(fake_slack, channel)
        assert main.args["blocks"][0]["text"]["text"].endswith("— week of 23 Nov")
        assert "week of 23 Nov" in main.args["text"]
        assert not re.search(r"\d{4}-W\d\d", channel_text(fake_slack, channel)), channel
    [chart] = fake_slack.calls_to("files.completeUploadExternal")[:1]
    assert "W48" not in str(chart.args)


# --- mentions ---------------------------------------------------------------------------------


async def test_each_person_is_mentioned_at_most_once_across_post_and_thread(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await build_bakery(runtime, share_answers=True)  # quoted blockers name people in the thread
    assert (await post_digest(runtime, fake_slack, NOW)).status == "done"
    for channel in CHANNELS:
        text = channel_text(fake_slack, channel)
        mentioned = Counter(MENTION.findall(text))
        assert mentioned, channel
        assert max(mentioned.values()) == 1, (channel, mentioned)
    company = channel_text(fake_slack, DIGEST_CHANNEL)
    # USALES01 owns G-4 and G-2 and named a blocker: mentioned once, then named.
    assert company.count(f"<@{SALES[0]}>") == 1
    assert "usales01" in company
    # OPS[0] is mentioned in the post (G-3 moved) and named in the thread's quoted blockers.
    [main, *thread] = digest_messages(fake_slack, DIGEST_CHANNEL)
    assert f"<@{OPS[0]}>" in mrkdwn_of(main.args)
    thread_text = "\n".join(mrkdwn_of(reply.args) for reply in thread)
    assert f"<@{OPS[0]}>" not in thread_text and "*Ops* · uops0001" in thread_text


async def answer_of(slack: SlackSender, fake_slack: FakeSlack, text: str, user: str) -> str:
    before = len(fake_slack.calls_to("response_url"))
    assert (await slack.command(f"digest {text}".strip(), user_id=user)).status_code == 200
    reply = (await fake_slack.wait_for("response_url", before + 1))[-1].args
    assert reply["response_type"] == "ephemeral"
    return mrkdwn_of(reply)


async def test_mentions_off_names_everyone_in_plain_text(
    runtime: Runtime, fake_slack: FakeSlack, slack: SlackSender
) -> None:
    await build_bakery(runtime, share_answers=True)
    clock_at(runtime, NOW - timedelta(hours=1))
    assert "Mentions: on" in await answer_of(slack, fake_slack, "", ADMIN_ID)
    refused = await answer_of(slack, fake_slack, "mentions off", MEMBER_ID)
    assert "Only" in refused and "admin" in refused
    said = await answer_of(slack, fake_slack, "mentions off", ADMIN_ID)
    assert "no longer @-mentions anyone" in said
    assert "Mentions: off" in await answer_of(slack, fake_slack, "", ADMIN_ID)

    assert (await post_digest(runtime, fake_slack, NOW)).status == "done"
    for channel in CHANNELS:
        assert "<@" not in channel_text(fake_slack, channel), channel
    company = channel_text(fake_slack, DIGEST_CHANNEL)
    assert "usales01" in company and "uops0003" in company  # G-2's and G-7's owners, named


async def test_mentions_can_be_turned_back_on(
    runtime: Runtime, fake_slack: FakeSlack, slack: SlackSender
) -> None:
    await build_bakery(runtime)
    clock_at(runtime, NOW - timedelta(hours=1))
    await answer_of(slack, fake_slack, "mentions off", ADMIN_ID)
    said = await answer_of(slack, fake_slack, "mentions on", ADMIN_ID)
    assert "@-mentions people again" in said
    assert (await post_digest(runtime, fake_slack, NOW)).status == "done"
    assert f"<@{SALES[0]}>" in channel_text(fake_slack, DIGEST_CHANNEL)


# --- the KPI health dot -----------------------------------------------------------------------


async def test_a_lower_is_better_kpi_that_went_down_is_green(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await build_bakery(runtime)
    async with transaction(runtime.sessions) as session:
        late = (await session.exec(select(Kpi).where(Kpi.number == 2))).one()
        assert late.higher_is_better is False and late.id is not None
        await session.exec(delete(KpiValue).where(col(KpiValue.kpi_id) == late.id))
        for day, value in ((13, 7.0), (20, 5.0), (27, 2.5)):
            session.add(
                KpiValue(
                    team_id=TEAM_ID, kpi_id=late.id, recorded_on=date(2026, 11, day), value=value
                )
            )

    digest = await digest_now(runtime)
    [line] = [kpi for kpi in digest.kpis if kpi.number == 2]
    assert (line.health, line.arrow) == (Health.GREEN, "↓")  # down, and down is good
    health = {part.key: part for part in digest.score.parts}["kpi_health"]
    assert health.detail == "2 green, 1 amber, 0 red"

    assert (await post_digest(runtime, fake_slack, NOW)).status == "done"
    ops = channel_text(fake_slack, OPS_CHANNEL)
    assert ":large_green_circle: *K-2* Late deliveries · 2.5% ↓ · target 2%" in ops
    assert ":red_circle: *K-2*" not in ops
    assert ":large_green_circle: *K-2*" in channel_text(fake_slack, DIGEST_CHANNEL)


async def test_a_stand_up_default_counts_each_person_once_across_the_weeks_rounds(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    """A default setup run on several days has a round a day: the week's participation is
    still of people, each asked once and answered once however many days they answered."""
    await build_bakery(runtime)
    async with transaction(runtime.sessions) as session:
        weekly = (await session.exec(select(CheckinRound).where(CheckinRound.week == WEEK))).one()
        second_day = CheckinRound(
            team_id=TEAM_ID, setup_id=weekly.setup_id, period="2026-11-24", week=WEEK
        )
        session.add(second_day)
        await session.flush()
        assert second_day.id is not None
        for user in (*SALES, *OPS[:3]):  # SALES[3] and OPS[2] answer this day, not the first
            session.add(
                CheckinDelivery(
                    round_id=second_day.id,
                    team_id=TEAM_ID,
                    user_id=user,
                    state="answered",
                    prompt_at=at(24, 9),
                    closes_at=at(25, 0),
                )
            )

    digest = await digest_now(runtime)
    assert digest.checkins is not None
    this_week = digest.checkins.this_week
    assert (this_week.answered, this_week.asked) == (7, 7)  # not 12 of 14 invitations
