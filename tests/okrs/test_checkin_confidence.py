"""Check-ins ask the confidence of each key result of the person's open objectives, prefilled
with the last; what changed is stored with ``source="checkin"``."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from bot.checkins.blocks.answer_modal import MAX_KEY_RESULTS_ASKED
from bot.core.runtime import Runtime
from bot.goals.rollups import rebuild_rollups
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Goal, KeyResult, KeyResultUpdate
from storage.repositories.goals import add_goal
from tests.checkins.answer_helpers import (
    GOOD_ANSWERS,
    MONDAY,
    add_member_goals,
    add_people,
    block,
    form_errors,
    open_modal,
    prompt_round,
    prompt_value,
    reply_through,
)
from tests.conftest import drain_background_tasks
from tests.slack_requests import MEMBER_ID, TEAM_ID, SlackSender

W49 = "2026-W49"


@pytest.fixture
async def prompted(runtime: Runtime, fake_slack: FakeSlack) -> str:
    await add_people(runtime)
    await prompt_round(runtime, fake_slack)
    return prompt_value(fake_slack, MEMBER_ID, W49)


async def add_objective(
    runtime: Runtime, count: int, *, state: str = "open", confidence: int | None = 6
) -> list[KeyResult]:
    """An objective of the member's with ``count`` key results (written straight away)."""
    async with transaction(runtime.sessions) as session:
        goal = await add_goal(
            session=session,
            goal=Goal(
                team_id=TEAM_ID,
                number=0,
                title=f"Objective with {count}",
                level="personal",
                owner_id=MEMBER_ID,
                created_by=MEMBER_ID,
                measure="key_results",
                target_value=1,
                state=state,
                start_date=MONDAY,
                due_date=MONDAY.replace(month=12, day=31),
            ),
        )
        assert goal.id is not None
        rows = [
            KeyResult(
                team_id=TEAM_ID,
                goal_id=goal.id,
                position=n,
                title=f"KR number {n}",
                target_value=10,
                confidence=confidence,
            )
            for n in range(1, count + 1)
        ]
        session.add_all(rows)
        await rebuild_rollups(session=session, team_id=TEAM_ID)
        return rows


async def key_result(runtime: Runtime, row: KeyResult) -> KeyResult:
    async with runtime.sessions() as session:
        found = await session.get(KeyResult, row.id)
    assert found is not None
    return found


async def test_the_modal_asks_each_key_results_confidence_prefilled_with_the_last(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, prompted: str
) -> None:
    await add_member_goals(runtime)
    first, second = await add_objective(runtime, 2)
    await add_objective(runtime, 1, state="done")
    view = await open_modal(slack, fake_slack, prompted)
    asked = block(view, f"kr:{first.id}:confidence")
    assert asked["optional"] is True
    assert asked["label"]["text"] == "G-5 KR 1: KR number 1 · confidence"
    assert asked["element"]["initial_option"]["value"] == "6"
    assert [o["value"] for o in asked["element"]["options"]] == [str(n) for n in range(1, 11)]
    assert block(view, f"kr:{second.id}:confidence")
    assert "Objective with 1" not in json.dumps(view["blocks"])  # a closed objective
    assert "goal:1:value" in json.dumps(view["blocks"])  # number goals are still asked


async def test_a_submitted_confidence_is_stored_with_its_history(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, prompted: str
) -> None:
    first, second = await add_objective(runtime, 2)
    view = await open_modal(slack, fake_slack, prompted)
    answers = {**GOOD_ANSWERS, f"kr:{first.id}:confidence": "8"}
    response = await slack.submit_view(view, answers, user_id=MEMBER_ID)
    assert response.status_code == 200 and response.text == "", response.text
    await drain_background_tasks()
    url = json.loads(str(view["private_metadata"]))["response_url"]
    confirmation = str((await reply_through(fake_slack, url))["text"])
    assert "G-1 KR 1 confidence 6 → 8" in confirmation
    assert (await key_result(runtime, first)).confidence == 8
    assert (await key_result(runtime, second)).confidence == 6  # left as it was
    async with runtime.sessions() as session:
        rows = (await session.exec(select(KeyResultUpdate))).all()
    assert [(r.key_result_id, r.source, r.confidence, r.value, r.author_id) for r in rows] == [
        (first.id, "checkin", 8, None, MEMBER_ID)
    ]


async def test_a_forged_confidence_is_refused_on_its_field(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, prompted: str
) -> None:
    [first] = await add_objective(runtime, 1)
    view = await open_modal(slack, fake_slack, prompted)
    select_block = block(view, f"kr:{first.id}:confidence")
    select_block["element"]["options"].append(
        {"text": {"type": "plain_text", "text": "11"}, "value": "11"}
    )
    answers = {**GOOD_ANSWERS, f"kr:{first.id}:confidence": "11"}
    response = await slack.submit_view(view, answers, user_id=MEMBER_ID)
    assert "1 to 10" in form_errors(response)[f"kr:{first.id}:confidence"]
    assert (await key_result(runtime, first)).confidence == 6


async def test_many_key_results_are_capped_within_block_kit_limits(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, prompted: str
) -> None:
    await add_member_goals(runtime)
    for _ in range(3):
        await add_objective(runtime, 5, confidence=None)
    view = await open_modal(slack, fake_slack, prompted)
    asked = [b for b in view["blocks"] if str(b.get("block_id", "")).startswith("kr:")]
    assert len(asked) == MAX_KEY_RESULTS_ASKED
    assert "initial_option" not in asked[0]["element"]
    assert "…and 5 more key results" in json.dumps(view["blocks"], ensure_ascii=False)
    assert len(view["blocks"]) <= 100
