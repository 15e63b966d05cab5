"""Submitted goal modals turned into changes; every mistake becomes a ``FormErrors`` entry on
the field concerned, so the modal stays open with the person's input."""

from __future__ import annotations

from bot.core.errors import FormErrors, UserInputError
from bot.core.request import RequestContext
from bot.core.text_input import check_statement, escape_modal_text, small_int
from bot.goals import texts
from bot.goals.blocks import modal
from bot.goals.changes import record_progress, save_goal
from bot.goals.forms import parse_goal_value, read_goal_form
from bot.goals.period_choice import fiscal_start_of
from bot.goals.service import goal_changed
from bot.slack.forms import SubmittedForm
from bot.slack.outcome import Outcome
from storage.models import GOAL_TEXT_MAX_CHARS, Goal
from storage.repositories.goals import get_goal

FORM_ERROR_MAX = 150


def _on(block_id: str, error: UserInputError) -> FormErrors:
    return FormErrors({block_id: error.message[:FORM_ERROR_MAX]})


async def submit_goal_form(request: RequestContext, submitted: SubmittedForm) -> Outcome:
    """Create or edit the goal, and say which it was."""
    async with request.runtime.sessions() as session:
        fiscal_start = await fiscal_start_of(session=session, team_id=request.team_id)
    draft = read_goal_form(submitted, today=await request.today(), fiscal_start=fiscal_start)
    goal_id = submitted.metadata.get("goal")
    goal_id = goal_id if isinstance(goal_id, int) else None
    try:
        goal = await save_goal(
            runtime=request.runtime,
            team_id=request.team_id,
            actor=request.user_id,
            draft=draft,
            goal_id=goal_id,
            today=await request.today(),
        )
    except FormErrors:
        raise
    except UserInputError as error:
        raise _on(modal.TITLE, error) from None
    return goal_changed(request, goal, texts.goal_saved(goal, goal_id is None))


async def submit_update_form(request: RequestContext, submitted: SubmittedForm) -> Outcome:
    """Record the progress update of the goal the form was opened for."""
    goal = await _goal_of(request, submitted)
    value = None
    if goal.measure != "children":
        try:
            value = parse_goal_value(submitted.value(modal.VALUE) or "", measure=goal.measure)
        except UserInputError:
            raise FormErrors({modal.VALUE: texts.VALUE_FORMAT}) from None
    note_text = escape_modal_text(submitted.value(modal.NOTE) or "")
    try:
        note = (
            check_statement(note_text, what="note", max_chars=GOAL_TEXT_MAX_CHARS, usage="")
            if note_text.strip()
            else ""
        )
    except UserInputError as error:
        raise _on(modal.NOTE, error) from None
    confidence = small_int(submitted.value(modal.CONFIDENCE), digits=2)
    if confidence is None or not 1 <= confidence <= 10:
        raise FormErrors({modal.CONFIDENCE: "Choose a confidence from 1 to 10."})
    override = submitted.value(modal.OVERRIDE)
    if override not in (None, modal.AUTOMATIC, "on_track", "at_risk", "off_track"):
        raise FormErrors({modal.OVERRIDE: "Choose a status from the list."})
    try:
        goal = await record_progress(
            runtime=request.runtime,
            team_id=request.team_id,
            actor=request.user_id,
            number=goal.number,
            value=value,
            confidence=confidence,
            status_override=None if override in (None, modal.AUTOMATIC) else override,
            override_given=True,
            note=note,
        )
    except UserInputError as error:
        raise _on(modal.CONFIDENCE, error) from None
    return goal_changed(request, goal, texts.progress_recorded(goal, "recorded."))


async def _goal_of(request: RequestContext, submitted: SubmittedForm) -> Goal:
    """The goal named in the form's metadata, or ``FormErrors`` when it is gone."""
    goal_id = submitted.metadata.get("goal")
    async with request.runtime.sessions() as session:
        goal = (
            await get_goal(session=session, team_id=request.team_id, goal_id=goal_id)
            if isinstance(goal_id, int)
            else None
        )
    if goal is None:
        raise FormErrors({modal.CONFIDENCE: texts.GOAL_GONE})
    return goal
