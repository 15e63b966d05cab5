"""Northstar's HTTP app and the fake Slack, as server processes of the acknowledgement
benchmark (see ``bench.ack_protocol``):

- ``python -m bench.ack_servers northstar DATABASE_URL API_URL``: Northstar's HTTP app,
  built as ``northstar run`` builds it, with the clock fixed on the seeded workspace's day.
- ``python -m bench.ack_servers fake-slack``: the fake Slack (Web API and response URLs), in
  a process of its own so that receiving and checking Northstar's replies slows neither the
  app nor the client. Told ``{"replies": n, "within": seconds}``, it answers once n replies
  have reached the response URLs, or after that many seconds, with how many came, how many
  of them were apologies and any Block Kit violations, then forgets them.

Told ``{"charts": n}`` (``"on_loop": true`` to draw on the event loop), Northstar's server
starts drawing n survey charts (``bench.ack_charts``) and reports how many drawings are
running; every answer says how many acknowledged requests still have work to do.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging

from bench.ack_charts import draw_charts
from bench.ack_protocol import Message, receive, send, serve_until_stopped
from bench.goals_seed import NOW
from bench.memory import max_rss
from bench.support import ADMIN_ID, StatementCounter, bench_settings, start_as_northstar_does
from bot.app.factory import build_app
from bot.app.server import build_http_app
from bot.core.runtime import Runtime
from bot.core.texts import SOMETHING_WENT_WRONG
from bot.slack.connections import slack_connections
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
    start_as_northstar_does()
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
        charts: list[asyncio.Task[int]] = []

        def figures(message: Message) -> Message:
            if message.get("charts"):
                drawing = draw_charts(message["charts"], on_loop=bool(message.get("on_loop")))
                charts.append(asyncio.create_task(drawing))
            return {
                "statements": counter.count,
                "errors": errors.count,
                "first_error": errors.first,
                "in_flight": runtime.after_ack.in_flight,
                "charts_drawing": sum(not task.done() for task in charts),
            }

        async with slack_connections():  # as ``northstar run`` opens them
            await serve_until_stopped(app, figures)
    finally:
        await engine.dispose()


async def serve_fake_slack() -> None:
    # Imported here: Northstar's server process does not load the fake Slack's web server.
    from fakeslack import FakeSlack

    async with FakeSlack() as slack:
        slack.add_user(ADMIN_ID, name="ada", is_admin=True)
        # Slack's own work is not on Northstar's machine: the replies are checked after the
        # burst, so that checking them does not take CPU from the client measuring the acks
        slack.check_messages_later = True
        send({"api_url": slack.api_url, "response_url": slack.response_url("")})
        while not (message := await receive()).get("stop"):
            # fewer replies than asked for: the benchmark counts the others as lost
            with contextlib.suppress(AssertionError):
                await slack.wait_for("response_url", message["replies"], timeout=message["within"])
            slack.check_messages_now()
            replies = [str(call.args) for call in slack.calls_to("response_url")]
            send(
                {
                    "violations": slack.take_violations(),
                    "received": len(replies),
                    "apologies": sum(SOMETHING_WENT_WRONG in reply for reply in replies),
                }
            )
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
