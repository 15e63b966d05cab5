"""Slack's retries and people's double clicks: the same event delivered four times (one after
another with ``X-Slack-Retry-Num`` 1..3, or all at once while the first is still being
handled) has one effect, and so does a button or a modal submitted twice."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlmodel import select

import bot.people.members
import handlers.members
from bot.checkins.blocks.prompts import SKIP_ACTION
from bot.checkins.settings import CheckinSettings
from bot.core.runtime import Runtime
from bot.pulse.delivery import advance, send_invitations
from bot.slack.client import build_web_client
from fakeslack import FakeSlack
from storage.models import (
    Goal,
    GoalUpdate,
    Member,
    ProcessedEvent,
    SurveyAnswer,
    SurveyInvite,
)
from tests.checkins import answer_helpers as checkin
from tests.conftest import drain_background_tasks
from tests.goals import helpers as goal_helpers
from tests.pulse.test_answering import GOOD as GOOD_PULSE_ANSWERS
from tests.pulse.test_answering import open_modal as open_pulse_modal
from tests.pulse.test_answering import submit as submit_pulse
from tests.pulse.test_delivery import NOW as PULSE_NOW
from tests.pulse.test_delivery import add_people as add_pulse_people
from tests.pulse.test_delivery import schedule_survey, set_clock
from tests.reliability.helpers import click, count_rows, event, replies, submit
from tests.slack_requests import MEMBER_ID, TEAM_ID, SlackSender

NEWCOMER = "UNEWCOMER1"
RETRIES = (None, 1, 2, 3)  # the first delivery, then Slack's three retries


def newcomer(fake_slack: FakeSlack, **changes: Any) -> dict[str, Any]:
    user = next((u for u in fake_slack.users if u["id"] == NEWCOMER), None)
    if user is None:
        user = fake_slack.add_user(NEWCOMER, name="nina", real_name="Nina New", tz="Asia/Tokyo")
    return {**user, **changes}


@pytest.fixture
def member_updates(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every user id the ``team_join``/``user_change`` listener applied, in order."""
    applied: list[str] = []
    real = bot.people.members.apply_user_change

    async def counting(**kwargs: Any) -> None:
        applied.append(str(kwargs["user"]["id"]))
        await real(**kwargs)

    monkeypatch.setattr(handlers.members, "apply_user_change", counting)
    return applied


EVENTS: dict[str, Callable[[FakeSlack], dict[str, Any]]] = {
    "team_join": lambda slack: {"type": "team_join", "user": newcomer(slack)},
    "user_change": lambda slack: {
        "type": "user_change",
        "user": newcomer(slack, real_name="Nina Renamed", tz="Europe/Paris"),
    },
    "app_home_opened": lambda slack: {
        "type": "app_home_opened",
        "user": newcomer(slack)["id"],
        "channel": "D0HOME",
        "tab": "home",
    },
}


async def effects(runtime: Runtime, fake_slack: FakeSlack, applied: list[str]) -> dict[str, Any]:
    """What a handled event changes: member rows, listener runs, and Slack calls."""
    async with runtime.sessions() as session:
        members = (await session.exec(select(Member).where(Member.user_id == NEWCOMER))).all()
    return {
        "member rows": [(m.real_name, m.tz) for m in members],
        "listener runs": list(applied),
        "users.info": len(fake_slack.calls_to("users.info")),
        "views.publish": len(fake_slack.calls_to("views.publish")),
    }


ONE_EFFECT = {
    "team_join": {
        "member rows": [("Nina New", "Asia/Tokyo")],
        "listener runs": [NEWCOMER],
        "users.info": 0,
        "views.publish": 0,
    },
    "user_change": {
        "member rows": [("Nina Renamed", "Europe/Paris")],
        "listener runs": [NEWCOMER],
        "users.info": 0,
        "views.publish": 0,
    },
    "app_home_opened": {
        # The unknown viewer is fetched once and stored, and the tab published once.
        "member rows": [("Nina New", "Asia/Tokyo")],
        "listener runs": [],
        "users.info": 1,
        "views.publish": 1,
    },
}


