"""What one person's welcome says, read in one session: the vision and mission, the
priorities, the goals of their teams this quarter with each team's lead, when their next
check-in comes, and whether kudos are on. Text is kept as stored; the blocks escape it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.checkins.personal import load_person, next_text
from bot.core.quarters import Quarter, quarter_of, read_fiscal_start
from bot.goals.period_choice import PeriodFilter
from bot.goals.progress import GoalView, evaluate
from bot.kudos.settings import read_kudos_settings
from storage.models import Priority
from storage.repositories.goals import workspace_goals
from storage.repositories.priorities import list_priorities
from storage.repositories.teams import teams_of_user
from storage.repositories.workspaces import get_workspace
from storage.states import GoalLevel

GOALS_PER_TEAM = 4
TEAMS_SHOWN = 3


@dataclass(frozen=True)
class TeamPlan:
    name: str
    lead_user_id: str | None
    goals: list[GoalView]  # the first GOALS_PER_TEAM
    more_goals: int


@dataclass(frozen=True)
class WelcomeContent:
    user_id: str
    workspace_name: str
    vision: str
    mission: str
    priorities: list[Priority]
    teams: list[TeamPlan]  # the first TEAMS_SHOWN
    more_teams: int
    quarter: Quarter
    next_checkin: str  # a whole sentence
    kudos_on: bool
    joined_team: str | None = None  # the team whose join this welcome answers


async def gather_welcome(
    session: AsyncSession,
    *,
    team_id: str,
    user_id: str,
    now: datetime,
    joined_team: str | None = None,
) -> WelcomeContent:
    workspace = await get_workspace(session=session, team_id=team_id)
    settings = workspace.settings if workspace else None
    person = await load_person(session, team_id=team_id, user_id=user_id, now=now)
    quarter = quarter_of(person.today, read_fiscal_start(settings))
    this_quarter = PeriodFilter(quarter, person.today)
    teams = await teams_of_user(session=session, team_id=team_id, user_id=user_id)
    views = evaluate(
        await workspace_goals(session=session, team_id=team_id, include_closed=False),
        person.today,
    )
    plans = []
    for team in teams[:TEAMS_SHOWN]:
        goals = [
            view
            for view in views.values()
            if view.goal.level == GoalLevel.TEAM
            and view.goal.team_ref == team.id
            and this_quarter.shows(view.goal)
        ]
        goals.sort(key=lambda view: view.goal.number)
        plans.append(
            TeamPlan(
                team.name, team.lead_user_id, goals[:GOALS_PER_TEAM], len(goals[GOALS_PER_TEAM:])
            )
        )
    return WelcomeContent(
        user_id=user_id,
        workspace_name=workspace.name if workspace else "",
        vision=workspace.vision if workspace else "",
        mission=workspace.mission if workspace else "",
        priorities=await list_priorities(session=session, team_id=team_id),
        teams=plans,
        more_teams=max(0, len(teams) - TEAMS_SHOWN),
        quarter=quarter,
        next_checkin=await next_text(session, person),
        kudos_on=read_kudos_settings(settings).enabled,
        joined_team=joined_team,
    )
