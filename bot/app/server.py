"""HTTP mode: one Starlette app serving Slack's requests and a database health check."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from slack_bolt.adapter.starlette.async_handler import (
    AsyncSlackRequestHandler,
    to_starlette_response,
)
from slack_bolt.async_app import AsyncApp
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.app.request_guard import RequestGuard
from bot.core.runtime import Runtime
from storage.db import database_answers

Hook = Callable[[], Awaitable[None]]


def build_http_app(
    runtime: Runtime,
    bolt_app: AsyncApp | None,
    *,
    on_startup: Hook | None = None,
    on_shutdown: Hook | None = None,
) -> Starlette:
    """``/healthz`` always; ``POST /slack/events`` when given the Bolt app (HTTP mode), and
    ``GET /slack/install`` and ``GET /slack/oauth_redirect`` when that app has OAuth on.

    ``POST /slack/events`` reaches Bolt only through the ``RequestGuard``: freshly signed by
    Slack, and only once.

    In Socket Mode the same server runs without the Slack routes, so health checks and graceful
    shutdown work the same way in both modes.
    """

    async def healthz(_request: Request) -> Response:
        if await database_answers(runtime.engine):
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": "database unavailable"}, status_code=503)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        if on_startup is not None:
            await on_startup()
        try:
            yield
        finally:
            if on_shutdown is not None:
                await on_shutdown()

    routes = [Route("/healthz", healthz, methods=["GET"])]
    if bolt_app is not None:
        slack_handler = AsyncSlackRequestHandler(bolt_app)
        guard = RequestGuard(runtime)

        async def to_bolt(request: Request) -> Response:
            return await slack_handler.handle(request)

        async def signed_to_bolt(request: Request) -> Response:
            with runtime.after_ack.answering_request():  # acks before work after acks
                admission = await guard.admit(request)
                if admission.answer is not None:
                    return admission.answer
                if admission.parsed is None:
                    return await slack_handler.handle(request)
                return to_starlette_response(await bolt_app.async_dispatch(admission.parsed))

        routes.append(Route("/slack/events", signed_to_bolt, methods=["POST"]))
        flow = bolt_app.oauth_flow
        if flow is not None:  # Bolt's handler answers both by their paths
            for path in (flow.install_path, flow.redirect_uri_path):
                routes.append(Route(path, to_bolt, methods=["GET"]))
    return Starlette(routes=routes, lifespan=lifespan)
