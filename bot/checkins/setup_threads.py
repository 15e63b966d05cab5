"""A setup's own channel in thread mode: one parent message per round ("*Daily stand-up* ·
Tue 3 Dec — answers in the thread") and every answer, and every later edit, as a reply.

Like team channels' sharing, this runs after the answer is saved and never fails it. The
parent is claimed on the round's ``checkin_thread`` row (``thread_claim``), so two answers
arriving at once in two processes still make one parent. Slack's refusal is kept on the row
(the next answer tries the parent again) and the setup's owner hears about it once
(``setup_channel_alerts``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.checkins.blocks.thread import build_round_thread_parent
from bot.checkins.setup_channel_alerts import forget_channel_failures, report_channel_failure
from bot.checkins.setups import Setup
from bot.checkins.thread_claim import POSTING_STALE_AFTER, ShareOutcome, Thread, thread_of
from bot.core.runtime import Runtime
from bot.slack.errors import error_code
from bot.slack.messages import Reply
from storage.db import transaction
from storage.models import CheckinRound
from storage.repositories import checkin_threads as repo

logger = logging.getLogger(__name__)


def posts_round_threads(setup: Setup) -> bool:
    settings = setup.settings
    return bool(settings.channel_id) and settings.channel_mode == "thread"


@dataclass(frozen=True)
class _RoundThreadRow:
    """The round's ``checkin_thread`` row as ``thread_claim`` reads and claims it."""

    round_: CheckinRound
    setup: Setup
    channel_id: str

    @property
    def round_id(self) -> int:
        assert self.round_.id is not None
        return self.round_.id

    async def existing(self, session: AsyncSession) -> Thread | None:
        row = await repo.get_thread(session=session, round_id=self.round_id)
        if row is None or row.channel_id != self.channel_id or not row.thread_ts:
            return None
        return Thread(row.thread_ts, had_error=bool(row.error))

    async def claim(self, session: AsyncSession, now: datetime) -> bool:
        return await repo.claim_thread(
            session=session,
            team_id=self.round_.team_id,
            round_id=self.round_id,
            channel_id=self.channel_id,
            now=now,
            stale_after=POSTING_STALE_AFTER,
        )

    async def posted(self, session: AsyncSession, ts: str) -> None:
        await repo.set_thread_ts(session=session, round_id=self.round_id, thread_ts=ts)
        await forget_channel_failures(session, team_id=self.round_.team_id, setup_id=self.setup.id)

    def parent_message(self) -> Reply:
        return build_round_thread_parent(setup_name=self.setup.name, period=self.round_.period)


async def share_in_round_thread(
    runtime: Runtime,
    client: AsyncWebClient,
    *,
    round_: CheckinRound,
    setup: Setup,
    messages: Sequence[Reply],
) -> ShareOutcome:
    """Post one answer's ``messages`` in the round's thread of the setup's channel."""
    assert setup.settings.channel_id is not None
    row = _RoundThreadRow(round_, setup, setup.settings.channel_id)
    try:
        thread = await thread_of(runtime, client, row)
        if thread is None:
            logger.warning("a check-in answer was not posted: the round's thread was not ready")
            return ShareOutcome(row.channel_id, False)
        for message in messages:
            await client.chat_postMessage(channel=row.channel_id, thread_ts=thread.ts, **message)
    except SlackApiError as error:
        code = error_code(error)
        logger.warning("check-in answers could not be posted in a setup's channel: %s", code)
        await _record(runtime, row, code)
        await report_channel_failure(
            runtime,
            client,
            team_id=round_.team_id,
            setup=setup,
            channel_id=row.channel_id,
            period=round_.period,
            error=code,
            summary=False,
        )
        return ShareOutcome(row.channel_id, False)
    except Exception:
        logger.exception("could not post a check-in answer in a setup's channel")
        await _record(runtime, row, "unexpected error")
        return ShareOutcome(row.channel_id, False)
    if thread.had_error:
        async with transaction(runtime.sessions) as session:
            await repo.clear_error(session=session, round_id=row.round_id)
            await forget_channel_failures(session, team_id=round_.team_id, setup_id=setup.id)
    return ShareOutcome(row.channel_id, True)


async def _record(runtime: Runtime, row: _RoundThreadRow, error: str) -> None:
    """Keep the failure on the row; this also lets the next answer try the parent again."""
    async with transaction(runtime.sessions) as session:
        await repo.record_error(session=session, round_id=row.round_id, error=error)
