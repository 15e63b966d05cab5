"""What the digest's buttons do, for whoever clicks them in the channel.

A digest is read by the whole channel, so every button acts for the clicker: "Open G-3" shows
that goal to them alone, "Update G-3" opens the progress form only for the goal's owner, "See
Sales goals" lists that team's goals, "Answer this week's check-in" opens the clicker's own
open check-in. A button's value is hostile (a forged request can send anything): it is parsed,
and the goal or team it names is looked up in the clicker's own workspace, or the clicker is
told in one sentence why nothing happened.
"""

from __future__ import annotations

from bot.checkins.service import open_current_checkin
from bot.core.errors import UserInputError
from bot.core.refs import format_ref
from bot.core.request import RequestContext
from bot.core.text_input import small_int
from bot.digest import texts_buttons as texts
from bot.digest.blocks.mentions import Mentions
from bot.goals.commands import GoalAction, GoalCommand, ListScope
from bot.goals.service import run_goal_command, update_form_view
from bot.slack.outcome import Outcome
from storage.models import Team
from storage.repositories.goals import get_goal_by_number
from storage.repositories.members import member_names
from storage.repositories.teams import list_teams
from storage.states import GoalState


def _goal_number(value: str) -> int:
    number = small_int(value)
    if number is None or number == 0:
        raise UserInputError(texts.NOT_A_GOAL)
    return number


async def open_goal(request: RequestContext, value: str) -> Outcome:
    """ "Open G-n": the goal's details (as ``/goal show``), to the clicker alone."""
    command = GoalCommand(GoalAction.SHOW, number=_goal_number(value))
    return await run_goal_command(command, request)


async def update_own_goal(request: RequestContext, value: str) -> Outcome:
    """ "Update G-n": the progress form, for the goal's owner only."""
    number = _goal_number(value)
    ref = format_ref("G", number)
    async with request.runtime.sessions() as session:
        goal = await get_goal_by_number(session=session, team_id=request.team_id, number=number)
        names = await member_names(session=session, team_id=request.team_id)
    if goal is None:
        raise UserInputError(texts.NOT_A_GOAL)
    if goal.owner_id != request.user_id:
        owner = Mentions(names, enabled=False).name(goal.owner_id)
        raise UserInputError(texts.not_your_goal(ref, owner))
    if goal.state != GoalState.OPEN:
        raise UserInputError(texts.goal_closed(ref))
    return Outcome.opening(await update_form_view(request, number))


async def team_goals(request: RequestContext, value: str) -> Outcome:
    """ "See <team> goals": the open goals of that team of the clicker's workspace."""
    ref = small_int(value)
    team = await _team(request, ref) if ref is not None else None
    if team is None:
        raise UserInputError(texts.NOT_A_TEAM)
    command = GoalCommand(GoalAction.LIST, scope=ListScope.TEAM, team_name=team.name)
    return await run_goal_command(command, request)


async def _team(request: RequestContext, ref: int) -> Team | None:
    async with request.runtime.sessions() as session:
        teams = await list_teams(session=session, team_id=request.team_id)
    return next((team for team in teams if team.id == ref), None)


async def all_goals(request: RequestContext, value: str) -> Outcome:
    """ "See all goals": every open goal of the workspace."""
    if value != "all":
        raise UserInputError(texts.NOT_A_LIST)
    return await run_goal_command(GoalCommand(GoalAction.LIST, scope=ListScope.ALL), request)


async def answer_checkin(request: RequestContext, _value: str) -> Outcome:
    """ "Answer this week's check-in": the clicker's own open check-in of this week, or a
    sentence saying none is open and when the next one comes. The value is not used: the
    check-in is always the clicker's own."""
    return await open_current_checkin(request)
