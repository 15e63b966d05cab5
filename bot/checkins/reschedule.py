"""Settings saved mid-week reach this week's round: what is not sent yet follows them.

A round fixes its invitations' times when it opens, so without this a workspace that sets its
check-in day after installing would prompt nobody in its first week. Saving the settings
therefore, in the same transaction: opens the rounds that should exist by now (check-ins just
turned on), gives every invitation still ``pending`` the times of the new settings in its
person's own time zone, cancels the ones that must not go out (check-ins off, or the person's
team no longer takes part), brings back at the new times the ones that such a save cancelled
before they went out (check-ins on again, the team taking part again), and replaces a round's
questions while none of its prompts has left. Rows that are being sent or were sent are never
touched: each change is a conditional UPDATE on ``state = 'pending'`` (the same condition the
fan-out's claim needs), or, to bring one back, on ``skipped`` with nothing sent and one of the
settings' own reasons: a person's own skip and a skip for a pause keep theirs.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.checkins import texts_settings as settings_texts
from bot.checkins.calendar import WorkCalendar, read_calendar
from bot.checkins.periods import (
    due_periods,
    period_key,
    period_week,
    runs_in_period,
    runs_in_week,
)
from bot.checkins.rounds import open_round, taking_part
from bot.checkins.run_context import TURNED_OFF
from bot.checkins.schedule import PersonSchedule, person_schedule
from bot.checkins.settings import CheckinSettings
from bot.checkins.setups import Setup, active_setups
from bot.core.local_time import zone
from bot.core.weeks import iso_week
from storage.models import CheckinDelivery, Member, Workspace
from storage.repositories import checkin_times as times_repo
from storage.repositories import checkins as repo

logger = logging.getLogger(__name__)

NOT_TAKING_PART = "team no longer takes part"
HOLIDAY = "holiday"  # a stand-up's day made a holiday after its round opened
NOT_SCHEDULED = "no longer on the schedule"  # a day or week the saved settings dropped
WEEKS_AHEAD = 3


@dataclass(frozen=True)
class Rescheduled:
    """What saving the settings did to the rounds already open."""

    moved: int
    cancelled: int
    opened: tuple[str, ...]
    revived: int = 0


MOVED, CANCELLED, REVIVED = "moved", "cancelled", "revived"
# Cancelled by the settings alone, so saving them back brings the invitation back.
REVIVABLE = (TURNED_OFF, NOT_TAKING_PART, HOLIDAY, NOT_SCHEDULED)


@dataclass
class _Target:
    """What the saved settings want for one round's invitations."""

    period: str
    settings: CheckinSettings
    people: dict[str, Member]
    workspace_tz: str
    calendar: WorkCalendar
    _by_zone: dict[str, PersonSchedule | None] = field(default_factory=dict)

    @property
    def scheduled(self) -> bool:
        return runs_in_period(self.settings, self.period)

    def times(self, member: Member) -> PersonSchedule | None:
        """The member's times (None: nobody is asked that day, or the settings no longer run
        this period); people in one time zone share them, worked out once."""
        if not self.scheduled:
            return None
        tz = zone(member.tz, self.workspace_tz)
        if tz.key not in self._by_zone:
            self._by_zone[tz.key] = person_schedule(self.period, self.settings, tz, self.calendar)
        return self._by_zone[tz.key]


Times = tuple[datetime, datetime | None, datetime]


@dataclass
class _Plan:
    """One round's invitations sorted by what saving does to them, so that each group is one
    UPDATE however many people it holds (the modal is saved before Slack's 3 seconds)."""

    cancel: dict[str, list[int]] = field(default_factory=dict)  # reason -> ids
    move: dict[Times, list[int]] = field(default_factory=dict)
    revive: dict[Times, list[int]] = field(default_factory=dict)

    def add(self, row: CheckinDelivery, target: _Target) -> None:
        if row.id is None:
            return
        member = target.people.get(row.user_id) if target.settings.enabled else None
        times = target.times(member) if member is not None else None
        if row.state == repo.PENDING and times is None:
            reason = (
                TURNED_OFF
                if not target.settings.enabled
                else NOT_TAKING_PART
                if member is None
                else HOLIDAY
                if target.scheduled
                else NOT_SCHEDULED
            )
            self.cancel.setdefault(reason, []).append(row.id)
        elif times is not None and row.state == repo.PENDING:
            if _times(times) != (row.prompt_at, row.remind_at, row.closes_at):
                self.move.setdefault(_times(times), []).append(row.id)
        elif times is not None and _revivable(row):
            self.revive.setdefault(_times(times), []).append(row.id)

    async def apply(self, session: AsyncSession, done: Counter[str]) -> None:
        for reason, ids in self.cancel.items():
            done[CANCELLED] += await times_repo.cancel_pending(
                session=session, delivery_ids=ids, reason=reason
            )
        for (prompt_at, remind_at, closes_at), ids in self.move.items():
            done[MOVED] += await times_repo.reschedule_pending(
                session=session,
                delivery_ids=ids,
                prompt_at=prompt_at,
                remind_at=remind_at,
                closes_at=closes_at,
            )
        for (prompt_at, remind_at, closes_at), ids in self.revive.items():
            done[REVIVED] += await times_repo.revive_cancelled(
                session=session,
                delivery_ids=ids,
                reasons=REVIVABLE,
                prompt_at=prompt_at,
                remind_at=remind_at,
                closes_at=closes_at,
            )


