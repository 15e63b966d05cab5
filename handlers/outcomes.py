"""Acting on a feature's ``Outcome`` and building the ``RequestContext`` of a Bolt request: the
two steps every listener shares, written once."""

from __future__ import annotations

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.request import RequestContext
from bot.home.service import refresh_homes
from bot.slack.delivery import tell_user
from bot.slack.outcome import Outcome
from handlers.context import ids_of, runtime_of


async def request_of(
    context: AsyncBoltContext,
    client: AsyncWebClient,
    *,
    response_url: str | None = None,
    channel_id: str | None = None,
    trigger_id: str | None = None,
) -> RequestContext:
    """The verified request's context: who asked, in which workspace, and where to answer."""
    team_id, user_id = ids_of(context)
    return RequestContext(
        runtime=runtime_of(context),
        client=client,
        team_id=team_id,
        user_id=user_id,
        response_url=response_url,
        channel_id=channel_id,
        trigger_id=trigger_id,
    )


async def act_on(
    outcome: Outcome, request: RequestContext, respond: AsyncRespond | None = None
) -> None:
    """Open the view, answer the person (through ``respond`` when the request has one, else
    its response URL or a DM), then redraw the Home tabs the outcome names. The listener's
    place in line for the database is given back first: what is left talks to Slack."""
    # a place is for the connection pool, and a trigger_id expires 3 s after the click: nobody
    # waits in line behind calls to Slack
    request.runtime.after_ack.leave_here()
    if outcome.view is not None and request.trigger_id:
        await request.client.views_open(trigger_id=request.trigger_id, view=outcome.view)
    if outcome.reply is not None:
        if respond is not None:
            await respond(**outcome.reply, response_type="ephemeral")
        else:
            await tell_user(
                client=request.client,
                user_id=request.user_id,
                reply=outcome.reply,
                response_url=request.response_url,
            )
    if outcome.homes:
        await refresh_homes(
            client=request.client,
            runtime=request.runtime,
            team_id=request.team_id,
            user_ids=outcome.homes,
        )
