"""A person's own check-ins: skip, pause, resume, history, and when the next one comes.

Knows nothing of Bolt. "When is my next check-in" is read from the invitation rows where a
round is already open (its prompt times are fixed then) and from the schedule where not yet.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.checkins import texts
from bot.checkins.blocks.lists import build_history
from bot.checkins.calendar import WorkCalendar, read_work_days
from bot.checkins.schedule import person_schedule
from bot.checkins.settings import CheckinSettings
from bot.checkins.setups import default_settings
from bot.core.errors import UserInputError
from bot.core.local_time import zone
from bot.core.runtime import Runtime
from bot.core.weeks import iso_week
from bot.slack.messages import Reply, build_notice
from storage.db import transaction
from storage.repositories import checkin_answers as answers_repo
from storage.repositories import checkin_calendar as calendar_repo
from storage.repositories import checkins as repo
from storage.repositories.members import get_member
from storage.repositories.teams import members_by_team
from storage.repositories.workspaces import get_workspace

WEEKS_SEARCHED = 60  # longer than the longest pause, so a next prompt is always found
PAUSE_MAX = timedelta(days=365)
HISTORY_SIZE = 5


@dataclass(frozen=True)
class Person:
    """What deciding about one person's check-ins needs, read once."""

    team_id: str
    user_id: str
    settings: CheckinSettings
    tz: ZoneInfo
    calendar: WorkCalendar
    paused_until: date | None
    taking_part: bool
    now: datetime

    @property
    def today(self) -> date:
        """The person's own calendar day."""
        return self.now.astimezone(self.tz).date()

    def paused_on(self, moment: datetime) -> bool:
        return self.paused_until is not None and moment.astimezone(self.tz).date() <= (
            self.paused_until
        )


async def load_person(
    session: AsyncSession, *, team_id: str, user_id: str, now: datetime
) -> Person:
    workspace = await get_workspace(session=session, team_id=team_id)
    member = await get_member(session=session, team_id=team_id, user_id=user_id)
    holidays = await calendar_repo.list_holidays(
        session=session, team_id=team_id, since=now.date() - timedelta(days=14)
    )
    settings = await default_settings(session, team_id)
    taking_part = settings.everyone or user_id in settings.user_ids
    if not taking_part and settings.team_refs:  # as the round opening decides
        teams = await members_by_team(session=session, team_id=team_id)
        taking_part = any(user_id in teams.get(ref, []) for ref in settings.team_refs)
    return Person(
        team_id=team_id,
        user_id=user_id,
        settings=settings,
        tz=zone(member.tz if member else None, workspace.timezone if workspace else None),
        calendar=WorkCalendar(
            read_work_days(workspace.settings if workspace else None), frozenset(holidays)
        ),
        paused_until=await calendar_repo.get_pause(
            session=session, team_id=team_id, user_id=user_id
        ),
        taking_part=taking_part,
        now=now,
    )


async def next_prompt(session: AsyncSession, person: Person) -> datetime | None:
    """When the person's next prompt goes out, in their time zone; None when they get none.

    Skips prompts that fall in their pause, and weeks whose round is open but holds no pending
    invitation for them (skipped, answered, or they joined after it opened).
    """
    if not person.settings.enabled or not person.taking_part:
        return None
    start = person.now.date() - timedelta(days=7)  # a prompt moved by holidays can be late
    weeks = list(dict.fromkeys(iso_week(start + timedelta(weeks=n)) for n in range(WEEKS_SEARCHED)))
    rounds = await repo.rounds_of_weeks(session=session, team_id=person.team_id, weeks=weeks)
    invitations = await repo.deliveries_of_user(
        session=session,
        team_id=person.team_id,
        user_id=person.user_id,
        round_ids=[found.id for found in rounds.values() if found.id is not None],
    )
    for week in weeks:
        opened = rounds.get(week)
        if opened is None:
            times = person_schedule(week, person.settings, person.tz, person.calendar)
            if times is None:
                continue
            moment = times.prompt_at
        else:
            invitation = invitations.get(opened.id or 0)
            if invitation is None or invitation.state != repo.PENDING:
                continue
            moment = invitation.prompt_at
        if moment > person.now and not person.paused_on(moment):
            return moment.astimezone(person.tz)
    return None


