"""``/align digest …`` through signed requests into the real app: what reached the fake Slack
and what was stored in ``workspace.settings``."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

import pytest
from sqlmodel import select

from bot.core.runtime import Runtime
from bot.digest.delivery import DeliveryReport, Target
from bot.digest.service import delivery_summary
from bot.digest.settings import DigestSettings, read_digest_settings
from fakeslack import FakeSlack
from fakeslack.server import Call
from storage.models import DigestPost, RunLedger
from tests.digest.helpers import DIGEST_CHANNEL, OPS_CHANNEL, SALES_CHANNEL, at, build_bakery
from tests.factories import workspace_row
from tests.slack_requests import ADMIN_ID, MEMBER_ID, SlackSender

MONDAY = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)  # 2026-W49; 08:00 in Berlin
CHANNEL = "C0DIGEST"
MENTION = f"<#{CHANNEL}|digest>"
NEW_YORK_ADMIN = "UADMINNY"


@pytest.fixture(autouse=True)
def fixed_clock(runtime: Runtime) -> None:
    runtime.clock = lambda: MONDAY


async def answer(
    slack: SlackSender, fake_slack: FakeSlack, text: str, user: str = ADMIN_ID
) -> dict[str, Any]:
    """Send ``/align digest text`` and return the ephemeral answer's arguments."""
    before = len(fake_slack.calls_to("response_url"))
    response = await slack.command(f"digest {text}".strip(), user_id=user)
    assert response.status_code == 200 and response.text == ""
    reply: dict[str, Any] = (await fake_slack.wait_for("response_url", before + 1))[-1].args
    assert reply["response_type"] == "ephemeral" and reply["text"]
    return reply


async def said(slack: SlackSender, fake_slack: FakeSlack, text: str, user: str = ADMIN_ID) -> str:
    reply = await answer(slack, fake_slack, text, user)
    return " ".join(str(block.get("text", {}).get("text", "")) for block in reply["blocks"])


async def stored(runtime: Runtime) -> DigestSettings | None:
    workspace = await workspace_row(runtime)
    assert workspace is not None
    if "digest" not in workspace.settings:
        return None
    return read_digest_settings(workspace.settings)


def channel_posts(fake_slack: FakeSlack, channel: str) -> list[Call]:
    return [
        call
        for call in fake_slack.calls_to("chat.postMessage")
        if call.args.get("channel") == channel and "thread_ts" not in call.args
    ]


