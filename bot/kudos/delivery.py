"""Post saved kudos in their channel, DM every recipient once, and tell the giver how it went.

The channel is the workspace's kudos channel, else the first of the giver's teams that has a
channel, else none (DMs only). A channel Slack refuses (Northstar not in it, gone, archived)
leaves the kudos saved and DMed; the giver is told what to fix.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.core.request import RequestContext
from bot.kudos import texts
from bot.kudos.blocks.post import build_kudos_dm, build_kudos_post
from bot.kudos.settings import KudosSettings
from bot.slack.errors import error_code
from bot.slack.messages import build_notice
from bot.slack.outcome import Outcome
from storage.db import transaction
from storage.models import Goal, Kudos
from storage.repositories.kudos import record_kudos_post
from storage.repositories.teams import teams_of_user

logger = logging.getLogger(__name__)


async def kudos_channel(request: RequestContext, settings: KudosSettings) -> str | None:
    if settings.channel_id:
        return settings.channel_id
    async with request.runtime.sessions() as session:
        teams = await teams_of_user(
            session=session, team_id=request.team_id, user_id=request.user_id
        )
    return next((team.channel_id for team in teams if team.channel_id), None)


async def _post_in_channel(
    request: RequestContext, kudos: Kudos, goal: Goal | None, channel_id: str
) -> str | None:
    """Post the kudos and record where; ``None`` when posted, else what to tell the giver."""
    try:
        response = await request.client.chat_postMessage(
            channel=channel_id, **build_kudos_post(kudos, goal)
        )
    except SlackApiError as error:
        code = error_code(error)
        logger.warning("kudos %s could not be posted in %s: %s", kudos.id, channel_id, code)
        return texts.post_failed(channel_id, code)
    posted_in = str(response.get("channel") or channel_id)
    async with transaction(request.runtime.sessions) as session:
        await record_kudos_post(
            session=session,
            team_id=request.team_id,
            kudos_id=kudos.id or 0,
            channel_id=posted_in,
            message_ts=str(response.get("ts") or ""),
        )
    kudos.channel_id, kudos.message_ts = posted_in, str(response.get("ts") or "")
    return None


async def _send_dms(request: RequestContext, kudos: Kudos, goal: Goal | None) -> None:
    message = build_kudos_dm(kudos, goal)
    for user_id in kudos.recipient_ids:
        try:
            await request.client.chat_postMessage(channel=user_id, **message)
        except SlackApiError as error:
            logger.warning("kudos %s DM to %s failed: %s", kudos.id, user_id, error_code(error))


async def deliver_kudos(
    request: RequestContext, kudos: Kudos, goal: Goal | None, settings: KudosSettings
) -> Outcome:
    channel_id = await kudos_channel(request, settings)
    problem = texts.NO_CHANNEL
    if channel_id is not None:
        problem = await _post_in_channel(request, kudos, goal, channel_id) or ""
    await _send_dms(request, kudos, goal)
    sentence = texts.sent(kudos.recipient_ids, kudos.channel_id)
    return Outcome.replying(build_notice(f"{sentence}\n{problem}".strip()))
