"""Posting check-in answers in the weekly thread of each team's channel.

Only when the workspace's check-in settings share in team channels, and only in the person's
teams that have a channel (among the teams check-ins go to, when an admin chose some). The
answer is already saved when this runs, so nothing here can lose it or fail the submission:
every failure is logged, a Slack refusal is recorded on the team's ``CheckinShare`` row, and
the team's lead (or, without a lead, the admins) hears about it once per week and team.

Exactly one weekly parent message per team: the process that claims the row (an insert, or a
conditional update after a failed attempt) posts it; the others wait for its thread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.checkins import texts_answers as texts
from bot.checkins.answer_form import round_questions
from bot.checkins.blocks.thread import build_shared_answer, build_thread_parent
from bot.checkins.settings import CheckinSettings
from bot.checkins.setups import setup_by_id
from bot.core.runtime import Runtime
from bot.people.admins import list_admin_ids
from bot.slack.errors import error_code
from bot.slack.messages import Reply, build_notice
from storage.db import transaction
from storage.models import CheckinRound, Team
from storage.repositories import checkin_answers as answers_repo
from storage.repositories import checkin_shares as shares_repo
from storage.repositories import checkins as repo
from storage.repositories.members import get_member
from storage.repositories.teams import teams_of_user

logger = logging.getLogger(__name__)

# How long to wait for another process's parent message before giving up on this answer.
PARENT_WAITS = (0.2, 0.4, 0.8, 1.6)
POSTING_STALE_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class ShareOutcome:
    channel_id: str
    posted: bool


@dataclass(frozen=True)
class _Thread:
    ts: str
    had_error: bool


async def share_answer(
    *, runtime: Runtime, client: AsyncWebClient, team_id: str, delivery_id: int, updated: bool
) -> list[ShareOutcome]:
    """Post the saved answer of ``delivery_id`` in its teams' weekly threads."""
    async with runtime.sessions() as session:
        delivery = await repo.get_delivery_by_id(
            session=session, team_id=team_id, delivery_id=delivery_id
        )
        answer = await answers_repo.get_answer(session=session, delivery_id=delivery_id)
        if delivery is None or answer is None:
            return []
        round_ = await repo.get_round_by_id(
            session=session, team_id=team_id, round_id=delivery.round_id
        )
        setup = await setup_by_id(session, team_id, round_.setup_id) if round_ else None
        settings = setup.settings if setup is not None else CheckinSettings(enabled=False)
        if not settings.share_in_team_channels:
            return []
        chosen = set(settings.team_refs)
        teams = [
            team
            for team in await teams_of_user(
                session=session, team_id=team_id, user_id=answer.user_id
            )
            if team.channel_id and (not chosen or team.id in chosen)
        ]
        member = await get_member(session=session, team_id=team_id, user_id=answer.user_id)
    if round_ is None or not teams:
        return []
    name = (member.real_name or member.display_name or member.name) if member else ""
    messages = build_shared_answer(
        name=name or answer.user_id,
        week=round_.week,
        questions=round_questions(round_.questions),
        answers=answer.answers,
        late=answer.late,
        updated=updated,
    )
    return [await _share_in_team(runtime, client, round_, team, messages) for team in teams]


async def _share_in_team(
    runtime: Runtime,
    client: AsyncWebClient,
    round_: CheckinRound,
    team: Team,
    messages: Sequence[Reply],
) -> ShareOutcome:
    assert team.channel_id is not None
    channel = team.channel_id
    try:
        thread = await _weekly_thread(runtime, client, round_, team)
        if thread is None:
            logger.warning("a check-in answer was not shared: the weekly thread was not ready")
            return ShareOutcome(channel, False)
        for message in messages:
            await client.chat_postMessage(channel=channel, thread_ts=thread.ts, **message)
    except SlackApiError as error:
        code = error_code(error)
        await _report_failure(runtime, client, round_, team, code)
        return ShareOutcome(channel, False)
    except Exception:
        logger.exception("could not share a check-in answer in a team channel")
        await _record(runtime, round_, team, "unexpected error")
        return ShareOutcome(channel, False)
    if thread.had_error:
        async with transaction(runtime.sessions) as session:
            await shares_repo.clear_share_error(
                session=session, round_id=_id(round_), team_ref=_id(team)
            )
    return ShareOutcome(channel, True)


async def _weekly_thread(
    runtime: Runtime, client: AsyncWebClient, round_: CheckinRound, team: Team
) -> _Thread | None:
    """The team's thread for the week, posting its parent message if this process claims it;
    None if another process is posting it and it did not appear in time."""
    assert team.channel_id is not None
    for wait in (*PARENT_WAITS, None):
        async with transaction(runtime.sessions) as session:
            share = await shares_repo.get_share(
                session=session, round_id=_id(round_), team_ref=_id(team)
            )
            if share is not None and share.channel_id == team.channel_id and share.thread_ts:
                return _Thread(share.thread_ts, had_error=bool(share.error))
            claimed = await shares_repo.claim_share_thread(
                session=session,
                team_id=round_.team_id,
                round_id=_id(round_),
                team_ref=_id(team),
                channel_id=team.channel_id,
                now=runtime.clock(),
                stale_after=POSTING_STALE_AFTER,
            )
        if claimed:
            parent = build_thread_parent(week=round_.week, team=team.name)
            response = await client.chat_postMessage(channel=team.channel_id, **parent)
            ts = str(response.get("ts") or "")
            async with transaction(runtime.sessions) as session:
                await shares_repo.set_share_thread(
                    session=session, round_id=_id(round_), team_ref=_id(team), thread_ts=ts
                )
            return _Thread(ts, had_error=False)
        if wait is not None:
            await asyncio.sleep(wait)
    return None


async def _record(runtime: Runtime, round_: CheckinRound, team: Team, error: str) -> None:
    """Keep the failure on the row; this also lets the next answer try the parent again."""
    async with transaction(runtime.sessions) as session:
        await shares_repo.record_share_error(
            session=session, round_id=_id(round_), team_ref=_id(team), error=error
        )


async def _report_failure(
    runtime: Runtime, client: AsyncWebClient, round_: CheckinRound, team: Team, code: str
) -> None:
    """Record Slack's refusal and tell the team's lead, once until a post works again."""
    logger.warning("check-in answers could not be posted in a team channel: %s", code)
    async with transaction(runtime.sessions) as session:
        await shares_repo.record_share_error(
            session=session, round_id=_id(round_), team_ref=_id(team), error=code
        )
        if not await shares_repo.claim_share_error_report(
            session=session, round_id=_id(round_), team_ref=_id(team)
        ):
            return
        recipients = (
            [team.lead_user_id]
            if team.lead_user_id
            else await list_admin_ids(session=session, team_id=round_.team_id)
        )
    assert team.channel_id is not None
    notice = build_notice(texts.share_failed(team.name, team.channel_id, round_.week, code))
    told = False
    for user_id in recipients:
        try:
            await client.chat_postMessage(channel=user_id, **notice)
            told = True
        except SlackApiError as error:
            logger.warning("could not tell a lead about a sharing failure: %s", error)
    if not told:
        async with transaction(runtime.sessions) as session:
            await shares_repo.release_share_error_report(
                session=session, round_id=_id(round_), team_ref=_id(team)
            )


def _id(row: CheckinRound | Team) -> int:
    assert row.id is not None
    return row.id
