"""Posting check-in answers where the round's setup says: the weekly thread of each team's
channel, and the round's thread in the setup's own channel (``setup_threads``).

Team channels only when the setup shares in them, and only in the person's teams that have a
channel (among the teams the setup goes to, when it names some). A non-default setup's
thread there is per round and names the setup and its day or week. The answer is already
saved when this runs, so nothing here can lose it or fail the submission: every failure is
logged, a Slack refusal is recorded on the team's ``CheckinShare`` row, and the team's lead
(or, without a lead, the admins) hears about it once per round and team.

Exactly one parent message per team and round: the process that claims the row (an insert,
or a conditional update after a failed attempt) posts it; the others wait for its thread
(``thread_claim``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.checkins import texts_answers as texts
from bot.checkins.answer_form import round_questions
from bot.checkins.blocks.thread import build_shared_answer, build_thread_parent
from bot.checkins.setup_threads import posts_round_threads, share_in_round_thread
from bot.checkins.setups import Setup, setup_by_id
from bot.checkins.thread_claim import POSTING_STALE_AFTER, ShareOutcome, Thread, thread_of
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

__all__ = ["ShareOutcome", "share_answer"]


async def share_answer(
    *, runtime: Runtime, client: AsyncWebClient, team_id: str, delivery_id: int, updated: bool
) -> list[ShareOutcome]:
    """Post the saved answer of ``delivery_id`` in its teams' threads and its setup's
    channel, as the round's setup says."""
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
        if round_ is None or setup is None:
            return []
        teams = await _teams_to_share_in(session, team_id, setup, answer.user_id)
        in_own_channel = posts_round_threads(setup)
        if not teams and not in_own_channel:
            return []
        member = await get_member(session=session, team_id=team_id, user_id=answer.user_id)
    name = (member.real_name or member.display_name or member.name) if member else ""
    messages = build_shared_answer(
        name=name or answer.user_id,
        week=round_.week,
        questions=round_questions(round_.questions),
        answers=answer.answers,
        late=answer.late,
        updated=updated,
        setup_name=None if setup.is_default else setup.name,
        period=round_.period,
    )
    outcomes = [
        await _share_in_team(runtime, client, round_, setup, team, messages) for team in teams
    ]
    if in_own_channel:
        outcomes.append(
            await share_in_round_thread(
                runtime, client, round_=round_, setup=setup, messages=messages
            )
        )
    return outcomes


async def _teams_to_share_in(
    session: AsyncSession, team_id: str, setup: Setup, user_id: str
) -> list[Team]:
    """The person's teams with a channel, among those the setup goes to when it names some;
    not the setup's own channel, which has the round's thread already."""
    settings = setup.settings
    if not settings.share_in_team_channels:
        return []
    chosen = set(settings.team_refs)
    own = settings.channel_id if posts_round_threads(setup) else None
    return [
        team
        for team in await teams_of_user(session=session, team_id=team_id, user_id=user_id)
        if team.channel_id and team.channel_id != own and (not chosen or team.id in chosen)
    ]


async def _share_in_team(
    runtime: Runtime,
    client: AsyncWebClient,
    round_: CheckinRound,
    setup: Setup,
    team: Team,
    messages: Sequence[Reply],
) -> ShareOutcome:
    assert team.channel_id is not None
    channel = team.channel_id
    try:
        thread = await thread_of(runtime, client, _TeamThreadRow(round_, setup, team, channel))
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


@dataclass(frozen=True)
class _TeamThreadRow:
    """A team's ``checkin_share`` row of a round, as ``thread_claim`` reads and claims it."""

    round_: CheckinRound
    setup: Setup
    team: Team
    channel_id: str

    async def existing(self, session: AsyncSession) -> Thread | None:
        share = await shares_repo.get_share(
            session=session, round_id=_id(self.round_), team_ref=_id(self.team)
        )
        if share is None or share.channel_id != self.channel_id or not share.thread_ts:
            return None
        return Thread(share.thread_ts, had_error=bool(share.error))

    async def claim(self, session: AsyncSession, now: datetime) -> bool:
        return await shares_repo.claim_share_thread(
            session=session,
            team_id=self.round_.team_id,
            round_id=_id(self.round_),
            team_ref=_id(self.team),
            channel_id=self.channel_id,
            now=now,
            stale_after=POSTING_STALE_AFTER,
        )

    async def posted(self, session: AsyncSession, ts: str) -> None:
        await shares_repo.set_share_thread(
            session=session, round_id=_id(self.round_), team_ref=_id(self.team), thread_ts=ts
        )

    def parent_message(self) -> Reply:
        if self.setup.is_default:
            return build_thread_parent(week=self.round_.week, team=self.team.name)
        return build_thread_parent(
            week=self.round_.week,
            team=self.team.name,
            setup_name=self.setup.name,
            period=self.round_.period,
        )


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
    notice = build_notice(texts.share_failed(team.name, team.channel_id, round_.period, code))
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
