"""Everything a person's Home tab shows, gathered with one query per section.

What the Home shows depends on who looks: everyone sees their own open check-in, their own
unanswered surveys (never anyone else's state), their goals and KPIs; team leads and admins
also see the goals in their care that need attention. A goal appears once per Home: in the
first section that claims it (mine, then my teams', then the company's, then attention).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.checkins.blocks.setup_list import ListedSetup
from bot.checkins.calendar import WorkCalendar, read_work_days
from bot.checkins.reschedule import when_next_goes_out
from bot.checkins.settings import CheckinSettings
from bot.checkins.setup_access import listed_setups, setup_of, viewer_of
from bot.checkins.setups import DEFAULT_NAME, Setup
from bot.core.local_time import zone
from bot.core.quarters import read_fiscal_start
from bot.goals.period_choice import period_filter
from bot.goals.progress import STALE_AFTER, GoalView, Status, evaluate
from bot.goals.views import GoalSnapshot
from bot.people.admins import member_is_admin
from bot.strategy.priorities import strategy_flags
from storage.models import Kpi, KpiValue, Priority, Survey, Team, Workspace
from storage.repositories import checkin_calendar as calendar_repo
from storage.repositories import checkin_setups as setups_repo
from storage.repositories import checkins as checkins_repo
from storage.repositories.goals import workspace_goals
from storage.repositories.kpis import list_kpis, recent_values
from storage.repositories.members import get_member
from storage.repositories.priorities import list_priorities
from storage.repositories.survey_invites import open_surveys_to_answer
from storage.repositories.teams import list_teams, members_by_team, teams_of_user
from storage.repositories.workspaces import get_workspace
from storage.states import CheckinState, GoalLevel

NEEDS_ATTENTION = (Status.AT_RISK, Status.OFF_TRACK)


@dataclass(frozen=True)
class PendingCheckin:
    """The person's check-in invitation that was sent, is not answered and still open."""

    delivery_id: int
    week: str
    closes_local: datetime


@dataclass(frozen=True)
class OpenSurvey:
    """An open survey the person was invited to and has not answered."""

    survey_id: int
    title: str
    closes_local: datetime


@dataclass
class HomeData:
    vision: str
    mission: str
    viewer_is_admin: bool
    snapshot: GoalSnapshot
    viewer_is_owner: bool = False
    led_team_names: list[str] = field(default_factory=list)
    pending_checkin: PendingCheckin | None = None
    open_surveys: list[OpenSurvey] = field(default_factory=list)
    my_goals: list[GoalView] = field(default_factory=list)
    team_goals: list[GoalView] = field(default_factory=list)
    company_goals: list[GoalView] = field(default_factory=list)
    attention_goals: list[GoalView] = field(default_factory=list)
    my_kpis: list[tuple[Kpi, list[KpiValue]]] = field(default_factory=list)
    my_team_names: list[str] = field(default_factory=list)
    not_aligned: int = 0
    stale: int = 0
    next_checkin: str = ""  # for admins: when the next check-in goes out, on their clock
    setups: list[ListedSetup] = field(default_factory=list)  # for admins and leads
    period_label: str = ""  # the goals shown are this quarter's
    team_names: dict[int, str] = field(default_factory=dict)
    priorities: list[Priority] = field(default_factory=list)
    strategy_flags: str = ""  # for admins: priorities no goal serves, goals serving none

    @property
    def viewer_is_lead(self) -> bool:
        return bool(self.led_team_names)


async def _pending_checkin(
    session: AsyncSession, team_id: str, user_id: str, now: datetime, tz: ZoneInfo
) -> PendingCheckin | None:
    invitations = await checkins_repo.open_deliveries_of_user(
        session=session, team_id=team_id, user_id=user_id, now=now
    )
    for delivery, round_ in invitations:
        sent = delivery.state == CheckinState.SENT
        if sent and delivery.id is not None and delivery.prompt_at <= now < delivery.closes_at:
            return PendingCheckin(delivery.id, round_.period, delivery.closes_at.astimezone(tz))
    return None


def _open_surveys(surveys: Iterable[Survey], tz: ZoneInfo) -> list[OpenSurvey]:
    return [
        OpenSurvey(survey.id, survey.title, survey.closes_at.astimezone(tz))
        for survey in surveys
        if survey.id is not None
    ]


def needs_attention(view: GoalView, today: date) -> bool:
    """Behind, not aligned to anything, or with no progress update for two weeks."""
    return (
        view.status in NEEDS_ATTENTION
        or not view.aligned
        or view.goal.progress_at.date() < today - STALE_AFTER
    )


class _Once:
    """Goals not yet shown on this Home: each section takes its own and marks them shown."""

    def __init__(self) -> None:
        self.shown: set[int] = set()

    def take(self, views: Iterable[GoalView]) -> list[GoalView]:
        taken = [view for view in views if view.goal.id not in self.shown]
        self.shown.update(view.goal.id for view in taken if view.goal.id is not None)
        return taken


