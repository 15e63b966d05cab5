"""Carry out a parsed ``/checkin`` command; knows nothing of Bolt, only a Slack Web API client."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from bot.checkins import admin, personal, setup_admin, texts_answers
from bot.checkins.answers import (
    Submitted,
    answer_view,
    current_checkin_view,
    skip_checkin,
    submit_answers,
)
from bot.checkins.blocks import answer_modal
from bot.checkins.blocks.lists import build_checkin_help
from bot.checkins.commands import CheckinAction, CheckinCommand
from bot.checkins.sharing import ShareOutcome, share_answer
from bot.checkins.snooze import Snooze, snooze_reminder
from bot.core.request import RequestContext
from bot.core.text_input import small_int
from bot.people.members import ensure_member
from bot.slack.forms import SubmittedForm
from bot.slack.messages import Reply, build_notice
from bot.slack.outcome import Outcome

logger = logging.getLogger(__name__)


async def run_checkin_command(command: CheckinCommand, request: RequestContext) -> Outcome:
    """Help, the person's open check-in or the settings form (modals), or a reply."""
    if command.action is CheckinAction.HELP:
        return Outcome.replying(build_checkin_help())
    runtime, team_id, user_id = request.runtime, request.team_id, request.user_id
    await ensure_member(
        client=request.client, sessions=runtime.sessions, team_id=team_id, user_id=user_id
    )
    if command.action is CheckinAction.OPEN:
        return await open_current_checkin(request)
    if command.action is CheckinAction.SETTINGS:
        view = await admin.settings_form_view(
            runtime=runtime, team_id=team_id, user_id=user_id, response_url=request.response_url
        )
        return Outcome.opening(view)
    if command.action is CheckinAction.NEW:
        view = await setup_admin.new_setup_view(
            runtime=runtime, team_id=team_id, user_id=user_id, response_url=request.response_url
        )
        return Outcome.opening(view)
    if command.action is CheckinAction.EDIT:
        view = await setup_admin.edit_setup_view(
            runtime=runtime,
            team_id=team_id,
            user_id=user_id,
            name=command.setup,
            response_url=request.response_url,
        )
        return Outcome.opening(view)
    return Outcome.replying(await _reply(command, request))


async def _reply(command: CheckinCommand, request: RequestContext) -> Reply:
    """Carry out a subcommand that answers with a message."""
    action = command.action
    runtime, team_id, user_id = request.runtime, request.team_id, request.user_id
    setup = command.setup
    if action is CheckinAction.SKIP:
        return await personal.skip_checkin(
            runtime=runtime, team_id=team_id, user_id=user_id, setup_name=setup
        )
    if action is CheckinAction.PAUSE:
        return await personal.pause_checkins(
            runtime=runtime,
            team_id=team_id,
            user_id=user_id,
            until=command.days[0],
            setup_name=setup,
        )
    if action is CheckinAction.RESUME:
        return await personal.resume_checkins(
            runtime=runtime, team_id=team_id, user_id=user_id, setup_name=setup
        )
    if action is CheckinAction.HISTORY:
        return await personal.checkin_history(
            runtime=runtime, team_id=team_id, user_id=user_id, setup_name=setup
        )
    if action is CheckinAction.STATUS:
        return await admin.checkin_status(
            runtime=runtime,
            team_id=team_id,
            user_id=user_id,
            team_name=command.team_name,
            setup_name=setup,
        )
    if action is CheckinAction.SETUPS:
        return await setup_admin.list_setups(runtime=runtime, team_id=team_id, user_id=user_id)
    if action is CheckinAction.REMOVE:
        return await setup_admin.remove_setup(
            runtime=runtime, team_id=team_id, user_id=user_id, name=setup
        )
    if action is CheckinAction.WORK_WEEK:
        return await admin.work_week(
            runtime=runtime, team_id=team_id, user_id=user_id, weekdays=command.weekdays
        )
    if action is CheckinAction.HOLIDAYS_ADD:
        return await admin.add_holidays(
            runtime=runtime, team_id=team_id, user_id=user_id, days=command.days
        )
    if action is CheckinAction.HOLIDAYS_REMOVE:
        return await admin.remove_holidays(
            runtime=runtime, team_id=team_id, user_id=user_id, days=command.days
        )
    return await admin.upcoming_holidays(runtime=runtime, team_id=team_id)


