"""The digest's buttons, pressed in the posted digest through signed requests into the real app:
open a goal, update one's own goal, see the team's goals, answer this week's check-in; and
forged values answered with one clear sentence. The fake Slack checks every Block Kit payload.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from bot.checkins.settings import DEFAULT_QUESTIONS
from bot.core.runtime import Runtime
from bot.digest.blocks.actions import (
    ALL_GOALS_ACTION,
    CHECKIN_ACTION,
    GOAL_OPEN_ACTION,
    GOAL_UPDATE_ACTION,
    TEAM_GOALS_ACTION,
)
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import CheckinDelivery, CheckinRound
from tests.digest.helpers import (
    DIGEST_CHANNEL,
    DUE,
    OPS,
    OPS_CHANNEL,
    SALES,
    SALES_CHANNEL,
    WEEK,
    Bakery,
    build_bakery,
    digest_messages,
    post_digest,
)
from tests.slack_requests import ADMIN_ID, MEMBER_ID, SlackSender, block_action_body

NOW = DUE + timedelta(seconds=30)
MESSAGE_TS = "1764259200.000100"


@pytest.fixture
async def posted(runtime: Runtime, fake_slack: FakeSlack) -> Bakery:
    """The bakery's digests of 2026-W48, posted by the scheduled job."""
    for user in (*SALES, *OPS):
        fake_slack.add_user(user, name=user.lower())
    bakery = await build_bakery(runtime)
    outcome = await post_digest(runtime, fake_slack, NOW)
    assert outcome.status == "done", outcome.detail
    return bakery


