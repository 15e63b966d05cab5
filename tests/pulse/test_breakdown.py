"""Team breakdowns: shown only where the team, the rest, and every group the shown teams
tell apart reach the threshold."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.pulse.breakdown import (
    TeamBreakdown,
    TeamCounts,
    records_of_team,
    shown_teams,
    smallest_group,
    team_breakdown,
)
from bot.pulse.questions import Question, QuestionKind, custom_question
from bot.pulse.results import ScaleResult, TextResult, Withheld
from storage.repositories.survey_rows import SurveyRows

SCALE = Question(key="direction", kind=QuestionKind.SCALE, text="I understand where we go.")
TEXT = custom_question(2, kind="text", text="Anything else?", required=False)
NAMES = {1: "Sales", 2: "Engineering", 3: "Backend", 4: "Support"}


@dataclass(frozen=True)
class Answers:
    """Answers as the breakdown sees them: only the team counts they add up to."""

    counts: TeamCounts
    total: int


def _answers(*groups: tuple[int, tuple[int, ...], int]) -> Answers:
    """``(how many, their teams, their scale answer)`` per group, counted as storage counts
    each answer (``SurveyRows.add``)."""
    rows = SurveyRows()
    for count, teams, value in groups:
        for _ in range(count):
            rows.add(
                answers={"direction": value},
                comments={TEXT.key: f"note {teams}"},
                sealed_authors={},
                team_refs=teams,
            )
    counts = TeamCounts(groups=dict(rows.groups), tallies=dict(rows.tallies))
    return Answers(counts=counts, total=len(rows.answers))


def _breakdown(answers: Answers, threshold: int = 5) -> TeamBreakdown:
    result = team_breakdown(
        [SCALE, TEXT],
        answers.counts,
        total=answers.total,
        threshold=threshold,
        survey_open=False,
        teams=NAMES,
    )
    assert isinstance(result, TeamBreakdown), result
    return result


def _shown(answers: Answers, threshold: int = 5) -> list[int]:
    return shown_teams(
        answers.counts.groups, total=answers.total, teams=[1, 2, 3, 4], threshold=threshold
    )


def test_two_teams_each_with_enough_answers_and_enough_others_are_shown() -> None:
    breakdown = _breakdown(_answers((6, (1,), 4), (6, (2,), 2)))
    assert [(team.name, team.results.responses) for team in breakdown.teams] == [
        ("Engineering", 6),
        ("Sales", 6),
    ]
    engineering = breakdown.teams[0].results.questions[0]
    assert isinstance(engineering, ScaleResult) and engineering.mean == 2.0
    assert breakdown.hidden == 2  # Backend and Support had no answers


def test_a_team_whose_rest_is_below_the_threshold_is_not_shown() -> None:
    # Sales 6 of 10: the other 4 would be Sales subtracted from the whole survey.
    breakdown = _breakdown(_answers((6, (1,), 4), (4, (), 2)))
    assert breakdown.teams == ()
    assert breakdown.hidden == 4


def test_a_team_below_the_threshold_is_not_shown() -> None:
    breakdown = _breakdown(_answers((4, (1,), 4), (8, (2,), 2), (2, (), 3)))
    assert [team.name for team in breakdown.teams] == ["Engineering"]


def test_a_team_nested_in_a_shown_team_is_not_shown_when_the_difference_is_small() -> None:
    # Engineering 10 (6 of them Backend), 10 others: Engineering minus Backend would be 4.
    assert _shown(_answers((6, (2, 3), 1), (4, (2,), 5), (10, (), 3))) == [2]
    # With 5 outside Backend, both are safe to show.
    assert _shown(_answers((6, (2, 3), 1), (5, (2,), 5), (10, (), 3))) == [2, 3]


def test_breakdowns_carry_no_comments() -> None:
    breakdown = _breakdown(_answers((6, (1,), 4), (6, (2,), 2)))
    for team in breakdown.teams:
        text = team.results.questions[1]
        assert isinstance(text, TextResult)
        assert text.comments == () and text.count == 6


def test_a_breakdown_is_withheld_like_the_results() -> None:
    answers = _answers((6, (1,), 4), (6, (2,), 2))
    assert team_breakdown(
        [SCALE], answers.counts, total=4, threshold=5, survey_open=False, teams=NAMES
    ) == Withheld(4, 5)
    assert team_breakdown(
        [SCALE], answers.counts, total=12, threshold=5, survey_open=True, teams=NAMES
    ) == Withheld(12, 5, True)


def test_a_teams_results_come_from_its_counts_alone() -> None:
    answers = _answers((3, (1,), 5), (2, (1, 2), 1), (7, (), 3))
    records = records_of_team(answers.counts, 1)
    assert len(records) == 5
    assert sorted(str(record.answers["direction"]) for record in records) == [
        "1",
        "1",
        "5",
        "5",
        "5",
    ]
    assert [record.answers[TEXT.key] for record in records] == [""] * 5  # no comment's text


answer_teams = st.lists(
    st.frozensets(st.sampled_from([1, 2, 3, 4]), max_size=3), min_size=0, max_size=60
)


@settings(max_examples=300)
@given(answer_teams, st.integers(min_value=3, max_value=8))
def test_no_team_is_shown_whose_group_or_rest_or_any_separated_group_is_small(
    memberships: list[frozenset[int]], threshold: int
) -> None:
    answers = _answers(*((1, tuple(sorted(teams)), 3) for teams in memberships))
    result = team_breakdown(
        [SCALE],
        answers.counts,
        total=answers.total,
        threshold=threshold,
        survey_open=False,
        teams=NAMES,
    )
    if len(memberships) < threshold:
        assert isinstance(result, Withheld)
        return
    assert isinstance(result, TeamBreakdown)
    shown = [team.team_ref for team in result.teams]
    for team in result.teams:
        size = sum(1 for teams in memberships if team.team_ref in teams)
        assert team.results.responses == size
        assert size >= threshold
        assert len(memberships) - size >= threshold
    if shown:
        told_apart = Counter(teams & set(shown) for teams in memberships)
        assert min(told_apart.values()) >= threshold
        assert smallest_group(answers.counts.groups, shown, total=answers.total) == min(
            told_apart.values()
        )
    assert result.hidden == len(NAMES) - len(shown)