# --- the check-in DM's buttons and the answer modal -------------------------------------------


class AnswerForm(SubmittedForm):
    """A submitted answer modal, and the block a fault is shown on (its first input)."""

    def __init__(self, view: Mapping[str, Any]) -> None:
        super().__init__(view)
        self.first_block = answer_modal.first_input_block(dict(view))


async def open_current_checkin(request: RequestContext) -> Outcome:
    """The form of the person's open check-in, for a bare ``/checkin``, the "Check in now"
    shortcut and the digest's button. Raises ``UserInputError`` saying none is open and when
    the next one comes."""
    view = await current_checkin_view(
        runtime=request.runtime,
        client=request.client,
        team_id=request.team_id,
        user_id=request.user_id,
        response_url=request.response_url,
    )
    return Outcome.opening(view)


def _delivery_id(value: str) -> int | None:
    return small_int(value)


async def open_answer_form(request: RequestContext, value: str) -> Outcome:
    """The Answer button of a check-in DM: the modal of that invitation."""
    view = await answer_view(
        runtime=request.runtime,
        team_id=request.team_id,
        user_id=request.user_id,
        delivery_id=_delivery_id(value),
        response_url=request.response_url,
    )
    return Outcome.opening(view)


async def skip_from_button(request: RequestContext, value: str) -> Outcome:
    """The Skip button of a check-in DM."""
    sentence = await skip_checkin(
        runtime=request.runtime,
        team_id=request.team_id,
        user_id=request.user_id,
        delivery_id=_delivery_id(value),
    )
    return Outcome.replying(build_notice(sentence), homes=[request.user_id])  # Home: gone


async def snooze_hour_from_button(request: RequestContext, value: str) -> Outcome:
    """The reminder's *Snooze 1 h* button."""
    return await _snooze(request, value, Snooze.HOUR)


async def snooze_morning_from_button(request: RequestContext, value: str) -> Outcome:
    """The reminder's *Tomorrow morning* button: the next local working day, 09:00."""
    return await _snooze(request, value, Snooze.MORNING)


async def _snooze(request: RequestContext, value: str, snooze: Snooze) -> Outcome:
    sentence = await snooze_reminder(
        runtime=request.runtime,
        team_id=request.team_id,
        user_id=request.user_id,
        delivery_id=_delivery_id(value),
        snooze=snooze,
    )
    return Outcome.replying(build_notice(sentence))


async def save_answers(request: RequestContext, submitted: AnswerForm) -> Submitted:
    """Check and store the answers (``FormErrors`` keeps the modal open)."""
    return await submit_answers(
        runtime=request.runtime,
        team_id=request.team_id,
        user_id=request.user_id,
        metadata=submitted.metadata,
        values=submitted,
        first_block=submitted.first_block,
    )


async def answers_saved(request: RequestContext, submitted: Submitted) -> Outcome:
    """After the modal closed: share in team channels, then confirm and redraw Homes."""
    outcomes = await _share(request, submitted)
    sentence = texts_answers.answers_saved(
        submitted.week,
        setup_name=submitted.setup_name,
        updated=submitted.updated,
        late=submitted.late,
        goal_changes=submitted.goal_changes,
        shared_in=[f"<#{o.channel_id}>" for o in outcomes if o.posted],
        not_shared_in=[f"<#{o.channel_id}>" for o in outcomes if not o.posted],
    )
    return Outcome.replying(build_notice(sentence), homes=submitted.affected)


async def _share(request: RequestContext, submitted: Submitted) -> list[ShareOutcome]:
    """Sharing never fails a saved check-in: a fault here is logged and the person's
    confirmation goes out regardless."""
    try:
        return await share_answer(
            runtime=request.runtime,
            client=request.client,
            team_id=request.team_id,
            delivery_id=submitted.delivery_id,
            updated=submitted.updated,
        )
    except Exception:
        logger.exception("could not share a check-in answer")
        return []
