"""``/checkin`` and the check-in settings modal."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.checkins import admin, personal
from bot.checkins.answers import current_checkin_view
from bot.checkins.blocks import settings_modal as settings_form
from bot.checkins.blocks.lists import build_checkin_help
from bot.checkins.commands import CheckinAction, CheckinCommand, parse_checkin
from bot.core.errors import FormErrors
from bot.core.runtime import Runtime
from bot.people.members import ensure_member
from bot.slack.delivery import tell_user
from bot.slack.messages import Reply, build_notice, view_metadata
from handlers.context import ids_of, runtime_of
from handlers.errors import acknowledge_fault, reporting_errors

COMMAND = "/checkin"


async def handle_checkin_command(
    ack: AsyncAck,
    command: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    async with reporting_errors(command, respond, client):
        runtime = runtime_of(context)
        team_id, user_id = ids_of(context)
        parsed = parse_checkin(command.get("text"))
        if parsed.action is CheckinAction.HELP:
            await respond(**build_checkin_help(), response_type="ephemeral")
            return
        await ensure_member(
            client=client, sessions=runtime.sessions, team_id=team_id, user_id=user_id
        )
        response_url = command.get("response_url")
        if parsed.action in (CheckinAction.OPEN, CheckinAction.SETTINGS):
            if parsed.action is CheckinAction.OPEN:
                view = await current_checkin_view(
                    runtime=runtime,
                    client=client,
                    team_id=team_id,
                    user_id=user_id,
                    response_url=response_url,
                )
            else:
                view = await admin.settings_form_view(
                    runtime=runtime, team_id=team_id, user_id=user_id, response_url=response_url
                )
            await client.views_open(trigger_id=command["trigger_id"], view=view)
            return
        reply = await _reply(parsed, runtime=runtime, team_id=team_id, user_id=user_id)
        await respond(**reply, response_type="ephemeral")


async def _reply(command: CheckinCommand, *, runtime: Runtime, team_id: str, user_id: str) -> Reply:
    """Carry out a subcommand that answers with a message."""
    action = command.action
    if action is CheckinAction.SKIP:
        return await personal.skip_checkin(runtime=runtime, team_id=team_id, user_id=user_id)
    if action is CheckinAction.PAUSE:
        return await personal.pause_checkins(
            runtime=runtime, team_id=team_id, user_id=user_id, until=command.days[0]
        )
    if action is CheckinAction.RESUME:
        return await personal.resume_checkins(runtime=runtime, team_id=team_id, user_id=user_id)
    if action is CheckinAction.HISTORY:
        return await personal.checkin_history(runtime=runtime, team_id=team_id, user_id=user_id)
    if action is CheckinAction.STATUS:
        return await admin.checkin_status(
            runtime=runtime, team_id=team_id, user_id=user_id, team_name=command.team_name
        )
    if action is CheckinAction.HOLIDAYS_ADD:
        return await admin.add_holidays(
            runtime=runtime, team_id=team_id, user_id=user_id, days=command.days
        )
    if action is CheckinAction.HOLIDAYS_REMOVE:
        return await admin.remove_holidays(
            runtime=runtime, team_id=team_id, user_id=user_id, days=command.days
        )
    return await admin.upcoming_holidays(runtime=runtime, team_id=team_id)


def _response_url(view: dict[str, Any]) -> str | None:
    url = view_metadata(view).get("response_url")
    return url if isinstance(url, str) and url else None


async def handle_settings_form(
    ack: AsyncAck,
    body: dict[str, Any],
    view: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    """Validate and save before acknowledging, so mistakes appear on the fields concerned."""
    try:
        team_id, user_id = ids_of(context)
        sentence = await admin.save_settings_form(
            runtime=runtime_of(context),
            team_id=team_id,
            user_id=user_id,
            answers=settings_form.read_state(view),
        )
    except FormErrors as error:
        await ack(response_action="errors", errors=error.errors)
        return
    except Exception:
        await acknowledge_fault(ack, settings_form.Field.QUESTIONS.value)
        return
    await ack()
    async with reporting_errors(body, None, client):
        await tell_user(
            client=client,
            user_id=user_id,
            reply=build_notice(sentence),
            response_url=_response_url(view),
        )


def register(app: AsyncApp) -> None:
    app.command(COMMAND)(handle_checkin_command)
    app.view(settings_form.CALLBACK_ID)(handle_settings_form)
