"""Survey results by team, shown only where no comparison can single out a small group.

The rule the issue states is that a team is shown only when the team's answers and the rest
of the answers each reach the threshold, so that "everyone" minus "this team" is not a small
group. With several teams shown, subtraction works across teams too: if Engineering (10) and
Backend (6, inside Engineering) were both shown, Engineering minus Backend would be 4 people.
So teams are taken one by one (biggest first) and a team is added only if, with it, every
group of answers that the shown teams tell apart (answers in exactly the same shown teams)
still reaches the threshold. Any sum or difference of the views is then made of such groups,
so none covers fewer people than the threshold.

Comments are never broken down by team: they would say which team wrote what.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.pulse_questions import Question
from bot.pulse_results import AnswerRecord, SurveyResults, Withheld, release, withheld


@dataclass(frozen=True)
class TeamResults:
    team_ref: int
    name: str
    results: SurveyResults


@dataclass(frozen=True)
class TeamBreakdown:
    """Teams that may be shown, and how many others were left out (never which or why)."""

    teams: tuple[TeamResults, ...]
    hidden: int


def team_breakdown(
    questions: Sequence[Question],
    answers: Sequence[AnswerRecord],
    *,
    threshold: int,
    survey_open: bool,
    teams: Mapping[int, str],
) -> TeamBreakdown | Withheld:
    """Results per team in ``teams`` (ref -> name), for the teams that pass the rule above."""
    gate = withheld(len(answers), threshold, survey_open=survey_open)
    if gate is not None:
        return gate
    shown = shown_teams(answers, teams=list(teams), threshold=threshold)
    results = []
    for ref in sorted(shown, key=lambda team_ref: (teams[team_ref].casefold(), team_ref)):
        members = [record for record in answers if ref in record.team_refs]
        released = release(
            questions, members, threshold=threshold, survey_open=False, with_comments=False
        )
        if isinstance(released, SurveyResults):  # always so, by ``shown_teams``
            results.append(TeamResults(team_ref=ref, name=teams[ref], results=released))
    return TeamBreakdown(teams=tuple(results), hidden=len(teams) - len(results))


def shown_teams(
    answers: Sequence[AnswerRecord], *, teams: Sequence[int], threshold: int
) -> list[int]:
    """The teams whose results may be shown, largest first."""
    total = len(answers)
    sizes = Counter(ref for record in answers for ref in set(record.team_refs) if ref in teams)
    candidates = sorted(teams, key=lambda ref: (-sizes[ref], ref))
    shown: list[int] = []
    for ref in candidates:
        if withheld(sizes[ref], threshold, survey_open=False) is not None:
            continue
        if withheld(total - sizes[ref], threshold, survey_open=False) is not None:
            continue
        if smallest_group(answers, [*shown, ref]) >= threshold:
            shown.append(ref)
    return shown


def smallest_group(answers: Sequence[AnswerRecord], teams: Sequence[int]) -> int:
    """The size of the smallest non-empty set of answers that ``teams`` tell apart."""
    patterns = Counter(
        frozenset(ref for ref in record.team_refs if ref in teams) for record in answers
    )
    return min(patterns.values(), default=0)
