"""Carry out a parsed ``/goal`` command; knows nothing of Bolt, only a Slack Web API client."""

from __future__ import annotations

from typing import Any

from bot.core.errors import UserInputError
from bot.core.request import RequestContext
from bot.core.text_input import check_statement, small_int
from bot.goals import texts, texts_periods
from bot.goals.blocks import modal as goal_modal
from bot.goals.blocks.messages import (
    build_goal_help,
    build_goal_show,
    measure_text,
)
from bot.goals.blocks.period_lists import build_period_list, build_period_tree
from bot.goals.carry import carry_goal
from bot.goals.changes import (
    close_goal,
    find_goal,
    goal_to_change,
    link_goal,
    record_progress,
    reopen_goal,
)
from bot.goals.commands import GoalAction, GoalCommand, ListScope
from bot.goals.export import send_export
from bot.goals.forms import parse_goal_value
from bot.goals.period_choice import PeriodFilter, form_choices, load_period_filter
from bot.goals.progress import progress_bar
from bot.goals.views import GoalSnapshot, load_snapshot, tree_roots
from bot.okrs import texts as okr_texts
from bot.okrs.blocks.lines import key_results_text
from bot.okrs.rollup import KEY_RESULTS_MEASURE
from bot.okrs.service import run_key_result_command
from bot.people.lookup import resolve_person
from bot.people.members import ensure_member
from bot.people.teams import find_team
from bot.slack.messages import Reply, build_notice
from bot.slack.outcome import Outcome
from storage.models import GOAL_TEXT_MAX_CHARS, Goal, Team
from storage.repositories.goals import recent_updates, workspace_goals
from storage.repositories.key_results import (
    goal_key_results,
    key_results_by_goal,
    recent_confidences,
)
from storage.repositories.teams import list_teams
from storage.states import GoalLevel


def goal_changed(request: RequestContext, goal: Goal, sentence: str) -> Outcome:
    """Say what changed, and redraw the Home tabs of who changed ``goal`` and of its owner."""
    return Outcome.replying(build_notice(sentence), homes=(request.user_id, goal.owner_id))


async def run_goal_command(command: GoalCommand, request: RequestContext) -> Outcome:
    """Do what ``/goal`` asks: a reply, a modal to open, or a change and the Homes it redraws."""
    action = command.action
    if action is GoalAction.HELP:
        return Outcome.replying(build_goal_help())
    await ensure_member(
        client=request.client,
        sessions=request.runtime.sessions,
        team_id=request.team_id,
        user_id=request.user_id,
    )
    if action is GoalAction.NEW:
        return Outcome.opening(await goal_form_view(request, title=command.text))
    if action is GoalAction.LIST:
        return Outcome.replying(await _list(command, request))
    if action is GoalAction.TREE:
        return Outcome.replying(await _tree(command, request))
    if action is GoalAction.EXPORT:
        count = await send_export(request.runtime, request.client, request.team_id, request.user_id)
        return Outcome.replying(build_notice(texts.export_sent(count)))
    assert command.number is not None
    return await _about_one_goal(command, command.number, request)


async def _about_one_goal(command: GoalCommand, number: int, request: RequestContext) -> Outcome:
    """The subcommands that name one goal (``G-12``)."""
    action, runtime, team_id, actor = (
        command.action,
        request.runtime,
        request.team_id,
        request.user_id,
    )
    if action is GoalAction.SHOW:
        return Outcome.replying(await _show(number, request))
    if action is GoalAction.EDIT:
        return Outcome.opening(await goal_form_view(request, number=number))
    if action is GoalAction.UPDATE:
        return await _update(command, request)
    if action is GoalAction.KR:
        return await run_key_result_command(number, command.text, request)
    if action is GoalAction.CARRY:
        today = await request.today()
        goal, quarter = await carry_goal(
            runtime=runtime, team_id=team_id, actor=actor, number=number, today=today
        )
        return goal_changed(request, goal, texts_periods.carried(goal, quarter.label))
    if action is GoalAction.CLOSE:
        goal = await close_goal(
            runtime=runtime,
            team_id=team_id,
            actor=actor,
            number=number,
            outcome=command.text,
            note=_note(command.note),
        )
        return goal_changed(request, goal, texts.goal_closed(goal))
    if action is GoalAction.REOPEN:
        goal = await reopen_goal(runtime=runtime, team_id=team_id, actor=actor, number=number)
        return goal_changed(request, goal, texts.goal_reopened(goal))
    goal, parent = await link_goal(
        runtime=runtime,
        team_id=team_id,
        actor=actor,
        number=number,
        parent_number=command.parent_number,
    )
    return goal_changed(request, goal, texts.goal_linked(goal, parent))


