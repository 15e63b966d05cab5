"""Submitted goal modals turned into changes; every mistake becomes a ``FormErrors`` entry on
the field concerned, so the modal stays open with the person's input."""

from __future__ import annotations

from typing import Any

from bot.core.errors import FormErrors, UserInputError
from bot.core.text_input import check_statement, escape_modal_text, small_int
from bot.goals import texts
from bot.goals.blocks import modal as form
from bot.goals.changes import record_progress, save_goal
from bot.goals.forms import parse_goal_value, read_goal_form
from bot.goals.service import GoalRequest
from storage.models import GOAL_TEXT_MAX_CHARS, Goal
from storage.repositories.goals import get_goal

FORM_ERROR_MAX = 150


def _on(block_id: str, error: UserInputError) -> FormErrors:
    return FormErrors({block_id: error.message[:FORM_ERROR_MAX]})


async def submit_goal_form(
    request: GoalRequest, metadata: dict[str, Any], values: form.FormValues
) -> tuple[Goal, bool]:
    """Create or edit the goal; returns it and whether it is new."""
    draft = read_goal_form(values, today=request.today())
    goal_id = metadata.get("goal") if isinstance(metadata.get("goal"), int) else None
    try:
        goal = await save_goal(
            runtime=request.runtime,
            team_id=request.team_id,
            actor=request.user_id,
            draft=draft,
            goal_id=goal_id,
            today=request.today(),
        )
    except FormErrors:
        raise
    except UserInputError as error:
        raise _on(form.TITLE, error) from None
    return goal, goal_id is None


async def submit_update_form(
    request: GoalRequest, metadata: dict[str, Any], values: form.FormValues
) -> Goal:
    goal_id = metadata.get("goal")
    async with request.runtime.sessions() as session:
        goal = (
            await get_goal(session=session, team_id=request.team_id, goal_id=goal_id)
            if isinstance(goal_id, int)
            else None
        )
    if goal is None:
        raise FormErrors({form.CONFIDENCE: texts.GOAL_GONE})
    value = None
    if goal.measure != "children":
        try:
            value = parse_goal_value(values.get(form.VALUE) or "", measure=goal.measure)
        except UserInputError:
            raise FormErrors({form.VALUE: texts.VALUE_FORMAT}) from None
    note_text = escape_modal_text(values.get(form.NOTE) or "")
    try:
        note = (
            check_statement(note_text, what="note", max_chars=GOAL_TEXT_MAX_CHARS, usage="")
            if note_text.strip()
            else ""
        )
    except UserInputError as error:
        raise _on(form.NOTE, error) from None
    confidence = small_int(values.get(form.CONFIDENCE), digits=2)
    if confidence is None or not 1 <= confidence <= 10:
        raise FormErrors({form.CONFIDENCE: "Choose a confidence from 1 to 10."})
    override = values.get(form.OVERRIDE)
    if override not in (None, form.AUTOMATIC, "on_track", "at_risk", "off_track"):
        raise FormErrors({form.OVERRIDE: "Choose a status from the list."})
    try:
        return await record_progress(
            runtime=request.runtime,
            team_id=request.team_id,
            actor=request.user_id,
            number=goal.number,
            value=value,
            confidence=confidence,
            status_override=None if override in (None, form.AUTOMATIC) else override,
            override_given=True,
            note=note,
        )
    except UserInputError as error:
        raise _on(form.CONFIDENCE, error) from None
