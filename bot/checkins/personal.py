"""A person's own check-ins, per setup: skip, pause, resume, history, and when the next one
comes.

Knows nothing of Bolt. "When is my next check-in" is read from the invitation rows where a
round is already open (its prompt times are fixed then) and from the schedule where not yet,
for every setup the person takes part in. A command naming a setup acts on that one; without
a name, skip acts on the check-in a bare ``/checkin`` opens, pause and resume on every setup,
history shows every setup's answers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.checkins import texts
from bot.checkins.answer_window import open_invitations
from bot.checkins.blocks.lists import HistoryEntry, build_history
from bot.checkins.calendar import WorkCalendar, read_work_days
from bot.checkins.periods import period_key, period_week, runs_in_week
from bot.checkins.schedule import person_schedule
from bot.checkins.settings import CheckinSettings
from bot.checkins.setups import Setup, active_setups, default_or_unsaved, setup_by_name
from bot.core.errors import UserInputError
from bot.core.local_time import zone
from bot.core.runtime import Runtime
from bot.core.text_input import echo, escape_mrkdwn
from bot.slack.messages import Reply, build_notice
from storage.db import transaction
from storage.models import ALL_SETUPS
from storage.repositories import checkin_answers as answers_repo
from storage.repositories import checkin_calendar as calendar_repo
from storage.repositories import checkins as repo
from storage.repositories.checkin_setups import get_setups
from storage.repositories.members import get_member
from storage.repositories.teams import members_by_team
from storage.repositories.workspaces import get_workspace

WEEKS_SEARCHED = 60  # longer than the longest pause, so a next prompt is always found
PAUSE_MAX = timedelta(days=365)
HISTORY_SIZE = 5


@dataclass(frozen=True)
class Person:
    """What deciding about one person's check-ins needs, read once. ``setups`` are the
    workspace's active setups, ``taking_part`` the ids of those that invite the person;
    ``pauses`` are theirs by setup id (``ALL_SETUPS``: a pause of every setup)."""

    team_id: str
    user_id: str
    setups: tuple[Setup, ...]
    taking_part: frozenset[int]
    tz: ZoneInfo
    calendar: WorkCalendar
    pauses: dict[int, date]
    now: datetime

    @property
    def today(self) -> date:
        """The person's own calendar day."""
        return self.now.astimezone(self.tz).date()

    @property
    def settings(self) -> CheckinSettings:
        """The default setup's settings."""
        return next((s for s in self.setups if s.is_default), self.setups[0]).settings

    def paused_until(self, setup_id: int) -> date | None:
        """The later end of the pause of this setup and of every setup."""
        ends = [self.pauses.get(setup_id), self.pauses.get(ALL_SETUPS)]
        return max((end for end in ends if end is not None), default=None)

    def paused_on(self, setup_id: int, moment: datetime) -> bool:
        until = self.paused_until(setup_id)
        return until is not None and moment.astimezone(self.tz).date() <= until

    def receives(self, setup: Setup) -> bool:
        return setup.settings.enabled and setup.id in self.taking_part


async def load_person(
    session: AsyncSession, *, team_id: str, user_id: str, now: datetime
) -> Person:
    workspace = await get_workspace(session=session, team_id=team_id)
    member = await get_member(session=session, team_id=team_id, user_id=user_id)
    holidays = await calendar_repo.list_holidays(
        session=session, team_id=team_id, since=now.date() - timedelta(days=14)
    )
    setups = await active_setups(session, team_id) or [await default_or_unsaved(session, team_id)]
    teams: dict[int, list[str]] | None = None
    taking_part = set()
    for setup in setups:
        settings = setup.settings
        if settings.everyone or user_id in settings.user_ids:
            taking_part.add(setup.id)
        elif settings.team_refs:  # as the round opening decides
            teams = (
                teams
                if teams is not None
                else await members_by_team(session=session, team_id=team_id)
            )
            if any(user_id in teams.get(ref, []) for ref in settings.team_refs):
                taking_part.add(setup.id)
    pauses = await calendar_repo.pauses_by_setup(
        session=session, team_id=team_id, user_ids=[user_id]
    )
    return Person(
        team_id=team_id,
        user_id=user_id,
        setups=tuple(setups),
        taking_part=frozenset(taking_part),
        tz=zone(member.tz if member else None, workspace.timezone if workspace else None),
        calendar=WorkCalendar(
            read_work_days(workspace.settings if workspace else None), frozenset(holidays)
        ),
        pauses={setup_id: until for (_, setup_id), until in pauses.items()},
        now=now,
    )


def _periods(settings: CheckinSettings, start: date) -> list[str]:
    """The setup's periods from ``start`` on, for ``WEEKS_SEARCHED`` weeks, in order."""
    days = [start + timedelta(days=n) for n in range(7 * WEEKS_SEARCHED)]
    if settings.is_stand_up:
        days = [day for day in days if day.weekday() in settings.days]
    periods = dict.fromkeys(period_key(settings, day) for day in days)
    return [period for period in periods if runs_in_week(settings, period_week(period))]


