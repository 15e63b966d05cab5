"""The command line: ``northstar run | check-config | migrate | rekey | job NAME | demo``.

It reads the arguments and settings and hands over to the composition root (``bot.app``); no
other module imports this one.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.app import texts_cli
from bot.app.process import JOB_NAMES, check_run_settings, migrate, run_job_now, serve
from bot.app.rekey import rekey_database
from bot.app.secret_key import ensure_secret_key
from bot.core.anonymity import quiet_payload_loggers
from bot.core.collector import tune_collector
from bot.core.config import ENV_FILE, ConfigError, RunMode, load_settings
from bot.core.runtime import Clock
from bot.demo.options import DEFAULT_FOLDER, DEFAULT_WEEKS, MAX_WEEKS
from storage.models import utc_now

logger = logging.getLogger("northstar")

EXIT_CONFIG = 2
EXIT_JOB_FAILED = 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="northstar", description="Northstar: strategic alignment for Slack workspaces."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("run", help="migrate the database, start the scheduler, serve Slack")
    commands.add_parser(
        "check-config",
        help="check that `northstar run` has the settings it needs, without starting it "
        "(exit status 2 when something is missing)",
    )
    commands.add_parser("migrate", help="upgrade the database to the newest schema")
    commands.add_parser(
        "rekey",
        help="encrypt every stored secret again with NORTHSTAR_SECRET_KEY (after a key change)",
    )
    job = commands.add_parser("job", help="run one scheduled job now, as the scheduler would")
    job.add_argument("name", choices=JOB_NAMES, help="the job to run")
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


def main(argv: Sequence[str] | None = None, clock: Clock = utc_now) -> int:
    """The ``northstar`` command. ``clock`` is what jobs and handlers take as now; only tests
    set it (tests/clocked_cli.py), so that schedules do not depend on the day they run."""
    args = build_parser().parse_args(argv)
    tune_collector()
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
        if args.command == "check-config":
            check_run_settings(settings)
            socket_mode = settings.run_mode is RunMode.SOCKET
            _say(texts_cli.config_complete(socket_mode, settings.oauth_enabled))
        elif args.command == "migrate":
            asyncio.run(migrate(settings))
            _say("Database is at the newest schema.")
        elif args.command == "rekey":
            if not asyncio.run(rekey_database(settings, _say)):
                return EXIT_JOB_FAILED
        elif args.command == "job":
            if not asyncio.run(run_job_now(settings, args.name, args.team, clock, _say)):
                return EXIT_JOB_FAILED
        else:
            asyncio.run(serve(settings, clock))
    except ConfigError as error:
        _say(str(error))
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 0
    return 0
