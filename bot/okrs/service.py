"""``/goal kr``: the key results form, its submission, and setting one key result's value or
confidence. Each change is one transaction with its history rows and the objective's rollup."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.errors import FormErrors, UserInputError
from bot.core.numbers import format_value, progress_bar
from bot.core.request import RequestContext
from bot.core.runtime import Runtime
from bot.okrs import texts
from bot.okrs.access import objective_to_change
from bot.okrs.blocks.form_modal import block_id, build_key_results_form
from bot.okrs.commands import KeyResultChange, parse_key_result_change
from bot.okrs.form import KeyResultDraft, read_key_results_form
from bot.okrs.rollup import KEY_RESULTS_MEASURE
from bot.okrs.writes import record_key_result_update, reroll
from bot.slack.forms import SubmittedForm
from bot.slack.messages import build_notice
from bot.slack.outcome import Outcome
from storage.db import transaction
from storage.models import Goal, KeyResult
from storage.repositories.goals import get_goal
from storage.repositories.key_results import goal_key_results
from storage.repositories.kpis import get_kpi, list_kpis, recent_values


async def run_key_result_command(number: int, text: str, request: RequestContext) -> Outcome:
    """``/goal kr G-12`` opens the form; ``/goal kr G-12 2 45 [confidence 8]`` sets KR #2."""
    change = parse_key_result_change(number, text)
    if change is None:
        return Outcome.opening(await key_results_form_view(request, number))
    goal, key_result = await set_key_result(
        runtime=request.runtime,
        team_id=request.team_id,
        actor=request.user_id,
        number=number,
        change=change,
    )
    parts = []
    if change.value is not None:
        parts.append(
            f"{format_value(key_result.current_value, key_result.unit)} / "
            f"{format_value(key_result.target_value, key_result.unit)}"
        )
    if change.confidence is not None:
        parts.append(f"confidence {change.confidence}")
    sentence = texts.key_result_set(
        goal.number, change.position, " · ".join(parts), f"`{progress_bar(goal.current_value)}`"
    )
    return Outcome.replying(build_notice(sentence), homes=(request.user_id, goal.owner_id))


async def _objective_to_change(
    session: AsyncSession, team_id: str, actor: str, number: int
) -> Goal:
    goal = await objective_to_change(session=session, team_id=team_id, actor=actor, number=number)
    if goal.measure == "children":
        raise UserInputError(texts.children_refused(goal.number))
    return goal


async def key_results_form_view(request: RequestContext, number: int) -> dict[str, Any]:
    async with request.runtime.sessions() as session:
        goal = await _objective_to_change(session, request.team_id, request.user_id, number)
        assert goal.id is not None
        key_results = await goal_key_results(
            session=session, team_id=request.team_id, goal_id=goal.id
        )
        kpis = await list_kpis(session=session, team_id=request.team_id)
    metadata = {"goal": goal.id, "response_url": request.response_url}
    return build_key_results_form(goal=goal, key_results=key_results, kpis=kpis, metadata=metadata)


async def set_key_result(
    *, runtime: Runtime, team_id: str, actor: str, number: int, change: KeyResultChange
) -> tuple[Goal, KeyResult]:
    now = runtime.clock()
    async with transaction(runtime.sessions) as session:
        goal = await _objective_to_change(session, team_id, actor, number)
        assert goal.id is not None
        key_results = await goal_key_results(session=session, team_id=team_id, goal_id=goal.id)
        if not key_results:
            raise UserInputError(texts.no_key_results(goal.number))
        if goal.measure != KEY_RESULTS_MEASURE:  # its owner measures it otherwise now
            raise UserInputError(texts.not_an_objective(goal.number))
        if change.position > len(key_results):
            raise UserInputError(
                texts.no_such_key_result(goal.number, change.position, len(key_results))
            )
        key_result = key_results[change.position - 1]
        if change.value is not None:
            key_result.current_value = change.value
        if change.confidence is not None:
            key_result.confidence = change.confidence
        key_result.updated_at = now
        session.add(key_result)
        await record_key_result_update(
            session=session,
            key_result=key_result,
            author_id=actor,
            source="command",
            now=now,
            value=change.value,
            confidence=change.confidence,
        )
        await reroll(
            session=session,
            goal=goal,
            now=now,
            author_id=actor,
            note=texts.rolled_from_key_result(change.position),
        )
        return goal, key_result


