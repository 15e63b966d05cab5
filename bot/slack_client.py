"""The Slack Web API client Northstar uses, and how jobs find the client for a workspace."""

from __future__ import annotations

from typing import Protocol

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

SLACK_TIMEOUT_SECONDS = 15
RATE_LIMIT_RETRIES = 3
SERVER_ERROR_RETRIES = 2


def build_web_client(*, token: str | None, base_url: str) -> AsyncWebClient:
    """An ``AsyncWebClient`` that retries connection errors, 429 (after ``Retry-After``) and 5xx.

    The 429 sleep happens inside the call, so callers on a 3-second ack path must ``ack()`` first.
    """
    client = AsyncWebClient(token=token, base_url=base_url, timeout=SLACK_TIMEOUT_SECONDS)
    client.retry_handlers.extend(
        [
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            AsyncServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
        ]
    )
    return client


class WorkspaceClients(Protocol):
    """Where scheduled jobs get the workspaces to serve and a client for each."""

    async def team_ids(self) -> list[str]: ...

    async def client_for(self, team_id: str) -> AsyncWebClient: ...


class SingleWorkspaceClients:
    """One bot token, one workspace: the team id is learned once from ``auth.test``."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client
        self._team_id: str | None = None

    async def team_ids(self) -> list[str]:
        if self._team_id is None:
            response = await self._client.auth_test()
            self._team_id = str(response["team_id"])
        return [self._team_id]

    async def client_for(self, team_id: str) -> AsyncWebClient:
        if team_id not in await self.team_ids():
            raise LookupError(f"no Slack token for workspace {team_id}")
        return self._client
