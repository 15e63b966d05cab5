"""Installing Northstar into several workspaces: Bolt's OAuth flow, configured for Northstar.

``GET /slack/install`` redirects to Slack's authorize page with the bot scopes and a one-time
``state`` (stored in the database and in a cookie); Slack sends the installer back to
``GET /slack/oauth_redirect``, where Bolt checks the state, exchanges the code with
``oauth.v2.access`` and saves the installation (tokens encrypted, ``bot/slack/installations.py``).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Awaitable, Callable

from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from bot.app import texts_oauth
from bot.core.config import Settings
from bot.core.log_text import printable
from bot.slack.installations import STATE_EXPIRATION_SECONDS

logger = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
# The bot scopes of manifest.yaml (oauth_config.scopes.bot); a test keeps the two equal.
BOT_SCOPES = (
    "commands",
    "chat:write",
    "chat:write.public",
    "im:write",
    "users:read",
    "channels:read",
    "groups:read",
    "files:write",
    "canvases:write",
)

InstalledHook = Callable[[str], Awaitable[None]]


def build_oauth_settings(
    settings: Settings,
    *,
    installation_store: AsyncInstallationStore,
    state_store: AsyncOAuthStateStore,
    on_installed: InstalledHook | None = None,
) -> AsyncOAuthSettings:
    """Bolt's OAuth settings; ``on_installed(team_id)`` runs after each successful install."""
    client_id, client_secret = settings.slack_client_id, settings.slack_client_secret
    if not client_id or client_secret is None:
        raise ValueError("OAuth needs SLACK_CLIENT_ID and SLACK_CLIENT_SECRET")
    return AsyncOAuthSettings(
        client_id=client_id,
        client_secret=client_secret.get_secret_value(),
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        install_path=INSTALL_PATH,
        install_page_rendering_enabled=False,  # straight to Slack's authorize page
        redirect_uri_path=REDIRECT_PATH,
        callback_options=_callback_options(on_installed),
        installation_store=installation_store,
        installation_store_bot_only=True,
        state_store=state_store,
        state_expiration_seconds=STATE_EXPIRATION_SECONDS,
        logger=logger,
    )


def _callback_options(on_installed: InstalledHook | None) -> AsyncCallbackOptions:
    async def success(args: AsyncSuccessArgs) -> BoltResponse:
        installation = args.installation
        team_id = installation.team_id or installation.enterprise_id or ""
        logger.info("Northstar was installed in workspace %s", printable(team_id))
        if on_installed is not None and team_id:
            await on_installed(team_id)
        links = []
        if installation.team_id and installation.app_id:
            deep_link = f"slack://app?team={installation.team_id}&id={installation.app_id}"
            links.append((deep_link, texts_oauth.OPEN_SLACK))
        body = texts_oauth.installed(installation.team_name or "")
        return _page(args.settings, 200, texts_oauth.INSTALLED_TITLE, body, links)

    async def failure(args: AsyncFailureArgs) -> BoltResponse:
        logger.warning("a Slack installation failed: %s", printable(args.reason, limit=100))
        links = [(args.settings.install_path, texts_oauth.TRY_AGAIN)]
        body = texts_oauth.failed(args.reason)
        return _page(
            args.settings, args.suggested_status_code, texts_oauth.FAILED_TITLE, body, links
        )

    return AsyncCallbackOptions(success=success, failure=failure)


def _page(
    settings: AsyncOAuthSettings,
    status: int,
    title: str,
    paragraphs: list[str],
    links: list[tuple[str, str]],
) -> BoltResponse:
    """A small HTML page; it also deletes the state cookie, which has done its job."""
    parts = [f"<p>{html.escape(text)}</p>" for text in paragraphs]
    parts += [f'<p><a href="{html.escape(url)}">{html.escape(text)}</a></p>' for url, text in links]
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head>"
        '<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">'
        f"<h1>{html.escape(title)}</h1>{''.join(parts)}</body></html>"
    )
    return BoltResponse(
        status=status,
        body=page,
        headers={
            "Content-Type": "text/html; charset=utf-8",
            "Set-Cookie": [settings.state_utils.build_set_cookie_for_deletion()],
        },
    )
