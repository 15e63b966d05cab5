"""Who asked, where, and what "today" means to them: the one context every use case receives.

A handler builds it once per request (``handlers.outcomes.request_of``); features read it and
never look at Bolt. "Today" is always the person's own date, in their Slack time zone (else the
workspace's, else UTC), so a due date or a logged value lands on the day the person sees on
their calendar. It is looked up the first time a use case asks (``await request.today()``),
so a request that needs no date costs no query for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    response_url: str | None = None
    channel_id: str | None = None
    trigger_id: str | None = None
    known_today: date | None = None
    """The person's date when the caller already knows it (a test, a job); else looked up."""
    _looked_up: list[date] = field(default_factory=list, compare=False, repr=False)

    async def today(self) -> date:
        """Today where the person is, looked up once per request."""
        if self.known_today is not None:
            return self.known_today
        if not self._looked_up:
            found = await local_today(
                runtime=self.runtime, team_id=self.team_id, user_id=self.user_id
            )
            self._looked_up.append(found)
        return self._looked_up[0]
