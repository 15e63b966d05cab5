"""``/align kudos``: show the kudos settings (everyone), turn kudos on or off and choose their
channel (admins). Settings change read-modify-write inside one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.core.errors import UserInputError
from bot.core.request import RequestContext
from bot.core.text_input import parse_channel_mention, split_first_word
from bot.kudos import texts
from bot.kudos.settings import KudosSettings, load_kudos_settings, with_kudos_settings
from bot.people.admins import require_admin
from bot.slack.messages import Reply, build_notice
from storage.db import transaction
from storage.repositories.workspaces import get_workspace


class KudosSettingAction(StrEnum):
    SHOW = "show"
    ON = "on"
    OFF = "off"
    CHANNEL = "channel"


@dataclass(frozen=True)
class KudosSettingCommand:
    action: KudosSettingAction
    channel_id: str | None = None  # CHANNEL: None means each giver's team channel


_NO_CHANNEL_WORDS = ("none", "off", "team")


def parse_kudos_setting(text: str) -> KudosSettingCommand:
    """The text after ``/align kudos`` (already checked as command text)."""
    word, rest = split_first_word(text)
    if word in ("", "status", "settings"):
        if rest:
            raise UserInputError(texts.ALIGN_TAKES)
        return KudosSettingCommand(KudosSettingAction.SHOW)
    if word in ("on", "off"):
        if rest:
            raise UserInputError(texts.ALIGN_TAKES)
        return KudosSettingCommand(KudosSettingAction(word))
    if word == "channel":
        if rest.lower() in _NO_CHANNEL_WORDS:
            return KudosSettingCommand(KudosSettingAction.CHANNEL)
        channel_id = parse_channel_mention(rest)
        if channel_id is None:
            raise UserInputError(texts.ALIGN_CHANNEL_USAGE)
        return KudosSettingCommand(KudosSettingAction.CHANNEL, channel_id=channel_id)
    raise UserInputError(texts.ALIGN_TAKES)


async def run_kudos_setting(command: KudosSettingCommand, request: RequestContext) -> Reply:
    if command.action is KudosSettingAction.SHOW:
        async with request.runtime.sessions() as session:
            settings = await load_kudos_settings(session=session, team_id=request.team_id)
        return build_notice(texts.shown(enabled=settings.enabled, channel_id=settings.channel_id))
    async with transaction(request.runtime.sessions) as session:
        await require_admin(
            session=session,
            team_id=request.team_id,
            user_id=request.user_id,
            action="change the kudos settings",
        )
        workspace = await get_workspace(session=session, team_id=request.team_id)
        if workspace is None:
            raise LookupError(f"workspace {request.team_id} does not exist")
        before = await load_kudos_settings(session=session, team_id=request.team_id)
        after = _changed(command, before)
        # A new dict, assigned: SQLAlchemy does not see changes made inside a JSON value.
        workspace.settings = with_kudos_settings(workspace.settings, after)
        workspace.updated_at = request.runtime.clock()
        session.add(workspace)
    if command.action is KudosSettingAction.CHANNEL:
        return build_notice(texts.channel_set(after.channel_id))
    return build_notice(texts.TURNED_ON_NOW if after.enabled else texts.TURNED_OFF_NOW)


def _changed(command: KudosSettingCommand, settings: KudosSettings) -> KudosSettings:
    if command.action is KudosSettingAction.CHANNEL:
        return settings.model_copy(update={"channel_id": command.channel_id})
    return settings.model_copy(update={"enabled": command.action is KudosSettingAction.ON})
