"""The one reminder before a pulse survey closes: only to those who have not answered, once."""

from __future__ import annotations

from datetime import timedelta

from bot.core.runtime import Runtime
from bot.pulse.reminders import reminder_time
from bot.pulse.surveys import submit_answer
from fakeslack import FakeSlack
from scheduler.jobs import run_job
from storage.db import transaction
from tests.pulse.test_delivery import (
    CLOSES,
    NOW,
    OTHERS,
    QUESTIONS,
    add_people,
    job_context,
    recipients,
    schedule_survey,
    set_clock,
)
from tests.slack_requests import MEMBER_ID, TEAM_ID


async def test_the_reminder_goes_once_to_those_who_have_not_answered(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await add_people(runtime)
    survey = await schedule_survey(runtime)
    assert survey.id is not None
    assert reminder_time(survey) == CLOSES - timedelta(hours=24)
    context = job_context(runtime, fake_slack)
    set_clock(runtime, NOW)
    await run_job("surveys", context)
    invited = set(recipients(fake_slack))
    assert MEMBER_ID in invited and len(invited) == 10
    answers = {QUESTIONS[0].key: 4, QUESTIONS[1].key: 9, QUESTIONS[2].key: "Mon"}
    async with transaction(runtime.sessions) as session:
        await submit_answer(
            session=session,
            team_id=TEAM_ID,
            survey_id=survey.id,
            user_id=MEMBER_ID,
            submitted=answers,
            allow_replies=False,
            secret_key=runtime.settings.northstar_secret_key.get_secret_value(),
            now=NOW + timedelta(hours=1),
        )
    fake_slack.clear()
    set_clock(runtime, CLOSES - timedelta(hours=25))
    await run_job("surveys", context)
    assert recipients(fake_slack) == []  # too early
    fake_slack.inject("chat.postMessage", status=429, retry_after=0, times=2)
    for hours in (23, 22, 21):
        set_clock(runtime, CLOSES - timedelta(hours=hours))
        await run_job("surveys", context)
    reminded = recipients(fake_slack)
    assert sorted(reminded) == sorted(invited - {MEMBER_ID})  # everyone else, exactly once
    message = fake_slack.calls_to("chat.postMessage")[-1].args
    assert "A reminder: the pulse survey *Alignment pulse* closes" in message["text"]
    assert message["blocks"][1]["elements"][0]["action_id"] == "pulse_answer"
    assert set(OTHERS) <= set(reminded)
