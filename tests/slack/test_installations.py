"""Installations at rest and going away: tokens only encrypted; uninstall and revocation stop
a workspace's jobs at once; installing again brings it back."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from cryptography.fernet import Fernet
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.slack.client import InstalledWorkspaceClients, WorkspaceNotInstalled
from bot.slack.installations import InstallationStore
from scheduler.jobs import run_job
from storage.db import create_session_factory
from tests.app.oauth_helpers import (
    CLIENT_ID,
    WORKSPACES,
    OAuthApp,
    clear_installations,
    oauth_app,
    raw_rows,
    token_of,
)
from tests.conftest import drain_background_tasks
from tests.slack_requests import SlackSender

SECRETS = {
    "bot_token": "xoxb-111-222-bot-secret",
    "bot_refresh_token": "xoxe-1-bot-refresh-secret",
    "user_token": "xoxp-111-222-user-secret",
    "user_refresh_token": "xoxe-1-user-refresh-secret",
}


@pytest.fixture
async def oauth(engine: AsyncEngine, database_url: str) -> AsyncIterator[OAuthApp]:
    async with oauth_app(engine, database_url) as app:
        for team_id in WORKSPACES:
            assert (await app.install(team_id)).status_code == 200
        yield app


def _store(engine: AsyncEngine, key: str) -> InstallationStore:
    return InstallationStore(
        engine=engine,
        sessions=create_session_factory(engine),
        client_id=CLIENT_ID,
        secret_key=key,
    )


async def _served(oauth: OAuthApp) -> list[str]:
    """The workspaces a run of a job goes through (``checkins`` has no once-a-day ledger)."""
    return [outcome.team_id for outcome in await run_job("checkins", oauth.jobs())]


async def test_every_token_is_stored_only_encrypted(engine: AsyncEngine) -> None:
    await clear_installations(engine)
    store = _store(engine, Fernet.generate_key().decode())
    installation = Installation(
        app_id="A0001",
        enterprise_id=None,
        team_id="T0001",
        team_name="Acme",
        bot_id="BBOT",
        bot_user_id="UBOT",
        bot_scopes=["commands"],
        user_id="UADMIN01",
        bot_token_expires_in=3600,
        user_token_expires_in=3600,
        bot_token=SECRETS["bot_token"],
        bot_refresh_token=SECRETS["bot_refresh_token"],
        user_token=SECRETS["user_token"],
        user_refresh_token=SECRETS["user_refresh_token"],
    )
    await store.async_save(installation)
    stored = " ".join(await raw_rows(engine))
    assert "Acme" in stored  # the rows are there ...
    for secret in SECRETS.values():
        assert secret not in stored  # ... without any token in clear
    for prefix in ("xoxb-", "xoxp-", "xoxe"):
        assert prefix not in stored
    assert installation.bot_token == SECRETS["bot_token"]  # the caller's object is untouched
    found = await store.async_find_installation(enterprise_id=None, team_id="T0001")
    assert found is not None
    assert {name: getattr(found, name) for name in SECRETS} == SECRETS
    bot = await store.async_find_bot(enterprise_id=None, team_id="T0001")
    assert bot is not None
    assert (bot.bot_token, bot.bot_refresh_token) == (
        SECRETS["bot_token"],
        SECRETS["bot_refresh_token"],
    )


async def test_tokens_sealed_with_another_key_read_as_not_installed(
    engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    await clear_installations(engine)
    installation = Installation(
        app_id="A0001", team_id="T0001", user_id="UADMIN01", bot_token=SECRETS["bot_token"]
    )
    await _store(engine, Fernet.generate_key().decode()).async_save(installation)
    other = _store(engine, Fernet.generate_key().decode())
    with caplog.at_level(logging.ERROR):
        assert await other.async_find_bot(enterprise_id=None, team_id="T0001") is None
    assert "cannot be decrypted" in caplog.text
    assert SECRETS["bot_token"] not in caplog.text


async def test_app_uninstalled_stops_that_workspace_at_once(oauth: OAuthApp) -> None:
    assert await _served(oauth) == ["T0001", "T0002"]
    response = await oauth.event("T0001", {"type": "app_uninstalled"}, event_id="EvGone")
    assert response.status_code == 200
    assert await oauth.store.installed_workspaces() == {"T0002": None}
    assert await oauth.store.async_find_installation(enterprise_id=None, team_id="T0001") is None
    assert await oauth.store.async_find_bot(enterprise_id=None, team_id="T0001") is None
    assert await _served(oauth) == ["T0002"]
    oauth.slack.clear()
    await run_job("member-sync", oauth.jobs())
    assert [call.token for call in oauth.slack.calls_to("users.list")] == [token_of("T0002")]


async def test_a_revoked_bot_token_stops_that_workspace(oauth: OAuthApp) -> None:
    revoked = {"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}}
    response = await oauth.event("T0002", revoked, event_id="EvRevoked")
    assert response.status_code == 200
    assert await oauth.store.installed_workspaces() == {"T0001": None}
    assert await _served(oauth) == ["T0001"]


async def test_revoked_user_tokens_leave_the_workspace_installed(oauth: OAuthApp) -> None:
    revoked = {"type": "tokens_revoked", "tokens": {"oauth": ["UMEMBER1"]}}
    await oauth.event("T0002", revoked, event_id="EvUserRevoked")
    assert await _served(oauth) == ["T0001", "T0002"]


async def test_installing_again_brings_the_workspace_back(oauth: OAuthApp) -> None:
    await oauth.event("T0001", {"type": "app_uninstalled"}, event_id="EvGone")
    assert await _served(oauth) == ["T0002"]
    assert (await oauth.install("T0001")).status_code == 200
    assert await _served(oauth) == ["T0001", "T0002"]
    assert oauth.installed == ["T0001", "T0002", "T0001"]


async def test_a_job_in_flight_stops_reaching_slack_after_the_uninstall(oauth: OAuthApp) -> None:
    clients = oauth.clients()
    client = await clients.client_for("T0001")  # a run that started before the uninstall
    assert await clients.client_for("T0001") is client  # cached between calls
    await oauth.event("T0001", {"type": "app_uninstalled"}, event_id="EvGone")
    oauth.slack.clear()
    with pytest.raises(SlackApiError) as refused:
        await client.chat_postMessage(channel="UMEMBER1", text="hello")
    assert refused.value.response["error"] == "token_revoked"
    assert oauth.slack.calls == []  # refused here, without a call to Slack
    with pytest.raises(WorkspaceNotInstalled):
        await clients.client_for("T0001")
    assert (await clients.client_for("T0002")).token == token_of("T0002")


async def test_another_process_notices_the_uninstall_when_its_cache_expires(
    oauth: OAuthApp,
) -> None:
    now = [0.0]
    key = oauth.runtime.settings.northstar_secret_key.get_secret_value()
    other_process = _store(oauth.runtime.engine, key)
    clients = InstalledWorkspaceClients(
        other_process, base_url=oauth.runtime.settings.slack_api_url, clock=lambda: now[0]
    )
    assert (await clients.client_for("T0001")).token == token_of("T0001")
    await oauth.event("T0001", {"type": "app_uninstalled"}, event_id="EvGone")
    assert await clients.team_ids() == ["T0002"]  # every job run asks this first
    now[0] += 61
    with pytest.raises(WorkspaceNotInstalled):
        await clients.client_for("T0001")


async def test_single_token_mode_answers_the_uninstall_and_says_what_to_do(
    slack: SlackSender, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="handlers.installations"):
        response = await slack.event({"type": "app_uninstalled"}, event_id="EvGone")
        await drain_background_tasks()  # the listener runs after Slack got its 200
    assert response.status_code == 200
    assert "put its new token in SLACK_BOT_TOKEN" in caplog.text
