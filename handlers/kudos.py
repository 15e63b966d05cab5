"""``/kudos``, the "Give kudos" message shortcut and its form. The callback id is that of
``manifest.yaml``."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.core.request import RequestContext
from bot.kudos.blocks.form import KUDOS_FORM_CALLBACK, TEXT
from bot.kudos.from_message import kudos_form_from_message, submit_kudos_form
from bot.kudos.service import SavedKudos, deliver_saved, run_kudos_command
from bot.slack.outcome import Outcome
from handlers.listeners import modal_listener, register_command
from handlers.outcomes import act_on
from handlers.shortcuts import shortcut_listener

COMMAND = "/kudos"
GIVE_KUDOS = "give_kudos"


async def _run(request: RequestContext, text: str | None, _: AsyncRespond) -> Outcome:
    return await run_kudos_command(request, text)


async def _give_kudos(request: RequestContext, payload: dict[str, Any]) -> Outcome:
    message = payload.get("message")
    return await kudos_form_from_message(request, message if isinstance(message, dict) else None)


async def _deliver(request: RequestContext, saved: SavedKudos) -> None:
    await act_on(await deliver_saved(request, saved), request)


handle_give_kudos = shortcut_listener(_give_kudos)
# Saved before it is acknowledged; posted and DMed once the modal has closed.
handle_kudos_form = modal_listener(submit_kudos_form, _deliver, fault_block=TEXT)


def register(app: AsyncApp) -> None:
    register_command(app, COMMAND, _run)
    app.message_shortcut(GIVE_KUDOS)(handle_give_kudos)
    app.view(KUDOS_FORM_CALLBACK)(handle_kudos_form)
