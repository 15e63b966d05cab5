"""Two-way anonymous feedback: threads between an unnamed author and the admins or a team lead.

The author is stored only sealed (``bot.core.anonymity``); it is opened in memory to check that a
person is the author or to tell the bot whom to send a reply to, and it appears in no log
and in no ``repr``. Leaders are not anonymous: their replies carry their user id.
Every function works in the caller's transaction and returns a ``Relay`` saying whom the bot
must now message; sending is the caller's job.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.anonymity import is_sealed_author, new_thread_code, seal, unseal
from bot.core.errors import PermissionDenied, UserInputError
from bot.core.key_ring import SecretKeys
from bot.core.text_input import normalize, reject_control_characters
from bot.people.admins import list_admin_ids
from bot.pulse import texts
from storage.models import FEEDBACK_TEXT_MAX_CHARS, FeedbackMessage, FeedbackThread
from storage.repositories import feedback
from storage.repositories.feedback import RECIPIENT_ADMINS, RECIPIENT_TEAM, TO_AUTHOR, TO_LEADERS
from storage.repositories.teams import get_teams

logger = logging.getLogger(__name__)
CODE_ATTEMPTS = 64
FEEDBACK_USAGE = "`/pulse feedback Your message`"


@dataclass(frozen=True)
class Relay:
    """Whom to message after a change: leaders by id, and the author when ``author_id`` is set.

    ``author_id`` is the opened seal, for delivery only; it is kept out of ``repr`` so that
    logging a ``Relay`` cannot print it.
    """

    thread: FeedbackThread
    message: FeedbackMessage | None
    leader_ids: tuple[str, ...]
    author_id: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ThreadView:
    """The whole conversation, as both sides see it."""

    thread: FeedbackThread
    messages: tuple[FeedbackMessage, ...]


async def send_feedback(
    *,
    session: AsyncSession,
    team_id: str,
    author_id: str,
    text: str,
    team_ref: int | None,
    secret_key: SecretKeys,
    today: date,
) -> Relay:
    """``/pulse feedback``: a new thread to the admins, or to the lead of team ``team_ref``."""
    body = check_feedback_text(text)
    kind = RECIPIENT_ADMINS if team_ref is None else RECIPIENT_TEAM
    leaders = await recipients(session=session, team_id=team_id, kind=kind, team_ref=team_ref)
    if not _without(leaders, author_id):
        raise UserInputError(texts.NO_TEAM_LEAD if team_ref is not None else texts.NO_ADMINS)
    thread = await new_thread(
        session=session,
        team_id=team_id,
        recipient_kind=kind,
        team_ref=team_ref,
        sealed_author=seal(author_id, secret_key),
        today=today,
        recipient_ids=leaders,  # the author too, when an admin writes: who wrote stays hidden
    )
    message = await add_message(session, thread, TO_LEADERS, body, sender=None)
    logger.info("anonymous feedback #%s opened to %s in %s", thread.code, kind, team_id)
    return Relay(thread, message, _without(leaders, author_id))


async def reply_as_leader(
    *,
    session: AsyncSession,
    team_id: str,
    thread_id: str,
    leader_id: str,
    text: str,
    secret_key: SecretKeys,
) -> Relay:
    """A recipient answers; the bot relays it to the author (and shows the other leaders)."""
    body = check_feedback_text(text)
    thread = await _thread(session, team_id, thread_id)
    leaders = await _require_leader(session, thread, leader_id)
    author = unseal(thread.sealed_author, secret_key)
    if author == leader_id:
        raise UserInputError(texts.OWN_THREAD)
    message = await add_message(session, thread, TO_AUTHOR, body, sender=leader_id)
    return Relay(thread, message, _without(leaders, leader_id, author), author_id=author)


async def reply_as_author(
    *,
    session: AsyncSession,
    team_id: str,
    thread_id: str,
    author_id: str,
    text: str,
    secret_key: SecretKeys,
) -> Relay:
    """The author answers back, still anonymous."""
    body = check_feedback_text(text)
    thread = await _thread(session, team_id, thread_id)
    _require_author(thread, author_id, secret_key)
    message = await add_message(session, thread, TO_LEADERS, body, sender=None)
    leaders = await leaders_of(session=session, thread=thread)
    return Relay(thread, message, _without(leaders, author_id))


async def reveal_author(
    *, session: AsyncSession, team_id: str, thread_id: str, author_id: str, secret_key: SecretKeys
) -> Relay:
    """The author chooses to show their name to the leaders of this thread."""
    thread = await _thread(session, team_id, thread_id)
    _require_author(thread, author_id, secret_key)
    if thread.state != feedback.THREAD_OPEN:
        raise UserInputError(texts.THREAD_CLOSED)
    await feedback.reveal_author(
        session=session, team_id=team_id, thread_id=thread_id, user_id=author_id
    )
    thread = await _thread(session, team_id, thread_id)
    leaders = await leaders_of(session=session, thread=thread)
    return Relay(thread, None, _without(leaders, author_id))


async def close_conversation(
    *, session: AsyncSession, team_id: str, thread_id: str, user_id: str, secret_key: SecretKeys
) -> Relay:
    """The author or a leader closes the thread; the other side is told."""
    thread = await _thread(session, team_id, thread_id)
    author = unseal(thread.sealed_author, secret_key)
    leaders = await leaders_of(session=session, thread=thread)
    if user_id != author and user_id not in leaders:
        raise PermissionDenied(texts.not_thread_recipient(thread.code))
    if not await feedback.close_thread(session=session, team_id=team_id, thread_id=thread_id):
        raise UserInputError(texts.THREAD_CLOSED)
    logger.info("anonymous feedback #%s closed in %s", thread.code, team_id)
    thread = await _thread(session, team_id, thread_id)
    if user_id == author:
        return Relay(thread, None, _without(leaders, author))
    return Relay(thread, None, _without(leaders, user_id, author), author_id=author)


async def view_thread(
    *, session: AsyncSession, team_id: str, thread_id: str, viewer_id: str, secret_key: SecretKeys
) -> ThreadView:
    """The whole thread, for its author or one of its leaders."""
    thread = await _thread(session, team_id, thread_id)
    leaders = await leaders_of(session=session, thread=thread)
    if viewer_id not in leaders and not is_sealed_author(
        thread.sealed_author, viewer_id, secret_key
    ):
        raise PermissionDenied(texts.not_thread_recipient(thread.code))
    messages = await feedback.thread_messages(session=session, team_id=team_id, thread_id=thread_id)
    return ThreadView(thread=thread, messages=tuple(messages))


async def leaders_of(*, session: AsyncSession, thread: FeedbackThread) -> list[str]:
    """Who receives the thread: the people it was written to, fixed when it was created.

    A lead or admin who comes later never reads an earlier thread, and the ones it was written
    to keep it after they hand over."""
    return list(thread.recipient_ids)


async def recipients(
    *, session: AsyncSession, team_id: str, kind: str, team_ref: int | None
) -> list[str]:
    """Who a new thread goes to now: every admin, or the current lead of team ``team_ref``."""
    if kind == RECIPIENT_ADMINS:
        return await list_admin_ids(session=session, team_id=team_id)
    if team_ref is None:
        return []
    teams = await get_teams(session=session, team_id=team_id, team_refs=[team_ref])
    if team_ref not in teams:
        raise UserInputError(texts.no_such_teams([team_ref]))
    lead = teams[team_ref].lead_user_id
    return [lead] if lead else []


def check_feedback_text(text: str) -> str:
    body = normalize(text)
    if not body:
        raise UserInputError(texts.FEEDBACK_EMPTY)
    reject_control_characters(body, usage=FEEDBACK_USAGE)
    if len(body) > FEEDBACK_TEXT_MAX_CHARS:
        raise UserInputError(texts.feedback_too_long(FEEDBACK_TEXT_MAX_CHARS))
    return body


async def new_thread(
    *,
    session: AsyncSession,
    team_id: str,
    recipient_kind: str,
    team_ref: int | None,
    sealed_author: str,
    today: date,
    recipient_ids: Sequence[str] | None = None,
    reply_token_id: str | None = None,
) -> FeedbackThread:
    """A thread with a free code, to ``recipient_ids`` (by default who ``recipients`` names
    now) for good."""
    if recipient_ids is None:
        recipient_ids = await recipients(
            session=session, team_id=team_id, kind=recipient_kind, team_ref=team_ref
        )
    for _ in range(CODE_ATTEMPTS):
        thread = await feedback.create_thread(
            session=session,
            team_id=team_id,
            code=new_thread_code(),
            recipient_kind=recipient_kind,
            team_ref=team_ref,
            sealed_author=sealed_author,
            created_on=today,
            recipient_ids=recipient_ids,
            reply_token_id=reply_token_id,
        )
        if thread is not None:
            return thread
    raise RuntimeError(f"no free feedback thread code in {team_id} after {CODE_ATTEMPTS} tries")


async def _thread(session: AsyncSession, team_id: str, thread_id: str) -> FeedbackThread:
    thread = await feedback.get_thread(session=session, team_id=team_id, thread_id=thread_id)
    if thread is None:
        raise UserInputError(texts.NO_SUCH_THREAD)
    return thread


async def add_message(
    session: AsyncSession, thread: FeedbackThread, direction: str, text: str, sender: str | None
) -> FeedbackMessage:
    message = await feedback.add_message(
        session=session,
        team_id=thread.team_id,
        thread_id=thread.id,
        direction=direction,
        text=text,
        sender_user_id=sender,
    )
    if message is None:
        raise UserInputError(texts.THREAD_CLOSED)
    return message


async def _require_leader(session: AsyncSession, thread: FeedbackThread, user_id: str) -> list[str]:
    leaders = await leaders_of(session=session, thread=thread)
    if user_id not in leaders:
        raise PermissionDenied(texts.not_thread_recipient(thread.code))
    return leaders


def _require_author(thread: FeedbackThread, user_id: str, secret_key: SecretKeys) -> None:
    if not is_sealed_author(thread.sealed_author, user_id, secret_key):
        raise PermissionDenied(texts.NOT_THREAD_AUTHOR)


def _without(people: list[str], *excluded: str) -> tuple[str, ...]:
    return tuple(person for person in people if person not in excluded)
