"""Carry out a parsed ``/goal`` command; knows nothing of Bolt, only a Slack Web API client."""

from __future__ import annotations

from typing import Any

from bot.core.errors import UserInputError
from bot.core.request import RequestContext
from bot.core.text_input import check_statement, small_int
from bot.goals import texts, texts_periods
from bot.goals.blocks import modal as goal_modal
from bot.goals.blocks.messages import build_goal_help
from bot.goals.carry import carry_goal
from bot.goals.changes import (
    close_goal,
    find_goal,
    goal_to_change,
    link_goal,
    record_progress,
    reopen_goal,
)
from bot.goals.commands import GoalAction, GoalCommand
from bot.goals.export import send_export
from bot.goals.forms import parse_goal_value
from bot.goals.period_choice import form_choices
from bot.goals.reads import goal_list_reply, goal_show_reply, goal_tree_reply, progress_text
from bot.okrs import texts as okr_texts
from bot.okrs.rollup import KEY_RESULTS_MEASURE
from bot.okrs.service import run_key_result_command
from bot.people.members import ensure_member
from bot.slack.messages import build_notice
from bot.slack.outcome import Outcome
from storage.models import GOAL_TEXT_MAX_CHARS, Goal
from storage.repositories.goals import workspace_goals
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
        return Outcome.replying(await goal_list_reply(command, request))
    if action is GoalAction.TREE:
        return Outcome.replying(await goal_tree_reply(command, request))
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
        return Outcome.replying(await goal_show_reply(number, request))
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
    progress = await progress_text(request, goal.number)
    return goal_changed(request, goal, texts.progress_recorded(goal, progress))


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
