"""The strategy's forms (priorities, SWOT) and the "Update priorities" button."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.strategy.blocks.forms import (
    EDIT_PRIORITIES_ACTION,
    PRIORITIES_FORM_CALLBACK,
    SWOT_FORM_CALLBACK,
    swot_block,
    title_block,
)
from bot.strategy.priorities_admin import open_priorities_form, submit_priorities_form
from bot.strategy.swot import SWOT_KEYS, submit_swot_form
from handlers.listeners import act_after, button_listener, modal_listener

handle_priorities_form = modal_listener(
    submit_priorities_form, act_after, fault_block=title_block(1)
)
handle_swot_form = modal_listener(submit_swot_form, act_after, fault_block=swot_block(SWOT_KEYS[0]))
# The review post's "Update priorities" button: the same form, for admins.
handle_edit_priorities = button_listener(open_priorities_form)


def register(app: AsyncApp) -> None:
    app.view(PRIORITIES_FORM_CALLBACK)(handle_priorities_form)
    app.view(SWOT_FORM_CALLBACK)(handle_swot_form)
    app.action(EDIT_PRIORITIES_ACTION)(handle_edit_priorities)
