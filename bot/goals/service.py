"""Carry out a parsed ``/goal`` command; knows nothing of Bolt, only a Slack Web API client."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.errors import UserInputError
from bot.core.runtime import Runtime
from bot.core.text_input import check_statement
from bot.goals import texts
from bot.goals.blocks import modal as goal_modal
from bot.goals.blocks.messages import (
    build_goal_help,
    build_goal_list,
    build_goal_show,
    build_goal_tree,
    measure_text,
)
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
from bot.goals.progress import progress_bar
from bot.goals.views import GoalSnapshot, load_snapshot, tree_roots
from bot.people.lookup import resolve_person
from bot.people.members import ensure_member
from bot.people.teams import find_team
from bot.slack.messages import Reply, build_notice
from storage.models import GOAL_TEXT_MAX_CHARS, Team
from storage.repositories.goals import recent_updates, workspace_goals
from storage.repositories.teams import list_teams


@dataclass(frozen=True)
class OpenModal:
    """The command wants a modal opened (with the command's ``trigger_id``)."""

    view: dict[str, Any]


@dataclass(frozen=True)
class Changed:
    """A goal changed: the reply, and whose Home tabs now show something different."""

    reply: Reply
    affected: tuple[str, ...]


@dataclass(frozen=True)
class GoalRequest:
    runtime: Runtime
    client: AsyncWebClient
    team_id: str
    user_id: str
    response_url: str | None = None
    local_date: date | None = None  # today in the person's time zone, when looked up

    def today(self) -> date:
        """Today where the person is (due dates and status count in their days)."""
        return self.local_date or self.runtime.clock().date()


async def run_goal_command(
    command: GoalCommand, request: GoalRequest
) -> Reply | OpenModal | Changed:
    action = command.action
    if action is GoalAction.HELP:
        return build_goal_help()
    await ensure_member(
        client=request.client,
        sessions=request.runtime.sessions,
        team_id=request.team_id,
        user_id=request.user_id,
    )
    if action is GoalAction.NEW:
        return OpenModal(await goal_form_view(request, title=command.text))
    if action is GoalAction.LIST:
        return await _list(command, request)
    if action is GoalAction.TREE:
        return await _tree(command, request)
    if action is GoalAction.EXPORT:
        count = await send_export(request.runtime, request.client, request.team_id, request.user_id)
        return build_notice(texts.export_sent(count))
    assert command.number is not None
    if action is GoalAction.SHOW:
        return await _show(command.number, request)
    if action is GoalAction.EDIT:
        return OpenModal(await goal_form_view(request, number=command.number))
    if action is GoalAction.UPDATE:
        return await _update(command, request)
    if action is GoalAction.CLOSE:
        goal = await close_goal(
            runtime=request.runtime,
            team_id=request.team_id,
            actor=request.user_id,
            number=command.number,
            outcome=command.text,
            note=_note(command.note),
        )
        return Changed(build_notice(texts.goal_closed(goal)), (request.user_id, goal.owner_id))
    if action is GoalAction.REOPEN:
        goal = await reopen_goal(
            runtime=request.runtime,
            team_id=request.team_id,
            actor=request.user_id,
            number=command.number,
        )
        return Changed(build_notice(texts.goal_reopened(goal)), (request.user_id, goal.owner_id))
    goal, parent = await link_goal(
        runtime=request.runtime,
        team_id=request.team_id,
        actor=request.user_id,
        number=command.number,
        parent_number=command.parent_number,
    )
    return Changed(build_notice(texts.goal_linked(goal, parent)), (request.user_id, goal.owner_id))


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
    request: GoalRequest, *, title: str = "", number: int | None = None
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
    candidates = sorted(
        (g for g in goals if g.level in ("company", "team")), key=lambda g: -g.number
    )
    metadata = {"goal": goal.id if goal else None, "response_url": request.response_url}
    return goal_modal.build_goal_form(
        metadata=metadata,
        owner_id=request.user_id,
        teams=teams,
        candidates=candidates,
        goal=goal,
        title=title[:150],
    )


async def _list(command: GoalCommand, request: GoalRequest) -> Reply:
    snapshot = await load_snapshot(
        runtime=request.runtime, team_id=request.team_id, today=request.today()
    )
    views = snapshot.open_views()
    if command.scope is ListScope.MINE:
        return build_goal_list(
            "Your goals",
            [v for v in views if v.goal.owner_id == request.user_id],
            snapshot,
            texts.NO_GOALS_MINE,
        )
    if command.scope is ListScope.COMPANY:
        return build_goal_list(
            "Company goals",
            [v for v in views if v.goal.level == "company"],
            snapshot,
            texts.NO_GOALS,
        )
    if command.scope is ListScope.ALL:
        return build_goal_list("All open goals", views, snapshot, texts.NO_GOALS)
    if command.scope is ListScope.TEAM:
        team = await _team(request, command.team_name)
        return build_goal_list(
            f"Goals of {team.name}",
            [v for v in views if v.goal.team_ref == team.id],
            snapshot,
            texts.NO_GOALS,
        )
    assert command.person is not None
    owner = await resolve_person(
        command.person, runtime=request.runtime, client=request.client, team_id=request.team_id
    )
    return build_goal_list(
        "Goals of a person",
        [v for v in views if v.goal.owner_id == owner],
        snapshot,
        f"<@{owner}> has no open goals.",
    )


async def _team(request: GoalRequest, name: str) -> Team:
    async with request.runtime.sessions() as session:
        return await find_team(session=session, team_id=request.team_id, name=name)


async def _tree(command: GoalCommand, request: GoalRequest) -> Reply:
    snapshot = await load_snapshot(
        runtime=request.runtime, team_id=request.team_id, today=request.today()
    )
    if command.number is not None:
        root = snapshot.by_number(command.number)
        if root is None:
            raise UserInputError(texts.no_such_goal(command.number))
        return build_goal_tree(
            f"G-{root.goal.number} and what serves it", snapshot.tree([root]), texts.NO_GOALS
        )
    if command.scope is ListScope.TEAM:
        team = await _team(request, command.team_name)
        roots = [
            v
            for v in snapshot.open_views()
            if v.goal.team_ref == team.id and v.goal.level == "team"
        ]
        return build_goal_tree(
            f"Goals of {team.name}", snapshot.tree(roots), f"{team.name} has no open team goals."
        )
    return build_goal_tree("The goal cascade", snapshot.tree(tree_roots(snapshot)), texts.NO_GOALS)


async def _show(number: int, request: GoalRequest) -> Reply:
    snapshot = await load_snapshot(
        runtime=request.runtime, team_id=request.team_id, today=request.today()
    )
    view = snapshot.by_number(number)
    if view is None or view.goal.id is None:
        raise UserInputError(texts.no_such_goal(number))
    async with request.runtime.sessions() as session:
        updates = await recent_updates(
            session=session, team_id=request.team_id, goal_id=view.goal.id
        )
    return build_goal_show(view, snapshot, updates)


async def _update(command: GoalCommand, request: GoalRequest) -> Changed | OpenModal:
    assert command.number is not None
    if not command.text:
        return OpenModal(await update_form_view(request, command.number))
    async with request.runtime.sessions() as session:
        goal = await find_goal(session=session, team_id=request.team_id, number=command.number)
    if goal.measure == "children":
        raise UserInputError(texts.value_refused_for_rollup(goal.number))
    value = parse_goal_value(command.text, measure=goal.measure)
    goal = await record_progress(
        runtime=request.runtime,
        team_id=request.team_id,
        actor=request.user_id,
        number=command.number,
        value=value,
        note=_note(command.note),
    )
    reply = build_notice(texts.progress_recorded(goal, await _progress_text(request, goal.number)))
    return Changed(reply, (request.user_id, goal.owner_id))


async def _progress_text(request: GoalRequest, number: int) -> str:
    snapshot: GoalSnapshot = await load_snapshot(
        runtime=request.runtime, team_id=request.team_id, today=request.today()
    )
    view = snapshot.by_number(number)
    if view is None:
        return ""
    return f"`{progress_bar(view.progress)}` · {measure_text(view, snapshot)}"


async def update_form_view(request: GoalRequest, number: int) -> dict[str, Any]:
    async with request.runtime.sessions() as session:
        goal = await goal_to_change(
            session=session, team_id=request.team_id, actor=request.user_id, number=number
        )
    if goal.state != "open":
        raise UserInputError(texts.closed_goal(goal.number, goal.state))
    metadata = {"goal": goal.id, "number": goal.number, "response_url": request.response_url}
    return goal_modal.build_update_form(metadata=metadata, goal=goal)
