"""``/align review ...`` (admins): choose the review channel, post a period's review once,
or preview it privately.

Forms: nothing (the period that ended last), ``2026-Q3``, ``preview [2026-Q3]``,
``channel #leadership``.
"""

from __future__ import annotations

from datetime import date

from bot.core.errors import UserInputError
from bot.core.local_time import zone
from bot.core.quarters import (
    Quarter,
    previous_quarter,
    quarter_by_key,
    quarter_of,
    read_fiscal_start,
)
from bot.core.request import RequestContext
from bot.core.runtime import Runtime
from bot.core.text_input import check_command_text, echo, parse_channel_mention, split_first_word
from bot.people.admins import require_admin
from bot.slack.messages import build_notice
from bot.slack.outcome import Outcome
from bot.strategy import review_texts as texts
from bot.strategy.blocks.review import preview_blocks
from bot.strategy.review_data import build_review_pack
from bot.strategy.review_post import ReviewNotPosted, ReviewResult, post_review
from bot.strategy.settings import read_strategy, with_strategy
from storage.db import transaction
from storage.models import Workspace
from storage.repositories.workspaces import get_workspace


async def run_review(text: str, request: RequestContext) -> Outcome:
    """``/align review ...``: every form is for admins."""
    word, rest = split_first_word(check_command_text(text, usage=texts.USAGE))
    action = {"channel": texts.ACTION_CHANNEL, "preview": texts.ACTION_PREVIEW}
    async with request.runtime.sessions() as session:
        await require_admin(
            session=session,
            team_id=request.team_id,
            user_id=request.user_id,
            action=action.get(word, texts.ACTION_POST),
        )
    if word == "channel":
        return Outcome.replying(build_notice(await _set_channel(rest, request)))
    if word == "preview":
        quarter = await _quarter(request.runtime, request.team_id, rest, must_have_ended=False)
        async with request.runtime.sessions() as session:
            pack = await build_review_pack(
                session=session, team_id=request.team_id, quarter=quarter
            )
        return Outcome.replying(preview_blocks(pack))
    if rest:
        raise UserInputError(texts.bad_period(echo(text)))
    quarter = await _quarter(request.runtime, request.team_id, word, must_have_ended=True)
    return Outcome.replying(build_notice(await _post(quarter, request)))


async def workspace_today(runtime: Runtime, team_id: str) -> tuple[date, int, dict[str, object]]:
    """Today in the workspace's time zone, its fiscal start month and its strategy settings."""
    async with runtime.sessions() as session:
        workspace = await get_workspace(session=session, team_id=team_id)
    settings = workspace.settings if workspace else {}
    today = runtime.clock().astimezone(zone(workspace.timezone if workspace else None)).date()
    return today, read_fiscal_start(settings), read_strategy(settings)


async def _quarter(runtime: Runtime, team_id: str, typed: str, *, must_have_ended: bool) -> Quarter:
    today, fiscal_start, _ = await workspace_today(runtime, team_id)
    if not typed:
        return previous_quarter(quarter_of(today, fiscal_start), fiscal_start)
    quarter = quarter_by_key(typed.upper(), fiscal_start)
    if quarter is None:
        raise UserInputError(texts.bad_period(echo(typed)))
    if must_have_ended and quarter.end >= today:
        raise UserInputError(texts.not_ended(quarter.label))
    return quarter


async def _set_channel(typed: str, request: RequestContext) -> str:
    channel_id = parse_channel_mention(typed) if typed and len(typed.split()) == 1 else None
    if channel_id is None:
        raise UserInputError(texts.CHANNEL_NEEDED)
    async with transaction(request.runtime.sessions) as session:
        # locked, read afresh: another strategy setting may be saved at the same moment
        workspace = await session.get(
            Workspace, request.team_id, with_for_update=True, populate_existing=True
        )
        if workspace is None:
            raise LookupError(f"workspace {request.team_id} does not exist")
        workspace.settings = with_strategy(workspace.settings, review_channel=channel_id)
        session.add(workspace)
    return texts.channel_set(channel_id)


async def _post(quarter: Quarter, request: RequestContext) -> str:
    _, _, strategy = await workspace_today(request.runtime, request.team_id)
    channel_id = strategy.get("review_channel")
    if not isinstance(channel_id, str) or not channel_id:
        raise UserInputError(texts.NO_CHANNEL)
    try:
        posted = await post_review(
            runtime=request.runtime,
            client=request.client,
            team_id=request.team_id,
            quarter=quarter,
            channel_id=channel_id,
        )
    except ReviewNotPosted as refused:
        raise UserInputError(texts.post_refused(channel_id, refused.code)) from refused
    if posted.result is ReviewResult.POSTED:
        return texts.posted(quarter.label, posted.channel_id or channel_id)
    if posted.result is ReviewResult.ALREADY_POSTED:
        return texts.already_posted(quarter.label, posted.channel_id)
    return texts.in_progress(quarter.label)
