"""``/pulse feedback``: anonymous feedback to the admins or to a team's lead.

The ``/pulse`` handler routes ``/pulse feedback …`` here with the text that follows the word
``feedback`` and the request's ``RequestContext``; the ``Outcome`` is the modal to open (a
bare ``feedback``) or the notice to show. A mistake raises ``UserInputError`` whose message
says what to type.

- ``feedback Your message`` goes to the admins;
- ``feedback team Sales Your message`` goes to the lead of Sales;
- a bare ``feedback`` opens the modal (recipient and text), submitted to ``submit_feedback_form``.

The author's user id is never logged and is stored only sealed, by ``bot.feedback.threads``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.core.errors import FormErrors, UserInputError
from bot.core.request import RequestContext
from bot.core.text_input import escape_command_text, escape_modal_text, small_int, split_first_word
from bot.feedback import blocks, texts
from bot.feedback.conversation import FORM_ERROR_MAX, deliver_new_thread, secret_key
from bot.feedback.threads import check_feedback_text, send_feedback
from bot.pulse import texts as core_texts
from bot.slack.forms import SubmittedForm
from bot.slack.messages import build_notice
from bot.slack.outcome import Outcome
from storage.db import transaction
from storage.models import Team
from storage.repositories.teams import get_teams, list_teams


@dataclass(frozen=True)
class Sent:
    """A new thread, delivered: what to tell the author."""

    code: str
    recipient: str
    delivered: int


async def run_feedback_command(*, text: str, request: RequestContext) -> Outcome:
    """``/pulse feedback [team Name] [text]``; raises ``UserInputError`` for bad input."""
    cleaned = text.replace("\r\n", "\n").strip()
    if not cleaned:
        return Outcome.opening(await feedback_modal(request))
    word, rest = split_first_word(cleaned)
    team: Team | None = None
    body = cleaned
    if word == "team":
        team, body = await _team_and_text(request, rest)
    body = escape_command_text(body)  # no live mention or disguised link reaches anyone
    try:
        check_feedback_text(body)
    except UserInputError as error:
        raise UserInputError(texts.with_usage(error.message)) from None
    sent = await send(request, text=body, team=team)
    return Outcome.replying(build_notice(texts.sent_notice(sent.code, sent.recipient)))


async def feedback_modal(request: RequestContext) -> dict[str, Any]:
    """The modal of a bare ``/pulse feedback``: the admins or a team with a lead."""
    async with request.runtime.sessions() as session:
        teams = await list_teams(session=session, team_id=request.team_id)
    led = [
        (team.id, team.name)
        for team in teams
        if team.id is not None and team.lead_user_id and team.lead_user_id != request.user_id
    ]
    metadata = {"response_url": request.response_url} if request.response_url else {}
    return blocks.send_modal(
        teams=led, metadata=metadata, more_teams=len(led) > blocks.MAX_TEAM_OPTIONS
    )


async def submit_feedback_form(request: RequestContext, form: SubmittedForm) -> Outcome:
    """The modal's submission, checked and sent; ``FormErrors`` keeps the modal open."""
    recipient = form.value(blocks.RECIPIENT_BLOCK) or ""
    try:
        body = check_feedback_text(escape_modal_text(form.value(blocks.TEXT_BLOCK) or ""))
    except UserInputError as error:
        raise FormErrors({blocks.TEXT_BLOCK: error.message[:FORM_ERROR_MAX]}) from None
    team: Team | None = None
    if recipient.startswith(blocks.TEAM_PREFIX):
        ref = small_int(recipient.removeprefix(blocks.TEAM_PREFIX))
        async with request.runtime.sessions() as session:
            found = await get_teams(
                session=session, team_id=request.team_id, team_refs=[ref] if ref else []
            )
        if ref is None or ref not in found:
            raise FormErrors({blocks.RECIPIENT_BLOCK: texts.NO_RECIPIENT})
        team = found[ref]
    elif recipient != blocks.ADMINS_VALUE:
        raise FormErrors({blocks.RECIPIENT_BLOCK: texts.NO_RECIPIENT})
    try:
        sent = await send(request, text=body, team=team)
    except UserInputError as error:
        raise FormErrors({blocks.RECIPIENT_BLOCK: error.message[:FORM_ERROR_MAX]}) from None
    return Outcome.replying(build_notice(texts.sent_notice(sent.code, sent.recipient)))


async def send(request: RequestContext, *, text: str, team: Team | None) -> Sent:
    """Open the thread, then DM its leaders and the author's copy."""
    runtime = request.runtime
    recipient = texts.recipient_team(team.name) if team is not None else texts.TO_ADMINS
    try:
        async with transaction(runtime.sessions) as session:
            relay = await send_feedback(
                session=session,
                team_id=request.team_id,
                author_id=request.user_id,
                text=text,
                team_ref=team.id if team is not None else None,
                secret_key=secret_key(runtime),
                today=runtime.clock().date(),
            )
    except UserInputError as error:
        if team is not None and error.message == core_texts.NO_TEAM_LEAD:
            raise UserInputError(texts.team_without_lead(team.name)) from None
        raise
    message = relay.message
    assert message is not None
    delivered = await deliver_new_thread(
        client=request.client,
        relay=relay,
        author_id=request.user_id,
        text=message.text,
        recipient=recipient,
    )
    return Sent(code=relay.thread.code, recipient=recipient, delivered=delivered)


async def _team_and_text(request: RequestContext, rest: str) -> tuple[Team, str]:
    """``Sales Your message`` → the team Sales and the message; the longest name wins."""
    if not rest:
        raise UserInputError(texts.no_team_name())
    async with request.runtime.sessions() as session:
        teams = await list_teams(session=session, team_id=request.team_id)
    for team in sorted(teams, key=lambda team: len(team.name), reverse=True):
        name = r"\s+".join(re.escape(word) for word in team.name.split())
        found = re.match(rf"{name}(?=\s|$)", rest, flags=re.IGNORECASE)
        if found is not None:
            body = rest[found.end() :].strip()
            if not body:
                raise UserInputError(texts.no_text_after_team(team.name))
            return team, body
    raise UserInputError(texts.no_such_team([team.name for team in teams]))