def _sort_goals(
    data: HomeData, open_views: list[GoalView], user_id: str, my_teams: list[Team]
) -> None:
    """Fill the goal sections of ``data``, each goal in the first section that claims it."""
    once = _Once()
    my_team_ids = {team.id for team in my_teams}
    led_ids = {team.id for team in my_teams if team.lead_user_id == user_id}
    today = data.snapshot.today
    data.my_goals = once.take(v for v in open_views if v.goal.owner_id == user_id)
    data.team_goals = once.take(
        v for v in open_views if v.goal.level == GoalLevel.TEAM and v.goal.team_ref in my_team_ids
    )
    data.company_goals = once.take(v for v in open_views if v.goal.level == GoalLevel.COMPANY)
    if data.viewer_is_admin or led_ids:
        in_care = (
            v
            for v in open_views
            if (data.viewer_is_admin and v.goal.level != GoalLevel.PERSONAL)
            or v.goal.team_ref in led_ids
        )
        data.attention_goals = once.take(v for v in in_care if needs_attention(v, today))


async def gather_home(
    *, session: AsyncSession, team_id: str, user_id: str, now: datetime
) -> HomeData:
    """What ``user_id``'s Home shows at ``now``, in the person's own time zone."""
    workspace = await get_workspace(session=session, team_id=team_id)
    member = await get_member(session=session, team_id=team_id, user_id=user_id)
    tz = zone(member.tz if member else None, workspace.timezone if workspace else None)
    today = now.astimezone(tz).date()
    goals = await workspace_goals(session=session, team_id=team_id, include_closed=False)
    teams = await list_teams(session=session, team_id=team_id)
    mine = await teams_of_user(session=session, team_id=team_id, user_id=user_id)
    kpis = [k for k in await list_kpis(session=session, team_id=team_id) if k.owner_id == user_id]
    values = await recent_values(
        session=session, team_id=team_id, kpi_ids=[k.id for k in kpis if k.id is not None]
    )
    pending = await _pending_checkin(session, team_id, user_id, now, tz)
    surveys = await open_surveys_to_answer(
        session=session, team_id=team_id, user_id=user_id, now=now
    )
    snapshot = GoalSnapshot(
        views=evaluate(goals, today),
        teams={team.id: team for team in teams if team.id is not None},
        today=today,
    )
    period = period_filter(
        "", today=today, fiscal_start=read_fiscal_start(workspace.settings if workspace else None)
    )
    open_views = [view for view in snapshot.open_views() if period.shows(view.goal)]
    cutoff = today - STALE_AFTER
    data = HomeData(
        vision=workspace.vision if workspace else "",
        mission=workspace.mission if workspace else "",
        viewer_is_admin=member_is_admin(member),
        viewer_is_owner=bool(member and member.is_owner and not member.deleted),
        snapshot=snapshot,
        led_team_names=[team.name for team in mine if team.lead_user_id == user_id],
        pending_checkin=pending,
        open_surveys=_open_surveys(surveys, tz),
        my_kpis=[(kpi, values.get(kpi.id or 0, [])) for kpi in kpis],
        my_team_names=[team.name for team in mine],
        not_aligned=sum(not v.aligned for v in open_views),
        stale=sum(v.goal.progress_at.date() < cutoff for v in open_views),
        period_label=period.label,
    )
    _sort_goals(data, open_views, user_id, mine)
    data.priorities = await list_priorities(session=session, team_id=team_id)
    if data.viewer_is_admin and data.priorities:
        shown_goals = (view.goal for view in open_views)  # the period's, as Home shows
        data.strategy_flags = strategy_flags(data.priorities, shown_goals).line()
    if not (data.viewer_is_admin or data.viewer_is_lead):
        return data
    default = await _list_setups(session, data, team_id, user_id, teams)
    if data.viewer_is_admin:  # a new install sees at once when its first check-in goes out
        data.next_checkin = await _next_checkin(session, workspace, user_id, default, tz, now)
    return data


async def _next_checkin(
    session: AsyncSession,
    workspace: Workspace | None,
    user_id: str,
    default: Setup,
    tz: ZoneInfo,
    now: datetime,
) -> str:
    team_id = workspace.team_id if workspace else ""
    since = now.astimezone(tz).date() - timedelta(days=7)
    holidays = await calendar_repo.list_holidays(session=session, team_id=team_id, since=since)
    calendar = WorkCalendar(
        read_work_days(workspace.settings if workspace else None), frozenset(holidays)
    )
    return await when_next_goes_out(
        session, team_id=team_id, user_id=user_id, setup=default, tz=tz, calendar=calendar, now=now
    )


async def _list_setups(
    session: AsyncSession, data: HomeData, team_id: str, user_id: str, teams: list[Team]
) -> Setup:
    """Fill ``data.setups`` (one query; a lead's teams' members only when a setup asks
    people by name); returns the default setup (its defaults before it is stored)."""
    rows = await setups_repo.list_setups(session=session, team_id=team_id)
    asks_people = any(row.config.get("user_ids") for row in rows)
    members = (
        await members_by_team(session=session, team_id=team_id)
        if asks_people and not data.viewer_is_admin
        else None
    )
    viewer = viewer_of(user_id, admin=data.viewer_is_admin, teams=teams, members=members)
    data.setups = listed_setups(rows, viewer)
    data.team_names = {team.id: team.name for team in teams if team.id is not None}
    stored = next((row for row in rows if row.default_key is not None), None)
    if stored is not None:
        return setup_of(stored)
    return Setup(id=0, name=DEFAULT_NAME, is_default=True, settings=CheckinSettings())
