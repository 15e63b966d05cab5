"""The running process: migrate, serve Slack with the scheduler beside it, or run one job now.

Settings -> database engine -> Bolt app -> handlers -> scheduler are wired here and in
``bot.app.factory``, nowhere else; ``bot.cli`` and the demo reach the scheduler only through
this module.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import uvicorn
from slack_bolt.async_app import AsyncApp
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import texts_cli
from bot.app.background import Background
from bot.app.factory import build_app
from bot.app.oauth import InstalledHook
from bot.app.server import build_http_app
from bot.app.socket_mode import SocketModeConnection, Stopped
from bot.core.config import ENV_FILE, ConfigError, RunMode, Settings
from bot.core.runtime import Clock, Runtime
from bot.kpis.secrets import read_kpi_secrets
from bot.slack.client import (
    InstalledWorkspaceClients,
    SingleWorkspaceClients,
    WorkspaceClients,
    build_web_client,
)
from bot.slack.connections import (
    close_slack_connections,
    open_slack_connections,
    slack_connections,
)
from bot.slack.installations import InstallationStore, build_installation_store
from scheduler.jobs import JOBS, JobContext, run_job
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade

__all__ = [
    "JOB_NAMES",
    "JobContext",
    "check_run_settings",
    "migrate",
    "run_job",
    "run_job_now",
    "serve",
]

logger = logging.getLogger("northstar")

HTTP_GRACE_SECONDS = 5  # for requests still open at shutdown; health checks take milliseconds
JOB_NAMES = tuple(sorted(JOBS))
"""What ``northstar job NAME`` accepts."""


class Service(Protocol):
    """Something that runs beside the HTTP server for the life of the process."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


async def migrate(settings: Settings) -> None:
    """Upgrade the database to the newest schema."""
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


def check_run_settings(settings: Settings) -> None:
    """Raise a ``ConfigError`` that says what to set when ``northstar run`` cannot start."""
    if settings.socket_mode_with_oauth:
        raise ConfigError(texts_cli.socket_mode_with_oauth())
    missing = settings.missing_slack_variables()
    if missing:
        raise ConfigError(
            texts_cli.missing_credentials(
                missing,
                oauth=settings.oauth_requested,
                app_token=bool(settings.slack_app_token),
                signing_secret=bool(settings.slack_signing_secret),
            )
        )


class _AfterSlackAnswers:
    """Starts ``service`` once Slack has accepted the bot token: while Slack cannot be reached
    every job would fail at once, each with a stack trace, and with a refused token the process
    is about to end anyway."""

    def __init__(self, service: Service, ready: asyncio.Event) -> None:
        self._service = service
        self._ready = ready
        self._waiting: asyncio.Task[None] | None = None
        self._started = False

    async def start(self) -> None:
        self._waiting = asyncio.create_task(self._start_when_ready(), name="after-slack-answers")

    async def _start_when_ready(self) -> None:
        await self._ready.wait()
        await self._service.start()
        self._started = True

    async def stop(self) -> None:
        if self._waiting is not None:
            self._waiting.cancel()
            await asyncio.gather(self._waiting, return_exceptions=True)
        if self._started:
            await self._service.stop()


def _sync_members_when_installed(context: JobContext) -> InstalledHook:
    """A new (or returning) workspace gets its people now rather than at the next daily sync."""

    async def sync(team_id: str) -> None:
        await run_job("member-sync", context, team_id=team_id)

    async def on_installed(team_id: str) -> None:
        task: asyncio.Task[object] = asyncio.create_task(sync(team_id), name="install-sync")
        context.running.add(task)
        task.add_done_callback(context.running.discard)

    return on_installed


def _oauth_clients(runtime: Runtime) -> tuple[InstallationStore, InstalledWorkspaceClients]:
    store = build_installation_store(runtime)
    return store, InstalledWorkspaceClients(store, base_url=runtime.settings.slack_api_url)


def _runtime(settings: Settings, engine: AsyncEngine, clock: Clock) -> Runtime:
    return Runtime(
        settings=settings,
        engine=engine,
        sessions=create_session_factory(engine),
        clock=clock,
        kpi_secrets=read_kpi_secrets(os.environ, Path(ENV_FILE)),
    )


