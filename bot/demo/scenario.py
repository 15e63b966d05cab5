"""The simulated weeks: a clock that jumps from moment to moment, the real scheduled jobs run
at each one as the scheduler would, and people answering what reached their DMs.

A week: Monday the check-in prompts go out at 09:00 in each person's time zone and most
answer; Tuesday the reminders bring some more; in the last week a pulse survey runs Monday
to Thursday; Friday the owners log their KPIs and the digest is posted at 16:00 Chicago time.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bot.app.process import JobContext, run_job
from bot.checkins.blocks.prompts import ANSWER_ACTION as CHECKIN_ANSWER
from bot.core.runtime import Runtime
from bot.demo import bakery
from bot.demo.bakery import GoalSpec
from bot.demo.people import Habit, answer_checkin, answer_pulse, skip_checkin, weekly_habits
from bot.demo.setup import kpi_value
from bot.demo.slack import DemoFailed, DemoSlack, options_of
from bot.digest.settings import read_digest_settings
from bot.pulse.delivery import ANSWER_ACTION as PULSE_ANSWER
from fakeslack.app_requests import Answer
from storage.repositories.goals import get_goal_by_number
from storage.repositories.workspaces import get_workspace

FAN_OUT_JOBS = ("checkins", "reminders", "surveys")
MONDAY_HOURS = range(8, 23)  # UTC: 09:00 comes between 08:00 (Lisbon) and 16:00 (Denver)
TUESDAY_HOURS = (12, 15, 18, 21)
SURVEY_OPENS, SURVEY_CLOSES = time(15, 0), time(22, 0)  # UTC, Monday and Thursday
FRIDAY_MORNING = time(15, 0)  # UTC: 09:00 or 10:00 in Chicago


class SimulatedClock:
    """``runtime.clock``: the moment the simulation has reached."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@dataclass
class DigestRun:
    """One Friday's digest: the Slack calls from the start of its job run on."""

    week: str
    first_call: int
    last_call: int


