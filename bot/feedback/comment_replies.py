"""Replies to survey comments whose authors asked for them, as anonymous feedback threads.

A comment is opened to replies only when its author ticked "let leaders reply to me
anonymously"; its reply token holds the comment and the author sealed, and nothing of the
author's other answers. The first reply turns the comment into
a feedback thread to the admins, so the rest of the conversation works like any other.
"""

from __future__ import annotations

from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.errors import UserInputError
from bot.core.key_ring import SecretKeys
from bot.feedback.threads import Relay, add_message, new_thread, reply_as_leader
from bot.people.admins import require_admin
from bot.pulse import texts
from storage.models import ReplyToken
from storage.repositories import feedback, pulse
from storage.repositories.feedback import RECIPIENT_ADMINS, TO_LEADERS


async def reply_to_comment(
    *,
    session: AsyncSession,
    team_id: str,
    reply_token_id: str,
    leader_id: str,
    text: str,
    secret_key: SecretKeys,
    today: date,
) -> Relay:
    """An admin replies to a survey comment whose author asked for replies.

    The first reply opens a thread to the admins that starts with the comment itself; later
    replies to the same comment continue that thread.
    """
    await require_admin(session=session, team_id=team_id, user_id=leader_id, action="reply")
    existing = await feedback.get_thread_of_reply_token(
        session=session, team_id=team_id, reply_token_id=reply_token_id
    )
    if existing is None:
        token, comment = await _comment(session, team_id, reply_token_id)
        existing = await new_thread(
            session=session,
            team_id=team_id,
            recipient_kind=RECIPIENT_ADMINS,
            team_ref=None,
            sealed_author=token.sealed_author,
            today=today,
            reply_token_id=token.id,
        )
        await add_message(session, existing, TO_LEADERS, comment, None)
    return await reply_as_leader(
        session=session,
        team_id=team_id,
        thread_id=existing.id,
        leader_id=leader_id,
        text=text,
        secret_key=secret_key,
    )


async def _comment(
    session: AsyncSession, team_id: str, reply_token_id: str
) -> tuple[ReplyToken, str]:
    """The reply token and the comment it belongs to, or why there is nothing to reply to."""
    token = await pulse.get_reply_token(session=session, team_id=team_id, token_id=reply_token_id)
    if token is not None and token.text:
        return token, token.text
    raise UserInputError(texts.no_comment_to_reply())
