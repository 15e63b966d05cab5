"""Anonymous feedback in Slack: the DMs' Reply, Reveal and Close buttons, the send and reply
modals, and replies to survey comments (the *Reply* button of ``/pulse results`` and its
modal). Nothing here logs who an author is or what anyone wrote."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.core.request import RequestContext
from bot.feedback import blocks, comment_reply_form
from bot.feedback.comment_reply_form import comment_reply_view, submit_comment_reply, token_of
from bot.feedback.conversation import (
    close,
    deliver_comment_reply,
    deliver_reply,
    reply_view,
    reveal,
    submit_reply,
    thread_id_of,
)
from bot.feedback.service import submit_feedback_form
from bot.pulse.blocks.results import COMMENT_REPLY_ACTION
from bot.slack.outcome import Outcome
from handlers.listeners import act_after, button_listener, modal_listener


async def _leader_reply(request: RequestContext, thread_id: str) -> Outcome:
    return await reply_view(request, thread_id=thread_id, as_author=False)


async def _author_reply(request: RequestContext, thread_id: str) -> Outcome:
    return await reply_view(request, thread_id=thread_id, as_author=True)


# The DMs' buttons carry a thread id; Slack asks the author to confirm before a reveal arrives.
handle_leader_reply_button = button_listener(_leader_reply, value_of=thread_id_of)
handle_author_reply_button = button_listener(_author_reply, value_of=thread_id_of)
handle_reveal_button = button_listener(reveal, value_of=thread_id_of)
handle_close_button = button_listener(close, value_of=thread_id_of)
# The *Reply* button of ``/pulse results`` carries a survey comment's reply token.
handle_comment_reply_button = button_listener(comment_reply_view, value_of=token_of)

# Each modal is saved before it is acknowledged, so a mistake or a refusal (a closed thread)
# shows on its fields; feedback is sent, and replies relayed, from there.
handle_send_form = modal_listener(submit_feedback_form, act_after, fault_block=blocks.TEXT_BLOCK)
handle_reply_form = modal_listener(submit_reply, deliver_reply, fault_block=blocks.TEXT_BLOCK)
handle_comment_reply_form = modal_listener(
    submit_comment_reply, deliver_comment_reply, fault_block=comment_reply_form.TEXT_BLOCK
)


def register(app: AsyncApp) -> None:
    app.action(blocks.LEADER_REPLY_ACTION)(handle_leader_reply_button)
    app.action(blocks.AUTHOR_REPLY_ACTION)(handle_author_reply_button)
    app.action(blocks.REVEAL_ACTION)(handle_reveal_button)
    app.action(blocks.CLOSE_ACTION)(handle_close_button)
    app.action(COMMENT_REPLY_ACTION)(handle_comment_reply_button)
    app.view(blocks.SEND_CALLBACK)(handle_send_form)
    app.view(blocks.REPLY_CALLBACK)(handle_reply_form)
    app.view(comment_reply_form.CALLBACK)(handle_comment_reply_form)