async def serve(settings: Settings, clock: Clock) -> None:
    """Migrate, wire settings -> storage -> Bolt app -> handlers -> scheduler, and serve."""
    check_run_settings(settings)
    if settings.oauth_enabled and settings.slack_bot_token:
        logger.warning(texts_cli.bot_token_ignored())
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        runtime = _runtime(settings, engine, clock)
        if settings.oauth_enabled:
            store, clients = _oauth_clients(runtime)
            context = JobContext(runtime, clients)
            app = build_app(
                runtime, installations=store, on_installed=_sync_members_when_installed(context)
            )
        else:
            app = build_app(runtime)
            context = JobContext(runtime, SingleWorkspaceClients(app.client))
        ended: list[BaseException] = []  # why Socket Mode gave up: a refused token, a fault

        def give_up(error: BaseException) -> None:
            ended.append(error)
            server.should_exit = True  # shuts down as on SIGTERM

        server = uvicorn.Server(_server_config(runtime, app, _services(app, context, give_up)))
        logger.info(
            "starting in %s; health check on port %s (GET /healthz)",
            "Socket Mode" if settings.run_mode is RunMode.SOCKET else "HTTP mode",
            settings.port,
        )
        if settings.oauth_enabled:
            logger.info(texts_cli.oauth_serving(settings.port))
        await server.serve()
        if ended:
            raise ended[0]
    finally:
        await engine.dispose()


def _services(app: AsyncApp, context: JobContext, stop_because: Stopped) -> list[Service]:
    settings = context.runtime.settings
    background = Background(context)
    if settings.run_mode is not RunMode.SOCKET or not settings.slack_app_token:
        return [background]
    connection = SocketModeConnection(
        app,
        settings.slack_app_token.get_secret_value(),
        on_stopped=stop_because,
        gate=context.runtime.after_ack,
    )
    return [_AfterSlackAnswers(background, connection.verified), connection]


def _server_config(runtime: Runtime, app: AsyncApp, services: list[Service]) -> uvicorn.Config:
    async def on_startup() -> None:
        open_slack_connections()
        try:
            for service in services:
                await service.start()
        except BaseException:  # uvicorn gives up without a shutdown: close what is open
            await close_slack_connections()
            raise

    async def on_shutdown() -> None:
        try:
            for service in reversed(services):
                await service.stop()
        finally:
            await close_slack_connections()
            # Now, not after serving: uvicorn re-raises the signal that stopped it as it
            # returns, and on Ctrl-C that cancels whatever runs next, closing connections
            # half-way.
            await runtime.engine.dispose()

    settings = runtime.settings
    http_app = build_http_app(
        runtime,
        app if settings.run_mode is RunMode.HTTP else None,
        on_startup=on_startup,
        on_shutdown=on_shutdown,
    )
    return uvicorn.Config(
        http_app,
        host="0.0.0.0",
        port=settings.port,
        log_config=None,
        lifespan="on",
        timeout_graceful_shutdown=HTTP_GRACE_SECONDS,
    )


def _job_clients(runtime: Runtime) -> WorkspaceClients:
    settings = runtime.settings
    if settings.oauth_enabled:
        return _oauth_clients(runtime)[1]
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return SingleWorkspaceClients(build_web_client(token=token, base_url=settings.slack_api_url))


async def run_job_now(
    settings: Settings, name: str, team_id: str | None, clock: Clock, say: Callable[[str], None]
) -> bool:
    """Run one job now, as the scheduler would; True when no workspace's run failed."""
    # A job needs tokens (SLACK_BOT_TOKEN, or the stored installations), not the signing secret.
    missing = [var for var in settings.missing_slack_variables() if var != "SLACK_SIGNING_SECRET"]
    if missing:
        raise ConfigError(
            texts_cli.missing_credentials(missing, oauth=settings.oauth_requested, job=True)
        )
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        runtime = _runtime(settings, engine, clock)
        async with slack_connections():
            context = JobContext(runtime, _job_clients(runtime))
            outcomes = await run_job(name, context, team_id=team_id)
        if not outcomes:
            say(texts_cli.no_workspaces(name))
        for outcome in outcomes:
            say(
                f"{outcome.job} {outcome.status} for {outcome.team_id} ({outcome.period}): "
                f"{outcome.detail}"
            )
        return not any(outcome.failed for outcome in outcomes)
    finally:
        await engine.dispose()
