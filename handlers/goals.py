"""``/goal``, its modals, and the Update buttons that open the progress form."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.core.request import RequestContext
from bot.goals.blocks import modal as goal_modal
from bot.goals.commands import parse_goal
from bot.goals.service import open_update_form, run_goal_command
from bot.goals.submissions import submit_goal_form, submit_update_form
from bot.home.blocks import OPEN_UPDATE_ACTION
from bot.slack.outcome import Outcome
from handlers.listeners import (
    act_after,
    button_listener,
    modal_listener,
    register_command,
)

COMMAND = "/goal"


async def _run(request: RequestContext, text: str | None, _: AsyncRespond) -> Outcome:
    return await run_goal_command(parse_goal(text), request)


# Each modal is saved before it is acknowledged, so mistakes appear on the fields concerned.
handle_goal_form = modal_listener(submit_goal_form, act_after, fault_block=goal_modal.TITLE)
handle_update_form = modal_listener(
    submit_update_form, act_after, fault_block=goal_modal.CONFIDENCE
)
# The Home tab's Update buttons; the form keeps their response URL for the confirmation.
handle_open_update = button_listener(open_update_form, keep_response_url=True)


def register(app: AsyncApp) -> None:
    register_command(app, COMMAND, _run)
    app.view(goal_modal.GOAL_FORM_CALLBACK)(handle_goal_form)
    app.view(goal_modal.GOAL_UPDATE_CALLBACK)(handle_update_form)
    app.action(OPEN_UPDATE_ACTION)(handle_open_update)
