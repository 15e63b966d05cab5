"""The survey results chart, checked on what it draws (answer counts per value, Likert axes from
1, the eNPS split and score) and end to end: ``/pulse results`` uploads exactly this chart, and
nothing below the threshold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.core.runtime import Runtime
from bot.pulse.chart import (
    LIKERT_COLORS,
    Chart,
    EnpsSplit,
    enps_split,
    likert_counts,
    render_chart,
    results_figure,
)
from bot.pulse.lifecycle import advance_surveys, create_survey
from bot.pulse.questions import BANK, Question, QuestionKind, SurveyDraft, custom_question
from bot.pulse.reports import survey_label, survey_results
from bot.pulse.results import (
    AnswerRecord,
    EnpsResult,
    ScaleResult,
    SurveyResults,
    Withheld,
    release,
)
from bot.pulse.surveys import submit_answer
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Survey
from storage.repositories.members import MemberProfile, upsert_members
from storage.repositories.surveys import get_survey_by_number
from storage.repositories.workspaces import ensure_workspace
from tests.kpis.helpers import text_of
from tests.pulse.chart_checks import layout_problems, stray_offsets
from tests.slack_requests import ADMIN_ID, TEAM_ID, SlackSender

SCALE = Question(key="direction", kind=QuestionKind.SCALE, text="I understand where we go.")
ENPS = Question(key="enps", kind=QuestionKind.ENPS, text="Would you recommend working here?")
CHOICE = custom_question(3, kind="choice", text="Best day?", options=("Mon", "Fri", "Wed"))
TEXT = custom_question(4, kind="text", text="Anything else?", required=False)
SCALE_ANSWERS = (5, 4, 4, 3, 2, 5, 1, 4)
ENPS_ANSWERS = (10, 9, 8, 7, 6, 0, 10, 3)
CHOICE_ANSWERS = ("Mon", "Fri", "Mon", "Mon", "Fri", "Mon", "Fri", "Mon")


def answers(count: int = len(SCALE_ANSWERS)) -> list[AnswerRecord]:
    return [
        AnswerRecord({SCALE.key: scale, ENPS.key: enps, CHOICE.key: choice})
        for scale, enps, choice in list(
            zip(SCALE_ANSWERS, ENPS_ANSWERS, CHOICE_ANSWERS, strict=True)
        )[:count]
    ]


def results_of(*questions: Question, threshold: int = 5) -> SurveyResults:
    released = release(questions, answers(), threshold=threshold, survey_open=False)
    assert isinstance(released, SurveyResults)
    return released


def axis_named(figure: Figure, gid: str) -> Axes:
    [found] = [axis for axis in figure.axes if axis.get_gid() == gid]
    return found


def bar_widths(axis: Axes) -> list[float]:
    return [patch.get_width() for patch in axis.patches]  # type: ignore[attr-defined]


def dots(axis: Axes) -> list[tuple[float, float]]:
    """Where the axis' dots are: (value, row)."""
    [drawn] = axis.collections
    return [(float(x), float(y)) for x, y in np.asarray(drawn.get_offsets()).tolist()]


# --- what is drawn -----------------------------------------------------------------------------


def test_each_agreement_question_shows_how_many_gave_each_answer_from_1_to_5() -> None:
    results = results_of(SCALE, BANK[1])  # the bank question got no answers: not drawn
    [scale] = [item for item in results.questions if isinstance(item, ScaleResult) and item.count]
    assert likert_counts(scale) == (1, 1, 1, 3, 2)
    figure = results_figure(results, title="P-4 Pulse")
    split = axis_named(figure, "scale")
    assert bar_widths(split) == [1, 1, 1, 3, 2]  # one stacked segment per answer, 1 to 5
    colours = [patch.get_facecolor() for patch in split.patches]
    assert len({colour for colour in colours}) == len(LIKERT_COLORS)
    assert [label.get_text() for label in split.get_yticklabels()] == [SCALE.text]


def test_the_likert_axis_of_means_runs_from_1_to_5_never_from_0() -> None:
    figure = results_figure(results_of(SCALE, ENPS), title="P-4 Pulse")
    means = axis_named(figure, "mean")
    assert means.get_xlim() == (1, 5)
    assert list(means.get_xticks()) == [1, 2, 3, 4, 5]
    assert dots(means) == [(3.5, 0)]
    labels = [label.get_text() for label in means.get_xticklabels()]
    assert labels[0] == "1\nstrongly\ndisagree"
    assert labels[-1] == "5\nstrongly\nagree"