async def next_text(session: AsyncSession, person: Person) -> str:
    """The sentence saying when the person's next check-in comes, or why none does."""
    if not person.settings.enabled:
        return texts.CHECKINS_OFF_SHORT
    if not person.taking_part:
        return texts.NOT_TAKING_PART
    return texts.next_sentence(await next_prompt(session, person))


async def skip_checkin(*, runtime: Runtime, team_id: str, user_id: str) -> Reply:
    """Skip the person's current check-in: the open one, or the next one already scheduled."""
    now = runtime.clock()
    async with transaction(runtime.sessions) as session:
        person = await load_person(session, team_id=team_id, user_id=user_id, now=now)
        current = await repo.open_deliveries_of_user(
            session=session, team_id=team_id, user_id=user_id, now=now
        )
        if not current:
            if not person.settings.enabled:
                raise UserInputError(texts.CHECKINS_OFF)
            raise UserInputError(texts.nothing_to_skip(await next_text(session, person)))
        invitation, round_ = current[0]
        assert invitation.id is not None
        if invitation.state == repo.ANSWERED:
            raise UserInputError(texts.already_answered(round_.week))
        if invitation.state == repo.SKIPPED:
            return build_notice(
                texts.already_skipped(round_.week, await next_text(session, person))
            )
        if not await answers_repo.mark_skipped(
            session=session, team_id=team_id, delivery_id=invitation.id
        ):
            raise UserInputError(texts.already_answered(round_.week))  # answered meanwhile
        following = await next_text(session, person)
    return build_notice(texts.skipped(round_.week, invitation.sent_at is not None, following))


async def pause_checkins(*, runtime: Runtime, team_id: str, user_id: str, until: date) -> Reply:
    """No prompts up to and including ``until``: a day after today and within a year."""
    now = runtime.clock()
    async with transaction(runtime.sessions) as session:
        person = await load_person(session, team_id=team_id, user_id=user_id, now=now)
        if until <= person.today:
            raise UserInputError(texts.pause_not_future(until, person.today))
        if until > person.today + PAUSE_MAX:
            raise UserInputError(texts.pause_too_far(until, person.today + PAUSE_MAX))
        previous = person.paused_until
        await calendar_repo.set_pause(
            session=session, team_id=team_id, user_id=user_id, until=until
        )
        following = await next_text(session, replace(person, paused_until=until))
        current = await repo.open_deliveries_of_user(
            session=session, team_id=team_id, user_id=user_id, now=now
        )
    still_open = next((round_.week for d, round_ in current if d.state == repo.SENT), None)
    if previous is not None and previous < person.today:
        previous = None  # an old pause that had ended
    return build_notice(texts.paused(until, previous, following, still_open))


async def resume_checkins(*, runtime: Runtime, team_id: str, user_id: str) -> Reply:
    now = runtime.clock()
    async with transaction(runtime.sessions) as session:
        person = await load_person(session, team_id=team_id, user_id=user_id, now=now)
        await calendar_repo.clear_pause(session=session, team_id=team_id, user_id=user_id)
        was_paused = person.paused_until is not None and person.paused_until >= person.today
        following = await next_text(session, replace(person, paused_until=None))
    if not was_paused:
        return build_notice(texts.not_paused(following))
    return build_notice(texts.resumed(following))


async def checkin_history(*, runtime: Runtime, team_id: str, user_id: str) -> Reply:
    async with runtime.sessions() as session:
        entries = await answers_repo.answers_of_user(
            session=session, team_id=team_id, user_id=user_id, limit=HISTORY_SIZE
        )
    return build_history(entries)
