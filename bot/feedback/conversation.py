"""The Slack side of anonymous feedback threads: replies, reveal and close, and delivering
what ``bot.feedback.threads`` says must be relayed.

Every DM goes out with ``chat.postMessage(channel=<user id>)``. The author's user id, when a
``Relay`` carries it, is used only as that channel: it is never logged, stored or shown. A
message that cannot be delivered is logged with the thread's public code and Slack's error.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.errors import FormErrors, UserInputError
from bot.core.key_ring import KeyRing
from bot.core.request import RequestContext
from bot.core.runtime import Runtime
from bot.core.text_input import escape_modal_text
from bot.feedback import blocks, texts
from bot.feedback.threads import (
    Relay,
    close_conversation,
    reply_as_author,
    reply_as_leader,
    reveal_author,
    view_thread,
)
from bot.pulse import texts as core_texts
from bot.slack.errors import error_code
from bot.slack.forms import SubmittedForm
from bot.slack.messages import Reply, build_notice
from bot.slack.outcome import Outcome
from storage.db import transaction
from storage.models import FeedbackThread
from storage.repositories.feedback import THREAD_OPEN, TO_LEADERS

logger = logging.getLogger(__name__)

FORM_ERROR_MAX = 2000
THREAD_ID_MAX = 64


def thread_id_of(value: object) -> str:
    """The thread id a button or a modal's metadata carries, cut to a plausible length."""
    return str(value or "")[:THREAD_ID_MAX]


def secret_key(runtime: Runtime) -> KeyRing:
    return runtime.key_ring


async def post_dm(client: AsyncWebClient, user_id: str, reply: Reply, *, code: str) -> bool:
    """Send one DM; a failure is logged without the recipient and does not stop the rest."""
    try:
        await client.chat_postMessage(channel=user_id, **reply)
    except SlackApiError as error:
        logger.warning(
            "could not deliver a message of anonymous feedback #%s: %s",
            code,
            error_code(error),
        )
        return False
    return True


def _is_revealed(thread: FeedbackThread) -> bool:
    return thread.revealed_user_id is not None


def _author_message(thread: FeedbackThread, header: str, body: str | None) -> Reply:
    return blocks.author_message(
        header,
        body,
        thread_id=thread.id,
        code=thread.code,
        revealed=_is_revealed(thread),
        open_=thread.state == THREAD_OPEN,
    )


def _leader_message(thread: FeedbackThread, header: str, body: str | None) -> Reply:
    return blocks.leader_message(
        header, body, thread_id=thread.id, open_=thread.state == THREAD_OPEN
    )


# --- a new thread ----------------------------------------------------------------------------


async def deliver_new_thread(
    *, client: AsyncWebClient, relay: Relay, author_id: str, text: str, recipient: str
) -> int:
    """The first message to each leader, and the author's receipt without their text (an
    export of their DMs must not show what they wrote); returns how many leaders got it."""
    thread = relay.thread
    delivered = 0
    for leader in relay.leader_ids:
        reply = _leader_message(thread, texts.new_to_leaders(thread.code, recipient), text)
        delivered += await post_dm(client, leader, reply, code=thread.code)
    copy = _author_message(thread, texts.copy_to_author(thread.code, recipient), None)
    await post_dm(client, author_id, copy, code=thread.code)
    return delivered


# --- replying --------------------------------------------------------------------------------


async def reply_view(request: RequestContext, *, thread_id: str, as_author: bool) -> Outcome:
    """The reply modal, with the conversation so far; an error if the thread is closed."""
    user_id = request.user_id
    async with request.runtime.sessions() as session:
        shown = await view_thread(
            session=session,
            team_id=request.team_id,
            thread_id=thread_id,
            viewer_id=user_id,
            secret_key=secret_key(request.runtime),
        )
    thread = shown.thread
    if thread.state != THREAD_OPEN:
        raise UserInputError(core_texts.THREAD_CLOSED)
    lines = []
    for message in shown.messages:
        if message.direction == TO_LEADERS:
            sender = texts.you() if as_author else texts.anonymous(thread.code)
        elif message.sender_user_id == user_id:
            sender = texts.you()
        else:
            sender = f"<@{message.sender_user_id}>"
        lines.append(texts.thread_line(sender, message.text))
    view = blocks.reply_modal(
        thread_id=thread.id, code=thread.code, as_author=as_author, lines=lines
    )
    return Outcome.opening(view)


@dataclass(frozen=True)
class SavedReply:
    """A reply saved from the modal, to relay once the modal has closed."""

    relay: Relay
    as_author: bool


