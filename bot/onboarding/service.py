"""Welcome each person once: when they join the workspace (``team_join``) or are added to a
team, whichever comes first, and never again.

Exactly once rests on the ``welcome`` row: it is inserted before the DM is built and sent
(a conflict means the person was welcomed or is being welcomed by another event, retry or
replica), then records how it ended. Slack's answer is read as every DM of Northstar is
(``bot.slack.fanout``): a DM refused for good is ``failed`` and never retried; a timeout
counts as sent; any other failure frees the row, so the person's next team join tries again.
Only people the member sync keeps are welcomed: no bots, no guests of other organisations,
nobody deactivated. Existing members get nothing from an upgrade: only events after it count.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.request import RequestContext
from bot.core.runtime import Runtime
from bot.onboarding.blocks import build_welcome
from bot.onboarding.content import gather_welcome
from bot.slack.fanout import RETRY_LATER, TAKEN, Attempt, FanOutReport, Sent, fan_out, send_dm
from bot.strategy.settings import read_strategy
from storage.db import transaction
from storage.models import Team
from storage.repositories import welcomes as repo
from storage.repositories.members import get_member
from storage.repositories.workspaces import get_workspace

logger = logging.getLogger(__name__)

WELCOMED = "welcomed"
SWITCHED_OFF = "welcome off"
NOT_A_MEMBER = "not a member"


class Reason(StrEnum):
    JOINED = "joined"  # joined the workspace
    TEAM = "team"  # added to a team


def welcome_on(workspace_settings: dict[str, Any] | None) -> bool:
    """The admins' switch, on unless turned off."""
    return read_strategy(workspace_settings).get("welcome", True) is not False


async def welcome_people(
    *,
    runtime: Runtime,
    client: AsyncWebClient,
    team_id: str,
    user_ids: Sequence[str],
    reason: Reason,
    team_name: str | None = None,
) -> FanOutReport:
    """Welcome each of ``user_ids`` who was never welcomed; the report counts the outcomes."""
    async with runtime.sessions() as session:
        workspace = await get_workspace(session=session, team_id=team_id)
        if not welcome_on(workspace.settings if workspace else None):
            return FanOutReport(Counter({SWITCHED_OFF: len(user_ids)}))
        people = []
        for user_id in dict.fromkeys(user_ids):
            member = await get_member(session=session, team_id=team_id, user_id=user_id)
            if member is not None and not member.deleted and not member.is_bot:
                people.append(user_id)
    report = await fan_out(
        people,
        lambda user_id: _welcome_one(runtime, client, team_id, user_id, reason, team_name),
    )
    if skipped := len(dict.fromkeys(user_ids)) - len(people):
        report.outcomes[NOT_A_MEMBER] += skipped
    return report


async def welcome_team_joiners(request: RequestContext, team: Team, user_ids: list[str]) -> None:
    """People just added to ``team`` (committed): welcome those never welcomed."""
    report = await welcome_people(
        runtime=request.runtime,
        client=request.client,
        team_id=request.team_id,
        user_ids=user_ids,
        reason=Reason.TEAM,
        team_name=team.name,
    )
    logger.info("welcomes after a team join in %s: %s", request.team_id, report.detail())


async def _welcome_one(
    runtime: Runtime,
    client: AsyncWebClient,
    team_id: str,
    user_id: str,
    reason: Reason,
    team_name: str | None,
) -> str:
    async with transaction(runtime.sessions) as session:
        claimed = await repo.claim_welcome(
            session=session, team_id=team_id, user_id=user_id, reason=reason, now=runtime.clock()
        )
    if not claimed:
        return TAKEN
    try:
        async with runtime.sessions() as session:
            content = await gather_welcome(
                session,
                team_id=team_id,
                user_id=user_id,
                now=runtime.clock(),
                joined_team=team_name if reason is Reason.TEAM else None,
            )
        message = build_welcome(content)
    except Exception:
        logger.exception("the welcome of %s could not be built; a later join retries it", user_id)
        await _record(runtime, team_id, user_id, Attempt(Sent.RETRY))
        return RETRY_LATER
    attempt = await send_dm(client, user_id, message, what="a welcome DM")
    await _record(runtime, team_id, user_id, attempt)
    return attempt.outcome(WELCOMED)


async def _record(runtime: Runtime, team_id: str, user_id: str, attempt: Attempt) -> None:
    async with transaction(runtime.sessions) as session:
        if attempt.sent is Sent.RETRY:
            await repo.release_welcome(session=session, team_id=team_id, user_id=user_id)
            return
        refused = attempt.sent is Sent.REFUSED
        await repo.record_welcome(
            session=session,
            team_id=team_id,
            user_id=user_id,
            state=repo.FAILED if refused else repo.SENT,
            channel_id=attempt.channel_id,
            message_ts=attempt.message_ts,
            error=attempt.code,
        )


async def send_preview(request: RequestContext) -> Attempt:
    """The welcome the person asking would get, by DM, marked as a preview; not recorded."""
    async with request.runtime.sessions() as session:
        content = await gather_welcome(
            session,
            team_id=request.team_id,
            user_id=request.user_id,
            now=request.runtime.clock(),
        )
    message = build_welcome(content, preview=True)
    return await send_dm(request.client, request.user_id, message, what="a welcome preview")