def _note(text: str) -> str:
    if not text:
        return ""
    return check_statement(
        text,
        what="note",
        max_chars=GOAL_TEXT_MAX_CHARS,
        usage="`/goal update G-12 45 shipped the beta`",
    )


async def goal_form_view(
    request: RequestContext, *, title: str = "", number: int | None = None
) -> dict[str, Any]:
    """The new-goal modal (``title`` prefilled) or the edit modal of ``G-number``."""
    async with request.runtime.sessions() as session:
        goal = None
        if number is not None:
            goal = await goal_to_change(
                session=session, team_id=request.team_id, actor=request.user_id, number=number
            )
        teams = await list_teams(session=session, team_id=request.team_id)
        goals = await workspace_goals(
            session=session, team_id=request.team_id, include_closed=False
        )
        quarters, priorities = await form_choices(
            session=session, team_id=request.team_id, today=await request.today(), goal=goal
        )
    candidates = sorted(
        (g for g in goals if g.level in (GoalLevel.COMPANY, GoalLevel.TEAM)),
        key=lambda g: -g.number,
    )
    metadata = {"goal": goal.id if goal else None, "response_url": request.response_url}
    return goal_modal.build_goal_form(
        metadata=metadata,
        owner_id=request.user_id,
        teams=teams,
        candidates=candidates,
        quarters=quarters,
        priorities=priorities,
        goal=goal,
        title=title[:150],
    )


async def _period(command: GoalCommand, request: RequestContext) -> PeriodFilter:
    return await load_period_filter(
        runtime=request.runtime,
        team_id=request.team_id,
        word=command.period,
        today=await request.today(),
    )


async def _list(command: GoalCommand, request: RequestContext) -> Reply:
    period = await _period(command, request)
    snapshot = await load_snapshot(
        runtime=request.runtime, team_id=request.team_id, today=await request.today()
    )
    views = [view for view in snapshot.open_views() if period.shows(view.goal)]
    if command.scope is ListScope.MINE:
        return build_period_list(
            period,
            "Your goals",
            [v for v in views if v.goal.owner_id == request.user_id],
            snapshot,
            texts.NO_GOALS_MINE,
        )
    if command.scope is ListScope.COMPANY:
        return build_period_list(
            period,
            "Company goals",
            [v for v in views if v.goal.level == GoalLevel.COMPANY],
            snapshot,
            texts.NO_GOALS,
        )
    if command.scope is ListScope.ALL:
        return build_period_list(period, "All open goals", views, snapshot, texts.NO_GOALS)
    if command.scope is ListScope.TEAM:
        team = await _team(request, command.team_name)
        return build_period_list(
            period,
            f"Goals of {team.name}",
            [v for v in views if v.goal.team_ref == team.id],
            snapshot,
            texts.NO_GOALS,
        )
    assert command.person is not None
    owner = await resolve_person(
        command.person, runtime=request.runtime, client=request.client, team_id=request.team_id
    )
    return build_period_list(
        period,
        "Goals of a person",
        [v for v in views if v.goal.owner_id == owner],
        snapshot,
        f"<@{owner}> has no open goals.",
    )


async def _team(request: RequestContext, name: str) -> Team:
    async with request.runtime.sessions() as session:
        return await find_team(session=session, team_id=request.team_id, name=name)


