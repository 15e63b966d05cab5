"""Carry out a parsed ``/pulse`` command and create the survey the builder describes; knows
nothing of Bolt."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from bot.core import texts
from bot.core.errors import FormErrors, PermissionDenied, UserInputError
from bot.core.refs import format_ref
from bot.core.request import RequestContext
from bot.people.admins import is_admin
from bot.people.members import ensure_member
from bot.pulse import texts_commands as pulse_texts
from bot.pulse.blocks.builder import BuilderOrigin, Field, build_pulse_builder
from bot.pulse.blocks.results import (
    SurveyRow,
    build_pulse_help,
    build_pulse_list,
    build_results,
    build_withheld,
    format_moment,
    mrkdwn_safe,
)
from bot.pulse.builder_form import read_builder
from bot.pulse.chart import Chart, render_chart
from bot.pulse.commands import PulseAction, PulseCommand
from bot.pulse.lifecycle import AudienceTooSmall, close_survey_now, create_survey
from bot.pulse.questions import Repeat
from bot.pulse.reports import (
    SURVEY_PREFIX,
    survey_breakdown,
    survey_label,
    survey_results,
    survey_trend,
)
from bot.pulse.results import Withheld
from bot.pulse.surveys import change_threshold, survey_counts
from bot.slack.forms import SubmittedForm
from bot.slack.messages import Reply, build_notice
from bot.slack.outcome import Outcome
from storage.db import transaction
from storage.models import Survey
from storage.repositories.surveys import SCHEDULED, get_survey_by_number, list_surveys
from storage.repositories.teams import list_teams

LIST_LIMIT = 40


@dataclass(frozen=True)
class ResultsChart:
    """The chart of results just shown, to upload to the caller's DM afterwards."""

    chart: Chart
    filename: str
    title: str


PulseShown = tuple[Outcome, ResultsChart | None]
"""What to show the caller, then the chart (of ``results``) to send them, if any."""


async def run_pulse_command(command: PulseCommand, request: RequestContext) -> PulseShown:
    """Do what the command asks (``feedback`` is routed by the handler)."""
    action = command.action
    if action is PulseAction.HELP:
        return Outcome.replying(build_pulse_help()), None
    await ensure_member(
        client=request.client,
        sessions=request.runtime.sessions,
        team_id=request.team_id,
        user_id=request.user_id,
    )
    if action is PulseAction.NEW:
        return Outcome.opening(await builder_view(request)), None
    if action is PulseAction.LIST:
        return Outcome.replying(await _list(request)), None
    assert command.number is not None
    if action is PulseAction.RESULTS:
        return await _results(command.number, request)
    if action is PulseAction.CLOSE:
        return Outcome.replying(await _close(command.number, request)), None
    assert action is PulseAction.THRESHOLD and command.min_responses is not None
    reply = await _threshold(command.number, command.min_responses, request)
    return Outcome.replying(reply), None


def _ref(number: int) -> str:
    return format_ref(SURVEY_PREFIX, number)


async def builder_view(request: RequestContext) -> dict[str, Any]:
    async with request.runtime.sessions() as session:
        if not await is_admin(session=session, team_id=request.team_id, user_id=request.user_id):
            raise PermissionDenied(texts.not_admin("create surveys"))
        teams = await list_teams(session=session, team_id=request.team_id)
    choices = [(str(team.id), team.name) for team in teams if team.id is not None]
    return build_pulse_builder(
        origin=BuilderOrigin(response_url=request.response_url),
        teams=choices,
        now=request.runtime.clock(),
    )


async def _list(request: RequestContext) -> Reply:
    rows = []
    async with request.runtime.sessions() as session:
        found = await list_surveys(session=session, team_id=request.team_id, limit=LIST_LIMIT)
        for survey in found:
            assert survey.id is not None
            invited: int | None = None
            answered = 0
            if survey.state != SCHEDULED:
                counts = await survey_counts(
                    session=session, team_id=request.team_id, survey_id=survey.id
                )
                invited, answered = counts.invited, counts.answered
            rows.append(
                SurveyRow(
                    ref=_ref(survey.number),
                    title=survey.title,
                    state=survey.state,
                    opens_at=survey.opens_at,
                    closes_at=survey.closes_at,
                    invited=invited,
                    answered=answered,
                )
            )
    return build_pulse_list(rows)


