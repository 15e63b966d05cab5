"""Who asked, where, and what "today" means to them: the one context every use case receives.

A handler builds it once per request (``RequestContext.of``); features read it and never look at
Bolt. "Today" is always the person's own date, in their Slack time zone (else the workspace's,
else UTC), so a due date or a logged value lands on the day the person sees on their calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.local_time import local_today
from bot.core.runtime import Runtime


@dataclass(frozen=True)
class RequestContext:
    runtime: Runtime
    client: AsyncWebClient
    team_id: str
    user_id: str
    today: date
    response_url: str | None = None
    channel_id: str | None = None
    trigger_id: str | None = None

    @classmethod
    async def of(
        cls,
        *,
        runtime: Runtime,
        client: AsyncWebClient,
        team_id: str,
        user_id: str,
        response_url: str | None = None,
        channel_id: str | None = None,
        trigger_id: str | None = None,
    ) -> RequestContext:
        """The context of a request, with "today" looked up in the person's time zone."""
        today = await local_today(runtime=runtime, team_id=team_id, user_id=user_id)
        return cls(
            runtime=runtime,
            client=client,
            team_id=team_id,
            user_id=user_id,
            today=today,
            response_url=response_url,
            channel_id=channel_id,
            trigger_id=trigger_id,
        )
