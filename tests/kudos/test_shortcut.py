"""The "Give kudos" message shortcut through the real app: the form opens with the message's
author and text, is saved before it closes, and is posted and DMed like ``/kudos``."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from tests.checkins.answer_helpers import reply_through
from tests.conftest import drain_background_tasks
from tests.goals.helpers import fix_clock, form_errors
from tests.kudos.helpers import (
    ADA,
    SAM,
    TEAM_CHANNEL,
    align,
    kudos_rows,
    posts_to,
    seed,
    shown,
    submit_kudos_form,
)
from tests.shortcuts.helpers import message_shortcut
from tests.slack_requests import MEMBER_ID, SlackSender

HOSTILE = "Shipped it <!here> with <@USAM0001|sam> <https://evil.example|https://bank.example>"


def element(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    block: dict[str, Any] = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    return dict(block["element"])


async def open_form(
    slack: SlackSender, fake_slack: FakeSlack, *, text: str = HOSTILE, author: str = ADA
) -> tuple[dict[str, Any], str]:
    before = len(fake_slack.calls_to("views.open"))
    response, url = await message_shortcut(
        slack, "give_kudos", user_id=MEMBER_ID, text=text, author=author
    )
    assert response.status_code == 200
    view: dict[str, Any] = (await fake_slack.wait_for("views.open", before + 1))[-1].args["view"]
    return view, url


async def test_the_form_thanks_the_author_and_is_posted_with_the_goal(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    seeded = await seed(runtime)
    view, url = await open_form(slack, fake_slack)
    assert element(view, "kudos_recipients")["initial_users"] == [ADA]
    text = element(view, "kudos_text")["initial_value"]
    assert text == "Shipped it @here with @sam https://bank.example (https://evil.example)"
    goals = element(view, "kudos_goal")["options"]
    assert [o["text"]["text"] for o in goals] == ["G-1 Launch the beta"]  # not another's
    assert json.loads(view["private_metadata"])["response_url"] == url

    saved = await submit_kudos_form(
        slack, view, recipients=[ADA, SAM], text=text + " <b>&", goal_id=seeded.goal.id
    )
    assert saved.status_code == 200 and saved.text == ""
    answer = await reply_through(fake_slack, url)
    await drain_background_tasks()
    assert answer["response_type"] == "ephemeral"
    assert f"Kudos sent to <@{ADA}>, <@{SAM}>" in answer["text"]

    [row] = await kudos_rows(runtime)
    assert (row.giver_id, row.recipient_ids, row.goal_id) == (MEMBER_ID, [ADA, SAM], seeded.goal.id)
    assert row.text == (
        "Shipped it @here with @sam https://bank.example (https://evil.example) &lt;b&gt;&amp;"
    )
    [post] = posts_to(fake_slack, TEAM_CHANNEL)
    assert "*G-1* Launch the beta" in shown(post) and "<!" not in shown(post)
    assert row.channel_id == TEAM_CHANNEL and row.message_ts
    assert [len(posts_to(fake_slack, person)) for person in (ADA, SAM)] == [1, 1]
    fake_slack.assert_no_violations()


async def test_on_my_own_message_nobody_is_preselected_and_a_long_text_is_cut(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await seed(runtime)
    view, _ = await open_form(slack, fake_slack, text="&amp;" * 600, author=MEMBER_ID)
    assert "initial_users" not in element(view, "kudos_recipients")
    prefilled = element(view, "kudos_text")["initial_value"]
    assert prefilled == "&" * 200  # each "&" is saved as "&amp;": 1,000 characters
    fake_slack.assert_no_violations()


@pytest.mark.parametrize(
    ("recipients", "text", "block", "expected"),
    [
        ([], "Thanks", "kudos_recipients", "Choose at least one person"),
        ([MEMBER_ID], "Thanks", "kudos_recipients", "choose someone besides yourself"),
        (["UBOT0001"], "Thanks", "kudos_recipients", "is not someone you can thank"),
        ([ADA], "   ", "kudos_text", "Say what you thank them for"),
        ([ADA], None, "kudos_text", "Say what you thank them for"),
        ([ADA], "<>" * 300, "kudos_text", "the most is 1,000"),
    ],
)
async def test_form_mistakes_stay_on_the_form_and_nothing_is_saved(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    recipients: list[str],
    text: str | None,
    block: str,
    expected: str,
) -> None:
    await seed(runtime)
    fake_slack.add_user("UBOT0001", name="bot", is_bot=True)
    view, _ = await open_form(slack, fake_slack)
    errors = form_errors(await submit_kudos_form(slack, view, recipients=recipients, text=text))
    assert list(errors) == [block] and expected in errors[block]
    assert await kudos_rows(runtime) == []
    assert fake_slack.calls_to("chat.postMessage") == []


async def test_when_kudos_are_off_the_shortcut_says_so(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await seed(runtime)
    view, _ = await open_form(slack, fake_slack)
    await align(slack, fake_slack, "kudos off")
    errors = form_errors(await submit_kudos_form(slack, view, recipients=[ADA], text="Thanks"))
    assert "turned off" in errors["kudos_text"]

    response, url = await message_shortcut(
        slack, "give_kudos", user_id=MEMBER_ID, text="Nice", author=ADA
    )
    assert response.status_code == 200
    answer = await reply_through(fake_slack, url)
    assert "admin turned them off" in answer["text"]
    assert len(fake_slack.calls_to("views.open")) == 1
    assert await kudos_rows(runtime) == []