async def submit_reply(request: RequestContext, form: SubmittedForm) -> SavedReply:
    """Save a reply typed in the modal; ``FormErrors`` on its text field for what to show."""
    as_author = form.metadata.get("as") == "author"
    thread_id = thread_id_of(form.metadata.get("thread"))
    body = escape_modal_text(form.value(blocks.TEXT_BLOCK) or "")
    key = secret_key(request.runtime)
    try:
        async with transaction(request.runtime.sessions) as session:
            if as_author:
                relay = await reply_as_author(
                    session=session,
                    team_id=request.team_id,
                    thread_id=thread_id,
                    author_id=request.user_id,
                    text=body,
                    secret_key=key,
                )
            else:
                relay = await reply_as_leader(
                    session=session,
                    team_id=request.team_id,
                    thread_id=thread_id,
                    leader_id=request.user_id,
                    text=body,
                    secret_key=key,
                )
    except UserInputError as error:
        raise FormErrors({blocks.TEXT_BLOCK: error.message[:FORM_ERROR_MAX]}) from None
    return SavedReply(relay=relay, as_author=as_author)


async def deliver_reply(request: RequestContext, saved: SavedReply) -> None:
    """Relay a saved reply to the other side, and give the sender their copy."""
    client, sender_id = request.client, request.user_id
    relay = saved.relay
    thread, message = relay.thread, relay.message
    assert message is not None
    code, text = thread.code, message.text
    if saved.as_author:
        for leader in relay.leader_ids:
            reply = _leader_message(thread, texts.author_reply_to_leaders(code), text)
            await post_dm(client, leader, reply, code=code)
        own = _author_message(thread, texts.own_author_reply(code), None)
        await post_dm(client, sender_id, own, code=code)
        return
    if relay.author_id is not None:
        to_author = _author_message(thread, texts.leader_reply_to_author(code, sender_id), text)
        await post_dm(client, relay.author_id, to_author, code=code)
    for leader in relay.leader_ids:
        reply = _leader_message(thread, texts.leader_reply_to_leaders(code, sender_id), text)
        await post_dm(client, leader, reply, code=code)
    await post_dm(
        client, sender_id, _leader_message(thread, texts.own_leader_reply(code), text), code=code
    )


# --- reveal and close ------------------------------------------------------------------------


async def reveal(request: RequestContext, thread_id: str) -> Outcome:
    """The author shows their name to the thread's leaders; the author is told."""
    user_id = request.user_id
    async with transaction(request.runtime.sessions) as session:
        relay = await reveal_author(
            session=session,
            team_id=request.team_id,
            thread_id=thread_id,
            author_id=user_id,
            secret_key=secret_key(request.runtime),
        )
    thread = relay.thread
    for leader in relay.leader_ids:
        header = texts.revealed_to_leaders(thread.code, user_id)
        reply = _leader_message(thread, header, None)
        await post_dm(request.client, leader, reply, code=thread.code)
    return Outcome.replying(_author_message(thread, texts.revealed_to_author(thread.code), None))


async def close(request: RequestContext, thread_id: str) -> Outcome:
    """The author (or a leader) closes the thread; the other side and the closer are told."""
    client, user_id = request.client, request.user_id
    async with transaction(request.runtime.sessions) as session:
        relay = await close_conversation(
            session=session,
            team_id=request.team_id,
            thread_id=thread_id,
            user_id=user_id,
            secret_key=secret_key(request.runtime),
        )
    code = relay.thread.code
    if relay.author_id is not None:
        header = texts.closed_by_leader(code, user_id)
        await post_dm(client, relay.author_id, build_notice(header), code=code)
    else:
        header = texts.closed_by_author(code)
    for leader in relay.leader_ids:
        await post_dm(client, leader, build_notice(header), code=code)
    return Outcome.replying(build_notice(texts.closed_for_closer(code)))


# --- replies to survey comments ---------------------------------------------------------------


def _quoted(comment: str) -> str:
    return "\n".join(f"> {line}" for line in comment.splitlines() or [""])


@dataclass(frozen=True)
class CommentReply:
    """A reply to a survey comment, saved; relayed once the modal has closed."""

    relay: Relay
    comment: str  # mrkdwn-safe, for the DMs


async def deliver_comment_reply(request: RequestContext, saved: CommentReply) -> None:
    """Like a leader's ``deliver_reply``, with the survey comment (already mrkdwn-safe) quoted
    under the leaders' headers. The author's DM does not quote it: their DMs, exported, would
    tie them to their anonymous comment."""
    client, sender_id, relay = request.client, request.user_id, saved.relay
    thread, message = relay.thread, relay.message
    assert message is not None
    code, text, quote = thread.code, message.text, _quoted(saved.comment)
    if relay.author_id is not None:
        header = texts.leader_reply_to_comment_author(code, sender_id)
        await post_dm(client, relay.author_id, _author_message(thread, header, text), code=code)
    for leader in relay.leader_ids:
        header = f"{texts.leader_reply_to_leaders(code, sender_id)}\n{quote}"
        await post_dm(client, leader, _leader_message(thread, header, text), code=code)
    own = f"{texts.own_leader_reply(code)}\n{quote}"
    await post_dm(client, sender_id, _leader_message(thread, own, text), code=code)