@dataclass
class Simulation:
    runtime: Runtime
    slack: DemoSlack
    clock: SimulatedClock
    jobs: JobContext
    rng: random.Random
    weeks: int
    digests: list[DigestRun] = field(default_factory=list)
    cascade: dict[str, Any] = field(default_factory=dict)  # ``/goal tree G-1`` at the end
    logged: dict[str, float] = field(default_factory=dict)  # each KPI's latest value

    def at(self, day: date, clock_time: time) -> datetime:
        moment = datetime.combine(day, clock_time, tzinfo=UTC)
        self.clock.now = max(self.clock.now, moment)
        return self.clock.now

    async def run_jobs(self, names: Iterable[str]) -> None:
        for name in names:
            for outcome in await run_job(name, self.jobs):
                if outcome.failed:
                    raise DemoFailed(f"job {name} failed: {outcome.detail}")
        await self.slack.settle()

    async def run(self) -> None:
        for week in range(1, self.weeks + 1):
            monday = bakery.FIRST_MONDAY + timedelta(weeks=week - 1)
            await self._week(week, monday, last=week == self.weeks)
        number = bakery.GOAL_NUMBERS[bakery.COMPANY_GOAL.key]
        await self._check_goal(number, bakery.COMPANY_GOAL)
        self.cascade = await self.slack.command(bakery.OWNER, "/goal", f"tree G-{number}")

    async def _check_goal(self, number: int, spec: GoalSpec) -> None:
        """A goal measured by a KPI holds its last value: the Friday commands all worked."""
        async with self.runtime.sessions() as session:
            goal = await get_goal_by_number(session=session, team_id=bakery.TEAM_ID, number=number)
        if spec.kpi and (goal is None or goal.current_value != self.logged[spec.kpi]):
            raise DemoFailed(f"G-{number} does not hold the latest {spec.kpi} value")

    async def _week(self, week: int, monday: date, *, last: bool) -> None:
        habits = weekly_habits(self.rng)
        if last:
            self.at(monday, time(14, 0))
            await self._create_survey(monday)
        for hour in MONDAY_HOURS:
            self.at(monday, time(hour, 5))
            await self._tick(week, habits, answering=(Habit.PROMPT,))
        for hour in TUESDAY_HOURS:
            self.at(monday + timedelta(days=1), time(hour, 5))
            await self._tick(week, habits, answering=(Habit.LATE,))
        self.at(monday + timedelta(days=3), SURVEY_CLOSES)
        await self.run_jobs(FAN_OUT_JOBS)
        friday = monday + timedelta(days=4)
        self.at(friday, FRIDAY_MORNING)
        await self._friday_updates(week, last=last)
        await self._post_digest(friday)

    async def _tick(
        self, week: int, habits: dict[str, Habit], answering: tuple[Habit, ...]
    ) -> None:
        since = len(self.slack.fake.calls)
        await self.run_jobs(FAN_OUT_JOBS)
        for person in bakery.PEOPLE:
            user = person.user_id
            for delivery in self.slack.dm_buttons(user, CHECKIN_ANSWER, since):
                if habits[user] in answering:
                    await answer_checkin(self.slack, user, delivery, week, self.rng)
                elif habits[user] is Habit.SKIPS:
                    await skip_checkin(self.slack, user, delivery)
            for survey in self.slack.dm_buttons(user, PULSE_ANSWER, since):
                if habits[user] is not Habit.SILENT:
                    await answer_pulse(self.slack, user, survey, self.rng)

    async def _create_survey(self, monday: date) -> None:
        owner = bakery.OWNER
        view = await self.slack.open_form(owner, "/pulse", "new")
        opens = datetime.combine(monday, SURVEY_OPENS, tzinfo=UTC)
        closes = datetime.combine(monday + timedelta(days=3), SURVEY_CLOSES, tzinfo=UTC)
        answers: dict[str, Answer] = {
            "pulse_title": bakery.SURVEY_TITLE,
            "pulse_bank": [option["value"] for option in options_of(view, "pulse_bank")],
            "pulse_custom_1_kind": "text",
            "pulse_custom_1_text": bakery.SURVEY_QUESTION,
            "pulse_opens": int(opens.timestamp()),
            "pulse_closes": int(closes.timestamp()),
        }
        await self.slack.submit(owner, view, answers)

    async def _friday_updates(self, week: int, *, last: bool) -> None:
        """KPI owners log the week's numbers and copy them into the goals they measure."""
        values = {kpi.key: kpi_value(kpi, week, self.rng) for kpi in bakery.KPIS}
        self.logged = values
        for number, kpi in enumerate(bakery.KPIS, start=1):
            await self.slack.command(kpi.owner, "/kpi", f"log K-{number} {values[kpi.key]:g}")
        for number, goal in enumerate(bakery.GOALS, start=1):
            if goal.kpi:
                text = f"update G-{number} {values[goal.kpi]:g}"
                await self.slack.command(goal.owner, "/goal", text)
            if last and goal.closing_note:
                text = f"close G-{number} done {goal.closing_note}"
                await self.slack.command(goal.owner, "/goal", text)
        if last:
            await self.slack.command(bakery.OWNER, "/pulse", "results P-1")
            for giver, text in bakery.KUDOS:
                await self.slack.command(giver, "/kudos", text)

    async def _post_digest(self, friday: date) -> None:
        async with self.runtime.sessions() as session:
            workspace = await get_workspace(session=session, team_id=bakery.TEAM_ID)
        settings = read_digest_settings(workspace.settings if workspace else None)
        due = datetime.combine(friday, settings.local_time, tzinfo=settings.zone)
        self.clock.now = due.astimezone(UTC) + timedelta(seconds=30)
        first = len(self.slack.fake.calls)
        await self.run_jobs(("digest",))
        week = settings.week_at(self.clock.now)
        self.digests.append(DigestRun(week, first, len(self.slack.fake.calls)))
