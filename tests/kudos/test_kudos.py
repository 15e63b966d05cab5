"""``/kudos`` end to end through the real app: saved, posted where it belongs, DMed once to
each person, the goal named; the admin switch and channel; a channel Slack refuses."""

from __future__ import annotations

import pytest

from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from tests.goals.helpers import fix_clock
from tests.kudos.helpers import (
    ADA,
    KUDOS_CHANNEL,
    SAM,
    TEAM_CHANNEL,
    align,
    kudos,
    kudos_rows,
    posts_to,
    seed,
    shown,
)
from tests.slack_requests import MEMBER_ID, SlackSender


async def test_kudos_with_a_goal_are_posted_in_the_team_channel_dmed_and_recorded(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    seeded = await seed(runtime)
    answer = await kudos(
        slack, fake_slack, "<@UADA0001|ada> <@USAM0001|sam> for shipping the beta G-1"
    )
    assert f"Kudos sent to <@{ADA}>, <@{SAM}>" in answer["text"]
    assert f"posted in <#{TEAM_CHANNEL}>" in shown(answer)

    [post] = posts_to(fake_slack, TEAM_CHANNEL)
    assert f"<@{MEMBER_ID}> gave kudos to <@{ADA}>, <@{SAM}>" in shown(post)
    assert ">for shipping the beta" in shown(post)
    assert "*G-1* Launch the beta" in shown(post)
    assert post["text"]  # a fallback for notifications
    for person in (ADA, SAM):
        [dm] = posts_to(fake_slack, person)
        assert f"<@{MEMBER_ID}> gave you kudos" in shown(dm)
        assert "for shipping the beta" in shown(dm) and "*G-1* Launch the beta" in shown(dm)
    assert posts_to(fake_slack, MEMBER_ID) == []

    [row] = await kudos_rows(runtime)
    assert (row.giver_id, row.recipient_ids, row.text) == (
        MEMBER_ID,
        [ADA, SAM],
        "for shipping the beta",
    )
    assert row.goal_id == seeded.goal.id
    assert row.channel_id == TEAM_CHANNEL
    assert (TEAM_CHANNEL, row.message_ts) in fake_slack.messages  # the post's own ts
    assert row.created_at == runtime.clock()
    fake_slack.assert_no_violations()


async def test_the_configured_channel_wins_and_without_any_channel_only_dms_go(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    await seed(runtime, team_channel=None)
    answer = await kudos(slack, fake_slack, "<@UADA0001|ada> thanks for the demo")
    assert "only the people you thanked saw them" in shown(answer)
    assert "/align kudos channel #channel" in shown(answer)
    assert len(posts_to(fake_slack, ADA)) == 1
    assert [c.args["channel"] for c in fake_slack.calls_to("chat.postMessage")] == [ADA]

    set_reply = await align(slack, fake_slack, f"kudos channel <#{KUDOS_CHANNEL}|kudos>")
    assert f"Kudos now go to <#{KUDOS_CHANNEL}>" in set_reply
    assert f"posted in <#{KUDOS_CHANNEL}>" in await align(slack, fake_slack, "kudos")

    await kudos(slack, fake_slack, "<@USAM0001|sam> thanks for the review")
    [post] = posts_to(fake_slack, KUDOS_CHANNEL)
    assert f"gave kudos to <@{SAM}>" in shown(post)
    rows = await kudos_rows(runtime)
    assert [row.channel_id for row in rows] == [None, KUDOS_CHANNEL]


async def test_an_admin_turns_kudos_off_and_on_and_others_cannot(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    await seed(runtime)
    refused = await align(slack, fake_slack, "kudos off", user=MEMBER_ID)
    assert "Only Northstar admins can change the kudos settings" in refused

    assert "Kudos are off" in await align(slack, fake_slack, "kudos off")
    answer = await kudos(slack, fake_slack, "<@UADA0001|ada> thanks for the demo")
    assert "admin turned them off" in answer["text"]
    assert "`/align kudos on`" in answer["text"]
    assert await kudos_rows(runtime) == []
    assert fake_slack.calls_to("chat.postMessage") == []

    assert "Kudos are on" in await align(slack, fake_slack, "kudos on")
    await kudos(slack, fake_slack, "<@UADA0001|ada> thanks for the demo")
    assert len(await kudos_rows(runtime)) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kudos sideways", "`/align kudos` takes"),
        ("kudos channel kudos", "Pick the channel from the #-list"),
        ("kudos on please", "`/align kudos` takes"),
    ],
)
async def test_align_kudos_mistakes_say_what_to_type(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, text: str, expected: str
) -> None:
    await seed(runtime)
    assert expected in await align(slack, fake_slack, text)


@pytest.mark.parametrize("code", ["not_in_channel", "channel_not_found"])
async def test_a_refused_channel_post_keeps_the_kudos_and_tells_the_giver_what_to_fix(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, code: str
) -> None:
    fix_clock(runtime)
    await seed(runtime)
    fake_slack.channel_errors[TEAM_CHANNEL] = code
    answer = await kudos(slack, fake_slack, "<@UADA0001|ada> thanks for the demo G-1")
    text = shown(answer)
    assert "Your kudos are saved and sent by DM, but not posted in the channel" in text
    expected = "/invite @northstar" if code == "not_in_channel" else "/align kudos channel"
    assert expected in text
    assert f"and posted in <#{TEAM_CHANNEL}>" not in answer["text"]
    [row] = await kudos_rows(runtime)
    assert (row.recipient_ids, row.channel_id, row.message_ts) == ([ADA], None, None)
    assert len(posts_to(fake_slack, ADA)) == 1


async def test_typed_handles_and_myself_among_others_thank_only_the_others(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    await seed(runtime)
    answer = await kudos(slack, fake_slack, "@ada, <@UMEMBER1|max> and @sam for the offsite")
    assert f"Kudos sent to <@{ADA}>, <@{SAM}>" in answer["text"]
    [row] = await kudos_rows(runtime)
    assert (row.recipient_ids, row.text, row.goal_id) == ([ADA, SAM], "for the offsite", None)
    assert posts_to(fake_slack, MEMBER_ID) == []