def test_enps_shows_detractors_passives_promoters_and_the_score() -> None:
    results = results_of(ENPS)
    [enps] = results.questions
    assert isinstance(enps, EnpsResult)
    assert enps_split(enps) == EnpsSplit(detractors=3, passives=2, promoters=3, score=0)
    figure = results_figure(results, title="P-4 Pulse")
    assert bar_widths(axis_named(figure, "enps")) == [3, 2, 3]
    score = axis_named(figure, "score")
    assert score.get_xlim() == (-100, 100)
    assert dots(score) == [(0, 0)]
    legend = axis_named(figure, "enps").get_legend()
    assert legend is not None
    assert [text.get_text() for text in legend.get_texts()] == [
        "detractors (0-6)",
        "passives (7-8)",
        "promoters (9-10)",
    ]


def test_a_choice_question_shows_every_option_with_whole_number_ticks() -> None:
    figure = results_figure(results_of(CHOICE), title="P-4 Pulse")
    axis = axis_named(figure, f"choice:{CHOICE.key}")
    assert bar_widths(axis) == [5, 3, 0]
    figure.canvas.draw()
    assert all(float(tick).is_integer() for tick in axis.get_xticks())


def test_the_alt_text_carries_the_distribution() -> None:
    chart = render_chart(results_of(SCALE, ENPS, CHOICE, TEXT), title="P-4 Pulse")
    assert isinstance(chart, Chart)
    assert "mean 3.50 of 5 (8 answers; 1: 1, 2: 1, 3: 1, 4: 3, 5: 2)" in chart.alt_text
    assert "eNPS +0 (3 promoters, 2 passives, 3 detractors)" in chart.alt_text
    assert "Mon 5, Fri 3, Wed 0" in chart.alt_text


@pytest.mark.parametrize("survey_open", [False, True])
def test_below_the_threshold_or_while_open_there_is_no_chart(survey_open: bool) -> None:
    withheld = release([SCALE, ENPS], answers(4), threshold=5, survey_open=survey_open)
    assert isinstance(withheld, Withheld)
    assert render_chart(withheld, title="P-4") == withheld


def test_the_same_results_give_the_same_png_bytes() -> None:
    results = results_of(SCALE, ENPS, CHOICE)
    first, second = render_chart(results, title="P-4"), render_chart(results, title="P-4")
    assert isinstance(first, Chart) and isinstance(second, Chart)
    assert first.png == second.png and b"matplotlib" not in first.png


# --- a person looking at it --------------------------------------------------------------------


def test_a_full_survey_with_long_texts_has_no_label_cut_off_or_on_top_of_another() -> None:
    long = "When I think about the next quarter, I know which of our goals my work moves $ and $"
    questions = [
        *(Question(key=f"s{n}", kind=QuestionKind.SCALE, text=f"{n}. {long}") for n in range(5)),
        Question(key="enps", kind=QuestionKind.ENPS, text=long),
        custom_question(
            7,
            kind="choice",
            text=f"{long} {long}"[:150],
            options=tuple(f"{n} {long[:60]}" for n in range(10)),
        ),
    ]
    records = [
        AnswerRecord(
            {f"s{n}": 1 + (i + n) % 5 for n in range(5)}
            | {"enps": i % 11, "custom_7": f"{i % 10} {long[:60]}"}
        )
        for i in range(120)
    ]
    released = release(questions, records, threshold=5, survey_open=False)
    assert isinstance(released, SurveyResults)
    figure = results_figure(released, title=f"P-12 {long}")
    assert layout_problems(figure) == []
    assert stray_offsets(figure) == []


