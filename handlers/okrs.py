"""The key results form that ``/goal kr G-12`` opens."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.okrs.blocks.form_modal import KEY_RESULTS_FORM_CALLBACK, block_id
from bot.okrs.service import submit_key_results_form
from handlers.listeners import act_after, modal_listener

# Saved before it is acknowledged, so mistakes appear on the fields concerned.
handle_key_results_form = modal_listener(
    submit_key_results_form, act_after, fault_block=block_id(1, "title")
)


def register(app: AsyncApp) -> None:
    app.view(KEY_RESULTS_FORM_CALLBACK)(handle_key_results_form)
