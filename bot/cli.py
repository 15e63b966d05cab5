"""The composition root and command line: ``northstar run | migrate | rekey | job NAME |
demo``.

Settings -> database engine -> Bolt app -> handlers -> scheduler are wired here and nowhere
else; no other module imports this one.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import uvicorn
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import texts_cli
from bot.app.background import Background
from bot.app.factory import build_app
from bot.app.oauth import InstalledHook
from bot.app.rekey import rekey_database
from bot.app.secret_key import ensure_secret_key
from bot.app.server import build_http_app
from bot.app.socket_mode import SocketModeConnection
from bot.core.anonymity import quiet_payload_loggers
from bot.core.config import ENV_FILE, ConfigError, RunMode, Settings, load_settings
from bot.core.runtime import Clock, Runtime
from bot.demo.options import DEFAULT_FOLDER, DEFAULT_WEEKS, MAX_WEEKS
from bot.kpis.secrets import read_kpi_secrets
from bot.slack.client import (
    InstalledWorkspaceClients,
    SingleWorkspaceClients,
    WorkspaceClients,
    build_web_client,
)
from bot.slack.installations import InstallationStore, build_installation_store
from scheduler.jobs import JOBS, JobContext, run_job
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.models import utc_now

logger = logging.getLogger("northstar")

EXIT_CONFIG = 2
EXIT_JOB_FAILED = 1


class Service(Protocol):
    """Something that runs beside the HTTP server for the life of the process."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="northstar", description="Northstar: strategic alignment for Slack workspaces."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("run", help="migrate the database, start the scheduler, serve Slack")
    commands.add_parser("migrate", help="upgrade the database to the newest schema")
    commands.add_parser(
        "rekey",
        help="encrypt every stored secret again with NORTHSTAR_SECRET_KEY (after a key change)",
    )
    job = commands.add_parser("job", help="run one scheduled job now, as the scheduler would")
    job.add_argument("name", choices=sorted(JOBS), help="the job to run")
    job.add_argument("--team", help="only this workspace (Slack team id, e.g. T0123ABCD)")
    demo = commands.add_parser(
        "demo",
        help="simulate a month at a sample bakery against a fake Slack (no account needed)",
        description="Simulate weeks at a sample bakery against an in-process fake Slack, print "
        "the last weekly digest and write every digest's Block Kit and charts to a folder.",
    )
    demo.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_FOLDER,
        metavar="DIR",
        help=f"folder for the digests' JSON and charts (default: ./{DEFAULT_FOLDER}/)",
    )
    demo.add_argument(
        "--weeks",
        type=int,
        default=DEFAULT_WEEKS,
        choices=range(1, MAX_WEEKS + 1),
        metavar="N",
        help=f"weeks to simulate, 1 to {MAX_WEEKS} (default: {DEFAULT_WEEKS})",
    )
    demo.add_argument(
        "--picture", type=Path, metavar="PNG", help="also draw the digest into this PNG"
    )
    return parser


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")


async def _migrate(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


def _check_slack_variables(settings: Settings) -> None:
    if settings.socket_mode_with_oauth:
        raise ConfigError(texts_cli.socket_mode_with_oauth())
    missing = settings.missing_slack_variables()
    if missing:
        raise ConfigError(texts_cli.missing_credentials(missing, oauth=settings.oauth_requested))


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


async def _run(settings: Settings, clock: Clock) -> None:
    _check_slack_variables(settings)
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
        services: list[Service] = [Background(context)]
        if settings.run_mode is RunMode.SOCKET and settings.slack_app_token:
            services.append(SocketModeConnection(app, settings.slack_app_token.get_secret_value()))

        async def on_startup() -> None:
            for service in services:
                await service.start()

        async def on_shutdown() -> None:
            for service in reversed(services):
                await service.stop()

        http_app = build_http_app(
            runtime,
            app if settings.run_mode is RunMode.HTTP else None,
            on_startup=on_startup,
            on_shutdown=on_shutdown,
        )
        config = uvicorn.Config(
            http_app, host="0.0.0.0", port=settings.port, log_config=None, lifespan="on"
        )
        logger.info(
            "starting in %s mode; health check on port %s (GET /healthz)",
            "Socket Mode" if settings.run_mode is RunMode.SOCKET else "HTTP",
            settings.port,
        )
        if settings.oauth_enabled:
            logger.info(texts_cli.oauth_serving(settings.port))
        await uvicorn.Server(config).serve()
    finally:
        await engine.dispose()


def _job_clients(runtime: Runtime) -> WorkspaceClients:
    settings = runtime.settings
    if settings.oauth_enabled:
        return _oauth_clients(runtime)[1]
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return SingleWorkspaceClients(build_web_client(token=token, base_url=settings.slack_api_url))


async def _job(settings: Settings, name: str, team_id: str | None, clock: Clock) -> bool:
    """Run one job now; True when no workspace's run failed."""
    # A job needs tokens (SLACK_BOT_TOKEN, or the stored installations), not the signing secret.
    missing = [var for var in settings.missing_slack_variables() if var != "SLACK_SIGNING_SECRET"]
    if missing:
        raise ConfigError(texts_cli.missing_credentials(missing, oauth=settings.oauth_requested))
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        runtime = _runtime(settings, engine, clock)
        outcomes = await run_job(name, JobContext(runtime, _job_clients(runtime)), team_id=team_id)
        if not outcomes:
            _say(texts_cli.no_workspaces(name))
        for outcome in outcomes:
            _say(
                f"{outcome.job} {outcome.status} for {outcome.team_id} ({outcome.period}): "
                f"{outcome.detail}"
            )
        return not any(outcome.failed for outcome in outcomes)
    finally:
        await engine.dispose()


def main(argv: Sequence[str] | None = None, clock: Clock = utc_now) -> int:
    """The ``northstar`` command. ``clock`` is what jobs and handlers take as now; only tests
    set it (tests/clocked_cli.py), so that schedules do not depend on the day they run."""
    args = build_parser().parse_args(argv)
    if args.command == "demo":  # needs no settings, .env or secret key of this installation
        from bot.demo.command import run_demo  # the fake Slack and simulation load only here

        return run_demo(folder=args.out, weeks=args.weeks, picture=args.picture)
    try:
        if ensure_secret_key(Path(ENV_FILE)):
            _say(texts_cli.secret_key_generated(ENV_FILE))
        settings = load_settings()
        logging.basicConfig(
            level=settings.log_level.upper(),
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        quiet_payload_loggers()  # even at DEBUG, no library logs whole Slack payloads
        if args.command == "migrate":
            asyncio.run(_migrate(settings))
            _say("Database is at the newest schema.")
        elif args.command == "rekey":
            if not asyncio.run(rekey_database(settings, _say)):
                return EXIT_JOB_FAILED
        elif args.command == "job":
            if not asyncio.run(_job(settings, args.name, args.team, clock)):
                return EXIT_JOB_FAILED
        else:
            asyncio.run(_run(settings, clock))
    except ConfigError as error:
        _say(str(error))
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 0
    return 0
