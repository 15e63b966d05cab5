"""Build and publish a person's App Home tab."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.runtime import Runtime
from bot.home.blocks import build_home_view
from bot.home.data import gather_home
from bot.slack.errors import error_code

logger = logging.getLogger(__name__)


async def publish_home(
    *, client: AsyncWebClient, runtime: Runtime, team_id: str, user_id: str
) -> None:
    async with runtime.sessions() as session:
        data = await gather_home(
            session=session, team_id=team_id, user_id=user_id, now=runtime.clock()
        )
    await client.views_publish(user_id=user_id, view=build_home_view(data))


async def refresh_homes(
    *, client: AsyncWebClient, runtime: Runtime, team_id: str, user_ids: Iterable[str]
) -> None:
    """Redraw the Home tab of everyone a change affects; a failure is logged, not raised."""
    for user_id in dict.fromkeys(user_ids):
        try:
            await publish_home(client=client, runtime=runtime, team_id=team_id, user_id=user_id)
        except SlackApiError as error:
            logger.warning("could not refresh a Home tab: %s", error_code(error))
        except Exception:  # the change itself is saved; a stale Home tab must not undo that
            logger.exception("could not refresh a Home tab")