async def _next_of_setup(session: AsyncSession, person: Person, setup: Setup) -> datetime | None:
    """The person's next prompt of one setup: skips prompts in their pause, and periods
    whose round is open but holds no pending invitation for them (skipped, answered, or
    they joined after it opened)."""
    if not person.receives(setup):
        return None
    start = person.now.date() - timedelta(days=7)  # a prompt moved by holidays can be late
    periods = _periods(setup.settings, start)
    weeks = list(dict.fromkeys(period_week(period) for period in periods))
    rounds = await repo.rounds_of_weeks(
        session=session, team_id=person.team_id, weeks=weeks, setup_id=setup.id
    )
    invitations = await repo.deliveries_of_user(
        session=session,
        team_id=person.team_id,
        user_id=person.user_id,
        round_ids=[found.id for found in rounds.values() if found.id is not None],
    )
    for period in periods:
        opened = rounds.get(period)
        if opened is None:
            times = person_schedule(period, setup.settings, person.tz, person.calendar)
            if times is None:
                continue
            moment = times.prompt_at
        else:
            invitation = invitations.get(opened.id or 0)
            if invitation is None or invitation.state != repo.PENDING:
                continue
            moment = invitation.prompt_at
        if moment > person.now and not person.paused_on(setup.id, moment):
            return moment.astimezone(person.tz)
    return None


async def next_prompt(
    session: AsyncSession, person: Person, setup: Setup | None = None
) -> tuple[datetime, Setup] | None:
    """When the person's next prompt goes out (in their time zone) and of which setup,
    across every setup they take part in (or of ``setup`` only); None when none comes."""
    found: list[tuple[datetime, Setup]] = []
    for candidate in person.setups if setup is None else (setup,):
        moment = await _next_of_setup(session, person, candidate)
        if moment is not None:
            found.append((moment, candidate))
    return min(found, key=lambda pair: pair[0], default=None)


def shown_name(setup: Setup) -> str | None:
    """The setup's escaped name for messages; None for the default setup."""
    return None if setup.is_default else escape_mrkdwn(setup.name)


async def next_text(session: AsyncSession, person: Person, setup: Setup | None = None) -> str:
    """The sentence saying when the person's next check-in comes (naming its setup), or
    why none does."""
    chosen = person.setups if setup is None else (setup,)
    if not any(candidate.settings.enabled for candidate in chosen):
        if setup is not None and not setup.is_default:
            return texts.setup_off(escape_mrkdwn(setup.name))
        return texts.CHECKINS_OFF_SHORT
    if not any(person.receives(candidate) for candidate in chosen):
        if setup is not None and not setup.is_default:
            return texts.setup_not_yours(escape_mrkdwn(setup.name))
        return texts.NOT_TAKING_PART
    found = await next_prompt(session, person, setup)
    if found is None:
        return texts.next_sentence(None)
    return texts.next_sentence(found[0], shown_name(found[1]) if setup is None else None)


async def named_setup(session: AsyncSession, team_id: str, name: str) -> Setup:
    """The active setup called ``name``, or the error that says how to find the names."""
    found = await setup_by_name(session, team_id, name)
    if found is None:
        raise UserInputError(texts.no_such_setup(echo(name)))
    return found


async def skip_checkin(
    *, runtime: Runtime, team_id: str, user_id: str, setup_name: str = ""
) -> Reply:
    """Skip the open check-in of the named setup, or (no name) the one ``/checkin`` opens;
    an invitation not sent yet is skipped too, so it never goes out."""
    now = runtime.clock()
    async with transaction(runtime.sessions) as session:
        setup = await named_setup(session, team_id, setup_name) if setup_name else None
        person = await load_person(session, team_id=team_id, user_id=user_id, now=now)
        current = await open_invitations(session=session, team_id=team_id, user_id=user_id, now=now)
        if setup is not None:
            current = [pair for pair in current if pair[1].setup_id == setup.id]
        done = (repo.ANSWERED, repo.SKIPPED)  # offered last: another may still be skipped
        current.sort(key=lambda pair: pair[0].state in done)
        name = shown_name(setup) if setup is not None else None
        if not current:
            if setup is None and not any(s.settings.enabled for s in person.setups):
                raise UserInputError(texts.CHECKINS_OFF)
            following = await next_text(session, person, setup)
            raise UserInputError(texts.nothing_to_skip(following, name))
        invitation, round_ = current[0]
        assert invitation.id is not None
        if setup is None:
            of_round = next((s for s in person.setups if s.id == round_.setup_id), None)
            name = shown_name(of_round) if of_round is not None else None
        if invitation.state == repo.ANSWERED:
            raise UserInputError(texts.already_answered(round_.period, name))
        if invitation.state == repo.SKIPPED:
            following = await next_text(session, person, setup)
            return build_notice(texts.already_skipped(round_.period, following, name))
        if not await answers_repo.mark_skipped(
            session=session, team_id=team_id, delivery_id=invitation.id
        ):
            raise UserInputError(texts.already_answered(round_.period, name))  # answered meanwhile
        following = await next_text(session, person, setup)
    return build_notice(
        texts.skipped(round_.period, invitation.sent_at is not None, following, name)
    )