async def _survey(request: RequestContext, number: int) -> Survey:
    async with request.runtime.sessions() as session:
        survey = await get_survey_by_number(session=session, team_id=request.team_id, number=number)
    if survey is None:
        raise UserInputError(pulse_texts.no_such_survey(number))
    return survey


async def _results(number: int, request: RequestContext) -> PulseShown:
    survey = await _survey(request, number)
    async with request.runtime.sessions() as session:
        results = await survey_results(session=session, survey=survey)
        if isinstance(results, Withheld):
            return Outcome.replying(build_withheld(_ref(number), results)), None
        breakdown = await survey_breakdown(session=session, survey=survey)
        repeats = survey.repeat != Repeat.NONE or survey.series_number != survey.number
        trend = await survey_trend(session=session, survey=survey) if repeats else None
        admin = await is_admin(session=session, team_id=request.team_id, user_id=request.user_id)
    # Drawn from the results just read, off the event loop and with no connection held.
    chart = await asyncio.to_thread(render_chart, results, title=survey_label(survey))
    reply = build_results(
        survey_label(survey), results, breakdown=breakdown, trend=trend, reply_buttons=admin
    )
    if isinstance(chart, Withheld):  # cannot be: the same gate released the results
        return Outcome.replying(reply), None
    shown = ResultsChart(
        chart=chart, filename=f"{_ref(number)}-results.png", title=survey_label(survey)
    )
    return Outcome.replying(reply), shown


async def send_chart(request: RequestContext, shown: ResultsChart) -> None:
    """Upload the results chart to the caller's DM with the bot."""
    opened = await request.client.conversations_open(users=request.user_id)
    channel = opened["channel"]["id"]
    await request.client.files_upload_v2(
        channel=channel,
        content=shown.chart.png,
        filename=shown.filename,
        title=shown.title,
        alt_txt=shown.chart.alt_text,
        initial_comment=pulse_texts.CHART_COMMENT,
        request_file_info=False,
    )


async def _close(number: int, request: RequestContext) -> Reply:
    async with transaction(request.runtime.sessions) as session:
        survey = await close_survey_now(
            session=session,
            team_id=request.team_id,
            actor=request.user_id,
            number=number,
            now=request.runtime.clock(),
        )
    repeats = survey.repeat != Repeat.NONE
    return build_notice(
        pulse_texts.survey_closed(_ref(number), mrkdwn_safe(survey.title), repeats=repeats)
    )


async def _threshold(number: int, min_responses: int, request: RequestContext) -> Reply:
    async with transaction(request.runtime.sessions) as session:
        survey = await change_threshold(
            session=session,
            team_id=request.team_id,
            actor=request.user_id,
            number=number,
            min_responses=min_responses,
        )
    return build_notice(pulse_texts.threshold_changed(_ref(number), survey.min_responses))


async def submit_builder(request: RequestContext, form: SubmittedForm) -> Outcome:
    """Create the survey the builder describes and say so, or raise ``FormErrors`` to show
    on the builder."""
    now = request.runtime.clock()
    draft = read_builder(form, now=now)
    try:
        async with transaction(request.runtime.sessions) as session:
            survey = await create_survey(
                session=session,
                team_id=request.team_id,
                actor=request.user_id,
                draft=draft,
                now=now,
            )
    except UserInputError as error:
        field = Field.TEAMS if draft.team_refs else Field.TITLE
        if isinstance(error, PermissionDenied):
            field = Field.TITLE
        elif isinstance(error, AudienceTooSmall) and not draft.team_refs:
            field = Field.AUDIENCE
        raise FormErrors({field: error.message}) from None
    return Outcome.replying(build_notice(created_sentence(survey)))


def created_sentence(survey: Survey) -> str:
    return pulse_texts.survey_created(
        _ref(survey.number),
        mrkdwn_safe(survey.title),
        format_moment(survey.opens_at),
        format_moment(survey.closes_at),
    )
