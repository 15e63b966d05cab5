"""The "Give kudos" message shortcut: a form with the message's author and text prefilled,
and its submission, checked field by field and saved before the modal closes.

A message's text is anyone's: its markup is turned into plain words, then escaped like any
text typed in a modal, so nothing in it can notify or mislead whoever reads the kudos.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core.errors import FormErrors, UserInputError
from bot.core.request import RequestContext
from bot.core.text_input import escape_modal_text, normalize, reject_control_characters, small_int
from bot.goals.from_message import fit, plain_message_text
from bot.kudos import texts
from bot.kudos.blocks.form import GOAL, RECIPIENTS, TEXT, build_kudos_form
from bot.kudos.service import (
    SavedKudos,
    kudos_settings_if_on,
    resolve_recipients,
    save_kudos,
)
from bot.slack.forms import SubmittedForm
from bot.slack.outcome import Outcome
from storage.models import KUDOS_TEXT_MAX_CHARS, Goal
from storage.repositories.goals import get_goal, workspace_goals

FORM_ERROR_MAX = 150


def _author(message: Mapping[str, Any] | None, giver_id: str) -> list[str]:
    author = message.get("user") if isinstance(message, Mapping) else None
    if isinstance(author, str) and author[:1] in ("U", "W") and author != giver_id:
        return [author]
    return []


async def kudos_form_from_message(
    request: RequestContext, message: Mapping[str, Any] | None
) -> Outcome:
    """The "Give kudos" form: the message's author to thank, its text as the reason."""
    await kudos_settings_if_on(request)
    async with request.runtime.sessions() as session:
        goals = await workspace_goals(
            session=session, team_id=request.team_id, include_closed=False
        )
    view = build_kudos_form(
        recipients=_author(message, request.user_id),
        text=fit(plain_message_text(message), KUDOS_TEXT_MAX_CHARS),
        goals=sorted(goals, key=lambda goal: -goal.number),
        metadata={"response_url": request.response_url},
    )
    return Outcome.opening(view)


def _form_error(block_id: str, error: UserInputError) -> FormErrors:
    return FormErrors({block_id: error.message[:FORM_ERROR_MAX]})


def _text(form: SubmittedForm) -> str:
    typed = normalize(form.value(TEXT))
    try:
        reject_control_characters(typed, usage="")
    except UserInputError as error:
        raise _form_error(TEXT, error) from None
    text = escape_modal_text(typed)
    if not text:
        raise FormErrors({TEXT: texts.FORM_NO_TEXT})
    if len(text) > KUDOS_TEXT_MAX_CHARS:
        raise _form_error(TEXT, UserInputError(texts.too_long(len(text))))
    return text


async def _goal(request: RequestContext, form: SubmittedForm) -> Goal | None:
    chosen = form.value(GOAL)
    if chosen is None:
        return None
    goal_id = small_int(chosen)
    async with request.runtime.sessions() as session:
        goal = (
            await get_goal(session=session, team_id=request.team_id, goal_id=goal_id)
            if goal_id is not None
            else None
        )
    if goal is None:
        raise FormErrors({GOAL: texts.FORM_GOAL_GONE})
    return goal


async def submit_kudos_form(request: RequestContext, form: SubmittedForm) -> SavedKudos:
    """Save the kudos; a mistake stays on its field and saves nothing."""
    try:
        settings = await kudos_settings_if_on(request)
    except UserInputError as error:
        raise _form_error(TEXT, error) from None
    chosen = form.choices(RECIPIENTS)
    if not chosen:
        raise FormErrors({RECIPIENTS: texts.FORM_NO_RECIPIENT})
    if set(chosen) == {request.user_id}:
        raise FormErrors({RECIPIENTS: texts.FORM_ONLY_YOURSELF})
    text = _text(form)
    try:
        recipients = await resolve_recipients(request, [(user_id, None) for user_id in chosen])
    except UserInputError as error:
        raise _form_error(RECIPIENTS, error) from None
    goal = await _goal(request, form)
    return await save_kudos(request, recipients=recipients, text=text, goal=goal, settings=settings)
