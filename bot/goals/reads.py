"""``/goal list``, ``/goal tree``, ``/goal show`` and the progress line after an update, each
reading one page of goals (``bot/goals/pages.py``) instead of the whole workspace."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.errors import UserInputError
from bot.core.request import RequestContext
from bot.goals import texts
from bot.goals.blocks.messages import build_goal_show, measure_text
from bot.goals.blocks.period_lists import build_period_list, build_period_tree
from bot.goals.commands import GoalCommand, ListScope
from bot.goals.pages import (
    is_open,
    one_goal_page,
    open_goals_page,
    page_of,
    shown_in,
    view_of,
)
from bot.goals.period_choice import PeriodFilter, load_period_filter
from bot.goals.progress import progress_bar
from bot.goals.tree_pages import TreePage, load_tree
from bot.okrs.blocks.lines import key_results_text
from bot.people.lookup import resolve_person
from bot.people.teams import find_team
from bot.slack.messages import Reply
from storage.models import Goal, Team
from storage.repositories import goal_pages
from storage.repositories.goals import recent_updates
from storage.repositories.key_results import (
    goal_key_results,
    key_results_by_goal,
    recent_confidences,
)
from storage.states import GoalLevel


async def _period(command: GoalCommand, request: RequestContext) -> PeriodFilter:
    return await load_period_filter(
        runtime=request.runtime,
        team_id=request.team_id,
        word=command.period,
        today=await request.today(),
    )


async def _team(request: RequestContext, name: str) -> Team:
    async with request.runtime.sessions() as session:
        return await find_team(session=session, team_id=request.team_id, name=name)


async def _scope(
    command: GoalCommand, request: RequestContext
) -> tuple[str, list[ColumnElement[bool]], str]:
    """The title, the SQL condition and the empty sentence of the list ``command`` asks for."""
    if command.scope is ListScope.MINE:
        return "Your goals", [col(Goal.owner_id) == request.user_id], texts.NO_GOALS_MINE
    if command.scope is ListScope.COMPANY:
        return "Company goals", [col(Goal.level) == GoalLevel.COMPANY], texts.NO_GOALS
    if command.scope is ListScope.ALL:
        return "All open goals", [], texts.NO_GOALS
    if command.scope is ListScope.TEAM:
        team = await _team(request, command.team_name)
        return f"Goals of {team.name}", [col(Goal.team_ref) == team.id], texts.NO_GOALS
    assert command.person is not None
    owner = await resolve_person(
        command.person, runtime=request.runtime, client=request.client, team_id=request.team_id
    )
    return "Goals of a person", [col(Goal.owner_id) == owner], f"<@{owner}> has no open goals."


async def goal_list_reply(command: GoalCommand, request: RequestContext) -> Reply:
    period = await _period(command, request)
    title, where, empty = await _scope(command, request)
    async with request.runtime.sessions() as session:
        listed = await open_goals_page(
            session,
            team_id=request.team_id,
            today=await request.today(),
            where=[*where, *shown_in(period)],
        )
    return build_period_list(period, title, listed.views, listed.page, empty, listed.total)


def _cascade_roots(period: PeriodFilter) -> list[list[ColumnElement[bool]]]:
    """Company goals, and open goals that serve nothing (not aligned) or nothing the tree
    keeps (a goal closed or of another period): two alternatives, each read apart."""
    parent = aliased(Goal)
    kept_parent = (
        sa.select(col(parent.id))
        .where(col(parent.id) == col(Goal.parent_id), is_open(parent), *shown_in(period, parent))
        .exists()
    )
    shown = [is_open(), *shown_in(period)]
    return [
        [*shown, col(Goal.level) == GoalLevel.COMPANY],
        [*shown, col(Goal.level) != GoalLevel.COMPANY, ~kept_parent],
    ]


async def _load_tree(
    session: AsyncSession, command: GoalCommand, team_id: str, period: PeriodFilter, today: date
) -> tuple[str, str, TreePage]:
    """The title, the empty sentence and the tree ``command`` asks for."""
    step = [is_open(), *shown_in(period)]
    by_number = (col(Goal.number),)
    if command.number is not None:
        where = [col(Goal.number) == command.number]
        root = await goal_pages.goal_page(session=session, team_id=team_id, where=where, limit=1)
        if not root:
            raise UserInputError(texts.no_such_goal(command.number))
        roots = [col(Goal.id) == root[0].id]
        tree = await load_tree(
            session, team_id=team_id, today=today, roots=roots, root_order=by_number, step=step
        )
        return f"G-{command.number} and what serves it", texts.NO_GOALS, tree
    if command.scope is ListScope.TEAM:
        team = await find_team(session=session, team_id=team_id, name=command.team_name)
        roots = [*step, col(Goal.team_ref) == team.id, col(Goal.level) == GoalLevel.TEAM]
        tree = await load_tree(
            session, team_id=team_id, today=today, roots=roots, root_order=by_number, step=step
        )
        return f"Goals of {team.name}", f"{team.name} has no open team goals.", tree
    # every open goal of the period is in the cascade once (a root, or below its parent)
    total = await goal_pages.count_goals(session=session, team_id=team_id, where=step)
    tree = await load_tree(
        session,
        team_id=team_id,
        today=today,
        roots=(),
        root_alternatives=_cascade_roots(period),
        root_order=(col(Goal.level) != GoalLevel.COMPANY, *by_number),
        step=step,
        total=total,
    )
    return "The goal cascade", texts.NO_GOALS, tree


async def goal_tree_reply(command: GoalCommand, request: RequestContext) -> Reply:
    period = await _period(command, request)
    today = await request.today()
    async with request.runtime.sessions() as session:
        title, empty, tree = await _load_tree(session, command, request.team_id, period, today)
        ids = [view.goal.id for _depth, view in tree.lines if view.goal.measure == "key_results"]
        results = (
            await key_results_by_goal(
                session=session, team_id=request.team_id, goal_ids=[i for i in ids if i]
            )
            if ids
            else {}
        )
    return build_period_tree(period, title, tree.lines, empty, results, tree.total)


async def goal_show_reply(number: int, request: RequestContext) -> Reply:
    async with request.runtime.sessions() as session:
        found = await one_goal_page(
            session, team_id=request.team_id, number=number, today=await request.today()
        )
        if found is None:
            raise UserInputError(texts.no_such_goal(number))
        view, page = found
        goal_id = view.goal.id or 0
        updates = await recent_updates(session=session, team_id=request.team_id, goal_id=goal_id)
        key_results = await goal_key_results(
            session=session, team_id=request.team_id, goal_id=goal_id
        )
        confidences = await recent_confidences(
            session=session,
            team_id=request.team_id,
            key_result_ids=[kr.id for kr in key_results if kr.id is not None],
        )
    section = key_results_text(key_results, confidences) if key_results else ""
    return build_goal_show(view, page, updates, section)


async def progress_text(request: RequestContext, number: int) -> str:
    """The progress bar and measure of ``G-number`` as it is now stored."""
    today = await request.today()
    async with request.runtime.sessions() as session:
        found = await goal_pages.goal_page(
            session=session, team_id=request.team_id, where=[col(Goal.number) == number], limit=1
        )
        if not found:
            return ""
        page = await page_of(session, request.team_id, found, today)
    view = view_of(found[0], today)
    return f"`{progress_bar(view.progress)}` · {measure_text(view, page)}"
