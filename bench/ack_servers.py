"""Northstar's HTTP app and the fake Slack, as server processes of the acknowledgement
benchmark (see ``bench.ack_protocol``):

- ``python -m bench.ack_servers northstar DATABASE_URL API_URL``: Northstar's HTTP app,
  built as ``northstar run`` builds it, with the clock fixed on the seeded workspace's day.
- ``python -m bench.ack_servers fake-slack``: the fake Slack (Web API and response URLs), in
  a process of its own so that receiving and checking Northstar's replies slows neither the
  app nor the client. Told ``{"replies": n}``, it answers once n replies have reached the
  response URLs (with any Block Kit violations), then forgets them.
"""

from __future__ import annotations

import argparse
import asyncio
import logging

from bench.ack_protocol import receive, send, serve_until_stopped
from bench.goals_seed import NOW
from bench.memory import max_rss
from bench.support import ADMIN_ID, StatementCounter, bench_settings
from bot.app.factory import build_app
from bot.app.server import build_http_app
from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.db import create_engine, create_session_factory


class ErrorCounter(logging.Handler):
    """Counts what Northstar logs as errors (a reply that failed) instead of printing each."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.first = ""

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if not self.first:
            error = record.exc_info[1] if record.exc_info else None
            self.first = f"{record.getMessage()}: {error!r}"[:300]


async def serve_northstar(database_url: str, api_url: str) -> None:
    engine = create_engine(database_url)
    errors = ErrorCounter()
    logging.getLogger().addHandler(errors)
    try:
        runtime = Runtime(
            settings=bench_settings(database_url, api_url),
            engine=engine,
            sessions=create_session_factory(engine),
            clock=lambda: NOW,
        )
        counter = StatementCounter(engine)
        app = build_http_app(runtime, build_app(runtime))
        await serve_until_stopped(
            app,
            lambda: {
                "statements": counter.count,
                "errors": errors.count,
                "first_error": errors.first,
            },
        )
    finally:
        await engine.dispose()


async def serve_fake_slack() -> None:
    async with FakeSlack() as slack:
        slack.add_user(ADMIN_ID, name="ada", is_admin=True)
        send({"api_url": slack.api_url, "response_url": slack.response_url("")})
        while not (message := await receive()).get("stop"):
            await slack.wait_for("response_url", message["replies"], timeout=600)
            send({"violations": slack.take_violations()})
            slack.clear()
    send({"memory_peak": max_rss()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    servers = parser.add_subparsers(dest="server", required=True)
    northstar = servers.add_parser("northstar")
    northstar.add_argument("database_url")
    northstar.add_argument("api_url")
    servers.add_parser("fake-slack")
    arguments = parser.parse_args()
    if arguments.server == "northstar":
        asyncio.run(serve_northstar(arguments.database_url, arguments.api_url))
    else:
        asyncio.run(serve_fake_slack())


if __name__ == "__main__":
    main()
