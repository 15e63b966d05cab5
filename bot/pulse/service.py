"""Carry out a parsed ``/pulse`` command and read the survey builder; knows nothing of Bolt."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.align import texts
from bot.core.errors import FormErrors, PermissionDenied, UserInputError
from bot.core.refs import format_ref
from bot.core.runtime import Runtime
from bot.core.text_input import small_int
from bot.people.admins import is_admin
from bot.people.members import ensure_member
from bot.pulse import texts as core_texts
from bot.pulse import texts_commands as pulse_texts
from bot.pulse.blocks.builder import (
    ACTION_ID,
    AUDIENCE_TEAMS,
    CUSTOM_QUESTIONS,
    BuilderOrigin,
    Field,
    build_pulse_builder,
    custom_field,
)
from bot.pulse.blocks.results import (
    SurveyRow,
    build_pulse_help,
    build_pulse_list,
    build_results,
    build_withheld,
    format_moment,
    mrkdwn_safe,
)
from bot.pulse.chart import Chart
from bot.pulse.commands import PulseAction, PulseCommand
from bot.pulse.lifecycle import AudienceTooSmall, close_survey_now, create_survey
from bot.pulse.questions import (
    MAX_QUESTIONS,
    MIN_RESPONSES_CEILING,
    MIN_RESPONSES_FLOOR,
    REPEAT_PERIOD_DAYS,
    Question,
    Repeat,
    SurveyDraft,
    bank_question,
    custom_question,
    threshold_problems,
    validate_draft,
)
from bot.pulse.reports import (
    SURVEY_PREFIX,
    survey_breakdown,
    survey_chart,
    survey_label,
    survey_results,
    survey_trend,
)
from bot.pulse.results import Withheld
from bot.pulse.surveys import change_threshold, survey_counts
from bot.slack.messages import Reply, build_notice
from storage.db import transaction
from storage.models import SURVEY_TITLE_MAX_CHARS, Survey
from storage.repositories.surveys import SCHEDULED, get_survey_by_number, list_surveys
from storage.repositories.teams import list_teams

LIST_LIMIT = 40


@dataclass(frozen=True)
class PulseRequest:
    """Who asked, in which workspace, and where an answer can go later."""

    runtime: Runtime
    client: AsyncWebClient
    team_id: str
    user_id: str
    response_url: str | None = None
    channel_id: str | None = None


@dataclass(frozen=True)
class OpenBuilder:
    """The command wants the survey builder opened (with the command's ``trigger_id``)."""

    view: dict[str, Any]


@dataclass(frozen=True)
class ResultsShown:
    """Results to show, and their chart to send to the caller's DM afterwards."""

    reply: Reply
    chart: Chart
    filename: str
    title: str


async def run_pulse_command(
    command: PulseCommand, request: PulseRequest
) -> Reply | OpenBuilder | ResultsShown:
    """Do what the command asks (``feedback`` is routed by the handler)."""
    action = command.action
    if action is PulseAction.HELP:
        return build_pulse_help()
    await ensure_member(
        client=request.client,
        sessions=request.runtime.sessions,
        team_id=request.team_id,
        user_id=request.user_id,
    )
    if action is PulseAction.NEW:
        return OpenBuilder(await builder_view(request))
    if action is PulseAction.LIST:
        return await _list(request)
    assert command.number is not None
    if action is PulseAction.RESULTS:
        return await _results(command.number, request)
    if action is PulseAction.CLOSE:
        return await _close(command.number, request)
    assert action is PulseAction.THRESHOLD and command.min_responses is not None
    return await _threshold(command.number, command.min_responses, request)


def _ref(number: int) -> str:
    return format_ref(SURVEY_PREFIX, number)


async def builder_view(request: PulseRequest) -> dict[str, Any]:
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


async def _list(request: PulseRequest) -> Reply:
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


async def _survey(request: PulseRequest, number: int) -> Survey:
    async with request.runtime.sessions() as session:
        survey = await get_survey_by_number(session=session, team_id=request.team_id, number=number)
    if survey is None:
        raise UserInputError(pulse_texts.no_such_survey(number))
    return survey


async def _results(number: int, request: PulseRequest) -> Reply | ResultsShown:
    survey = await _survey(request, number)
    async with request.runtime.sessions() as session:
        results = await survey_results(session=session, survey=survey)
        if isinstance(results, Withheld):
            return build_withheld(_ref(number), results)
        breakdown = await survey_breakdown(session=session, survey=survey)
        repeats = survey.repeat != Repeat.NONE or survey.series_number != survey.number
        trend = await survey_trend(session=session, survey=survey) if repeats else None
        chart = await survey_chart(session=session, survey=survey)
        admin = await is_admin(session=session, team_id=request.team_id, user_id=request.user_id)
    reply = build_results(
        survey_label(survey), results, breakdown=breakdown, trend=trend, reply_buttons=admin
    )
    if isinstance(chart, Withheld):  # cannot be: the same gate released the results
        return reply
    return ResultsShown(
        reply=reply, chart=chart, filename=f"{_ref(number)}-results.png", title=survey_label(survey)
    )


async def send_chart(request: PulseRequest, shown: ResultsShown) -> None:
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


async def _close(number: int, request: PulseRequest) -> Reply:
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


async def _threshold(number: int, min_responses: int, request: PulseRequest) -> Reply:
    async with transaction(request.runtime.sessions) as session:
        survey = await change_threshold(
            session=session,
            team_id=request.team_id,
            actor=request.user_id,
            number=number,
            min_responses=min_responses,
        )
    return build_notice(pulse_texts.threshold_changed(_ref(number), survey.min_responses))


# --- the builder's submission ----------------------------------------------------------------


class _State:
    """``view["state"]["values"]`` read defensively: wrong shapes read as empty."""

    def __init__(self, values: Any) -> None:
        self._values = values if isinstance(values, Mapping) else {}

    def has(self, block_id: str) -> bool:
        return block_id in self._values

    def _element(self, block_id: str) -> Mapping[str, Any]:
        block = self._values.get(block_id)
        element = block.get(ACTION_ID) if isinstance(block, Mapping) else None
        return element if isinstance(element, Mapping) else {}

    def text(self, block_id: str) -> str:
        value = self._element(block_id).get("value")
        return value.strip() if isinstance(value, str) else ""

    def choice(self, block_id: str) -> str | None:
        option = self._element(block_id).get("selected_option")
        value = option.get("value") if isinstance(option, Mapping) else None
        return value if isinstance(value, str) else None

    def choices(self, block_id: str) -> list[str]:
        options = self._element(block_id).get("selected_options")
        if not isinstance(options, list):
            return []
        found = [option.get("value") for option in options if isinstance(option, Mapping)]
        return [value for value in found if isinstance(value, str)]

    def moment(self, block_id: str) -> datetime | None:
        value = self._element(block_id).get("selected_date_time")
        if isinstance(value, bool) or not isinstance(value, int):
            return None
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            return None


def _questions(state: _State, errors: dict[str, str]) -> tuple[Question, ...]:
    questions = []
    for key in state.choices(Field.BANK):
        try:
            questions.append(bank_question(key))
        except UserInputError as error:
            errors[Field.BANK] = error.message
    for position in range(1, CUSTOM_QUESTIONS + 1):
        text = state.text(custom_field(position, "text"))
        raw_options = state.text(custom_field(position, "options"))
        if not text and not raw_options:
            continue
        options = [line.strip() for line in raw_options.splitlines() if line.strip()]
        try:
            questions.append(
                custom_question(
                    position,
                    kind=state.choice(custom_field(position, "kind")) or "scale",
                    text=text,
                    options=options,
                )
            )
        except UserInputError as error:
            errors[custom_field(position, "text")] = error.message
    return tuple(questions)


def _team_refs(state: _State, errors: dict[str, str]) -> tuple[int, ...]:
    if state.choice(Field.AUDIENCE) != AUDIENCE_TEAMS:
        return ()
    if not state.has(Field.TEAMS):
        errors[Field.AUDIENCE] = pulse_texts.NO_TEAMS_YET
        return ()
    refs = tuple(ref for value in state.choices(Field.TEAMS) if (ref := small_int(value)))
    if not refs:
        errors[Field.TEAMS] = pulse_texts.PICK_TEAMS
    return refs


def _known_problems(draft: SurveyDraft) -> list[tuple[str, str]]:
    """Each sentence ``validate_draft`` can say, with the field it is about."""
    known = [
        (Field.TITLE.value, core_texts.TITLE_MISSING),
        (Field.TITLE.value, core_texts.title_too_long(SURVEY_TITLE_MAX_CHARS)),
        (Field.BANK.value, core_texts.NO_QUESTIONS),
        (Field.BANK.value, core_texts.too_many_questions(MAX_QUESTIONS)),
        (Field.CLOSES.value, core_texts.NOT_AWARE),
        (Field.CLOSES.value, core_texts.CLOSES_BEFORE_OPENS),
        (Field.CLOSES.value, core_texts.CLOSES_IN_PAST),
        (Field.MIN_RESPONSES.value, core_texts.threshold_too_low(MIN_RESPONSES_FLOOR)),
        (Field.MIN_RESPONSES.value, core_texts.threshold_too_high(MIN_RESPONSES_CEILING)),
    ]
    known += [
        (Field.BANK.value, core_texts.duplicate_question(question.key))
        for question in draft.questions
    ]
    known += [
        (Field.REPEAT.value, core_texts.window_longer_than_repeat(repeat, days))
        for repeat, days in REPEAT_PERIOD_DAYS.items()
    ]
    return known


def _place(message: str, draft: SurveyDraft, *, fallback: str) -> dict[str, str]:
    """Spread a message naming several problems over the fields they are about."""
    placed: dict[str, str] = {}
    rest = message
    for field, sentence in _known_problems(draft):
        if sentence in rest:
            placed[field] = f"{placed[field]} {sentence}" if field in placed else sentence
            rest = rest.replace(sentence, "")
    if rest.strip():
        placed[fallback] = " ".join(rest.split())
    return placed


def read_builder(values: Any, *, now: datetime) -> SurveyDraft:
    """The draft the builder holds, checked with ``validate_draft``; ``FormErrors`` otherwise."""
    state = _State(values)
    errors: dict[str, str] = {}
    questions = _questions(state, errors)
    team_refs = _team_refs(state, errors)
    min_responses = small_int(state.text(Field.MIN_RESPONSES), digits=6)
    if min_responses is None:
        errors[Field.MIN_RESPONSES] = pulse_texts.MIN_RESPONSES_NOT_NUMBER
    elif problems := threshold_problems(min_responses):
        errors[Field.MIN_RESPONSES] = " ".join(problems)
    opens_at, closes_at = state.moment(Field.OPENS), state.moment(Field.CLOSES)
    for field, moment in ((Field.OPENS, opens_at), (Field.CLOSES, closes_at)):
        if moment is None:
            errors[field] = pulse_texts.NO_TIME
    if opens_at is None or closes_at is None or min_responses is None:
        raise FormErrors(errors)
    draft = SurveyDraft(
        title=state.text(Field.TITLE),
        questions=questions,
        opens_at=opens_at,
        closes_at=closes_at,
        team_refs=team_refs,
        min_responses=min_responses,
        repeat=state.choice(Field.REPEAT) or Repeat.NONE,
    )
    try:
        draft = validate_draft(draft, now=now)
    except UserInputError as error:
        placed = _place(error.message, draft, fallback=Field.TITLE)
        if errors and placed.get(Field.BANK) == core_texts.NO_QUESTIONS:
            del placed[Field.BANK]  # a question was refused above; that says it better
        for block_id, sentence in placed.items():
            errors.setdefault(block_id, sentence)
    if errors:
        raise FormErrors(errors)
    return draft


async def submit_builder(request: PulseRequest, values: Any) -> Survey:
    """Create the survey the builder describes, or raise ``FormErrors`` to show on it."""
    now = request.runtime.clock()
    draft = read_builder(values, now=now)
    try:
        async with transaction(request.runtime.sessions) as session:
            return await create_survey(
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


def created_sentence(survey: Survey) -> str:
    return pulse_texts.survey_created(
        _ref(survey.number),
        mrkdwn_safe(survey.title),
        format_moment(survey.opens_at),
        format_moment(survey.closes_at),
    )