@pytest.mark.parametrize("kind", sorted(EVENTS))
async def test_an_event_delivered_four_times_in_a_row_has_one_effect(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    member_updates: list[str],
    kind: str,
) -> None:
    payload = EVENTS[kind](fake_slack)
    for retry_num in RETRIES:
        response = await event(slack, payload, event_id=f"Ev{kind}", retry_num=retry_num)
        assert response.status_code == 200
        await drain_background_tasks()  # each retry comes after the first was fully handled
    assert await effects(runtime, fake_slack, member_updates) == ONE_EFFECT[kind]
    assert (await count_rows(runtime.engine, ProcessedEvent))["processed_event"] == 1


@pytest.mark.parametrize("kind", sorted(EVENTS))
async def test_retries_arriving_while_the_first_delivery_runs_have_no_effect(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    member_updates: list[str],
    kind: str,
) -> None:
    """Slack retries after 3 s without an answer (``http_timeout``), so a retry can arrive
    while the first delivery is still being handled."""
    payload = EVENTS[kind](fake_slack)
    fake_slack.latency = 0.05  # the first delivery's Slack calls are still in flight
    responses = await asyncio.gather(
        *(event(slack, payload, event_id=f"Ev{kind}", retry_num=n) for n in RETRIES)
    )
    assert [r.status_code for r in responses] == [200] * 4
    await drain_background_tasks()
    assert await effects(runtime, fake_slack, member_updates) == ONE_EFFECT[kind]


async def test_a_new_event_id_is_a_new_event(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, member_updates: list[str]
) -> None:
    """The other side of deduplication: only the id makes an event a retry."""
    payload = EVENTS["app_home_opened"](fake_slack)
    for event_id in ("EvHOME1", "EvHOME1", "EvHOME2"):
        assert (await event(slack, payload, event_id=event_id)).status_code == 200
        await drain_background_tasks()
    assert len(fake_slack.calls_to("views.publish")) == 2