def buttons(fake_slack: FakeSlack, channel: str) -> list[dict[str, Any]]:
    """Every button of the digest's main post in ``channel``."""
    main = digest_messages(fake_slack, channel)[0].args
    return [
        element
        for block in main["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def button(fake_slack: FakeSlack, channel: str, kind: str, text: str) -> dict[str, Any]:
    [found] = [
        element
        for element in buttons(fake_slack, channel)
        if element["action_id"].startswith(kind + "-") and element["text"]["text"] == text
    ]
    return found


async def press(
    slack: SlackSender,
    fake_slack: FakeSlack,
    channel: str,
    pressed: dict[str, Any],
    *,
    user: str,
    value: str | None = None,
) -> str:
    """Press ``pressed`` in the digest of ``channel`` as ``user`` (with a forged ``value`` when
    given); returns the response URL Slack gave the press."""
    url = fake_slack.response_url(f"press-{len(fake_slack.calls)}")
    body = block_action_body(
        pressed["action_id"],
        pressed.get("value", "") if value is None else value,
        user_id=user,
        response_url=url,
        container={
            "type": "message",
            "message_ts": MESSAGE_TS,
            "channel_id": channel,
            "is_ephemeral": False,
        },
    )
    response = await slack.post(body)
    assert response.status_code == 200
    return url


async def ephemeral_answer(fake_slack: FakeSlack, url: str) -> str:
    """The text of the ephemeral answer sent to ``url`` (seen by the clicker alone)."""
    name = url.rsplit("/", 1)[-1]
    mine: list[dict[str, Any]] = []
    count = 1
    while not mine:
        calls = await fake_slack.wait_for("response_url", count)
        mine = [call.args for call in calls if call.args["_name"] == name]
        count = len(calls) + 1
    [answer] = mine
    assert answer["response_type"] == "ephemeral"
    assert answer.get("replace_original") in (None, False)  # the digest itself stays
    return f"{answer['text']} {answer.get('blocks', '')}"


async def test_every_button_of_every_digest_has_a_unique_id_and_a_short_value(
    posted: Bakery, fake_slack: FakeSlack
) -> None:
    for channel in (DIGEST_CHANNEL, SALES_CHANNEL, OPS_CHANNEL):
        pressed = buttons(fake_slack, channel)
        ids = [element["action_id"] for element in pressed]
        assert len(ids) == len(set(ids)), channel
        assert all(len(element.get("value", "")) <= 2000 for element in pressed)
        texts = [element["text"]["text"] for element in pressed]
        assert "Answer this week's check-in" in texts
    company = [e["text"]["text"] for e in buttons(fake_slack, DIGEST_CHANNEL)]
    # Movers G-3, G-4, G-2; needing attention G-2 (off track), G-3 (at risk), G-7 (off track).
    assert company[:3] == ["Open G-6", "Open G-3", "Open G-4"]
    assert {"Open G-2", "Update G-2", "Update G-3", "Open G-7", "Update G-7"} <= set(company)
    assert company.count("Open G-2") == 1
    assert "See all goals" in company


async def test_the_team_digest_buttons_point_at_that_team(
    posted: Bakery, fake_slack: FakeSlack, slack: SlackSender
) -> None:
    texts = [element["text"]["text"] for element in buttons(fake_slack, SALES_CHANNEL)]
    assert "See Sales goals" in texts and "See all goals" not in texts
    assert not any(text.endswith(("G-3", "G-7")) for text in texts)  # Ops goals
    team_button = button(fake_slack, SALES_CHANNEL, TEAM_GOALS_ACTION, "See Sales goals")
    assert team_button["value"] == str(posted.teams["Sales"])
    ops_button = button(fake_slack, OPS_CHANNEL, TEAM_GOALS_ACTION, "See Ops goals")
    assert ops_button["value"] == str(posted.teams["Ops"])

    url = await press(slack, fake_slack, SALES_CHANNEL, team_button, user=MEMBER_ID)
    shown = await ephemeral_answer(fake_slack, url)
    assert "Goals of Sales" in shown
    assert "Sign 10 office catering contracts" in shown  # G-2, a Sales team goal
    assert "Second delivery van" not in shown  # G-7 is Ops'


async def test_open_shows_the_goal_to_the_clicker_alone(
    posted: Bakery, fake_slack: FakeSlack, slack: SlackSender
) -> None:
    opened = button(fake_slack, DIGEST_CHANNEL, GOAL_OPEN_ACTION, "Open G-3")
    url = await press(slack, fake_slack, DIGEST_CHANNEL, opened, user=MEMBER_ID)
    shown = await ephemeral_answer(fake_slack, url)
    assert "G-3 Cut delivery time <30 min & keep it" in shown  # /goal show's header (plain text)
    assert fake_slack.calls_to("views.open") == []


async def test_update_opens_the_form_for_the_owner_only(
    posted: Bakery, fake_slack: FakeSlack, slack: SlackSender
) -> None:
    update = button(fake_slack, DIGEST_CHANNEL, GOAL_UPDATE_ACTION, "Update G-2")
    url = await press(slack, fake_slack, DIGEST_CHANNEL, update, user=OPS[0])
    refused = await ephemeral_answer(fake_slack, url)
    assert "only its owner updates it" in refused and "usales01" in refused
    # Even an admin, who may change any goal with /goal, is not its owner here.
    url = await press(slack, fake_slack, DIGEST_CHANNEL, update, user=ADMIN_ID)
    assert "only its owner updates it" in await ephemeral_answer(fake_slack, url)
    assert fake_slack.calls_to("views.open") == []

    await press(slack, fake_slack, DIGEST_CHANNEL, update, user=SALES[0])
    [opened] = await fake_slack.wait_for("views.open")
    assert opened.args["view"]["title"]["text"] == "Update G-2"


@pytest.mark.parametrize(
    ("kind", "text", "forged", "expected"),
    [
        (GOAL_OPEN_ACTION, "Open G-3", "999", "G-999"),
        (GOAL_OPEN_ACTION, "Open G-3", "3; DROP TABLE goal", "no longer points at a goal"),
        (GOAL_OPEN_ACTION, "Open G-3", "-3", "no longer points at a goal"),
        (GOAL_UPDATE_ACTION, "Update G-2", "²", "no longer points at a goal"),
        (GOAL_UPDATE_ACTION, "Update G-2", "12345", "no longer points at a goal"),
        (TEAM_GOALS_ACTION, "See Sales goals", "424242", "no longer points at a team"),
        (TEAM_GOALS_ACTION, "See Sales goals", "Sales", "no longer points at a team"),
        (TEAM_GOALS_ACTION, "See Sales goals", "x" * 2000, "no longer points at a team"),
        (ALL_GOALS_ACTION, "See all goals", "<!channel>", "no longer points at a list"),
    ],
)
async def test_a_forged_value_gets_a_clear_answer_and_changes_nothing(
    posted: Bakery,
    fake_slack: FakeSlack,
    slack: SlackSender,
    kind: str,
    text: str,
    forged: str,
    expected: str,
) -> None:
    channel = SALES_CHANNEL if kind == TEAM_GOALS_ACTION else DIGEST_CHANNEL
    pressed = button(fake_slack, channel, kind, text)
    url = await press(slack, fake_slack, channel, pressed, user=SALES[0], value=forged)
    answer = await ephemeral_answer(fake_slack, url)
    assert expected in answer
    assert "<!channel>" not in answer
    assert fake_slack.calls_to("views.open") == []


async def test_a_team_of_another_workspace_is_not_shown(
    posted: Bakery, runtime: Runtime, fake_slack: FakeSlack, slack: SlackSender
) -> None:
    from storage.repositories.teams import create_team
    from storage.repositories.workspaces import ensure_workspace

    async with transaction(runtime.sessions) as session:
        await ensure_workspace(session=session, team_id="TOTHER01", name="Other")
        other = await create_team(session=session, team_id="TOTHER01", name="Secret team")
    assert other.id is not None
    pressed = button(fake_slack, SALES_CHANNEL, TEAM_GOALS_ACTION, "See Sales goals")
    url = await press(slack, fake_slack, SALES_CHANNEL, pressed, user=SALES[0], value=str(other.id))
    answer = await ephemeral_answer(fake_slack, url)
    assert "no longer points at a team" in answer and "Secret team" not in answer


async def _open_sales_checkin(runtime: Runtime, user_id: str) -> None:
    """Give ``user_id``'s check-in of this week the default questions and keep it open."""
    async with transaction(runtime.sessions) as session:
        round_ = (await session.exec(select(CheckinRound).where(CheckinRound.week == WEEK))).one()
        round_.questions = [question.model_dump(mode="json") for question in DEFAULT_QUESTIONS]
        session.add(round_)
        delivery = (
            await session.exec(
                select(CheckinDelivery).where(
                    CheckinDelivery.round_id == round_.id,
                    col(CheckinDelivery.user_id) == user_id,
                )
            )
        ).one()
        delivery.closes_at = datetime(2026, 11, 28, 23, 0, tzinfo=UTC)
        session.add(delivery)


async def test_answer_opens_the_clickers_own_checkin_or_says_none_is_open(
    posted: Bakery, runtime: Runtime, fake_slack: FakeSlack, slack: SlackSender
) -> None:
    await _open_sales_checkin(runtime, SALES[3])
    answer = button(fake_slack, SALES_CHANNEL, CHECKIN_ACTION, "Answer this week's check-in")

    url = await press(slack, fake_slack, SALES_CHANNEL, answer, user=ADMIN_ID)
    refused = await ephemeral_answer(fake_slack, url)
    assert "check-in" in refused.lower()
    assert fake_slack.calls_to("views.open") == []

    await press(slack, fake_slack, SALES_CHANNEL, answer, user=SALES[3], value="forged-week")
    [opened] = await fake_slack.wait_for("views.open")
    assert opened.args["view"]["type"] == "modal"
    assert opened.args["trigger_id"] == "1337.42.click"
