"""Who may do what with check-in setups, and setups as lists show them.

Admins may do anything. A team lead may create setups that ask only teams they lead and
people in them, and change or remove the setups they created or whose every team they lead;
asking everyone, and the workspace's default setup, stay with the admins.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.checkins import texts_setups
from bot.checkins.blocks.setup_list import ListedSetup
from bot.checkins.settings import CheckinSettings, read_config
from bot.checkins.setups import DEFAULT_NAME, Setup
from bot.core import texts
from bot.core.text_input import escape_mrkdwn
from bot.people.admins import member_is_admin
from storage.models import CheckinSetup, Team
from storage.repositories.members import get_member
from storage.repositories.teams import members_by_team

SETTINGS_ACTION = "change check-in settings"


@dataclass(frozen=True)
class Viewer:
    """Who is looking at or saving setups, and what they may change."""

    user_id: str
    admin: bool
    led_teams: frozenset[int] = frozenset()
    led_people: frozenset[str] = frozenset()

    @property
    def may_create(self) -> bool:
        return self.admin or bool(self.led_teams)

    def may_edit(self, setup: Setup, created_by: str) -> bool:
        if self.admin:
            return True
        if setup.is_default:
            return False
        settings = setup.settings
        within_reach = (
            not settings.everyone
            and set(settings.team_refs) <= self.led_teams
            and set(settings.user_ids) <= self.led_people
        )
        # a lead changes setups of their own teams, theirs or not; a setup an admin has since
        # widened beyond them is the admins' alone, even for the lead who created it
        return within_reach and (created_by == self.user_id or bool(settings.team_refs))


def viewer_of(
    user_id: str,
    *,
    admin: bool,
    teams: Sequence[Team],
    members: Mapping[int, list[str]] | None = None,
) -> Viewer:
    """``members`` (team id -> member ids) tells which people a lead's teams hold."""
    led = frozenset(t.id for t in teams if t.id is not None and t.lead_user_id == user_id)
    people = {user_id, *(user for ref in led for user in (members or {}).get(ref, []))}
    return Viewer(user_id, admin, led, frozenset(people) if led else frozenset())


async def load_viewer(
    session: AsyncSession, team_id: str, user_id: str, teams: Sequence[Team]
) -> Viewer:
    admin = member_is_admin(await get_member(session=session, team_id=team_id, user_id=user_id))
    leads = not admin and any(team.lead_user_id == user_id for team in teams)
    members = await members_by_team(session=session, team_id=team_id) if leads else None
    return viewer_of(user_id, admin=admin, teams=teams, members=members)


def setup_of(row: CheckinSetup) -> Setup:
    assert row.id is not None
    return Setup(
        id=row.id,
        name=row.name,
        is_default=row.default_key is not None,
        settings=read_config(row.config),
        archived=row.archived_at is not None,
    )


def listed_setups(rows: Sequence[CheckinSetup], viewer: Viewer) -> list[ListedSetup]:
    """The setups as a list shows them, the default first (unsaved: its defaults)."""
    listed = [
        ListedSetup(setup.id, setup.name, setup.is_default, setup.settings, editable)
        for row in rows
        for setup in [setup_of(row)]
        for editable in [viewer.may_edit(setup, row.created_by)]
    ]
    if not any(setup.is_default for setup in listed):
        listed.insert(0, ListedSetup(0, DEFAULT_NAME, True, CheckinSettings(), viewer.admin))
    return listed


def refusal(setup: Setup) -> str:
    if setup.is_default:
        return texts.not_admin(SETTINGS_ACTION)
    return texts_setups.not_allowed_edit(escape_mrkdwn(setup.name))
