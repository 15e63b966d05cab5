"""The check-in DM's two buttons and the answer modal's submission."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.checkins import texts_answers as texts
from bot.checkins.answers import Submitted, answer_view, skip_checkin, submit_answers
from bot.checkins.blocks import answer_modal as form
from bot.checkins.blocks.prompts import ANSWER_ACTION, SKIP_ACTION
from bot.checkins.sharing import ShareOutcome, share_answer
from bot.core.errors import FormErrors
from bot.core.text_input import small_int
from bot.goals.blocks.modal import read_state
from bot.home.service import refresh_homes
from bot.slack.delivery import tell_user
from bot.slack.messages import build_notice, view_metadata
from handlers.context import ids_of, runtime_of
from handlers.errors import acknowledge_fault, reporting_errors

logger = logging.getLogger(__name__)


def _delivery_id(action: dict[str, Any]) -> int | None:
    return small_int(str(action.get("value") or ""))


async def handle_answer_button(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
    respond: AsyncRespond | None = None,
) -> None:
    await ack()
    async with reporting_errors(body, respond, client):
        team_id, user_id = ids_of(context)
        view = await answer_view(
            runtime=runtime_of(context),
            team_id=team_id,
            user_id=user_id,
            delivery_id=_delivery_id(action),
            response_url=body.get("response_url"),
        )
        await client.views_open(trigger_id=body["trigger_id"], view=view)


async def handle_skip_button(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
    respond: AsyncRespond | None = None,
) -> None:
    await ack()
    async with reporting_errors(body, respond, client):
        team_id, user_id = ids_of(context)
        sentence = await skip_checkin(
            runtime=runtime_of(context),
            team_id=team_id,
            user_id=user_id,
            delivery_id=_delivery_id(action),
        )
        await tell_user(
            client=client,
            user_id=user_id,
            reply=build_notice(sentence),
            response_url=body.get("response_url"),
        )


async def handle_answer_form(
    ack: AsyncAck,
    body: dict[str, Any],
    view: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    metadata = view_metadata(view)
    first_block = form.first_input_block(view)
    try:
        team_id, user_id = ids_of(context)
        runtime = runtime_of(context)
        submitted = await submit_answers(
            runtime=runtime,
            team_id=team_id,
            user_id=user_id,
            metadata=metadata,
            values=read_state(view),
            first_block=first_block,
        )
    except FormErrors as error:
        await ack(response_action="errors", errors=error.errors)
        return
    except Exception:
        await acknowledge_fault(ack, first_block)
        return
    await ack()
    async with reporting_errors(body, None, client):
        outcomes = await _share(client, context, submitted)
        sentence = texts.answers_saved(
            submitted.week,
            updated=submitted.updated,
            late=submitted.late,
            goal_changes=submitted.goal_changes,
            shared_in=[f"<#{o.channel_id}>" for o in outcomes if o.posted],
            not_shared_in=[f"<#{o.channel_id}>" for o in outcomes if not o.posted],
        )
        await tell_user(
            client=client,
            user_id=user_id,
            reply=build_notice(sentence),
            response_url=metadata.get("response_url"),
        )
        await refresh_homes(
            client=client, runtime=runtime, team_id=team_id, user_ids=submitted.affected
        )


async def _share(
    client: AsyncWebClient, context: AsyncBoltContext, submitted: Submitted
) -> list[ShareOutcome]:
    """Sharing never fails a saved check-in: a fault here is logged and the person's
    confirmation goes out regardless."""
    team_id, _ = ids_of(context)
    try:
        return await share_answer(
            runtime=runtime_of(context),
            client=client,
            team_id=team_id,
            delivery_id=submitted.delivery_id,
            updated=submitted.updated,
        )
    except Exception:
        logger.exception("could not share a check-in answer")
        return []


def register(app: AsyncApp) -> None:
    app.action(ANSWER_ACTION)(handle_answer_button)
    app.action(SKIP_ACTION)(handle_skip_button)
    app.view(form.CHECKIN_FORM_CALLBACK)(handle_answer_form)