async def test_setting_a_channel_uses_friday_16_in_the_admins_zone(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    text = await said(slack, fake_slack, MENTION)
    assert f"The weekly digest goes to <#{CHANNEL}> every Friday at 16:00 (Europe/Berlin)" in text
    assert "The first one goes out on Friday 4 December 2026." in text
    assert "/invite @Northstar" in text and "private channel" in text
    assert await stored(runtime) == DigestSettings(
        channel_id=CHANNEL,
        weekday=4,
        local_time=time(16, 0),
        timezone="Europe/Berlin",
        team_digests=False,
        configured_at=MONDAY,
    )
    assert fake_slack.calls_to("chat.postMessage") == []  # setting up posts nothing


async def test_day_and_time_are_in_the_zone_of_the_admin_who_set_them(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fake_slack.add_user(NEW_YORK_ADMIN, name="nia", is_admin=True, tz="America/New_York")
    text = await said(slack, fake_slack, f"{MENTION} tue 9:30", user=NEW_YORK_ADMIN)
    assert "every Tuesday at 09:30 (America/New_York)" in text
    assert "on Tuesday 1 December 2026" in text  # it is 02:00 on Monday in New York
    settings = await stored(runtime)
    assert settings is not None
    assert (settings.weekday, settings.local_time, settings.timezone) == (
        1,
        time(9, 30),
        "America/New_York",
    )
    # At 08:00 in Berlin, Monday 7am has passed: the first is next week's.
    text = await said(slack, fake_slack, f"{MENTION} monday 7am")
    assert "every Monday at 07:00 (Europe/Berlin)" in text
    assert "on Monday 7 December 2026" in text


async def test_members_are_refused_and_nothing_is_stored(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    for text, action in (
        (f"{MENTION} friday 16:00", "set up the weekly digest"),
        ("teams on", "turn team digests on or off"),
        ("off", "turn the weekly digest off"),
        ("preview", "preview the weekly digest"),
        ("now", "post the weekly digest"),
    ):
        refusal = await said(slack, fake_slack, text, user=MEMBER_ID)
        assert f"Only Northstar admins can {action}" in refusal
        assert "/align admins" in refusal  # says who can
    assert await stored(runtime) is None
    assert fake_slack.calls_to("chat.postMessage") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("#general friday", "`#general` is not a channel Slack recognised"),
        (f"{MENTION} friday 25:00", "`25:00` is not a time of day"),
        (f"{MENTION} teatime", "`teatime` is neither a day"),
        ("<@UMEMBER1|max>", "names people, not a channel"),
        (f"{MENTION} <#C0OTHER|other>", "goes to one channel"),
        ("friday 16:00", "Which channel should the digest go to?"),
        ("weekly", "`/align digest` does not know `weekly`"),
        ("teams maybe", "`/align digest teams on` or `/align digest teams off`"),
        (f"{MENTION} friday\x07", "control character"),
        (f"{MENTION} " + "x" * 21_000, "characters long"),
    ],
)
async def test_each_mistake_gets_its_own_answer_and_nothing_is_stored(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, text: str, message: str
) -> None:
    reply = await said(slack, fake_slack, text)
    assert message in reply
    assert "/align digest" in reply
    assert await stored(runtime) is None


async def test_off_stops_the_digest_and_keeps_the_schedule(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await said(slack, fake_slack, f"{MENTION} wed 10:15")
    text = await said(slack, fake_slack, "off")
    assert f"The weekly digest is off; nothing more is posted in <#{CHANNEL}>" in text
    settings = await stored(runtime)
    assert settings is not None and settings.channel_id is None
    assert (settings.weekday, settings.local_time) == (2, time(10, 15))
    assert "already off" in await said(slack, fake_slack, "off")
    # Back on with just the channel: the day and time kept.
    assert "every Wednesday at 10:15" in await said(slack, fake_slack, MENTION)
    await said(slack, fake_slack, "off")
    assert "No digest channel is set yet" in await said(slack, fake_slack, "now")


async def test_team_digests_name_the_teams_with_and_without_a_channel(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await said(slack, fake_slack, "")  # the admin is known before teams are made
    for command in ("team add Sales <#C0SALES|sales>", "team add Ops"):
        before = len(fake_slack.calls_to("response_url"))
        await slack.command(command)
        await fake_slack.wait_for("response_url", before + 1)
    text = await said(slack, fake_slack, "teams on")
    assert "Team digests are on" in text and "*Sales* in <#C0SALES>" in text
    assert "Teams without a channel get none: *Ops*" in text
    assert "/align team Name channel #channel" in text
    assert "Digests start once the company digest has a channel" in text
    settings = await stored(runtime)
    assert settings is not None and settings.team_digests and settings.channel_id is None
    text = await said(slack, fake_slack, MENTION)
    assert "Team digests stay on." in text
    settings = await stored(runtime)
    assert settings is not None and settings.team_digests  # setting the channel keeps it
    shown = await said(slack, fake_slack, "", user=MEMBER_ID)  # everyone may look
    assert "Team digests: on, for *Sales* in <#C0SALES>" in shown
    assert "Without a channel, and so without a digest: *Ops*" in shown
    assert "only the company digest" in await said(slack, fake_slack, "teams off")
    settings = await stored(runtime)
    assert settings is not None and not settings.team_digests


async def test_showing_before_and_after_setting_up(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    text = await said(slack, fake_slack, "", user=MEMBER_ID)
    assert "not set up" in text and "`/align digest #channel [day] [time]`" in text
    assert "`/align digest preview`" in text and "`/align digest off`" in text
    await said(slack, fake_slack, f"{MENTION} thursday 17:30")
    text = await said(slack, fake_slack, "", user=MEMBER_ID)
    assert f"in <#{CHANNEL}> every Thursday at 17:30 (Europe/Berlin)" in text
    assert "Team digests: off" in text
    assert "This week's digest (week of 30 Nov) is not posted yet." in text
    assert "The next digest goes out on Thursday 3 December 2026 at 17:30." in text


async def test_preview_is_for_the_admin_only_and_posts_nothing(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await said(slack, fake_slack, MENTION)
    reply = await answer(slack, fake_slack, "preview")
    kinds = [block["type"] for block in reply["blocks"]]
    assert kinds[:2] == ["context", "header"]
    assert "Preview" in str(reply["blocks"][0]) and "nothing was posted" in str(reply["blocks"][0])
    assert reply["blocks"][1]["text"]["text"].startswith(":compass: Weekly alignment")
    assert "week of 30 Nov" in reply["blocks"][1]["text"]["text"]
    assert fake_slack.calls_to("chat.postMessage") == []
    assert fake_slack.calls_to("chat.postEphemeral") == []
    async with runtime.sessions() as session:
        assert (await session.exec(select(DigestPost))).all() == []
        assert (await session.exec(select(RunLedger))).all() == []


async def test_now_posts_once_and_then_says_it_is_already_there(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    assert "No digest channel is set yet" in await said(slack, fake_slack, "now")
    assert fake_slack.calls_to("chat.postMessage") == []
    await said(slack, fake_slack, MENTION)
    text = await said(slack, fake_slack, "now")
    assert f"Posted the digest of the week of 30 Nov in <#{CHANNEL}>" in text
    [post] = channel_posts(fake_slack, CHANNEL)
    assert post.args["blocks"][0]["type"] == "header"
    again = await said(slack, fake_slack, "now")
    assert f"This week's digest (week of 30 Nov) is already in <#{CHANNEL}>" in again
    assert len(channel_posts(fake_slack, CHANNEL)) == 1
    shown = await said(slack, fake_slack, "")
    assert f"This week's digest (week of 30 Nov) is posted in <#{CHANNEL}>" in shown
    assert "The next digest goes out on Friday 11 December 2026" in shown  # not this Friday
    text = await said(slack, fake_slack, MENTION)  # set again: this week's is done
    assert "The first one goes out on Friday 11 December 2026" in text


async def test_now_names_a_refusing_channel_and_what_to_do(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await said(slack, fake_slack, MENTION)
    fake_slack.channel_errors[CHANNEL] = "not_in_channel"
    text = await said(slack, fake_slack, "now")
    assert f"Could not post in <#{CHANNEL}>: Slack said `not_in_channel`" in text
    assert f"type `/invite @Northstar` in <#{CHANNEL}>" in text
    assert text.count("Could not post") == 1
    async with runtime.sessions() as session:
        assert (await session.exec(select(DigestPost))).all() == []
    del fake_slack.channel_errors[CHANNEL]  # Northstar invited: trying again posts it
    assert f"Posted the digest of the week of 30 Nov in <#{CHANNEL}>" in await said(
        slack, fake_slack, "now"
    )


async def test_now_posts_the_team_digests_in_their_channels(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await build_bakery(runtime)  # digest channel set, team digests on, Sales and Ops channels
    runtime.clock = lambda: at(28)  # Saturday of 2026-W48, after the digest moment
    text = await said(slack, fake_slack, "now")
    assert "Posted the digest of the week of 23 Nov in " in text
    for channel in (DIGEST_CHANNEL, SALES_CHANNEL, OPS_CHANNEL):
        assert f"<#{channel}>" in text
        assert len(channel_posts(fake_slack, channel)) == 1


async def test_help_and_unknown_subcommands_mention_the_digest(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    await slack.command("help")
    shown = str((await fake_slack.wait_for("response_url"))[0].args["blocks"])
    for form in ("/align digest #channel [day] [time]", "/align digest now", "/align digest off"):
        assert form in shown
    await slack.command("digestt")
    unknown = (await fake_slack.wait_for("response_url", 2))[-1].args["text"]
    assert "`digest`" in unknown


def test_the_summary_says_each_outcome_in_plain_words() -> None:
    report = DeliveryReport(
        week="2026-W49",
        posted=[Target("company", "C0DIGEST"), Target("team-1", "C0SALES")],
        resumed=[Target("team-2", "C0OPS")],
        taken=[Target("team-3", "C0HR")],
        failed=[(Target("team-4", "C0OLD"), "is_archived"), (Target("team-5", "C0X"), "KeyError")],
    )
    lines = delivery_summary(report).split("\n")
    assert lines == [
        ":white_check_mark: Posted the digest of the week of 30 Nov in <#C0DIGEST> and <#C0SALES>.",
        ":white_check_mark: Finished the digest of the week of 30 Nov that was started in "
        "<#C0OPS>.",
        "This week's digest (week of 30 Nov) is already in <#C0HR> (or being posted right now); "
        "it is posted once a week, so nothing new was posted there.",
        ":warning: Could not post in <#C0OLD>: Slack said `is_archived`. The channel is archived: "
        "unarchive it or choose another with `/align digest #channel [day] [time]`.",
        ":warning: Could not post in <#C0X> because of a fault on Northstar's side (`KeyError`, "
        "logged). Try `/align digest now` again in a few minutes.",
    ]
