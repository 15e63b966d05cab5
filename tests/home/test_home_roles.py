"""The Home by role: an employee's own to-do (open check-in, unanswered surveys) with the same
Answer buttons as the DMs, quick actions opening the slash commands' modals, and the extra
section admins and team leads get. No goal is shown twice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from bot.checkins.blocks.prompts import ANSWER_ACTION as CHECKIN_ANSWER
from bot.checkins.blocks.prompts import SKIP_ACTION
from bot.core.runtime import Runtime
from bot.pulse.delivery import ANSWER_ACTION as SURVEY_ANSWER
from bot.pulse.questions import BANK
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Goal, Survey, SurveyInvite
from storage.repositories.goals import add_goal
from storage.repositories.survey_invites import invite_people
from storage.repositories.surveys import create_survey
from storage.repositories.teams import create_team, get_team_by_name
from tests.checkins.answer_helpers import (
    GOOD_ANSWERS,
    MONDAY,
    add_people,
    ephemeral_answer,
    prompt_round,
    prompt_value,
    set_clock,
)
from tests.goals.helpers import TODAY, fix_clock
from tests.home.helpers import home_of, opened_by_click, seed, texts_of
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender

W49 = "2026-W49"


async def add_survey(
    runtime: Runtime,
    title: str,
    *,
    invited: list[str],
    answered: Sequence[str] = (),
) -> Survey:
    now = runtime.clock()
    async with transaction(runtime.sessions) as session:
        survey = await create_survey(
            session=session,
            team_id=TEAM_ID,
            title=title,
            questions=[question.model_dump(mode="json") for question in BANK],
            team_refs=[],
            min_responses=3,
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=3),
            repeat="none",
            created_by=ADMIN_ID,
            now=now,
        )
        survey.state = "open"
        session.add(survey)
        assert survey.id is not None
        await invite_people(session=session, team_id=TEAM_ID, survey_id=survey.id, user_ids=invited)
        for user_id in answered:
            invite = await session.get(SurveyInvite, (survey.id, user_id))
            assert invite is not None
            invite.answered = True
            session.add(invite)
    return survey


def accessories(view: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (block["accessory"]["action_id"], block["accessory"]["value"])
        for block in view["blocks"]
        if block.get("accessory", {}).get("type") == "button"
    ]


def action_ids(view: dict[str, Any]) -> list[str]:
    return [
        element["action_id"]
        for block in view["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def headers(view: dict[str, Any]) -> list[str]:
    return [block["text"]["text"] for block in view["blocks"] if block["type"] == "header"]


async def test_an_employee_sees_their_open_check_in_and_surveys_first(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    await prompt_round(runtime, fake_slack)  # Monday noon: the W49 prompt went out
    delivery = prompt_value(fake_slack, MEMBER_ID, W49)
    open_one = await add_survey(runtime, "Team &lt;pulse&gt;", invited=[MEMBER_ID, ADMIN_ID])
    await add_survey(runtime, "Answered", invited=[MEMBER_ID], answered=[MEMBER_ID])
    await add_survey(runtime, "Not for you", invited=[ADMIN_ID])

    view = await home_of(slack, fake_slack, MEMBER_ID, "EvROLE1")
    assert accessories(view) == [(CHECKIN_ANSWER, delivery), (SURVEY_ANSWER, str(open_one.id))]
    shown = texts_of(view)
    assert "Your check-in for the week of 30 Nov" in shown
    assert "Survey: Team &lt;pulse&gt;" in shown
    assert "Answered" not in shown and "Not for you" not in shown
    assert headers(view)[2:4] == [":inbox_tray: Waiting for you", ":dart: My goals"]
    assert action_ids(view) == ["home_new_goal", "home_log_kpi", "home_new_kpi", "home_feedback"]
    assert "For admins" not in shown and "For the lead" not in shown
    assert "next check-in goes out" not in shown
    assert "`/pulse feedback`" in shown and "/checkin settings" not in shown
    assert "/align admins add" not in shown and "delete-workspace-data" not in shown

    # The Home's Answer buttons open the same forms as the DMs' buttons.
    checkin = await opened_by_click(
        slack, fake_slack, CHECKIN_ANSWER, user_id=MEMBER_ID, value=delivery
    )
    assert checkin["callback_id"] == "checkin_answer_form"
    survey = await opened_by_click(
        slack, fake_slack, SURVEY_ANSWER, user_id=MEMBER_ID, value=str(open_one.id)
    )
    assert survey["callback_id"] == "pulse_answer_form"


async def test_answering_the_check_in_redraws_the_home_without_it(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    await prompt_round(runtime, fake_slack)
    delivery = prompt_value(fake_slack, MEMBER_ID, W49)
    form = await opened_by_click(
        slack, fake_slack, CHECKIN_ANSWER, user_id=MEMBER_ID, value=delivery
    )
    before = len(fake_slack.calls_to("views.publish"))
    saved = await slack.submit_view(form, GOOD_ANSWERS, user_id=MEMBER_ID)
    assert saved.status_code == 200 and saved.text == ""
    redrawn = (await fake_slack.wait_for("views.publish", before + 1))[-1].args
    assert redrawn["user_id"] == MEMBER_ID
    assert accessories(redrawn["view"]) == []
    assert "Waiting for you" not in texts_of(redrawn["view"])


async def test_skipping_from_the_dm_redraws_the_home_without_the_check_in(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    await prompt_round(runtime, fake_slack)
    delivery = prompt_value(fake_slack, MEMBER_ID, W49)
    assert (CHECKIN_ANSWER, delivery) in accessories(
        await home_of(slack, fake_slack, MEMBER_ID, "EvROLE6")
    )
    before = len(fake_slack.calls_to("views.publish"))
    skipped = await ephemeral_answer(slack, fake_slack, SKIP_ACTION, delivery, user_id=MEMBER_ID)
    assert "Skipped" in skipped
    redrawn = (await fake_slack.wait_for("views.publish", before + 1))[-1].args
    assert redrawn["user_id"] == MEMBER_ID
    assert "Waiting for you" not in texts_of(redrawn["view"])


async def test_a_check_in_whose_window_closed_is_not_shown(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    await prompt_round(runtime, fake_slack)
    set_clock(runtime, MONDAY + timedelta(days=3))  # answers were taken until Wednesday 00:00
    view = await home_of(slack, fake_slack, MEMBER_ID, "EvROLE2")
    assert accessories(view) == []
    assert "Waiting for you" not in texts_of(view)


async def test_an_admin_sees_the_admin_section_and_every_goal_once(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    await seed(runtime)  # the admin owns company goal G-1 and team goal G-2 and leads Sales
    view = await home_of(slack, fake_slack, ADMIN_ID, "EvROLE3")
    shown = texts_of(view)
    for number in (1, 2, 3, 4):
        assert shown.count(f"*G-{number}*") <= 1, number
    assert shown.count("*G-1*") == shown.count("*G-2*") == 1
    assert accessories(view) == [("goal_open_update", "1"), ("goal_open_update", "2")]
    assert ":shield: For admins" in headers(view)
    assert ":rotating_light: Needing attention" not in headers(view)  # G-1, G-2 are shown above
    assert "1 open goal not aligned, 2 with no progress update in 14 days" in shown
    # Friday 27 Nov: the default Monday 09:00 check-in of this week has passed
    assert "the next check-in goes out next week: Monday 30 Nov, 09:00 your time" in shown
    assert action_ids(view)[-3:] == [
        "home_checkin_status",
        "home_checkin_settings",
        "home_new_survey",
    ]
    assert "/checkin settings" in shown and "/align admins add @person" in shown
    assert "delete-workspace-data" not in shown  # Slack owners only
    assert len(view["blocks"]) <= 100


async def test_a_lead_sees_their_teams_goals_needing_attention(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fix_clock(runtime)
    await seed(runtime)
    async with transaction(runtime.sessions) as session:
        await create_team(session=session, team_id=TEAM_ID, name="Ops", lead_user_id=MEMBER_ID)
    await _team_goal(runtime, "Ops", "Cut costs by 10%", level="team")
    await _team_goal(runtime, "Ops", "Renegotiate the lease", level="personal")  # not aligned
    view = await home_of(slack, fake_slack, MEMBER_ID, "EvROLE4")
    shown = texts_of(view)
    assert ":busts_in_silhouette: For the lead of Ops" in headers(view)
    attention = headers(view).index(":rotating_light: Needing attention")
    assert headers(view).index(":busts_in_silhouette: Goals of Ops, Sales") < attention
    # The team goal shows once, among the team's goals; the attention list takes the rest.
    assert shown.count("Cut costs by 10%") == 1 and shown.count("Renegotiate the lease") == 1
    attention_block = view["blocks"][
        next(
            i
            for i, b in enumerate(view["blocks"])
            if b["type"] == "header" and b["text"]["text"] == ":rotating_light: Needing attention"
        )
        + 1
    ]
    assert "Renegotiate the lease" in str(attention_block)
    assert "Cut costs" not in str(attention_block)
    assert action_ids(view)[-1] == "home_checkin_status"
    assert "home_checkin_settings" not in action_ids(view)
    assert "/checkin status" in shown and "/checkin settings" not in shown
    assert "For admins" not in shown


async def _team_goal(runtime: Runtime, team: str, title: str, *, level: str) -> None:
    async with transaction(runtime.sessions) as session:
        found = await get_team_by_name(session=session, team_id=TEAM_ID, name=team)
        assert found is not None
        await add_goal(
            session=session,
            goal=Goal(
                team_id=TEAM_ID,
                number=0,
                title=title,
                level=level,
                team_ref=found.id,
                owner_id=ADMIN_ID,
                created_by=ADMIN_ID,
                start_date=TODAY,
                target_value=10,
                due_date=TODAY + timedelta(days=90),
            ),
        )


async def test_a_busy_admins_home_stays_within_slacks_limits(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_people(runtime)
    await prompt_round(runtime, fake_slack)
    for number in range(8):
        await add_survey(runtime, f"Pulse {number}", invited=[ADMIN_ID])
    await seed_goals_for_admin(runtime, 60)
    view = await home_of(slack, fake_slack, ADMIN_ID, "EvROLE5")
    assert len(view["blocks"]) <= 100
    answers = [action for action, _ in accessories(view) if action == SURVEY_ANSWER]
    assert len(answers) == 5  # the soonest closing; the rest wait for the next Home
    shown = texts_of(view)
    assert "…and 50 more: `/goal list`" in shown


async def seed_goals_for_admin(runtime: Runtime, count: int) -> None:
    async with transaction(runtime.sessions) as session:
        for index in range(count):
            await add_goal(
                session=session,
                goal=Goal(
                    team_id=TEAM_ID,
                    number=0,
                    title=f"Company goal {index} " + "x" * 100,
                    level="company",
                    owner_id=ADMIN_ID,
                    created_by=ADMIN_ID,
                    start_date=TODAY,
                    target_value=10,
                    due_date=TODAY + timedelta(days=90),
                ),
            )
