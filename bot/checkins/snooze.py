"""The reminder's snooze buttons: remind me in an hour, or tomorrow morning.

Snoozing gives a sent, unanswered invitation a new ``remind_at`` and clears ``reminded_at``,
so the reminder job's claim (a conditional UPDATE on ``reminded_at IS NULL``) sends it once
more, exactly once. A snooze must fall before the deadline; pressing the same button twice
(a double click, Slack's retry) keeps the first snooze.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from enum import Enum

from bot.checkins import texts_prompts as texts
from bot.checkins.answer_window import zone_of
from bot.checkins.calendar import read_calendar
from bot.checkins.schedule import next_working_day
from bot.checkins.settings import read_config
from bot.core.errors import UserInputError
from bot.core.runtime import Runtime
from storage.db import transaction
from storage.repositories import checkin_setups as setups_repo
from storage.repositories import checkin_times as times_repo
from storage.repositories import checkins as repo
from storage.repositories.workspaces import get_workspace

MORNING = time(9, 0)
SAME_SNOOZE = timedelta(minutes=5)  # a second press this close to the first changes nothing


class Snooze(Enum):
    HOUR = "hour"
    MORNING = "morning"


async def snooze_reminder(
    *, runtime: Runtime, team_id: str, user_id: str, delivery_id: int | None, snooze: Snooze
) -> str:
    """Move the reminder of the person's own sent check-in; returns what to tell them, or
    raises ``UserInputError`` saying why it cannot be moved."""
    now = runtime.clock()
    async with transaction(runtime.sessions) as session:
        delivery = (
            await repo.get_delivery_by_id(session=session, team_id=team_id, delivery_id=delivery_id)
            if delivery_id is not None
            else None
        )
        if delivery is None or delivery.user_id != user_id or delivery.id is None:
            raise UserInputError(texts.NO_SUCH_REMINDER)
        if delivery.state == repo.ANSWERED:
            raise UserInputError(texts.SNOOZE_ANSWERED)
        if delivery.state == repo.SKIPPED:
            raise UserInputError(texts.SNOOZE_SKIPPED)
        if delivery.state != repo.SENT or delivery.closes_at <= now:
            raise UserInputError(texts.SNOOZE_CLOSED)
        workspace = await get_workspace(session=session, team_id=team_id)
        tz = await zone_of(session=session, team_id=team_id, user_id=user_id, workspace=workspace)
        closes_local = delivery.closes_at.astimezone(tz)
        if snooze is Snooze.HOUR:
            target = now + timedelta(hours=1)
        else:
            setup = (
                await setups_repo.setups_of_rounds(
                    session=session, team_id=team_id, round_ids=[delivery.round_id]
                )
            ).get(delivery.round_id)
            settings = read_config(setup.config if setup else None)
            calendar = await read_calendar(
                session, team_id, workspace.settings if workspace else None
            )
            tomorrow = now.astimezone(tz).date() + timedelta(days=1)
            day = next_working_day(tomorrow, settings, calendar)
            target = datetime.combine(day, MORNING, tzinfo=tz)
        if target >= delivery.closes_at:
            raise UserInputError(texts.snooze_too_late(target.astimezone(tz), closes_local))
        pending = delivery.remind_at if delivery.reminded_at is None else None
        if pending is not None and pending > now and abs(pending - target) <= SAME_SNOOZE:
            return texts.already_snoozed(pending.astimezone(tz), closes_local)
        if not await times_repo.snooze_reminder(
            session=session,
            team_id=team_id,
            delivery_id=delivery.id,
            user_id=user_id,
            remind_at=target,
        ):
            raise UserInputError(texts.SNOOZE_CLOSED)  # answered or skipped meanwhile
    return texts.snoozed(target.astimezone(tz), closes_local)
