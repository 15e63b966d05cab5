"""Installing Northstar through OAuth in tests: a fake Slack that answers ``oauth.v2.access``,
and the real HTTP app with OAuth on, driven the way a browser and Slack drive it."""

from __future__ import annotations

import base64
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import sqlalchemy as sa
from aiohttp import web
from cryptography.fernet import Fernet
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app.factory import build_app
from bot.app.oauth import BOT_SCOPES, InstalledHook
from bot.app.server import build_http_app
from bot.core.config import Settings
from bot.core.runtime import Runtime
from bot.slack.client import InstalledWorkspaceClients
from bot.slack.installations import InstallationStore, build_installation_store
from fakeslack import FakeSlack
from scheduler.jobs import JobContext
from storage.db import create_session_factory
from storage.repositories.installations import SLACK_METADATA
from tests.conftest import drain_background_tasks, fake_response_url_prefix
from tests.slack_requests import ADMIN_ID, MEMBER_ID, SIGNING_SECRET, SlackSender, event_body

JsonDict = dict[str, Any]
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "oauth-client-secret-0123456789"
INSTALLER_ID = ADMIN_ID
WORKSPACES = {  # team id -> (name, the bot token Slack hands out for it)
    "T0001": ("Acme", "xoxb-1-acme-bot-token"),
    "T0002": ("Globex", "xoxb-2-globex-bot-token"),
}


def token_of(team_id: str) -> str:
    return WORKSPACES[team_id][1]


class OAuthFakeSlack(FakeSlack):
    """The fake Slack plus ``oauth.v2.access``: a code the test granted is exchanged once for
    its workspace's bot token, only with the right client id and secret (HTTP Basic auth, as
    slack_sdk sends them; Slack also takes them as form fields)."""

    def __init__(self) -> None:
        super().__init__()
        self.grants: dict[str, JsonDict] = {}
        self.handlers["oauth.v2.access"] = self._oauth_v2_access

    def grant(self, code: str, team_id: str) -> None:
        """What Slack does when the installer clicks Allow: the code now stands for a token."""
        name, token = WORKSPACES[team_id]
        self.grants[code] = {
            "ok": True,
            "app_id": self.app_id,
            "authed_user": {"id": INSTALLER_ID},
            "scope": ",".join(BOT_SCOPES),
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": self.bot_user_id,
            "team": {"id": team_id, "name": name},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def _oauth_v2_access(self, args: JsonDict) -> JsonDict:
        if args.get("client_id") != CLIENT_ID:
            return {"ok": False, "error": "invalid_client_id"}
        if args.get("client_secret") != CLIENT_SECRET:
            return {"ok": False, "error": "bad_client_secret"}
        grant = self.grants.pop(str(args.get("code")), None)  # a code works once
        return grant if grant is not None else {"ok": False, "error": "invalid_code"}

    @staticmethod
    async def _read_body(request: web.Request, args: JsonDict) -> str | None:
        problem = await FakeSlack._read_body(request, args)
        header = request.headers.get("Authorization", "")
        if header.startswith("Basic "):
            client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
            args.setdefault("client_id", client_id)
            args.setdefault("client_secret", secret)
        return problem

    def _answer(self, method: str, args: JsonDict, token: str | None) -> JsonDict:
        if method == "oauth.v2.access":  # authenticated by the client credentials, not a token
            return self._oauth_v2_access(args)
        return super()._answer(method, args, token)


def make_oauth_settings(*, database_url: str, api_url: str) -> Settings:
    return Settings(
        _env_file=None,
        slack_signing_secret=SIGNING_SECRET,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        slack_api_url=api_url,
        slack_response_url_prefix=fake_response_url_prefix(api_url),
        database_url=database_url,
        northstar_secret_key=Fernet.generate_key().decode(),
    )


async def clear_installations(engine: AsyncEngine) -> None:
    """The shared PostgreSQL test database keeps these tables between tests; empty them."""
    async with engine.begin() as connection:
        for table in SLACK_METADATA.sorted_tables:
            await connection.execute(sa.delete(table))


async def raw_rows(engine: AsyncEngine) -> list[str]:
    """Every value of every row of the installation tables, as text."""
    values: list[str] = []
    async with engine.connect() as connection:
        for table in SLACK_METADATA.sorted_tables:
            for row in await connection.execute(sa.select(table)):
                values += [str(value) for value in row]
    return values


@dataclass
class OAuthApp:
    runtime: Runtime
    store: InstallationStore
    slack: OAuthFakeSlack
    http: httpx.AsyncClient
    installed: list[str] = field(default_factory=list)  # what the on_installed hook saw
    _codes: itertools.count[int] = field(default_factory=itertools.count)

    def clients(self) -> InstalledWorkspaceClients:
        return InstalledWorkspaceClients(self.store, base_url=self.runtime.settings.slack_api_url)

    def jobs(self) -> JobContext:
        return JobContext(self.runtime, self.clients())

    async def start_install(self) -> str:
        """``GET /slack/install`` as a browser; the ``state`` Slack will hand back."""
        response = await self.http.get("/slack/install")
        assert response.status_code == 302, response.text
        return parse_qs(urlparse(response.headers["location"]).query)["state"][0]

    async def install(self, team_id: str) -> httpx.Response:
        """The whole flow: the install page, the installer's Allow, Slack's redirect back."""
        state = await self.start_install()
        code = f"code-{team_id}-{next(self._codes)}"
        self.slack.grant(code, team_id)
        return await self.http.get("/slack/oauth_redirect", params={"code": code, "state": state})

    async def event(self, team_id: str, event: JsonDict, *, event_id: str) -> httpx.Response:
        """A signed event from ``team_id``, as Slack posts it; returns once its listener ran."""
        sender = SlackSender(self.http, response_urls=self.slack.response_url)
        body = event_body(event, event_id=event_id, team_id=team_id)
        response = await sender.post(body, content_type="application/json")
        await drain_background_tasks()  # Bolt runs listeners after Slack got its 200
        return response


@asynccontextmanager
async def oauth_app(engine: AsyncEngine, database_url: str) -> AsyncIterator[OAuthApp]:
    """Northstar's HTTP app with OAuth on, its fake Slack, and a browser-like client (https, so
    the state cookie, which is ``Secure``, travels like in a real browser)."""
    await clear_installations(engine)
    slack = OAuthFakeSlack()
    await slack.start()
    try:
        slack.add_user(ADMIN_ID, name="ada", real_name="Ada Admin", is_admin=True)
        slack.add_user(MEMBER_ID, name="max", real_name="Max Member")
        settings = make_oauth_settings(database_url=database_url, api_url=slack.api_url)
        runtime = Runtime(settings=settings, engine=engine, sessions=create_session_factory(engine))
        store = build_installation_store(runtime)
        installed: list[str] = []

        async def on_installed(team_id: str) -> None:
            installed.append(team_id)

        hook: InstalledHook = on_installed
        http_app = build_http_app(
            runtime, build_app(runtime, installations=store, on_installed=hook)
        )
        transport = httpx.ASGITransport(app=http_app)
        async with httpx.AsyncClient(
            transport=transport, base_url="https://northstar.test"
        ) as client:
            yield OAuthApp(runtime, store, slack, client, installed)
        await drain_background_tasks()
        slack.assert_no_violations()
    finally:
        await slack.stop()
