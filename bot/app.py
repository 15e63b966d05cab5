"""The app factory: settings and storage in, a fully wired Bolt ``AsyncApp`` out."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

from bot.runtime import Runtime
from bot.slack_client import build_web_client
from handlers import register_all
from handlers.errors import handle_error
from handlers.middleware import build_middleware


class _HideTokenSkippedNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns that our client's token wins; it is ours."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


BOLT_LOGGER = logging.getLogger("northstar.bolt")
BOLT_LOGGER.addFilter(_HideTokenSkippedNotice())


def build_app(runtime: Runtime) -> AsyncApp:
    settings = runtime.settings
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    signing_secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    )
    app = AsyncApp(
        client=build_web_client(token=token, base_url=settings.slack_api_url),
        signing_secret=signing_secret,
        logger=BOLT_LOGGER,
        name="northstar",
    )
    for middleware in build_middleware(runtime):
        app.use(middleware)
    app.error(handle_error)
    register_all(app)
    return app
