"""``/kudos`` mistakes get one ephemeral sentence saying what to type, and nothing is saved or
sent; hostile text is escaped, so it can neither notify nor disguise a link."""

from __future__ import annotations

import pytest

from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.db import transaction
from storage.repositories.members import mark_deleted
from tests.goals.helpers import fix_clock
from tests.kudos.helpers import ADA, SAM, TEAM_CHANNEL, kudos, kudos_rows, posts_to, seed, shown
from tests.slack_requests import MEMBER_ID, TEAM_ID, SlackSender

ELEVEN = " ".join(f"<@U{n:07d}|p{n}>" for n in range(1, 12))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "Thank people for their work: `/kudos @ada @sam"),
        ("help", "Thank people for their work"),
        ("thanks for everything", "Start with the people you thank"),
        ("<@UMEMBER1|max> for being me", "you named only yourself"),
        (f"{ELEVEN} for the offsite", "You named 11 people; one kudos thanks at most 10"),
        ("<@UADA0001|ada> " + "great " * 200, "the most is 1,000. Shorten them"),
        ("<@UADA0001|ada> great launch G-99", "There is no goal G-99 in this workspace"),
        ("<@UADA0001|ada> great launch G-2", "There is no goal G-2 in this workspace"),
        ("<@UADA0001|ada> for G-1 and G-3", "Name at most one goal"),
        ("<@UADA0001|ada> G-1", "Say what you thank them for"),
        ("<@UADA0001|ada> <!channel>", "Say what you thank them for"),
        ("<@UBOT0001|bot> thanks for the build", "<@UBOT0001> is not someone you can thank"),
        ("<@UGONE001|gone> thanks for the build", "<@UGONE001> is not someone you can thank"),
        ("<@ULEFT001|left> thanks for all the years", "<@ULEFT001> is not someone you can"),
        ("@nobody thanks for the build", "Northstar knows no one called @nobody"),
        ("thanks <@UADA0001|ada> \x07 bell", "invisible control character"),
    ],
)
async def test_a_mistake_is_explained_and_nothing_is_sent(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, text: str, expected: str
) -> None:
    fix_clock(runtime)
    await seed(runtime)
    fake_slack.add_user("UBOT0001", name="bot", is_bot=True)
    fake_slack.add_user("ULEFT001", name="left")
    await kudos(slack, fake_slack, "<@ULEFT001|left> welcome aboard")  # known, then gone
    async with transaction(runtime.sessions) as session:
        await mark_deleted(session=session, team_id=TEAM_ID, user_ids=["ULEFT001"])
    fake_slack.clear()
    before = len(await kudos_rows(runtime))

    answer = await kudos(slack, fake_slack, text)
    assert expected in shown(answer), shown(answer)
    assert "/kudos" in shown(answer)
    assert len(await kudos_rows(runtime)) == before
    assert fake_slack.calls_to("chat.postMessage") == []


async def test_hostile_text_is_escaped_and_an_inner_mention_is_thanked_too(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    await seed(runtime)
    await kudos(
        slack,
        fake_slack,
        "<@UADA0001|ada>, great work <!channel> *bold* <https://evil.example|https://bank.example>"
        " with <@USAM0001|sam> &lt;b&gt; &amp; <!subteam^S123|@devs>",
    )
    [row] = await kudos_rows(runtime)
    assert row.recipient_ids == [ADA, SAM]
    assert row.text == (
        "great work &lt;!channel&gt; *bold* "
        "&lt;https://evil.example|https://bank.example&gt; with <@USAM0001> &lt;b&gt; &amp; "
        "&lt;!subteam^S123|@devs&gt;"
    )
    [post] = posts_to(fake_slack, TEAM_CHANNEL)
    for posted in (shown(post), post["text"], shown(posts_to(fake_slack, SAM)[0])):
        assert "<!" not in posted and "<http" not in posted
    assert len(posts_to(fake_slack, SAM)) == 1  # one DM, though named in the text as well
    assert MEMBER_ID not in row.recipient_ids
