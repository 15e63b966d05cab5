"""Who may change an objective's key results: as for ``/goal update``, its owner, the lead
of its team and admins; only while it is open."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.errors import PermissionDenied, UserInputError
from bot.okrs import texts
from bot.people.permissions import can_change_owned
from storage.models import Goal
from storage.repositories.goals import get_goal_by_number
from storage.repositories.teams import get_teams
from storage.states import GoalState


async def objective_to_change(
    *, session: AsyncSession, team_id: str, actor: str, number: int
) -> Goal:
    """Goal ``G-number``, locked for the change, if ``actor`` may change it and it is open."""
    goal = await get_goal_by_number(
        session=session, team_id=team_id, number=number, for_update=True
    )
    if goal is None:
        raise UserInputError(texts.no_such_goal(number))
    team = None
    if goal.team_ref is not None:
        teams = await get_teams(session=session, team_id=team_id, team_refs=[goal.team_ref])
        team = teams.get(goal.team_ref)
    if not await can_change_owned(
        session=session, team_id=team_id, user_id=actor, owner_id=goal.owner_id, team=team
    ):
        raise PermissionDenied(texts.cannot_change(goal.number))
    if goal.state != GoalState.OPEN:
        raise UserInputError(texts.closed_goal(goal.number, goal.state))
    return goal