async def _tree(command: GoalCommand, request: RequestContext) -> Reply:
    period = await _period(command, request)
    snapshot = await load_snapshot(
        runtime=request.runtime, team_id=request.team_id, today=await request.today()
    )
    async with request.runtime.sessions() as session:
        results = await key_results_by_goal(session=session, team_id=request.team_id)
    if command.number is not None:
        root = snapshot.by_number(command.number)
        if root is None:
            raise UserInputError(texts.no_such_goal(command.number))
        return build_period_tree(
            period,
            f"G-{root.goal.number} and what serves it",
            snapshot.tree([root], period.shows),
            texts.NO_GOALS,
            results,
        )
    if command.scope is ListScope.TEAM:
        team = await _team(request, command.team_name)
        roots = [
            v
            for v in snapshot.open_views()
            if v.goal.team_ref == team.id
            and v.goal.level == GoalLevel.TEAM
            and period.shows(v.goal)
        ]
        return build_period_tree(
            period,
            f"Goals of {team.name}",
            snapshot.tree(roots, period.shows),
            f"{team.name} has no open team goals.",
            results,
        )
    return build_period_tree(
        period,
        "The goal cascade",
        snapshot.tree(tree_roots(snapshot, period.shows), period.shows),
        texts.NO_GOALS,
        results,
    )


async def _show(number: int, request: RequestContext) -> Reply:
    snapshot = await load_snapshot(
        runtime=request.runtime, team_id=request.team_id, today=await request.today()
    )
    view = snapshot.by_number(number)
    if view is None or view.goal.id is None:
        raise UserInputError(texts.no_such_goal(number))
    async with request.runtime.sessions() as session:
        updates = await recent_updates(
            session=session, team_id=request.team_id, goal_id=view.goal.id
        )
        key_results = await goal_key_results(
            session=session, team_id=request.team_id, goal_id=view.goal.id
        )
        confidences = await recent_confidences(
            session=session,
            team_id=request.team_id,
            key_result_ids=[kr.id for kr in key_results if kr.id is not None],
        )
    section = key_results_text(key_results, confidences) if key_results else ""
    return build_goal_show(view, snapshot, updates, section)


async def _update(command: GoalCommand, request: RequestContext) -> Outcome:
    assert command.number is not None
    if not command.text:
        return Outcome.opening(await update_form_view(request, command.number))
    async with request.runtime.sessions() as session:
        goal = await find_goal(session=session, team_id=request.team_id, number=command.number)
    if goal.measure == "children":
        raise UserInputError(texts.value_refused_for_rollup(goal.number))
    if goal.measure == KEY_RESULTS_MEASURE:
        raise UserInputError(okr_texts.use_key_results(goal.number))
    value = parse_goal_value(command.text, measure=goal.measure)
    goal = await record_progress(
        runtime=request.runtime,
        team_id=request.team_id,
        actor=request.user_id,
        number=command.number,
        value=value,
        note=_note(command.note),
    )
    progress = await _progress_text(request, goal.number)
    return goal_changed(request, goal, texts.progress_recorded(goal, progress))


async def _progress_text(request: RequestContext, number: int) -> str:
    snapshot: GoalSnapshot = await load_snapshot(
        runtime=request.runtime, team_id=request.team_id, today=await request.today()
    )
    view = snapshot.by_number(number)
    if view is None:
        return ""
    return f"`{progress_bar(view.progress)}` · {measure_text(view, snapshot)}"


async def open_update_form(request: RequestContext, button_value: str) -> Outcome:
    """The progress form of the goal an Update button names (its number)."""
    number = small_int(button_value)
    if number is None:
        raise UserInputError("That button no longer points at a goal. Try `/goal list`.")
    return Outcome.opening(await update_form_view(request, number))


async def update_form_view(request: RequestContext, number: int) -> dict[str, Any]:
    async with request.runtime.sessions() as session:
        goal = await goal_to_change(
            session=session, team_id=request.team_id, actor=request.user_id, number=number
        )
    if goal.state != "open":
        raise UserInputError(texts.closed_goal(goal.number, goal.state))
    if goal.measure == KEY_RESULTS_MEASURE:
        raise UserInputError(okr_texts.use_key_results(goal.number))
    metadata = {"goal": goal.id, "number": goal.number, "response_url": request.response_url}
    return goal_modal.build_update_form(metadata=metadata, goal=goal)
