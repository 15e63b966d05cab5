"""The app factory: settings and storage in, a fully wired Bolt ``AsyncApp`` out."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp

from bot.runtime import Runtime
from bot.slack_client import build_web_client
from handlers import register_all
from handlers.errors import handle_error
from handlers.middleware import build_middleware


def build_app(runtime: Runtime) -> AsyncApp:
    settings = runtime.settings
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    signing_secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    )
    app = AsyncApp(
        client=build_web_client(token=token, base_url=settings.slack_api_url),
        signing_secret=signing_secret,
        logger=logging.getLogger("northstar.bolt"),
        name="northstar",
    )
    for middleware in build_middleware(runtime):
        app.use(middleware)
    app.error(handle_error)
    register_all(app)
    return app
