"""``/align welcome``: show the welcome switch (everyone); turn it on or off, or preview the
welcome by DM (admins). The switch is ``welcome`` in the strategy settings, on by default."""

from __future__ import annotations

from bot.core.errors import UserInputError
from bot.core.request import RequestContext
from bot.core.text_input import echo, split_first_word
from bot.onboarding import texts
from bot.onboarding.service import send_preview, welcome_on
from bot.people.admins import require_admin
from bot.slack.fanout import Sent
from bot.slack.messages import build_notice
from bot.slack.outcome import Outcome
from bot.strategy.settings import with_strategy
from storage.db import transaction
from storage.models import Workspace
from storage.repositories.welcomes import count_welcomes
from storage.repositories.workspaces import get_workspace


async def run_welcome(text: str, request: RequestContext) -> Outcome:
    """``/align welcome [on|off|preview]``."""
    word, rest = split_first_word(text)
    if rest or word not in ("", "status", "on", "off", "preview"):
        raise UserInputError(texts.not_understood(echo(text)))
    if word in ("", "status"):
        return await _show(request)
    if word == "preview":
        return await _preview(request)
    return await _switch(request, on=word == "on")


async def _show(request: RequestContext) -> Outcome:
    async with request.runtime.sessions() as session:
        workspace = await get_workspace(session=session, team_id=request.team_id)
        welcomed = await count_welcomes(session=session, team_id=request.team_id)
    enabled = welcome_on(workspace.settings if workspace else None)
    return Outcome.replying(build_notice(texts.shown(enabled=enabled, welcomed=welcomed)))


async def _switch(request: RequestContext, *, on: bool) -> Outcome:
    async with transaction(request.runtime.sessions) as session:
        await require_admin(
            session=session,
            team_id=request.team_id,
            user_id=request.user_id,
            action="turn welcome DMs on or off",
        )
        # locked, read afresh: another strategy setting may be saved at the same moment
        workspace = await session.get(
            Workspace, request.team_id, with_for_update=True, populate_existing=True
        )
        if workspace is None:
            raise LookupError(f"workspace {request.team_id} does not exist")
        # A new dict, assigned: SQLAlchemy does not see changes made inside a JSON value.
        workspace.settings = with_strategy(workspace.settings, welcome=on)
        workspace.updated_at = request.runtime.clock()
        session.add(workspace)
    return Outcome.replying(build_notice(texts.TURNED_ON if on else texts.TURNED_OFF))


async def _preview(request: RequestContext) -> Outcome:
    async with request.runtime.sessions() as session:
        await require_admin(
            session=session,
            team_id=request.team_id,
            user_id=request.user_id,
            action="preview the welcome",
        )
        workspace = await get_workspace(session=session, team_id=request.team_id)
    attempt = await send_preview(request)
    if attempt.sent in (Sent.REFUSED, Sent.RETRY):
        raise UserInputError(texts.preview_refused(attempt.code or "no answer"))
    note = texts.preview_off_note(welcome_on(workspace.settings if workspace else None))
    return Outcome.replying(build_notice(texts.PREVIEW_SENT + note))
