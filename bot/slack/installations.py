"""Where OAuth installations live: slack_sdk's SQLAlchemy stores, with tokens encrypted at rest.

``InstallationStore`` is what Bolt and the scheduled jobs use. It wraps slack_sdk's
``AsyncSQLAlchemyInstallationStore`` (same database as everything else), encrypting tokens on
the way in and decrypting them on the way out, and tells its listeners when a workspace's bot
is removed, so cached Slack clients of that workspace stop at once (``bot/slack/client.py``).

A workspace is installed exactly while it has a bot token in ``slack_bots``: uninstalling or
revoking the bot token deletes it, installing again adds it back. Northstar's own data of the
workspace (goals, check-ins, ...) is kept either way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from logging import Logger

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.key_ring import SecretKeys
from bot.core.runtime import Runtime
from bot.slack.installations_crypto import Stored, TokenUnreadable, decrypted, encrypted
from storage.db import SessionFactory
from storage.repositories.installations import (
    SLACK_METADATA,
    installed_workspaces,
    slack_bots,
    slack_installations,
    slack_oauth_states,
)

logger = logging.getLogger(__name__)

STATE_EXPIRATION_SECONDS = 600  # how long an "Add to Slack" click may take to come back

RemovalListener = Callable[[str], None]


class InstallationStore(AsyncInstallationStore):
    """slack_sdk's SQLAlchemy installation store; tokens are stored only encrypted."""

    def __init__(
        self,
        *,
        engine: AsyncEngine,
        sessions: SessionFactory,
        client_id: str,
        secret_key: SecretKeys,
    ) -> None:
        self.client_id = client_id
        self._key = secret_key
        self._sessions = sessions
        self._tables = AsyncSQLAlchemyInstallationStore(
            client_id=client_id, engine=engine, logger=logger
        )
        # One definition of the tables: Northstar's (token columns wide enough for ciphertext).
        self._tables.metadata = SLACK_METADATA
        self._tables.installations = slack_installations
        self._tables.bots = slack_bots
        self._removal_listeners: list[RemovalListener] = []

    @property
    def logger(self) -> Logger:
        return logger

    def on_removal(self, listener: RemovalListener) -> None:
        """Call ``listener(team_id)`` whenever a workspace's bot token is deleted."""
        self._removal_listeners.append(listener)

    async def installed_workspaces(self) -> dict[str, str | None]:
        """Team id -> Enterprise Grid org id (or ``None``) of every workspace installed now."""
        async with self._sessions() as session:
            return await installed_workspaces(session=session, client_id=self.client_id)

    async def async_save(self, installation: Installation) -> None:
        # slack_sdk saves the bot row from this same (already encrypted) installation.
        await self._tables.async_save(encrypted(installation, self._key))

    async def async_save_bot(self, bot: Bot) -> None:
        await self._tables.async_save_bot(encrypted(bot, self._key))

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        bot = await self._tables.async_find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        return self._readable(bot)

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        installation = await self._tables.async_find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )
        return self._readable(installation)

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._tables.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        self._removed(team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await self._tables.async_delete_installation(
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
        )

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._tables.async_delete_installation(enterprise_id=enterprise_id, team_id=team_id)
        await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    def _readable(self, stored: Stored | None) -> Stored | None:
        """The record with its tokens decrypted; ``None`` (as if absent) when they cannot be."""
        if stored is None:
            return None
        try:
            return decrypted(stored, self._key)
        except TokenUnreadable:
            logger.error(
                "the Slack token of workspace %s cannot be decrypted with NORTHSTAR_SECRET_KEY "
                "or NORTHSTAR_OLD_SECRET_KEYS; install Northstar in that workspace again",
                stored.team_id,
            )
            return None

    def _removed(self, team_id: str | None) -> None:
        if team_id is None:
            return
        for listener in self._removal_listeners:
            listener(team_id)


def build_state_store(engine: AsyncEngine) -> AsyncSQLAlchemyOAuthStateStore:
    """The OAuth ``state`` store (one row per "Add to Slack" click, consumed once)."""
    store = AsyncSQLAlchemyOAuthStateStore(
        expiration_seconds=STATE_EXPIRATION_SECONDS, engine=engine, logger=logger
    )
    store.metadata = SLACK_METADATA
    store.oauth_states = slack_oauth_states
    return store


async def forget_workspace(
    store: AsyncInstallationStore, *, enterprise_id: str | None, team_id: str | None
) -> None:
    """Northstar was uninstalled from the workspace: delete its installations and bot token.

    ``team_id`` is ``None`` only for an org-wide (Enterprise Grid) install, which Northstar
    does not serve; its rows are deleted all the same.
    """
    await store.async_delete_all(enterprise_id=enterprise_id, team_id=team_id)
    logger.info("Northstar was uninstalled from workspace %s; its jobs stop", team_id)


async def revoke_tokens(
    store: AsyncInstallationStore,
    *,
    enterprise_id: str | None,
    team_id: str | None,
    bot_user_ids: list[str],
    user_ids: list[str],
) -> None:
    """Tokens were revoked: without its bot token Northstar can do nothing in the workspace,
    so a revoked bot token forgets the workspace; revoked user tokens forget those users."""
    if bot_user_ids:
        await store.async_delete_all(enterprise_id=enterprise_id, team_id=team_id)
        logger.info("the bot token of workspace %s was revoked; its jobs stop", team_id)
        return
    for user_id in user_ids:
        await store.async_delete_installation(
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
        )


def build_installation_store(runtime: Runtime) -> InstallationStore:
    """The store for ``runtime``'s database, scoped to this app's client id (OAuth mode)."""
    settings = runtime.settings
    if not settings.slack_client_id:
        raise ValueError("installations are stored only with SLACK_CLIENT_ID set")
    return InstallationStore(
        engine=runtime.engine,
        sessions=runtime.sessions,
        client_id=settings.slack_client_id,
        secret_key=runtime.key_ring,
    )
