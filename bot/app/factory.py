"""The app factory: settings and storage in, a fully wired Bolt ``AsyncApp`` out."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

from bot.app import texts_oauth
from bot.app.after_ack import gate_work_after_ack
from bot.app.listener_matching import match_on_body
from bot.app.oauth import InstalledHook, build_oauth_settings
from bot.core.runtime import Runtime
from bot.slack.client import build_web_client
from bot.slack.installations import InstallationStore, build_installation_store, build_state_store
from handlers import register_all
from handlers.errors import handle_error
from handlers.middleware import NorthstarMiddleware


class _HideTokenSkippedNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns that our client's token wins; it is ours."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


BOLT_LOGGER = logging.getLogger("northstar.bolt")
BOLT_LOGGER.addFilter(_HideTokenSkippedNotice())


def build_app(
    runtime: Runtime,
    *,
    installations: InstallationStore | None = None,
    on_installed: InstalledHook | None = None,
) -> AsyncApp:
    """One workspace with ``SLACK_BOT_TOKEN``, or, with OAuth configured, every workspace that
    installed Northstar, each request answered with its own workspace's token.

    ``installations`` lets the caller share the store with the scheduled jobs' clients (so an
    uninstall stops them at once); ``on_installed(team_id)`` runs after each installation.
    """
    settings = runtime.settings
    signing_secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    )
    if settings.oauth_enabled:
        app = _multi_workspace_app(runtime, signing_secret, installations, on_installed)
    else:
        token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
        app = AsyncApp(
            client=build_web_client(token=token, base_url=settings.slack_api_url),
            signing_secret=signing_secret,
            logger=BOLT_LOGGER,
            name="northstar",
        )
    gate_work_after_ack(app, runtime.after_ack)
    app.use(NorthstarMiddleware(runtime))
    app.error(handle_error)
    register_all(app)
    match_on_body(app)
    return app


def _multi_workspace_app(
    runtime: Runtime,
    signing_secret: str,
    installations: InstallationStore | None,
    on_installed: InstalledHook | None,
) -> AsyncApp:
    store = installations or build_installation_store(runtime)
    client = build_web_client(token=None, base_url=runtime.settings.slack_api_url)
    oauth_settings = build_oauth_settings(
        runtime.settings,
        installation_store=store,
        state_store=build_state_store(runtime.engine),
        on_installed=on_installed,
    )
    # Bolt's default authorize calls auth.test on every request; cached per token, a request
    # costs one database read instead, and a burst cannot run into auth.test's rate limit on
    # the way to an ack. A removed workspace is still refused at once: the token is looked up
    # in the store before the cache.
    authorize = AsyncInstallationStoreAuthorize(
        logger=BOLT_LOGGER,
        installation_store=store,
        bot_only=True,
        cache_enabled=True,
        client=client,
    )
    return AsyncApp(
        client=client,
        signing_secret=signing_secret,
        logger=BOLT_LOGGER,
        name="northstar",
        oauth_settings=oauth_settings,
        installation_store=store,
        installation_store_bot_only=True,
        authorize=authorize,  # type: ignore[arg-type]  # Bolt takes an AsyncAuthorize as it is
        user_facing_authorize_error_message=texts_oauth.NOT_INSTALLED,
    )
