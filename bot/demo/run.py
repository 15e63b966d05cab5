"""``northstar demo``: a month at Golden Crust Bakery, simulated against the in-process fake
Slack with a simulated clock. No Slack account, no network, the same month every run.

The real pieces all take part: a temporary SQLite database built by the migrations, the Bolt
app behind the HTTP app receiving signed requests, the services, and the scheduled jobs run
as the scheduler runs them. Only Slack and the clock are simulated.
"""

from __future__ import annotations

import os
import random
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import replace
from pathlib import Path

import httpx
from cryptography.fernet import Fernet
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from bot.app.factory import build_app
from bot.app.process import JobContext
from bot.app.server import build_http_app
from bot.core.config import Settings
from bot.core.runtime import Runtime
from bot.demo import bakery, setup, surfaces
from bot.demo.options import DEFAULT_SEED, DEFAULT_WEEKS, MAX_WEEKS
from bot.demo.quarter_end import close_the_quarter
from bot.demo.record import Recording, record
from bot.demo.scenario import SimulatedClock, Simulation
from bot.demo.slack import DemoFailed, DemoSlack
from bot.slack.client import SingleWorkspaceClients
from fakeslack import DEFAULT_SIGNING_SECRET, FakeSlack, SlackSender
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade


class DemoSettings(Settings):
    """Only what the demo passes: no environment variable or ``.env`` of this machine (such
    as a real token, or OAuth) reaches the simulated workspace."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


@contextmanager
def _without_slack_environment() -> Iterator[None]:
    """Bolt and slack_sdk read ``SLACK_*`` variables themselves (``SLACK_CLIENT_ID`` and
    ``SLACK_CLIENT_SECRET`` turn on OAuth), so this machine's are set aside meanwhile."""
    saved = {name: os.environ.pop(name) for name in list(os.environ) if name.startswith("SLACK_")}
    try:
        yield
    finally:
        os.environ.update(saved)


@asynccontextmanager
async def _workspace(
    database_url: str, clock: SimulatedClock
) -> AsyncIterator[tuple[Runtime, DemoSlack, JobContext]]:
    """The fake Slack on a free port and the real app, wired as ``northstar run`` wires them."""
    engine = create_engine(database_url)
    try:
        await upgrade(engine)
        async with FakeSlack(team_id=bakery.TEAM_ID, team_name=bakery.COMPANY) as fake:
            settings = DemoSettings(
                slack_bot_token="xoxb-northstar-demo",
                slack_signing_secret=DEFAULT_SIGNING_SECRET,
                slack_api_url=fake.api_url,
                slack_response_url_prefix=fake.response_url(""),
                database_url=database_url,
                northstar_secret_key=Fernet.generate_key().decode(),
            )
            sessions = create_session_factory(engine)
            runtime = Runtime(settings=settings, engine=engine, sessions=sessions, clock=clock)
            app = build_app(runtime)
            transport = httpx.ASGITransport(app=build_http_app(runtime, app))
            async with httpx.AsyncClient(transport=transport, base_url="http://northstar") as http:
                sender = SlackSender(http, response_urls=fake.response_url, team_id=bakery.TEAM_ID)
                jobs = JobContext(runtime, SingleWorkspaceClients(app.client))
                yield runtime, DemoSlack(fake, sender), jobs
    finally:
        await engine.dispose()


async def simulate_month(*, weeks: int = DEFAULT_WEEKS, seed: int = DEFAULT_SEED) -> Recording:
    """Set the bakery up, live ``weeks`` weeks, and return what reached Slack."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise DemoFailed(f"--weeks must be from 1 to {MAX_WEEKS}")
    rng = random.Random(seed)
    clock = SimulatedClock(bakery.SET_UP_AT)
    with _without_slack_environment(), tempfile.TemporaryDirectory(prefix="northstar-") as folder:
        database_url = f"sqlite+aiosqlite:///{Path(folder) / 'demo.db'}"
        async with _workspace(database_url, clock) as (runtime, slack, jobs):
            simulation = Simulation(runtime, slack, clock, jobs, rng, weeks)
            setup.add_slack_users(slack)
            await simulation.run_jobs(["member-sync"])
            await setup.set_up_company(slack)
            await setup.create_goals(slack, runtime)
            await setup.create_kpis(slack)
            await setup.import_kpi_history(runtime, rng)
            await setup.check_setup(runtime)
            await simulation.run()
            seen = await surfaces.gather(slack)  # Home and DMs as the month left them
            review = await close_the_quarter(simulation)
            if slack.fake.violations:
                raise DemoFailed("Slack refused messages: " + "; ".join(slack.fake.violations))
            recording = record(slack.fake, simulation.digests, simulation.cascade, seen)
            return replace(recording, review=review)
