"""Telling a setup's owner, once, that its channel refuses Northstar's posts.

Once per setup, channel and Slack error, in the run ledger (job ``checkin-channel-alert``,
period ``<setup id>:<channel>:<error>``), the way the digest tells admins about its channel:
a daily stand-up whose channel is gone is reported once, not every day. A post that works
again in the setup's channel forgets the setup's alerts, so a later refusal is reported anew.
Whoever created the setup hears it; the default setup's (and a setup whose creator cannot be
reached) go to the workspace's admins.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.checkins import texts_setup_channel as texts
from bot.checkins.setups import Setup
from bot.core.runtime import Runtime
from bot.core.text_input import escape_mrkdwn
from bot.people.admins import list_admin_ids
from bot.slack.messages import Reply, build_notice
from storage.db import transaction
from storage.repositories.checkin_setups import get_setup
from storage.repositories.ledger import (
    STATUS_DONE,
    STATUS_FAILED,
    claim_run,
    finish_run,
    forget_runs,
)

logger = logging.getLogger(__name__)

ALERT_JOB = "checkin-channel-alert"


def _period(setup: Setup, channel_id: str, error: str) -> str:
    return f"{setup.id}:{channel_id}:{error}"[:64]


async def report_channel_failure(
    runtime: Runtime,
    client: AsyncWebClient,
    *,
    team_id: str,
    setup: Setup,
    channel_id: str,
    period: str,
    error: str,
    summary: bool,
) -> bool:
    """Tell the setup's creator (or the admins) unless they were told already; True when
    someone was told now."""
    alert = _period(setup, channel_id, error)
    async with transaction(runtime.sessions) as session:
        if not await claim_run(session=session, job=ALERT_JOB, team_id=team_id, period=alert):
            return False
        row = await get_setup(session=session, team_id=team_id, setup_id=setup.id)
        creator = row.created_by if row is not None and not setup.is_default else ""
        admins = await list_admin_ids(session=session, team_id=team_id)
    notice = build_notice(
        texts.channel_failed(
            setup=escape_mrkdwn(setup.name),
            channel_id=channel_id,
            period=period,
            error=error,
            summary=summary,
        )
    )
    told = await _tell(client, [creator] if creator else [], notice) or await _tell(
        client, admins, notice
    )
    async with transaction(runtime.sessions) as session:
        await finish_run(
            session=session,
            job=ALERT_JOB,
            team_id=team_id,
            period=alert,
            status=STATUS_DONE if told else STATUS_FAILED,
            detail="told" if told else "nobody could be told",
        )
    return told


async def _tell(client: AsyncWebClient, user_ids: list[str], notice: Reply) -> bool:
    told = False
    for user_id in user_ids:
        try:
            await client.chat_postMessage(channel=user_id, **notice)
            told = True
        except SlackApiError as error:
            logger.warning("could not tell about a check-in channel failure: %s", error)
    return told


async def forget_channel_failures(session: AsyncSession, *, team_id: str, setup_id: int) -> None:
    """The setup's channel took a post: a later refusal is reported again."""
    await forget_runs(session=session, job=ALERT_JOB, team_id=team_id, period_prefix=f"{setup_id}:")