UNINSTALL_EVENTS: dict[str, dict[str, Any]] = {
    "app_uninstalled": {"type": "app_uninstalled"},
    "tokens_revoked": {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT"]}},
}


@pytest.mark.parametrize("kind", sorted(UNINSTALL_EVENTS))
async def test_an_uninstall_delivered_four_times_is_handled_once(
    slack: SlackSender, caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    """With one ``SLACK_BOT_TOKEN`` there is nothing to delete: the operator is warned, once."""
    caplog.set_level(logging.INFO)
    for retry_num in RETRIES:
        response = await event(
            slack, UNINSTALL_EVENTS[kind], event_id=f"Ev{kind}", retry_num=retry_num
        )
        assert response.status_code == 200
        await drain_background_tasks()
    warnings = [
        record
        for record in caplog.records
        if record.name == "handlers.installations" and record.levelno == logging.WARNING
    ]
    assert len(warnings) == 1, [record.getMessage() for record in warnings]
    assert TEAM_ID in warnings[0].getMessage()


# --- double clicks and double submissions -----------------------------------------------------


async def twice(action: Callable[[], Awaitable[Any]], *, at_once: bool) -> tuple[Any, Any]:
    """Do ``action`` twice: one after the other (a second click after the first finished), or
    both at once (a double click)."""
    if at_once:
        first, second = await asyncio.gather(action(), action())
    else:
        first = await action()
        await drain_background_tasks()
        second = await action()
    await drain_background_tasks()
    return first, second


@pytest.fixture
async def checkin_modal(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> tuple[dict[str, Any], dict[str, Goal]]:
    """The member's W49 check-in modal, with answers shared in Sales' channel."""
    await checkin.add_people(runtime)
    await checkin.add_sales_team(runtime)
    await checkin.set_settings(runtime, CheckinSettings(share_in_team_channels=True))
    goals = await checkin.add_member_goals(runtime)
    await checkin.prompt_round(runtime, fake_slack)
    value = checkin.prompt_value(fake_slack, MEMBER_ID, "2026-W49")
    return await checkin.open_modal(slack, fake_slack, value), goals


async def submit_checkin_twice(
    slack: SlackSender, view: dict[str, Any], goal: Goal, *, at_once: bool
) -> None:
    answers = {**checkin.GOOD_ANSWERS, f"goal:{goal.id}:value": "12"}
    first, second = await twice(
        lambda: submit(slack, view, user_id=MEMBER_ID, answers=answers), at_once=at_once
    )
    assert (first.status_code, first.text, second.status_code, second.text) == (200, "", 200, "")


@pytest.mark.parametrize("at_once", [False, True], ids=["in-a-row", "at-once"])
async def test_a_check_in_submitted_twice_is_saved_once_and_updates_each_goal_once(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    checkin_modal: tuple[dict[str, Any], dict[str, Goal]],
    at_once: bool,
) -> None:
    """Catches a goal change recorded twice: before the fix, the second submission compared
    the form with the goal as read before it waited for the first one's lock (and on SQLite
    there was no lock at all), so both wrote "10 → 12" into the goal's history."""
    view, goals = checkin_modal
    goal = goals["number"]
    await submit_checkin_twice(slack, view, goal, at_once=at_once)
    [saved] = await checkin.answers(runtime)
    assert saved.answers["moved"] == checkin.GOOD_ANSWERS["q:moved"]
    assert saved.delivery_id == int(json.loads(view["private_metadata"])["delivery"])
    assert (await checkin.goal_row(runtime, goal)).current_value == 12
    assert [(u.value, u.note) for u in await checkin.history(runtime, goal)] == [
        (12, "check-in, week of 30 Nov")
    ]


@pytest.mark.parametrize("at_once", [False, True], ids=["in-a-row", "at-once"])
async def test_a_check_in_submitted_twice_is_shared_once_per_submission(
    slack: SlackSender,
    fake_slack: FakeSlack,
    checkin_modal: tuple[dict[str, Any], dict[str, Goal]],
    at_once: bool,
) -> None:
    """By design a check-in sent again is shared again, as "updated answers" (it is also how a
    person retries a share Slack refused; see test_checkin_answers_sharing.py): a double
    submission posts one reply per submission under the one weekly parent, never more."""
    view, goals = checkin_modal
    await submit_checkin_twice(slack, view, goals["number"], at_once=at_once)
    in_channel = [
        call.args
        for call in fake_slack.calls_to("chat.postMessage")
        if call.args["channel"] == checkin.SALES_CHANNEL
    ]
    parents = [args for args in in_channel if "thread_ts" not in args]
    shared = [args for args in in_channel if "thread_ts" in args]
    assert len(parents) == 1
    assert [args["text"] for args in shared] == ["Max Member's check-in for the week of 30 Nov"] * 2
    assert len({args["thread_ts"] for args in shared}) == 1  # both under the one parent


@pytest.mark.parametrize("at_once", [False, True], ids=["in-a-row", "at-once"])
async def test_skip_pressed_twice_skips_once(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, at_once: bool
) -> None:
    await checkin.add_people(runtime)
    await checkin.prompt_round(runtime, fake_slack)
    value = checkin.prompt_value(fake_slack, MEMBER_ID, "2026-W49")
    before = len(fake_slack.calls)
    await twice(lambda: click(slack, SKIP_ACTION, value, user_id=MEMBER_ID), at_once=at_once)
    row = await checkin.delivery_row(runtime, value)
    assert row.state == "skipped"
    told = [call for call in replies(fake_slack, before) if call.method == "response_url"]
    assert len(told) == 2 and all("week of 30 Nov" in call.args["text"] for call in told)


@pytest.fixture
async def pulse_modal(slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime) -> Any:
    await add_pulse_people(runtime)
    survey = await schedule_survey(runtime)
    set_clock(runtime, PULSE_NOW)
    await advance(runtime=runtime, team_id=TEAM_ID, now=PULSE_NOW)
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    await send_invitations(runtime=runtime, client=client, team_id=TEAM_ID, now=PULSE_NOW)
    return await open_pulse_modal(slack, fake_slack, survey)


@pytest.mark.parametrize("at_once", [False, True], ids=["in-a-row", "at-once"])
async def test_a_pulse_answer_submitted_twice_is_stored_once(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    pulse_modal: dict[str, Any],
    at_once: bool,
) -> None:
    first, second = await twice(
        lambda: submit_pulse(slack, pulse_modal, GOOD_PULSE_ANSWERS, consent=False),
        at_once=at_once,
    )
    bodies = sorted([first.text, second.text])
    assert bodies[0] == ""  # one submission closed the modal
    assert json.loads(bodies[1])["response_action"] == "errors"  # the other was refused
    counts = await count_rows(runtime.engine, SurveyAnswer)
    assert counts == {"survey_answer": 1}
    async with runtime.sessions() as session:
        invite = (
            await session.exec(select(SurveyInvite).where(SurveyInvite.user_id == MEMBER_ID))
        ).one()
    assert invite.answered is True


@pytest.mark.xfail(
    strict=True,
    reason="bug: a goal update form submitted twice (a double click, or Submit pressed again "
    "after Slack's 3-second timeout) records the same update twice in the goal's history",
)
@pytest.mark.parametrize("at_once", [False, True], ids=["in-a-row", "at-once"])
async def test_a_goal_update_form_submitted_twice_records_one_update(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, at_once: bool
) -> None:
    goal_helpers.fix_clock(runtime)
    await goal_helpers.create_goal(slack, fake_slack, title="Reach 50 demos", target_value="50")
    view = await goal_helpers.open_form(slack, fake_slack, "update G-1")
    answers: dict[str, str | None] = {"value": "20", "confidence": "6", "note": "good week"}
    first, second = await twice(lambda: submit(slack, view, answers=answers), at_once=at_once)
    assert first.status_code == second.status_code == 200
    async with runtime.sessions() as session:
        updates = (await session.exec(select(GoalUpdate).where(GoalUpdate.kind == "update"))).all()
    assert [(u.value, u.confidence, u.note) for u in updates] == [(20, 6, "good week")]


@pytest.mark.xfail(
    strict=True,
    reason="bug: a new-goal form submitted twice (Submit pressed again after Slack's "
    "3-second timeout) creates the goal twice, as G-2 and G-3",
)
async def test_a_new_goal_form_submitted_twice_creates_one_goal(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    goal_helpers.fix_clock(runtime)
    await goal_helpers.create_goal(slack, fake_slack, title="Company aim", level="company")
    view = await goal_helpers.open_form(slack, fake_slack, "new")
    answers = goal_helpers.goal_answers(title="Reach 50 demos", target_value="50")
    await twice(lambda: submit(slack, view, answers=answers), at_once=False)
    async with runtime.sessions() as session:
        titles = [goal.title for goal in (await session.exec(select(Goal))).all()]
    assert titles == ["Company aim", "Reach 50 demos"]


async def test_a_slash_command_sent_twice_is_two_commands(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    """Slack never retries a slash command, so each one is the person's own new request:
    typing ``/goal update G-1 20`` twice records the same value twice in the history, and the
    goal ends where it would after once."""
    goal_helpers.fix_clock(runtime)
    await goal_helpers.create_goal(slack, fake_slack, title="Reach 50 demos", target_value="50")
    for _ in range(2):
        assert "20" in await goal_helpers.reply(slack, fake_slack, "update G-1 20")
    async with runtime.sessions() as session:
        goal = (await session.exec(select(Goal))).one()
        updates = (await session.exec(select(GoalUpdate).where(GoalUpdate.kind == "update"))).all()
    assert goal.current_value == 20
    assert [u.value for u in updates] == [20, 20]