def test_the_layout_checks_see_overlaps_cut_labels_and_stray_offsets() -> None:
    figure = Figure(figsize=(3, 2), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    figure.text(0.1, 0.5, "first label")
    figure.text(0.12, 0.5, "second label")
    figure.text(0.9, 0.1, "cut at the right edge")
    axis = figure.add_subplot()
    axis.plot([1_000_000.0, 1_000_001.0], [1e-9, 2e-9])
    problems = layout_problems(figure)
    assert "overlap: 'first label' and 'second label'" in problems
    assert "cut off: 'cut at the right edge'" in problems
    assert stray_offsets(figure) != []


# --- end to end: /pulse results ----------------------------------------------------------------

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
PEOPLE = tuple(f"UCHART{number:03d}" for number in range(1, 15))  # twice the highest minimum


async def ask(slack: SlackSender, fake_slack: FakeSlack, text: str) -> str:
    before = len(fake_slack.calls_to("response_url"))
    response = await slack.command(text, command="/pulse", user_id=ADMIN_ID)
    assert response.status_code == 200
    answer = (await fake_slack.wait_for("response_url", before + 1))[-1].args
    assert answer["response_type"] == "ephemeral"
    return text_of(answer["blocks"])


async def answered_survey(runtime: Runtime, people: int, *, min_responses: int = 5) -> Survey:
    """A survey of one agreement, one eNPS and one choice question, answered by ``people``,
    with the clock left after their answers."""
    runtime.clock = lambda: NOW
    profiles = [MemberProfile(user_id=ADMIN_ID, name="ada", is_admin=True)]
    profiles += [MemberProfile(user_id=user, name=user.lower()) for user in PEOPLE]
    draft = SurveyDraft(
        title="Chart pulse",
        questions=(SCALE, ENPS, CHOICE),
        opens_at=NOW,
        closes_at=NOW + timedelta(days=5),
        min_responses=min_responses,
    )
    async with transaction(runtime.sessions) as session:
        await ensure_workspace(session=session, team_id=TEAM_ID)
        await upsert_members(session=session, team_id=TEAM_ID, profiles=profiles)
        survey = await create_survey(
            session=session, team_id=TEAM_ID, actor=ADMIN_ID, draft=draft, now=NOW
        )
    async with transaction(runtime.sessions) as session:
        await advance_surveys(session=session, team_id=TEAM_ID, now=NOW)
    assert survey.id is not None
    for user, record in zip(PEOPLE[:people], answers(people), strict=True):
        async with transaction(runtime.sessions) as session:
            await submit_answer(
                session=session,
                team_id=TEAM_ID,
                survey_id=survey.id,
                user_id=user,
                submitted=dict(record.answers),
                allow_replies=False,
                secret_key=runtime.settings.northstar_secret_key.get_secret_value(),
                now=NOW + timedelta(hours=1),
            )
    runtime.clock = lambda: NOW + timedelta(hours=2)
    return survey


async def test_results_upload_the_chart_of_exactly_the_released_numbers(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await answered_survey(runtime, len(SCALE_ANSWERS))
    assert "is closed" in await ask(slack, fake_slack, "close P-1")
    shown = await ask(slack, fake_slack, "results P-1")
    assert "8 responses" in shown
    await fake_slack.wait_for("files.completeUploadExternal", 1)
    [uploaded] = fake_slack.uploads.values()
    [info] = fake_slack.files.values()
    async with runtime.sessions() as session:
        survey = await get_survey_by_number(session=session, team_id=TEAM_ID, number=1)
        assert survey is not None
        results = await survey_results(session=session, survey=survey)
    assert isinstance(results, SurveyResults)
    expected = render_chart(results, title=survey_label(survey))
    assert isinstance(expected, Chart)
    assert uploaded == expected.png  # the same numbers the text showed, drawn the same way
    assert "1: 1, 2: 1, 3: 1, 4: 3, 5: 2" in info["alt_txt"]
    figure = results_figure(results, title=survey_label(survey))
    assert bar_widths(axis_named(figure, "scale")) == [1, 1, 1, 3, 2]
    assert bar_widths(axis_named(figure, "enps")) == [3, 2, 3]


async def test_results_below_a_raised_threshold_upload_no_chart(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await answered_survey(runtime, 6, min_responses=7)
    assert "is closed" in await ask(slack, fake_slack, "close P-1")
    shown = await ask(slack, fake_slack, "results P-1")
    assert "got 6 of the 7 responses" in shown
    assert fake_slack.uploads == {}
    assert fake_slack.calls_to("files.getUploadURLExternal") == []
