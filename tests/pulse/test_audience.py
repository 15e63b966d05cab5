"""A survey must go to at least twice its threshold in people besides its creator: at creation
through the signed builder, and again when the surveys job opens it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.core.runtime import Runtime
from bot.pulse.blocks.builder import Field
from bot.pulse.lifecycle import minimum_audience
from bot.slack.client import SingleWorkspaceClients, build_web_client
from fakeslack import FakeSlack
from scheduler.jobs import JobContext, run_job
from storage.db import transaction
from storage.models import Survey, SurveyInvite
from storage.repositories.members import MemberProfile
from storage.repositories.teams import add_team_members, create_team
from tests.conftest import drain_background_tasks
from tests.factories import add_members
from tests.kpis.helpers import inline_errors
from tests.pulse.test_commands import NOW, open_builder, submit
from tests.slack_requests import ADMIN_ID, TEAM_ID, SlackSender

ACCOMPLICE, TARGET = "UACCOMP01", "UTARGET01"
OTHERS = tuple(f"UCROWD{number:03d}" for number in range(1, 5))
RULE = "must go to at least 6 people besides its creator"


@pytest.fixture(autouse=True)
def fixed_clock(runtime: Runtime) -> None:
    runtime.clock = lambda: NOW


async def people(runtime: Runtime, *user_ids: str) -> None:
    await add_members(
        runtime,
        MemberProfile(user_id=ADMIN_ID, name="ada", is_admin=True),
        *(MemberProfile(user_id=user, name=user.lower()) for user in user_ids),
    )


async def all_surveys(runtime: Runtime) -> list[Survey]:
    async with runtime.sessions() as session:
        return list((await session.exec(select(Survey))).all())


def builder_answers(**extra: object) -> dict[str, object]:
    return {Field.TITLE: "Team pulse", Field.BANK: ["direction"], **extra}


def test_the_rule_is_twice_the_threshold_and_never_less_than_two_more() -> None:
    assert [minimum_audience(t) for t in (3, 5, 10)] == [6, 10, 20]
    assert all(minimum_audience(t) >= t + 2 for t in range(1, 50))


async def test_the_builder_says_the_creator_does_not_count(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await people(runtime)
    view = await open_builder(slack, fake_slack)
    [hint] = [
        block["hint"]["text"]
        for block in view["blocks"]
        if block.get("block_id") == Field.MIN_RESPONSES
    ]
    assert "twice this many people besides you" in hint and "not counted" in hint


async def test_a_team_of_admin_accomplice_and_target_is_refused(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await people(runtime, ACCOMPLICE, TARGET, *OTHERS[:3])
    async with transaction(runtime.sessions) as session:
        trio = await create_team(session=session, team_id=TEAM_ID, name="Trio", lead_user_id=None)
        await add_team_members(session=session, team=trio, user_ids=[ADMIN_ID, ACCOMPLICE, TARGET])
    view = await open_builder(slack, fake_slack)
    response = await submit(
        slack,
        view,
        builder_answers(
            **{Field.AUDIENCE: "teams", Field.TEAMS: [str(trio.id)], Field.MIN_RESPONSES: "3"}
        ),
    )
    errors = inline_errors(response)
    assert list(errors) == [Field.TEAMS]
    assert "would go to 2 people besides you" in errors[Field.TEAMS] and RULE in errors[Field.TEAMS]
    # everyone is 6 people counting the admin: still one short, the admin does not count
    response = await submit(slack, view, builder_answers(**{Field.MIN_RESPONSES: "3"}))
    assert "would go to 5 people besides you" in inline_errors(response)[Field.AUDIENCE]
    assert await all_surveys(runtime) == []


async def test_enough_people_besides_the_creator_create_the_survey(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await people(runtime, ACCOMPLICE, TARGET, *OTHERS)
    view = await open_builder(slack, fake_slack)
    response = await submit(slack, view, builder_answers(**{Field.MIN_RESPONSES: "4"}))
    assert "at least 8 people" in inline_errors(response)[Field.AUDIENCE]
    response = await submit(slack, view, builder_answers(**{Field.MIN_RESPONSES: "3"}))
    assert inline_errors(response) == {}
    [survey] = await all_surveys(runtime)
    assert survey.min_responses == 3


def job(runtime: Runtime, fake_slack: FakeSlack) -> JobContext:
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    return JobContext(runtime, SingleWorkspaceClients(client))


@pytest.mark.parametrize("repeat", ["none", "weekly"])
async def test_a_survey_whose_audience_shrank_does_not_open_and_its_creator_is_told(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, repeat: str
) -> None:
    await people(runtime, ACCOMPLICE, TARGET, *OTHERS)
    view = await open_builder(slack, fake_slack)
    opens = int((NOW + timedelta(days=1)).timestamp())
    answers = builder_answers(
        **{Field.MIN_RESPONSES: "3", Field.OPENS: opens, Field.REPEAT: repeat}
    )
    assert inline_errors(await submit(slack, view, answers)) == {}
    # before it opens, one person leaves the company, as Slack tells Northstar
    fake_slack.add_user(OTHERS[0], name="gone", deleted=True)
    gone = next(user for user in fake_slack.users if user["id"] == OTHERS[0])
    await slack.event({"type": "user_change", "user": gone}, event_id="EvLEFT1")
    await drain_background_tasks()
    fake_slack.clear()

    runtime.clock = lambda: NOW + timedelta(days=1, minutes=1)
    [outcome] = await run_job("surveys", job(runtime, fake_slack))

    assert "not opened (too few people) P-1" in outcome.detail
    [told] = fake_slack.calls_to("chat.postMessage")  # the creator, and nobody else
    assert told.args["channel"] == ADMIN_ID
    assert "did not open" in str(told.args["text"]) and "only 5 people besides you" in str(
        told.args["text"]
    )
    assert ("next round is scheduled" in str(told.args["text"])) == (repeat == "weekly")
    async with runtime.sessions() as session:
        assert (await session.exec(select(SurveyInvite))).all() == []
    by_number = {survey.number: survey for survey in await all_surveys(runtime)}
    assert by_number[1].state == "closed"
    assert sorted(by_number) == ([1, 2] if repeat == "weekly" else [1])
    # a second run tells nobody again
    [again] = await run_job("surveys", job(runtime, fake_slack))
    assert "not opened" not in again.detail
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
