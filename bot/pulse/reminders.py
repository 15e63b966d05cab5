"""The one reminder of a pulse survey, before it closes, to those invited who have not answered.

The reminder goes ``REMIND_BEFORE`` before closing (or half-way through a survey shorter than
twice that). Like the invitations, each reminder is sent only by the process whose conditional
UPDATE set the invitation's ``reminded`` flag; a reminder Slack did not take clears it again
for the next run. Who has not answered is only ever read by this job: it is never shown.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.checkins.rounds import PERMANENT_ERRORS, FanOutReport
from bot.core.local_time import zone
from bot.core.runtime import Runtime
from bot.pulse.delivery import build_invitation
from bot.slack.errors import error_code
from storage.db import transaction
from storage.models import Survey
from storage.repositories import survey_invites as invites
from storage.repositories import surveys as surveys_repo
from storage.repositories.members import active_members
from storage.repositories.surveys import OPEN
from storage.repositories.workspaces import get_workspace

logger = logging.getLogger(__name__)

REMIND_BEFORE = timedelta(hours=24)
SEND_CONCURRENCY = 8


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
        members = await active_members(session=session, team_id=survey.team_id, user_ids=due)
    time_zones = {member.user_id: member.tz or "" for member in members}
    workspace_tz = workspace.timezone if workspace else "UTC"
    gate = asyncio.Semaphore(SEND_CONCURRENCY)

    async def one(user_id: str) -> None:
        async with gate:
            if user_id not in time_zones:
                return
            closes_local = survey.closes_at.astimezone(zone(time_zones[user_id], workspace_tz))
            report.outcomes[
                await asyncio.shield(_remind_one(runtime, client, survey, user_id, closes_local))
            ] += 1

    await asyncio.gather(*(one(user_id) for user_id in due))
    return report


async def _remind_one(
    runtime: Runtime,
    client: AsyncWebClient,
    survey: Survey,
    user_id: str,
    closes_local: datetime,
) -> str:
    assert survey.id is not None
    async with transaction(runtime.sessions) as session:
        if not await invites.claim_reminder(
            session=session, team_id=survey.team_id, survey_id=survey.id, user_id=user_id
        ):
            return "taken by another run"
    message = build_invitation(
        survey_id=survey.id, title=survey.title, closes_local=closes_local, reminder=True
    )
    try:
        await client.chat_postMessage(channel=user_id, **message)
    except SlackApiError as error:
        code = error_code(error)
        if code in PERMANENT_ERRORS:
            return f"failed ({code})"
        await _release(runtime, survey, user_id)
        return "retry later"
    except (TimeoutError, aiohttp.ServerTimeoutError):
        return "reminded (unconfirmed)"  # it may have arrived; one reminder at most
    except Exception:
        logger.exception("a pulse reminder was not sent; the next run retries it")
        await _release(runtime, survey, user_id)
        return "retry later"
    return "reminded"


async def _release(runtime: Runtime, survey: Survey, user_id: str) -> None:
    assert survey.id is not None
    async with transaction(runtime.sessions) as session:
        await invites.release_reminder(
            session=session, team_id=survey.team_id, survey_id=survey.id, user_id=user_id
        )
