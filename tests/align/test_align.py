"""``/align`` through signed requests into the real HTTP app, replies checked at the fake Slack."""

from __future__ import annotations

import pytest

from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from tests.factories import member_row, workspace_row
from tests.slack_requests import ADMIN_ID, MEMBER_ID, SlackSender


async def reply_to(
    slack: SlackSender, fake_slack: FakeSlack, text: str, user: str = ADMIN_ID
) -> str:
    """Send ``/align text`` and return the mrkdwn of the ephemeral reply."""
    before = len(fake_slack.calls_to("response_url"))
    response = await slack.command(text, user_id=user)
    assert response.status_code == 200
    assert response.text == ""  # acknowledged at once; the answer goes to response_url
    calls = await fake_slack.wait_for("response_url", before + 1)
    reply = calls[-1].args
    assert reply["response_type"] == "ephemeral"
    assert reply["text"]
    return str(reply["blocks"][0]["text"]["text"])


async def test_help_lists_every_subcommand(slack: SlackSender, fake_slack: FakeSlack) -> None:
    response = await slack.command("help")
    assert response.status_code == 200
    call = (await fake_slack.wait_for("response_url"))[0]
    shown = str(call.args["blocks"])
    for subcommand in ("/align vision", "/align mission", "/align admins add @person"):
        assert subcommand in shown
    assert call.args["response_type"] == "ephemeral"


@pytest.mark.parametrize("text", ["", "   ", "\n\t ", "HELP", "?"])
async def test_empty_or_help_text_shows_help(
    slack: SlackSender, fake_slack: FakeSlack, text: str
) -> None:
    await slack.command(text)
    call = (await fake_slack.wait_for("response_url"))[0]
    assert call.args["blocks"][0]["type"] == "header"
    assert "/align vision" in str(call.args["blocks"])


async def test_admin_sets_vision_and_sees_it_in_app_home(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    reply = await reply_to(slack, fake_slack, "vision Every shop in town runs on tools it loves")
    assert "Every shop in town runs on tools it loves" in reply
    workspace = await workspace_row(runtime)
    assert workspace is not None
    assert workspace.vision == "Every shop in town runs on tools it loves"
    published = (await fake_slack.wait_for("views.publish"))[0]
    assert published.args["user_id"] == ADMIN_ID
    assert "Every shop in town runs on tools it loves" in str(published.args["view"])
    assert await reply_to(slack, fake_slack, "vision") == (
        "The company vision:\n>Every shop in town runs on tools it loves"
    )


async def test_member_opening_app_home_sees_vision_and_mission(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    await reply_to(slack, fake_slack, "vision Be the obvious choice")
    await reply_to(slack, fake_slack, "mission Make alignment effortless")
    await fake_slack.wait_for("views.publish", 2)  # the admin's own Home, refreshed twice
    fake_slack.clear()
    event = {"type": "app_home_opened", "user": MEMBER_ID, "channel": "D1", "tab": "home"}
    response = await slack.event(event, event_id="Ev0001")
    assert response.status_code == 200
    view = (await fake_slack.wait_for("views.publish"))[0].args
    assert view["user_id"] == MEMBER_ID
    shown = str(view["view"])
    assert "Be the obvious choice" in shown and "Make alignment effortless" in shown
    assert "Set it with" not in shown  # members are not told to run admin commands


async def test_non_admin_cannot_set_vision(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    reply = await reply_to(slack, fake_slack, "vision We do whatever I say", user=MEMBER_ID)
    assert "Only Northstar admins can set the vision" in reply
    workspace = await workspace_row(runtime)
    assert workspace is not None and workspace.vision == ""
    assert fake_slack.calls_to("views.publish") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bogus", "has no subcommand `bogus`"),
        ("vision " + "x" * 10_000, "10,000 characters long; the most it can be is 1,000"),
        ("vision " + "y" * 1001, "1,001 characters long"),
        ("mission " + "z" * 1001, "The mission is 1,001 characters long"),
        ("x" * 25_000, "25,000 characters long; commands take at most 20,000"),
        ("vision Grow\x00 fast", "control character (U+0000)"),
        ("vision Grow\x1b[31m fast", "control character (U+001B)"),
        ("vision <!channel> listen up", "cannot contain @channel"),
        ("vision Hi <!subteam^S123|@team>", "group mentions"),
        ("admins add", "Name exactly one person"),
        ("admins promote <@UMEMBER1>", "takes `add` or `remove`"),
        ("admins add #general", "Name exactly one person"),
        ("<!here>", "has no subcommand `!here`"),
        ("`rm -rf` <script>", "has no subcommand `rm`"),
    ],
)
async def test_bad_input_gets_a_clear_ephemeral_answer_and_changes_nothing(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, text: str, expected: str
) -> None:
    reply = await reply_to(slack, fake_slack, text)
    assert expected in reply
    assert "/align" in reply  # every refusal shows the right form
    workspace = await workspace_row(runtime)
    assert workspace is not None
    assert (workspace.vision, workspace.mission) == ("", "")


@pytest.mark.parametrize(
    "vision",
    [
        "Make every team :rocket: faster 🚀 — together",
        "Serve <@UMEMBER1|max>'s customers first",
        "Read more at <https://example.com|our strategy>",
        "Line one\nLine two &amp; more",
        "v" * 1000,
    ],
)
async def test_vision_keeps_emoji_mentions_links_and_line_breaks(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, vision: str
) -> None:
    await reply_to(slack, fake_slack, f"vision {vision}")
    workspace = await workspace_row(runtime)
    assert workspace is not None and workspace.vision == vision


async def test_admins_can_be_granted_listed_and_removed(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    refused = await reply_to(slack, fake_slack, f"admins add <@{ADMIN_ID}>", user=MEMBER_ID)
    assert "Only Northstar admins can add admins" in refused
    added = await reply_to(slack, fake_slack, f"admins add <@{MEMBER_ID}|max>")
    assert added == f":white_check_mark: <@{MEMBER_ID}> is now a Northstar admin."
    member = await member_row(runtime, MEMBER_ID)
    assert member is not None and member.role == "admin"
    listed = await reply_to(slack, fake_slack, "admins")
    assert f"<@{ADMIN_ID}>" in listed and f"<@{MEMBER_ID}>" in listed
    now_allowed = await reply_to(slack, fake_slack, "vision Granted admins count", user=MEMBER_ID)
    assert "is now" in now_allowed
    keeps = await reply_to(slack, fake_slack, f"admins remove <@{ADMIN_ID}>", user=MEMBER_ID)
    assert "Slack admin or owner" in keeps
    removed = await reply_to(slack, fake_slack, "admins remove @max")
    assert "no longer a Northstar admin" in removed
    member = await member_row(runtime, MEMBER_ID)
    assert member is not None and member.role == "member"


async def test_admin_grant_for_unknown_person_is_explained(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    assert "knows no one called @nobody" in await reply_to(slack, fake_slack, "admins add @nobody")
    unknown = await reply_to(slack, fake_slack, "admins add <@UNOBODY9>")
    assert "Slack knows no person <@UNOBODY9>" in unknown
