"""The one reminder of a pulse survey, before it closes, to those invited who have not answered.

The reminder goes ``REMIND_BEFORE`` before closing (or half-way through a survey shorter than
twice that). Like the invitations, each reminder is sent only by the process whose conditional
UPDATE set the invitation's ``reminded`` flag; a reminder Slack did not take clears it again
for the next run. Who has not answered is only ever read by this job: it is never shown.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.local_time import zone
from bot.core.runtime import Runtime
from bot.pulse.delivery import build_invitation
from bot.slack.fanout import TAKEN, Attempt, Delivery, FanOutReport, Sent, deliver, fan_out
from bot.slack.messages import Reply
from storage.db import transaction
from storage.models import Survey
from storage.repositories import survey_invites as invites
from storage.repositories import surveys as surveys_repo
from storage.repositories.members import active_time_zones
from storage.repositories.surveys import OPEN
from storage.repositories.workspaces import get_workspace

logger = logging.getLogger(__name__)

REMIND_BEFORE = timedelta(hours=24)


def reminder_time(survey: Survey) -> datetime:
    lead = min(REMIND_BEFORE, (survey.closes_at - survey.opens_at) / 2)
    return survey.closes_at - lead


async def send_survey_reminders(
    *, runtime: Runtime, client: AsyncWebClient, team_id: str, now: datetime
) -> FanOutReport:
    report = FanOutReport()
    async with runtime.sessions() as session:
        found = await surveys_repo.list_surveys(session=session, team_id=team_id, states=[OPEN])
    for survey in found:
        if reminder_time(survey) <= now < survey.closes_at:
            report.outcomes.update((await _remind(runtime, client, survey)).outcomes)
    return report


async def _remind(runtime: Runtime, client: AsyncWebClient, survey: Survey) -> FanOutReport:
    assert survey.id is not None
    report = FanOutReport()
    async with runtime.sessions() as session:
        due = await invites.invites_to_remind(
            session=session, team_id=survey.team_id, survey_id=survey.id
        )
        if not due:
            return report
        workspace = await get_workspace(session=session, team_id=survey.team_id)
        time_zones = await active_time_zones(session=session, team_id=survey.team_id, user_ids=due)
    workspace_tz = workspace.timezone if workspace else "UTC"

    async def remind(user_id: str) -> str | None:
        if user_id not in time_zones:
            return None  # no longer a member: nobody to remind, nothing to count
        closes_local = survey.closes_at.astimezone(zone(time_zones[user_id], workspace_tz))
        return await _remind_one(runtime, client, survey, user_id, closes_local)

    return await fan_out(due, remind)


async def _remind_one(
    runtime: Runtime,
    client: AsyncWebClient,
    survey: Survey,
    user_id: str,
    closes_local: datetime,
) -> str:
    survey_id = survey.id
    assert survey_id is not None
    team_id = survey.team_id

    async def claim() -> str | None:
        async with transaction(runtime.sessions) as session:
            won = await invites.claim_reminder(
                session=session, team_id=team_id, survey_id=survey_id, user_id=user_id
            )
        return None if won else TAKEN

    def message() -> Reply:
        return build_invitation(
            survey_id=survey_id, title=survey.title, closes_local=closes_local, reminder=True
        )

    async def record(attempt: Attempt) -> None:
        if attempt.sent is Sent.RETRY:  # one reminder at most: only a sure failure frees it
            async with transaction(runtime.sessions) as session:
                await invites.release_reminder(
                    session=session, team_id=team_id, survey_id=survey_id, user_id=user_id
                )

    steps = Delivery(user_id, "a pulse reminder", "reminded", claim, message, record)
    return await deliver(client, steps)
