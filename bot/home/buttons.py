"""What the Home tab's own buttons do: each opens the modal (or gives the answer) its slash
command gives, through the same use case, so the two can never drift apart.

A button's value is ignored: Slack's Home carries no response URL, so a reply goes by DM.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.checkins.commands import parse_checkin
from bot.checkins.service import run_checkin_command
from bot.core.request import RequestContext
from bot.feedback.service import run_feedback_command
from bot.goals.commands import parse_goal
from bot.goals.service import run_goal_command
from bot.home import blocks
from bot.kpis.commands import parse_kpi
from bot.kpis.log_form import log_form_view
from bot.kpis.service import run_kpi_command
from bot.pulse.commands import parse_pulse
from bot.pulse.service import run_pulse_command
from bot.slack.outcome import Outcome

ButtonUse = Callable[[RequestContext, str], Awaitable[Outcome]]


async def new_goal(request: RequestContext, _: str) -> Outcome:
    """``/goal new``: the new-goal modal."""
    return await run_goal_command(parse_goal("new"), request)


async def new_kpi(request: RequestContext, _: str) -> Outcome:
    """``/kpi new``: the KPI modal."""
    return await run_kpi_command(parse_kpi("new"), request)


async def log_kpi(request: RequestContext, _: str) -> Outcome:
    """The modal of ``/kpi log``: pick a KPI of yours, type the value."""
    return Outcome.opening(await log_form_view(request))


async def send_feedback(request: RequestContext, _: str) -> Outcome:
    """A bare ``/pulse feedback``: the anonymous feedback modal."""
    return await run_feedback_command(text="", request=request)


async def checkin_status(request: RequestContext, _: str) -> Outcome:
    """``/checkin status``: who in the person's care answered (admins and leads only)."""
    return await run_checkin_command(parse_checkin("status"), request)


async def checkin_settings(request: RequestContext, _: str) -> Outcome:
    """``/checkin settings``: the settings modal (admins only)."""
    return await run_checkin_command(parse_checkin("settings"), request)


async def new_survey(request: RequestContext, _: str) -> Outcome:
    """``/pulse new``: the survey builder (admins only)."""
    outcome, _chart = await run_pulse_command(parse_pulse("new"), request)
    return outcome


HOME_BUTTONS: dict[str, ButtonUse] = {
    blocks.NEW_GOAL_ACTION: new_goal,
    blocks.NEW_KPI_ACTION: new_kpi,
    blocks.LOG_KPI_ACTION: log_kpi,
    blocks.FEEDBACK_ACTION: send_feedback,
    blocks.CHECKIN_STATUS_ACTION: checkin_status,
    blocks.CHECKIN_SETTINGS_ACTION: checkin_settings,
    blocks.NEW_SURVEY_ACTION: new_survey,
}
