"""Installing into several workspaces: the install page, the redirect back, one token each."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import texts_oauth
from bot.app.oauth import BOT_SCOPES
from bot.core.config import Settings
from scheduler.jobs import run_job
from storage.repositories.installations import (
    slack_bots,
    slack_installations,
    slack_oauth_states,
)
from tests.app.oauth_helpers import (
    CLIENT_ID,
    CLIENT_SECRET,
    WORKSPACES,
    OAuthApp,
    oauth_app,
    raw_rows,
    token_of,
)
from tests.app.test_cli import northstar
from tests.slack_requests import ADMIN_ID

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yaml"


@pytest.fixture
async def oauth(engine: AsyncEngine, database_url: str) -> AsyncIterator[OAuthApp]:
    async with oauth_app(engine, database_url) as app:
        yield app


async def _states(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as connection:
        return list(await connection.scalars(sa.select(slack_oauth_states.c.state)))


async def _installation_rows(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        counts = [
            await connection.scalar(sa.select(sa.func.count()).select_from(table))
            for table in (slack_installations, slack_bots)
        ]
    return sum(count or 0 for count in counts)


async def test_install_page_redirects_to_slack_with_the_bot_scopes_and_a_state(
    oauth: OAuthApp,
) -> None:
    response = await oauth.http.get("/slack/install")
    assert response.status_code == 302
    location = urlparse(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        "https://slack.com/oauth/v2/authorize"
    )
    query = parse_qs(location.query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["scope"] == [",".join(BOT_SCOPES)]
    assert query.get("user_scope", [""]) == [""]
    [state] = query["state"]
    assert await _states(oauth.runtime.engine) == [state]
    assert f"slack-app-oauth-state={state}" in response.headers["set-cookie"]


async def test_redirect_with_a_valid_state_installs_with_the_token_encrypted(
    oauth: OAuthApp,
) -> None:
    response = await oauth.install("T0001")
    assert response.status_code == 200
    assert "Northstar is installed" in response.text
    assert "Acme" in response.text
    assert "/align help" in response.text
    [exchange] = oauth.slack.calls_to("oauth.v2.access")
    assert exchange.args["client_id"] == CLIENT_ID
    assert exchange.args["client_secret"] == CLIENT_SECRET
    assert exchange.args["code"].startswith("code-T0001-")
    bot = await oauth.store.async_find_bot(enterprise_id=None, team_id="T0001")
    assert bot is not None
    assert bot.bot_token == token_of("T0001")
    stored = await raw_rows(oauth.runtime.engine)
    assert stored  # the installation and bot rows are there ...
    assert not [value for value in stored if "xoxb-" in value]  # ... with no token in clear
    assert await _states(oauth.runtime.engine) == []  # the state was used up
    assert await oauth.store.installed_workspaces() == {"T0001": None}
    assert oauth.installed == ["T0001"]


async def test_a_forged_state_is_refused_and_nothing_is_stored(oauth: OAuthApp) -> None:
    issued = await oauth.start_install()
    oauth.slack.grant("code-forged", "T0001")
    response = await oauth.http.get(
        "/slack/oauth_redirect", params={"code": "code-forged", "state": "forged"}
    )
    assert response.status_code == 400
    assert "Northstar was not installed" in response.text
    assert 'href="/slack/install"' in response.text
    assert oauth.slack.calls_to("oauth.v2.access") == []
    assert await _states(oauth.runtime.engine) == [issued]  # the real one is still unused
    assert await _installation_rows(oauth.runtime.engine) == 0


async def test_an_expired_state_is_refused_and_nothing_is_stored(oauth: OAuthApp) -> None:
    state = await oauth.start_install()
    async with oauth.runtime.engine.begin() as connection:
        await connection.execute(
            sa.update(slack_oauth_states).values(expire_at=datetime(2020, 1, 1))  # noqa: DTZ001
        )
    oauth.slack.grant("code-late", "T0001")
    response = await oauth.http.get(
        "/slack/oauth_redirect", params={"code": "code-late", "state": state}
    )
    assert response.status_code == 401
    assert "expired" in response.text
    assert oauth.slack.calls_to("oauth.v2.access") == []
    assert await _installation_rows(oauth.runtime.engine) == 0


async def test_a_code_slack_does_not_accept_installs_nothing(oauth: OAuthApp) -> None:
    state = await oauth.start_install()
    response = await oauth.http.get(
        "/slack/oauth_redirect", params={"code": "never-granted", "state": state}
    )
    assert response.status_code == 401
    assert "Slack did not accept the installation" in response.text
    assert len(oauth.slack.calls_to("oauth.v2.access")) == 1
    assert await _installation_rows(oauth.runtime.engine) == 0


async def test_cancelling_in_slack_says_so(oauth: OAuthApp) -> None:
    state = await oauth.start_install()
    response = await oauth.http.get(
        "/slack/oauth_redirect", params={"error": "access_denied", "state": state}
    )
    assert "cancelled" in response.text
    assert await _installation_rows(oauth.runtime.engine) == 0


async def test_each_workspace_is_answered_with_its_own_token(oauth: OAuthApp) -> None:
    for team_id in WORKSPACES:
        assert (await oauth.install(team_id)).status_code == 200
    for number, team_id in enumerate(WORKSPACES, start=1):
        home_opened = {"type": "app_home_opened", "user": ADMIN_ID, "tab": "home"}
        response = await oauth.event(team_id, home_opened, event_id=f"Ev{number}")
        assert response.status_code == 200
        published = await oauth.slack.wait_for("views.publish", count=number)
        assert published[-1].token == token_of(team_id)
    assert await oauth.store.installed_workspaces() == {"T0001": None, "T0002": None}


async def test_a_request_from_a_workspace_that_never_installed_is_refused(
    oauth: OAuthApp,
) -> None:
    await oauth.install("T0001")
    home_opened = {"type": "app_home_opened", "user": ADMIN_ID, "tab": "home"}
    response = await oauth.event("T0002", home_opened, event_id="Ev1")
    assert response.text == texts_oauth.NOT_INSTALLED
    assert oauth.slack.calls_to("views.publish") == []


async def test_jobs_serve_every_installed_workspace_with_its_own_token(oauth: OAuthApp) -> None:
    for team_id in WORKSPACES:
        await oauth.install(team_id)
    outcomes = await run_job("member-sync", oauth.jobs())
    assert [(outcome.team_id, outcome.status) for outcome in outcomes] == [
        ("T0001", "done"),
        ("T0002", "done"),
    ]
    tokens = [call.token for call in oauth.slack.calls_to("users.list")]
    assert tokens == [token_of("T0001"), token_of("T0002")]


def _settings(
    *,
    client_id: str | None = None,
    client_secret: str | None = None,
    signing_secret: str | None = None,
    app_token: str | None = None,
) -> Settings:
    return Settings(
        _env_file=None,
        northstar_secret_key=Fernet.generate_key().decode(),
        slack_client_id=client_id,
        slack_client_secret=client_secret,
        slack_signing_secret=signing_secret,
        slack_app_token=app_token,
    )


def test_oauth_needs_no_bot_token_but_both_client_credentials() -> None:
    oauth = _settings(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    assert oauth.oauth_enabled
    assert oauth.missing_slack_variables() == ["SLACK_SIGNING_SECRET"]
    half = _settings(client_id=CLIENT_ID, signing_secret="s")
    assert not half.oauth_enabled
    assert half.missing_slack_variables() == ["SLACK_CLIENT_SECRET"]
    single = _settings(signing_secret="s")
    assert single.missing_slack_variables() == ["SLACK_BOT_TOKEN"]


def test_socket_mode_and_oauth_together_are_refused() -> None:
    assert _settings(app_token="xapp-1", client_secret=CLIENT_SECRET).socket_mode_with_oauth
    assert not _settings(app_token="xapp-1").socket_mode_with_oauth
    assert not _settings(client_id=CLIENT_ID, client_secret=CLIENT_SECRET).socket_mode_with_oauth


def test_the_command_line_explains_the_oauth_settings(tmp_path: Path) -> None:
    key = Fernet.generate_key().decode()
    both = northstar(
        "run",
        cwd=tmp_path,
        NORTHSTAR_SECRET_KEY=key,
        SLACK_APP_TOKEN="xapp-1-test",
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,
    )
    assert both.returncode == 2
    assert "SLACK_APP_TOKEN (Socket Mode) and SLACK_CLIENT_ID/SLACK_CLIENT_SECRET" in both.stderr
    assert "remove SLACK_APP_TOKEN and run in HTTP mode" in both.stderr
    half = northstar("run", cwd=tmp_path, NORTHSTAR_SECRET_KEY=key, SLACK_CLIENT_ID=CLIENT_ID)
    assert half.returncode == 2
    assert "SLACK_CLIENT_SECRET and SLACK_SIGNING_SECRET are not set" in half.stderr
    assert "SLACK_BOT_TOKEN is not needed" in half.stderr
    assert "'Install into several workspaces (OAuth)'" in half.stderr
    assert "Traceback" not in both.stderr + half.stderr


def _manifest_list(key: str) -> list[str]:
    """The items of the YAML list under ``key:`` in manifest.yaml (no YAML library needed)."""
    lines = MANIFEST.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"{key}:")
    items = []
    for line in lines[start + 1 :]:
        if line.strip().startswith("#"):
            continue
        match = re.fullmatch(r"\s*- (\S+)", line)
        if match is None:
            break
        items.append(match.group(1))
    return items


def test_the_install_asks_for_exactly_the_manifest_scopes_and_events() -> None:
    assert _manifest_list("bot") == list(BOT_SCOPES)
    assert {"app_uninstalled", "tokens_revoked"} <= set(_manifest_list("bot_events"))
