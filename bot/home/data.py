"""Everything a person's Home tab shows, gathered with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.goals.progress import STALE_AFTER, GoalView, evaluate
from bot.goals.views import GoalSnapshot
from bot.people.admins import is_admin
from storage.models import Kpi, KpiValue
from storage.repositories.goals import workspace_goals
from storage.repositories.kpis import list_kpis, recent_values
from storage.repositories.teams import list_teams, teams_of_user
from storage.repositories.workspaces import get_workspace
from storage.states import GoalLevel


@dataclass
class HomeData:
    vision: str
    mission: str
    viewer_is_admin: bool
    snapshot: GoalSnapshot
    my_goals: list[GoalView] = field(default_factory=list)
    team_goals: list[GoalView] = field(default_factory=list)
    company_goals: list[GoalView] = field(default_factory=list)
    my_kpis: list[tuple[Kpi, list[KpiValue]]] = field(default_factory=list)
    my_team_names: list[str] = field(default_factory=list)
    not_aligned: int = 0
    stale: int = 0


async def gather_home(
    *, session: AsyncSession, team_id: str, user_id: str, today: date
) -> HomeData:
    workspace = await get_workspace(session=session, team_id=team_id)
    admin = await is_admin(session=session, team_id=team_id, user_id=user_id)
    goals = await workspace_goals(session=session, team_id=team_id, include_closed=False)
    teams = await list_teams(session=session, team_id=team_id)
    mine = await teams_of_user(session=session, team_id=team_id, user_id=user_id)
    kpis = [k for k in await list_kpis(session=session, team_id=team_id) if k.owner_id == user_id]
    values = await recent_values(
        session=session, team_id=team_id, kpi_ids=[k.id for k in kpis if k.id is not None]
    )
    snapshot = GoalSnapshot(
        views=evaluate(goals, today),
        teams={team.id: team for team in teams if team.id is not None},
        today=today,
    )
    open_views = snapshot.open_views()
    my_team_ids = {team.id for team in mine}
    cutoff = today - STALE_AFTER
    return HomeData(
        vision=workspace.vision if workspace else "",
        mission=workspace.mission if workspace else "",
        viewer_is_admin=admin,
        snapshot=snapshot,
        my_goals=[v for v in open_views if v.goal.owner_id == user_id],
        team_goals=[
            v
            for v in open_views
            if v.goal.level == GoalLevel.TEAM and v.goal.team_ref in my_team_ids
        ],
        company_goals=[v for v in open_views if v.goal.level == GoalLevel.COMPANY],
        my_kpis=[(kpi, values.get(kpi.id or 0, [])) for kpi in kpis],
        my_team_names=[team.name for team in mine],
        not_aligned=sum(not v.aligned for v in open_views),
        stale=sum(v.goal.progress_at.date() < cutoff for v in open_views),
    )