def _times(schedule: PersonSchedule) -> Times:
    return (schedule.prompt_at, schedule.remind_at, schedule.closes_at)


def _revivable(row: CheckinDelivery) -> bool:
    return row.state == repo.SKIPPED and row.sent_at is None and row.error in REVIVABLE


async def apply_to_open_rounds(
    session: AsyncSession,
    *,
    team_id: str,
    setup: Setup,
    workspace_tz: str,
    calendar: WorkCalendar,
    now: datetime,
) -> Rescheduled:
    """Bring the setup's rounds of this week on (and those opened ahead) in line with its
    settings, in the caller's transaction."""
    settings = setup.settings
    opened = [
        period
        for period in due_periods(settings, now)
        if await open_round(
            session,
            team_id=team_id,
            setup=setup,
            period=period,
            tz=workspace_tz,
            calendar=calendar,
            now=now,
        )
    ]
    rounds = await times_repo.rounds_from(
        session=session, team_id=team_id, week=iso_week(now.date()), setup_id=setup.id
    )
    if not rounds:
        return Rescheduled(0, 0, tuple(opened))
    people = {m.user_id: m for m in await taking_part(session, team_id, settings)}
    done: Counter[str] = Counter()
    for round_ in rounds:
        assert round_.id is not None
        target = _Target(round_.period, settings, people, workspace_tz, calendar)
        plan = _Plan()
        for row in await repo.round_deliveries(
            session=session, team_id=team_id, round_id=round_.id
        ):
            plan.add(row, target)
        await plan.apply(session, done)
        if settings.enabled:
            await times_repo.replace_questions_if_unsent(
                session=session,
                round_id=round_.id,
                questions=[question.model_dump() for question in settings.questions],
            )
    logger.info(
        "check-in settings saved: %d invitations moved, %d cancelled, %d brought back, "
        "rounds opened: %s",
        done[MOVED],
        done[CANCELLED],
        done[REVIVED],
        ", ".join(opened) or "none",
    )
    return Rescheduled(done[MOVED], done[CANCELLED], tuple(opened), done[REVIVED])


async def apply_to_every_setup(
    session: AsyncSession, *, team_id: str, workspace: Workspace, now: datetime
) -> Rescheduled:
    """After a change to the workspace's calendar (work week, holidays): every active
    setup's open rounds follow it, in the caller's transaction."""
    calendar = await read_calendar(session, team_id, workspace.settings)
    done = Rescheduled(0, 0, ())
    for setup in await active_setups(session, team_id):
        one = await apply_to_open_rounds(
            session,
            team_id=team_id,
            setup=setup,
            workspace_tz=workspace.timezone,
            calendar=calendar,
            now=now,
        )
        done = Rescheduled(
            done.moved + one.moved,
            done.cancelled + one.cancelled,
            done.opened + one.opened,
            done.revived + one.revived,
        )
    return done


async def when_next_goes_out(
    session: AsyncSession,
    *,
    team_id: str,
    user_id: str,
    setup: Setup,
    tz: ZoneInfo,
    calendar: WorkCalendar,
    now: datetime,
) -> str:
    """The sentence telling the admin ``user_id``, on their own clock, when the setup's next
    check-in goes out.

    A period whose round is open is read from its invitations still to go out: the admin's
    own if they have one, else the earliest; a period whose prompts all went out (or were
    skipped) has nothing to say, whatever the settings now say, since sent invitations never
    move. Only a period with no round yet is worked out from the settings, on the admin's
    clock.
    """
    settings = setup.settings
    if not settings.enabled:
        return settings_texts.NOTHING_GOES_OUT
    today = now.astimezone(tz).date()
    this_week = iso_week(today)
    weeks = list(dict.fromkeys(iso_week(today + timedelta(weeks=n)) for n in range(WEEKS_AHEAD)))
    waiting = await times_repo.unsent_by_week(
        session=session, team_id=team_id, weeks=weeks, now=now, setup_id=setup.id
    )
    for period in _coming_periods(settings, today):
        if period in waiting:
            rows = waiting[period]
            if not rows:
                continue
            row = next((row for row in rows if row.user_id == user_id), rows[0])
            prompt_at, closes_at = row.prompt_at, row.closes_at
        else:
            times = person_schedule(period, settings, tz, calendar)
            if times is None or times.closes_at <= now:
                continue
            prompt_at, closes_at = times.prompt_at, times.closes_at
        if prompt_at <= now:
            return settings_texts.goes_out_late(prompt_at.astimezone(tz), closes_at.astimezone(tz))
        next_week = period_week(period) != this_week
        return settings_texts.next_goes_out(prompt_at.astimezone(tz), next_week=next_week)
    return settings_texts.NOTHING_GOES_OUT


def _coming_periods(settings: CheckinSettings, today: date) -> list[str]:
    """The setup's periods from yesterday on, for ``WEEKS_AHEAD`` weeks, in order."""
    days = [today + timedelta(days=n) for n in range(-1, 7 * WEEKS_AHEAD)]
    if settings.is_stand_up:
        days = [day for day in days if day.weekday() in settings.days]
    periods = dict.fromkeys(period_key(settings, day) for day in days)
    return [period for period in periods if runs_in_week(settings, period_week(period))]
