"""Every change to a goal: create, edit, progress updates, close, reopen, link. Each change is
one transaction that also writes the goal's history."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.errors import FormErrors, PermissionDenied, UserInputError
from bot.core.runtime import Runtime
from bot.goals import texts, texts_periods
from bot.goals.blocks import modal as form
from bot.goals.forms import GoalDraft
from bot.goals.period_choice import place_in_own_span, place_in_quarter
from bot.goals.rollups import refresh_rollups
from bot.people.admins import is_admin
from bot.people.permissions import can_change_owned
from storage.db import transaction
from storage.models import Goal, GoalUpdate, Team
from storage.repositories.goals import (
    add_goal,
    add_goal_update,
    get_goal,
    get_goal_by_number,
)
from storage.repositories.priorities import get_priority, list_priorities
from storage.repositories.teams import get_teams, teams_of_user
from storage.states import GoalLevel, GoalState

LEVEL_RANK: dict[str, int] = {GoalLevel.PERSONAL: 0, GoalLevel.TEAM: 1, GoalLevel.COMPANY: 2}


async def find_goal(
    *, session: AsyncSession, team_id: str, number: int, for_update: bool = False
) -> Goal:
    goal = await get_goal_by_number(
        session=session, team_id=team_id, number=number, for_update=for_update
    )
    if goal is None:
        raise UserInputError(texts.no_such_goal(number))
    return goal


async def goal_team(*, session: AsyncSession, goal: Goal) -> Team | None:
    if goal.team_ref is None:
        return None
    return (await get_teams(session=session, team_id=goal.team_id, team_refs=[goal.team_ref])).get(
        goal.team_ref
    )


async def goal_to_change(*, session: AsyncSession, team_id: str, actor: str, number: int) -> Goal:
    """The goal ``G-number``, locked for the change, if ``actor`` may change it."""
    goal = await find_goal(session=session, team_id=team_id, number=number, for_update=True)
    team = await goal_team(session=session, goal=goal)
    if not await can_change_owned(
        session=session, team_id=team_id, user_id=actor, owner_id=goal.owner_id, team=team
    ):
        raise PermissionDenied(texts.cannot_change(goal.number))
    return goal


def _history(goal: Goal, actor: str, kind: str, **fields: object) -> GoalUpdate:
    """A history row, stamped with the goal's ``updated_at`` (the runtime's clock)."""
    assert goal.id is not None
    return GoalUpdate(
        team_id=goal.team_id,
        goal_id=goal.id,
        author_id=actor,
        kind=kind,
        created_at=goal.updated_at,
        **fields,  # type: ignore[arg-type]
    )


async def save_goal(
    *,
    runtime: Runtime,
    team_id: str,
    actor: str,
    draft: GoalDraft,
    goal_id: int | None,
    today: date,
) -> Goal:
    """Create a goal, or edit goal ``goal_id``; ``FormErrors`` for what the actor may not do."""
    async with transaction(runtime.sessions) as session:
        existing = None
        if goal_id is not None:
            existing = await get_goal(session=session, team_id=team_id, goal_id=goal_id)
            if existing is None:
                raise UserInputError(texts.GOAL_GONE)
            existing = await goal_to_change(
                session=session, team_id=team_id, actor=actor, number=existing.number
            )
        await _check_rights(session=session, team_id=team_id, actor=actor, draft=draft)
        await _check_parent(session=session, team_id=team_id, draft=draft, goal=existing)
        await _check_priority(session=session, team_id=team_id, draft=draft)
        goal = existing or Goal(
            team_id=team_id,
            number=0,
            created_by=actor,
            start_date=today,
            current_value=draft.start_value,
            title="",
            level="",
            owner_id="",
            due_date=today,
        )
        old_parent = goal.parent_id
        _apply_draft(goal, draft, is_new=existing is None)
        goal.updated_at = runtime.clock()
        if existing is None:
            goal.created_at = goal.progress_at = goal.updated_at
            await add_goal(session=session, goal=goal)
        session.add(goal)
        await session.flush()
        await add_goal_update(
            session=session,
            update=_history(
                goal, actor, "edit" if existing else "create", confidence=draft.confidence
            ),
        )
        await refresh_rollups(session=session, goal=goal, moved_from=[old_parent])
        return goal


DRAFT_FIELDS = (
    "title",
    "description",
    "level",
    "team_ref",
    "owner_id",
    "parent_id",
    "measure",
    "start_value",
    "target_value",
    "unit",
    "due_date",
    "confidence",
    "priority_id",
)


def _apply_draft(goal: Goal, draft: GoalDraft, *, is_new: bool) -> None:
    """Copy the form's fields onto ``goal``; progress starts over when the goal is new or how
    it is measured (the measure or its start value) changed."""
    if draft.measure == "key_results" and (is_new or goal.measure != "key_results"):
        raise FormErrors({form.MEASURE: texts.KEY_RESULTS_FROM_COMMAND})
    if goal.measure == "key_results" == draft.measure:  # rolled up from its key results
        draft = replace(
            draft, start_value=goal.start_value, target_value=goal.target_value, unit=goal.unit
        )
    starts_over = is_new or goal.measure != draft.measure or goal.start_value != draft.start_value
    for field in DRAFT_FIELDS:
        setattr(goal, field, getattr(draft, field))
    if draft.quarter is None:
        place_in_own_span(goal)
    else:
        place_in_quarter(goal, draft.quarter)
    if starts_over:
        goal.current_value = draft.start_value if draft.measure == "number" else 0.0


async def _check_rights(
    *, session: AsyncSession, team_id: str, actor: str, draft: GoalDraft
) -> None:
    admin = await is_admin(session=session, team_id=team_id, user_id=actor)
    teams = await get_teams(
        session=session, team_id=team_id, team_refs=[draft.team_ref] if draft.team_ref else []
    )
    team = teams.get(draft.team_ref) if draft.team_ref else None
    if draft.team_ref is not None and team is None:
        raise FormErrors({form.TEAM: texts.TEAM_GONE})
    if draft.level == GoalLevel.COMPANY and not admin:
        raise FormErrors({form.LEVEL: texts.COMPANY_GOALS_ADMINS})
    if draft.level == GoalLevel.TEAM and not admin and (team is None or team.lead_user_id != actor):
        raise FormErrors({form.LEVEL: texts.team_goals_leads(team.name if team else "")})
    if draft.level == GoalLevel.PERSONAL and draft.owner_id != actor and not admin:
        owners_teams = await teams_of_user(session=session, team_id=team_id, user_id=draft.owner_id)
        if not any(owner_team.lead_user_id == actor for owner_team in owners_teams):
            raise FormErrors({form.OWNER: texts.PERSONAL_GOALS_FOR_OTHERS})


async def _check_priority(*, session: AsyncSession, team_id: str, draft: GoalDraft) -> None:
    """A company goal names the priority it serves when the form asked for one."""
    if draft.level != GoalLevel.COMPANY or not draft.priority_offered:
        return
    if draft.priority_id is None:
        if await list_priorities(session=session, team_id=team_id):
            raise FormErrors({form.PRIORITY: texts_periods.PRIORITY_REQUIRED})
        return
    if await get_priority(session=session, team_id=team_id, priority_id=draft.priority_id) is None:
        raise FormErrors({form.PRIORITY: texts_periods.PRIORITY_GONE})


async def _check_parent(
    *, session: AsyncSession, team_id: str, draft: GoalDraft, goal: Goal | None
) -> None:
    if goal is not None:
        children = await _open_and_done_children(session=session, goal=goal)
        if any(LEVEL_RANK[child.level] >= LEVEL_RANK[draft.level] for child in children):
            raise FormErrors({form.LEVEL: texts.level_below_children(children)})
    if draft.parent_id is None:
        return
    parent = await get_goal(session=session, team_id=team_id, goal_id=draft.parent_id)
    problem = parent_problem(parent, level=draft.level, goal=goal)
    if problem:
        raise FormErrors({form.PARENT: problem})


async def _open_and_done_children(*, session: AsyncSession, goal: Goal) -> list[Goal]:
    """The goal's sub-goals that are not dropped, in number order (one query, not the
    workspace)."""
    statement = (
        select(Goal)
        .where(
            Goal.team_id == goal.team_id,
            Goal.parent_id == goal.id,
            Goal.state != GoalState.DROPPED,
        )
        .order_by(col(Goal.number))
    )
    return list((await session.exec(statement)).all())


def parent_problem(parent: Goal | None, *, level: str, goal: Goal | None) -> str | None:
    """Why ``parent`` cannot be the parent of a goal at ``level`` (None when it can)."""
    if parent is None:
        return texts.PARENT_GONE
    if goal is not None and parent.id == goal.id:
        return texts.PARENT_ITSELF
    if parent.state != GoalState.OPEN:
        return texts.parent_closed(parent.number)
    if LEVEL_RANK[parent.level] <= LEVEL_RANK[level]:
        return texts.parent_wrong_level(parent.number, parent.level, level)
    return None


async def record_progress(
    *,
    runtime: Runtime,
    team_id: str,
    actor: str,
    number: int,
    value: float | None,
    confidence: int | None = None,
    status_override: str | None = None,
    override_given: bool = False,
    note: str = "",
) -> Goal:
    async with transaction(runtime.sessions) as session:
        goal = await goal_to_change(session=session, team_id=team_id, actor=actor, number=number)
        if goal.state != GoalState.OPEN:
            raise UserInputError(texts.closed_goal(goal.number, goal.state))
        if value is not None and goal.measure == "key_results":  # rolled up; re-read here
            raise UserInputError(texts.progress_from_key_results(goal.number))
        if value is not None:
            goal.current_value = value
        if confidence is not None:
            goal.confidence = confidence
        if override_given:
            goal.status_override = status_override
        goal.progress_at = goal.updated_at = runtime.clock()
        session.add(goal)
        await add_goal_update(
            session=session,
            update=_history(
                goal,
                actor,
                "update",
                value=value,
                confidence=confidence,
                status_override=status_override,
                note=note,
            ),
        )
        await refresh_rollups(session=session, goal=goal)
        return goal


async def close_goal(
    *, runtime: Runtime, team_id: str, actor: str, number: int, outcome: str, note: str
) -> Goal:
    async with transaction(runtime.sessions) as session:
        goal = await goal_to_change(session=session, team_id=team_id, actor=actor, number=number)
        if goal.state != GoalState.OPEN:
            raise UserInputError(texts.closed_goal(goal.number, goal.state))
        goal.state = outcome
        goal.closed_at = goal.updated_at = runtime.clock()
        session.add(goal)
        await add_goal_update(session=session, update=_history(goal, actor, outcome, note=note))
        await refresh_rollups(session=session, goal=goal)
        return goal


async def reopen_goal(*, runtime: Runtime, team_id: str, actor: str, number: int) -> Goal:
    async with transaction(runtime.sessions) as session:
        goal = await goal_to_change(session=session, team_id=team_id, actor=actor, number=number)
        if goal.state == GoalState.OPEN:
            raise UserInputError(texts.already_open(goal.number))
        goal.state = GoalState.OPEN
        goal.closed_at = None
        goal.updated_at = runtime.clock()
        session.add(goal)
        await add_goal_update(session=session, update=_history(goal, actor, "reopen"))
        await refresh_rollups(session=session, goal=goal)
        return goal


async def link_goal(
    *, runtime: Runtime, team_id: str, actor: str, number: int, parent_number: int | None
) -> tuple[Goal, Goal | None]:
    async with transaction(runtime.sessions) as session:
        goal = await goal_to_change(session=session, team_id=team_id, actor=actor, number=number)
        parent = None
        if parent_number is not None:
            parent = await find_goal(session=session, team_id=team_id, number=parent_number)
            problem = parent_problem(parent, level=goal.level, goal=goal)
            if problem:
                raise UserInputError(problem + " " + texts.LINK_USAGE)
        old_parent = goal.parent_id
        goal.parent_id = parent.id if parent else None
        goal.updated_at = runtime.clock()
        session.add(goal)
        note = f"linked to G-{parent.number}" if parent else "unlinked"
        await add_goal_update(session=session, update=_history(goal, actor, "link", note=note))
        await refresh_rollups(session=session, goal=goal, moved_from=[old_parent])
        return goal, parent