async def submit_key_results_form(request: RequestContext, submitted: SubmittedForm) -> Outcome:
    """Save the objective's key results as the form has them, and say so."""
    drafts = read_key_results_form(submitted)
    goal_id = submitted.metadata.get("goal")
    now = request.runtime.clock()
    try:
        async with transaction(request.runtime.sessions) as session:
            found = (
                await get_goal(session=session, team_id=request.team_id, goal_id=goal_id)
                if isinstance(goal_id, int)
                else None
            )
            if found is None:
                raise UserInputError(texts.GOAL_GONE)
            goal = await _objective_to_change(
                session, request.team_id, request.user_id, found.number
            )
            count = await _save_drafts(session, goal, drafts, request.user_id, now)
            await reroll(
                session=session,
                goal=goal,
                now=now,
                author_id=request.user_id,
                note=texts.ROLLED_FROM_FORM,
                make_objective=True,
            )
    except FormErrors:
        raise
    except UserInputError as error:
        raise FormErrors({block_id(1, "title"): error.message[:150]}) from None
    sentence = texts.saved(goal.number, count, f"`{progress_bar(goal.current_value)}`")
    return Outcome.replying(build_notice(sentence), homes=(request.user_id, goal.owner_id))


async def _latest_kpi_value(session: AsyncSession, team_id: str, kpi_id: int) -> float | None:
    values = await recent_values(session=session, team_id=team_id, kpi_ids=[kpi_id], per_kpi=1)
    latest = values.get(kpi_id) or []
    return latest[-1].value if latest else None


async def _check_kpis(session: AsyncSession, team_id: str, drafts: list[KeyResultDraft]) -> None:
    errors = {}
    for draft in drafts:
        if draft.kpi_id is None:
            continue
        if await get_kpi(session=session, team_id=team_id, kpi_id=draft.kpi_id) is None:
            errors[block_id(draft.row, "kpi")] = texts.KPI_GONE
    if errors:
        raise FormErrors(errors)


def _fields(key_result: KeyResult) -> tuple[object, ...]:
    return (
        key_result.title,
        key_result.start_value,
        key_result.target_value,
        key_result.unit,
        key_result.weight,
        key_result.kpi_id,
    )


async def _write_draft(
    session: AsyncSession, goal: Goal, old: KeyResult | None, draft: KeyResultDraft, position: int
) -> KeyResult | None:
    """Row ``draft`` written over ``old`` (or a new key result); the key result when
    something changed that its history should record, else None."""
    assert goal.id is not None
    key_result = old or KeyResult(
        team_id=goal.team_id, goal_id=goal.id, title="", current_value=draft.start_value
    )
    before = _fields(key_result) if old else None
    key_result.position = position
    key_result.title = draft.title
    key_result.start_value = draft.start_value
    key_result.target_value = draft.target_value
    key_result.unit = draft.unit
    key_result.weight = draft.weight
    if draft.kpi_id is not None and (old is None or old.kpi_id != draft.kpi_id):
        latest = await _latest_kpi_value(session, goal.team_id, draft.kpi_id)
        if latest is not None:  # newly bound: it starts from the KPI's latest value
            key_result.current_value = latest
    key_result.kpi_id = draft.kpi_id
    session.add(key_result)
    return key_result if before != _fields(key_result) else None


async def _save_drafts(
    session: AsyncSession, goal: Goal, drafts: list[KeyResultDraft], actor: str, now: datetime
) -> int:
    """Write the drafts over the goal's key results (row n edits the one shown in row n),
    remove those cleared; returns how many the objective now has."""
    assert goal.id is not None
    await _check_kpis(session, goal.team_id, drafts)
    existing = await goal_key_results(session=session, team_id=goal.team_id, goal_id=goal.id)
    kept_rows = {draft.row for draft in drafts}
    for row, key_result in enumerate(existing, start=1):
        if row not in kept_rows:
            await session.delete(key_result)
    for position, draft in enumerate(drafts, start=1):
        old = existing[draft.row - 1] if draft.row <= len(existing) else None
        changed = await _write_draft(session, goal, old, draft, position)
        if changed is None:
            continue
        changed.updated_at = now
        if old is None:
            changed.created_at = now
        await session.flush()
        await record_key_result_update(
            session=session,
            key_result=changed,
            author_id=actor,
            source="command",
            now=now,
            value=changed.current_value,
        )
    return len(drafts)
