"""The Slack side of replying to a survey comment whose author asked for replies: the modal
behind the *Reply* button of ``/pulse results``, and saving and relaying the reply.

The comment's author stays sealed in its reply token; ``reply_to_comment`` unseals it only into
the ``Relay`` used to deliver the reply, and nothing here logs it or the texts.
"""

from __future__ import annotations

import json

from slack_sdk.models.blocks import InputBlock, PlainTextInputElement, PlainTextObject
from slack_sdk.models.views import View
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.errors import FormErrors, UserInputError
from bot.core.request import RequestContext
from bot.core.text_input import escape_modal_text
from bot.feedback.comment_replies import reply_to_comment
from bot.feedback.conversation import FORM_ERROR_MAX, CommentReply, secret_key
from bot.people.admins import require_admin
from bot.pulse import texts as core_texts
from bot.pulse.blocks.results import COMMENT_MAX_CHARS, mrkdwn_safe
from bot.slack.forms import SubmittedForm
from bot.slack.messages import context, section
from bot.slack.outcome import Outcome
from storage.db import transaction
from storage.models import FEEDBACK_TEXT_MAX_CHARS
from storage.repositories import pulse

CALLBACK = "pulse_comment_reply_submit"
TEXT_BLOCK = "comment_reply_text"
TOKEN_MAX_CHARS = 64
MODAL_TITLE = "Reply to a comment"
MODAL_SUBMIT = "Send reply"
MODAL_CANCEL = "Cancel"
MODAL_INTRO = (
    "The author of this comment asked for replies. They get your reply, with your name, "
    "as an anonymous conversation; the other admins see it too."
)
TEXT_LABEL = "Your reply"
TEXT_EMPTY = "Write your reply."
ACTION = "reply to survey comments"


def text_too_long(limit: int) -> str:
    return f"Keep your reply under {limit} characters."


def token_of(value: object) -> str:
    return str(value or "")[:TOKEN_MAX_CHARS]


async def _comment(session: AsyncSession, team_id: str, token_id: str) -> str:
    """The comment behind a reply token, or why there is nothing to reply to."""
    token = await pulse.get_reply_token(session=session, team_id=team_id, token_id=token_id)
    if token is not None and token.text:
        return token.text
    raise UserInputError(core_texts.no_comment_to_reply())


def _shown(comment: str) -> str:
    return mrkdwn_safe(comment.strip())[: COMMENT_MAX_CHARS * 10]


async def comment_reply_view(request: RequestContext, token_id: str) -> Outcome:
    """The reply modal, quoting the comment; admins only, and only for a real token."""
    async with request.runtime.sessions() as session:
        await require_admin(
            session=session, team_id=request.team_id, user_id=request.user_id, action=ACTION
        )
        comment = await _comment(session, request.team_id, token_id)
    quoted = "\n".join(f"> {line}" for line in _shown(comment).splitlines() or [""])
    view = View(
        type="modal",
        callback_id=CALLBACK,
        title=PlainTextObject(text=MODAL_TITLE),
        submit=PlainTextObject(text=MODAL_SUBMIT),
        close=PlainTextObject(text=MODAL_CANCEL),
        private_metadata=json.dumps({"token": token_id}),
        blocks=[
            section(MODAL_INTRO),
            context(quoted),
            InputBlock(
                block_id=TEXT_BLOCK,
                label=TEXT_LABEL,
                element=PlainTextInputElement(
                    action_id="text", multiline=True, max_length=FEEDBACK_TEXT_MAX_CHARS
                ),
            ).to_dict(),
        ],
    )
    return Outcome.opening(view.to_dict())


async def submit_comment_reply(request: RequestContext, form: SubmittedForm) -> CommentReply:
    """Save the reply in one transaction; ``FormErrors`` on its text field for what to show."""
    try:
        return await _save(request, token_of(form.metadata.get("token")), form.value(TEXT_BLOCK))
    except UserInputError as error:
        raise FormErrors({TEXT_BLOCK: error.message[:FORM_ERROR_MAX]}) from None


async def _save(request: RequestContext, token_id: str, typed: str | None) -> CommentReply:
    text = typed or ""
    if not text.strip():
        raise UserInputError(TEXT_EMPTY)
    if len(text.strip()) > FEEDBACK_TEXT_MAX_CHARS:
        raise UserInputError(text_too_long(FEEDBACK_TEXT_MAX_CHARS))
    runtime, team_id, user_id = request.runtime, request.team_id, request.user_id
    async with transaction(runtime.sessions) as session:
        await require_admin(session=session, team_id=team_id, user_id=user_id, action=ACTION)
        comment = await _comment(session, team_id, token_id)
        relay = await reply_to_comment(
            session=session,
            team_id=team_id,
            reply_token_id=token_id,
            leader_id=user_id,
            text=escape_modal_text(text),
            secret_key=secret_key(runtime),
            today=runtime.clock().date(),
        )
    return CommentReply(relay=relay, comment=_shown(comment))