async def pause_checkins(
    *, runtime: Runtime, team_id: str, user_id: str, until: date, setup_name: str = ""
) -> Reply:
    """No prompts of the named setup (no name: of any) up to and including ``until``: a day
    after today and within a year."""
    now = runtime.clock()
    async with transaction(runtime.sessions) as session:
        setup = await named_setup(session, team_id, setup_name) if setup_name else None
        person = await load_person(session, team_id=team_id, user_id=user_id, now=now)
        if until <= person.today:
            raise UserInputError(texts.pause_not_future(until, person.today))
        if until > person.today + PAUSE_MAX:
            raise UserInputError(texts.pause_too_far(until, person.today + PAUSE_MAX))
        key = setup.id if setup is not None else ALL_SETUPS
        previous = person.pauses.get(key)
        await calendar_repo.set_pause(
            session=session, team_id=team_id, user_id=user_id, until=until, setup_id=key
        )
        paused = replace(person, pauses={**person.pauses, key: until})
        following = await next_text(session, paused, setup)
        current = await open_invitations(session=session, team_id=team_id, user_id=user_id, now=now)
    still_open = next(
        (
            round_
            for delivery, round_ in current
            if delivery.state == repo.SENT and (setup is None or round_.setup_id == setup.id)
        ),
        None,
    )
    if previous is not None and previous < person.today:
        previous = None  # an old pause that had ended
    open_setup = next(
        (s for s in person.setups if still_open and s.id == still_open.setup_id), None
    )
    return build_notice(
        texts.paused(
            until,
            previous,
            following,
            still_open.period if still_open else None,
            shown_name(setup) if setup is not None else None,
            shown_name(open_setup) if open_setup is not None else None,
        )
    )


async def resume_checkins(
    *, runtime: Runtime, team_id: str, user_id: str, setup_name: str = ""
) -> Reply:
    """End the pause of the named setup, or (no name) every pause the person has."""
    now = runtime.clock()
    async with transaction(runtime.sessions) as session:
        setup = await named_setup(session, team_id, setup_name) if setup_name else None
        person = await load_person(session, team_id=team_id, user_id=user_id, now=now)
        key = setup.id if setup is not None else None
        await calendar_repo.clear_pause(
            session=session, team_id=team_id, user_id=user_id, setup_id=key
        )
        if key is None:
            was = [until for until in person.pauses.values() if until >= person.today]
            remaining: dict[int, date] = {}
        else:
            was = [until for until in [person.pauses.get(key)] if until and until >= person.today]
            remaining = {k: v for k, v in person.pauses.items() if k != key}
        following = await next_text(session, replace(person, pauses=remaining), setup)
    name = shown_name(setup) if setup is not None else None
    text = texts.resumed(following, name) if was else texts.not_paused(following, name)
    all_until = remaining.get(ALL_SETUPS)
    if all_until is not None and all_until >= person.today:
        text += " " + texts.still_paused_for_all(all_until)
    return build_notice(text)


async def checkin_history(
    *, runtime: Runtime, team_id: str, user_id: str, setup_name: str = ""
) -> Reply:
    """The person's last answers: of the named setup, or of every setup, each labelled with
    its setup once the workspace has more than one."""
    async with runtime.sessions() as session:
        setup = await named_setup(session, team_id, setup_name) if setup_name else None
        found = await answers_repo.answers_of_user(
            session=session,
            team_id=team_id,
            user_id=user_id,
            limit=HISTORY_SIZE,
            setup_id=setup.id if setup is not None else None,
        )
        found.sort(key=lambda pair: (pair[1].week, pair[1].period, pair[0].created_at))
        found = found[::-1][:HISTORY_SIZE]
        labelled = setup is None and len(await active_setups(session, team_id)) > 1
        names = (
            await get_setups(
                session=session,
                team_id=team_id,
                setup_ids=sorted({round_.setup_id for _, round_ in found}),
            )
            if labelled
            else {}
        )
    entries = [
        HistoryEntry(
            answer, round_, names[round_.setup_id].name if round_.setup_id in names else None
        )
        for answer, round_ in found
    ]
    if setup is not None:
        return build_history(entries, setup_name=setup.name)
    return build_history(entries)
