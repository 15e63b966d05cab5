"""``app_uninstalled`` and ``tokens_revoked``: forget the workspace's tokens, so its jobs stop.

With OAuth, deleting the workspace's bot from the installation store is what stops it: jobs
serve only workspaces with a bot token, and requests from it are no longer authorized. With a
single ``SLACK_BOT_TOKEN`` there is nothing to delete; the person running Northstar is told.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from bot.core.log_text import printable
from bot.slack.installations import forget_workspace, revoke_tokens
from handlers.errors import reporting_errors

logger = logging.getLogger(__name__)

SINGLE_TOKEN_GONE = (
    "Northstar was removed from workspace %s, so SLACK_BOT_TOKEN no longer works and every "
    "job will fail: install the app again and put its new token in SLACK_BOT_TOKEN, or stop "
    "Northstar"
)


def _ids(tokens: dict[str, Any], kind: str) -> list[str]:
    return [str(value) for value in tokens.get(kind) or [] if value]


def register(app: AsyncApp) -> None:
    store = app.installation_store

    async def handle_app_uninstalled(body: dict[str, Any], context: AsyncBoltContext) -> None:
        if store is None:
            logger.warning(SINGLE_TOKEN_GONE, printable(context.team_id or context.enterprise_id))
            return
        async with reporting_errors(body, None, None):
            await forget_workspace(
                store, enterprise_id=context.enterprise_id, team_id=context.team_id
            )

    async def handle_tokens_revoked(
        body: dict[str, Any], event: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        tokens = event.get("tokens")
        if not isinstance(tokens, dict):
            return
        bot_user_ids, user_ids = _ids(tokens, "bot"), _ids(tokens, "oauth")
        if store is None:
            if bot_user_ids:
                logger.warning(
                    SINGLE_TOKEN_GONE, printable(context.team_id or context.enterprise_id)
                )
            return
        async with reporting_errors(body, None, None):
            await revoke_tokens(
                store,
                enterprise_id=context.enterprise_id,
                team_id=context.team_id,
                bot_user_ids=bot_user_ids,
                user_ids=user_ids,
            )

    app.event("app_uninstalled")(handle_app_uninstalled)
    app.event("tokens_revoked")(handle_tokens_revoked)
