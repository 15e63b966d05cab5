"""Goals from Slack messages: the message shortcuts "Add as goal update" (the message's text as
a note on one of the person's own goals) and "Create goal from message" (the new-goal modal
with the title and description prefilled).

A message's text is anyone's: Slack's markup in it (mentions, broadcasts, links) is turned
into plain words, and what is saved goes through the modals' own escaping, so nothing typed
by its author can notify or mislead whoever later reads the goal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.core.errors import FormErrors, UserInputError
from bot.core.request import RequestContext
from bot.core.text_input import (
    check_statement,
    escape_modal_text,
    normalize,
    small_int,
    unescape_stored,
)
from bot.goals.blocks import modal as goal_modal
from bot.goals.blocks.note_modal import GOAL, NOTE, build_note_form
from bot.goals.changes import record_progress
from bot.goals.service import goal_changed, goal_form_view
from bot.slack.forms import SubmittedForm
from bot.slack.outcome import Outcome
from storage.models import GOAL_TEXT_MAX_CHARS, GOAL_TITLE_MAX_CHARS, Goal
from storage.repositories.goals import get_goal, workspace_goals
from storage.states import GoalState

FORM_ERROR_MAX = 150
NO_OWN_GOALS = (
    "You have no open goals to add this to. Create one from the message with the "
    "*Create goal from message* shortcut, or with `/goal new`."
)
NOT_YOURS = "Choose one of your own open goals from the list."
EMPTY_NOTE = "Write the note to add (the message's text, or your own words)."

# Slack's markup in message text: <@U1|name>, <#C1|name>, <!here>, <!subteam^S1|@team>, links.
_MARKUP = re.compile(r"<([@#!])?([^<>|]*)(?:\|([^<>]*))?>")
_TITLE_DROPPED = re.compile(r"[<>`*_~&]")


def _readable(match: re.Match[str]) -> str:
    sigil, target, label = match.group(1), match.group(2), match.group(3)
    if sigil == "!":
        name = (label or target.split("^")[0]).lstrip("@")
        return f"@{name}"
    if sigil in ("@", "#"):
        return f"{sigil}{(label or target).lstrip(sigil)}"
    return f"{label} ({target})" if label and label != target else target


def plain_message_text(message: Mapping[str, Any] | None) -> str:
    """The message's text as a person reads it: Slack's markup as words, ``& < >`` as typed."""
    text = message.get("text") if isinstance(message, Mapping) else None
    if not isinstance(text, str):
        return ""
    words = _MARKUP.sub(_readable, text)
    return normalize(unescape_stored(words))


def fit(text: str, limit: int) -> str:
    """The longest start of ``text`` that still fits ``limit`` once escaped as saved."""
    used = 0
    for end, char in enumerate(text[:limit]):
        used += len(escape_modal_text(char))
        if used > limit:
            return text[:end].rstrip()
    return text[:limit].rstrip()


def title_from(text: str) -> str:
    """A goal title from a message: its first line, without formatting characters."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return " ".join(_TITLE_DROPPED.sub(" ", first).split())[:GOAL_TITLE_MAX_CHARS].rstrip()


async def new_goal_from_message(
    request: RequestContext, message: Mapping[str, Any] | None
) -> Outcome:
    """The new-goal modal, its title and description taken from the message."""
    text = plain_message_text(message)
    view = await goal_form_view(request, title=title_from(text))
    description = fit(text, GOAL_TEXT_MAX_CHARS)
    for block in view["blocks"]:
        if block.get("block_id") == goal_modal.DESCRIPTION and description:
            block["element"]["initial_value"] = description
    return Outcome.opening(view)


async def _own_open_goals(request: RequestContext) -> list[Goal]:
    async with request.runtime.sessions() as session:
        goals = await workspace_goals(
            session=session, team_id=request.team_id, include_closed=False
        )
    mine = [g for g in goals if g.owner_id == request.user_id and g.state == GoalState.OPEN]
    return sorted(mine, key=lambda goal: -goal.number)


async def note_form_from_message(
    request: RequestContext, message: Mapping[str, Any] | None
) -> Outcome:
    """The "Add as goal update" modal: one of the person's goals, the message as the note."""
    goals = await _own_open_goals(request)
    if not goals:
        raise UserInputError(NO_OWN_GOALS)
    note = fit(plain_message_text(message), GOAL_TEXT_MAX_CHARS)
    metadata = {"response_url": request.response_url}
    return Outcome.opening(build_note_form(goals=goals, note=note, metadata=metadata))


def _note(form: SubmittedForm) -> str:
    text = escape_modal_text(normalize(form.value(NOTE)))
    if not text:
        raise FormErrors({NOTE: EMPTY_NOTE})
    try:
        return check_statement(text, what="note", max_chars=GOAL_TEXT_MAX_CHARS, usage="")
    except UserInputError as error:
        raise FormErrors({NOTE: error.message[:FORM_ERROR_MAX]}) from None


async def submit_note_form(request: RequestContext, form: SubmittedForm) -> Outcome:
    """Add the note to the chosen goal, which must be the person's own and open; anything
    else (a forged choice included) stays on the form and writes nothing."""
    note = _note(form)
    goal_id = small_int(form.value(GOAL))
    async with request.runtime.sessions() as session:
        goal = (
            await get_goal(session=session, team_id=request.team_id, goal_id=goal_id)
            if goal_id is not None
            else None
        )
    if goal is None or goal.owner_id != request.user_id or goal.state != GoalState.OPEN:
        raise FormErrors({GOAL: NOT_YOURS})
    try:
        goal = await record_progress(
            runtime=request.runtime,
            team_id=request.team_id,
            actor=request.user_id,
            number=goal.number,
            value=None,
            note=note,
        )
    except UserInputError as error:
        raise FormErrors({GOAL: error.message[:FORM_ERROR_MAX]}) from None
    sentence = f":memo: Added the note to *G-{goal.number}* {goal.title}."
    return goal_changed(request, goal, sentence)
