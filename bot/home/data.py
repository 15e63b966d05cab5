"""Everything a person's Home tab shows, gathered with a fixed number of queries (the goal
sections read one page each: ``bot/home/goal_sections.py``).

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
from bot.goals.pages import GoalPage
from bot.goals.period_choice import period_filter
from bot.goals.progress import STALE_AFTER, GoalView, Status
from bot.home.goal_sections import KPIS_SHOWN, Viewer, load_goal_sections
from bot.people.admins import member_is_admin
from storage.models import Kpi, KpiValue, Priority, Survey, Team, Workspace
from storage.repositories import checkin_calendar as calendar_repo
from storage.repositories import checkin_setups as setups_repo
from storage.repositories import checkins as checkins_repo
from storage.repositories.kpis import kpi_page, recent_values
from storage.repositories.members import get_member
from storage.repositories.priorities import list_priorities
from storage.repositories.survey_invites import open_surveys_to_answer
from storage.repositories.teams import list_teams, members_by_team, teams_of_user
from storage.repositories.workspaces import get_workspace
from storage.states import CheckinState

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
    page: GoalPage
    viewer_is_owner: bool = False
    led_team_names: list[str] = field(default_factory=list)
    pending_checkin: PendingCheckin | None = None
    open_surveys: list[OpenSurvey] = field(default_factory=list)
    my_goals: list[GoalView] = field(default_factory=list)
    team_goals: list[GoalView] = field(default_factory=list)
    company_goals: list[GoalView] = field(default_factory=list)
    attention_goals: list[GoalView] = field(default_factory=list)
    goal_totals: dict[str, int] = field(default_factory=dict)  # each goal section's size
    my_kpis: list[tuple[Kpi, list[KpiValue]]] = field(default_factory=list)  # the first
    my_kpis_total: int = 0
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


async def gather_home(
    *, session: AsyncSession, team_id: str, user_id: str, now: datetime
) -> HomeData:
    """What ``user_id``'s Home shows at ``now``, in the person's own time zone."""
    workspace = await get_workspace(session=session, team_id=team_id)
    member = await get_member(session=session, team_id=team_id, user_id=user_id)
    tz = zone(member.tz if member else None, workspace.timezone if workspace else None)
    today = now.astimezone(tz).date()
    teams = await list_teams(session=session, team_id=team_id)
    mine = await teams_of_user(session=session, team_id=team_id, user_id=user_id)
    owned = await kpi_page(session=session, team_id=team_id, limit=KPIS_SHOWN, owner_id=user_id)
    kpis = owned.kpis
    values = await recent_values(
        session=session, team_id=team_id, kpi_ids=[k.id for k in kpis if k.id is not None]
    )
    pending = await _pending_checkin(session, team_id, user_id, now, tz)
    surveys = await open_surveys_to_answer(
        session=session, team_id=team_id, user_id=user_id, now=now
    )
    period = period_filter(
        "", today=today, fiscal_start=read_fiscal_start(workspace.settings if workspace else None)
    )
    priorities = await list_priorities(session=session, team_id=team_id)
    is_admin = member_is_admin(member)
    sections = await load_goal_sections(
        session,
        team_id=team_id,
        viewer=Viewer(user_id, is_admin, mine),
        period=period,
        priorities=priorities,
    )
    data = HomeData(
        vision=workspace.vision if workspace else "",
        mission=workspace.mission if workspace else "",
        viewer_is_admin=is_admin,
        viewer_is_owner=bool(member and member.is_owner and not member.deleted),
        page=sections.page,
        led_team_names=[team.name for team in mine if team.lead_user_id == user_id],
        pending_checkin=pending,
        open_surveys=_open_surveys(surveys, tz),
        my_goals=sections.mine,
        team_goals=sections.team,
        company_goals=sections.company,
        attention_goals=sections.attention,
        goal_totals=sections.totals,
        my_kpis=[(kpi, values.get(kpi.id or 0, [])) for kpi in kpis],
        my_kpis_total=owned.total,
        my_team_names=[team.name for team in mine],
        not_aligned=sections.not_aligned,
        stale=sections.stale,
        period_label=period.label,
        priorities=priorities,
        strategy_flags=sections.strategy_flags,
    )
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
