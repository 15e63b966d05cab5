"""Survey results by team, shown only where no comparison can single out a small group.

The rule the issue states is that a team is shown only when the team's answers and the rest
of the answers each reach the threshold, so that "everyone" minus "this team" is not a small
group. With several teams shown, subtraction works across teams too: if Engineering (10) and
Backend (6, inside Engineering) were both shown, Engineering minus Backend would be 4 people.
So teams are taken one by one (biggest first) and a team is added only if, with it, every
group of answers that the shown teams tell apart (answers in exactly the same shown teams)
still reaches the threshold. Any sum or difference of the views is then made of such groups,
so none covers fewer people than the threshold.

Breakdowns are made from counts alone (``TeamCounts``): answers are stored with no team, and
the counts of teams that cannot be shown are deleted when the survey closes
(``bot.pulse.settle``). Comments are never broken down by team: they would say which team
wrote what; only how many each team wrote is counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.pulse.questions import Question
from bot.pulse.results import AnswerRecord, SurveyResults, Withheld, release, withheld

Groups = Mapping[tuple[int, ...], int]  # sorted team refs -> answers from exactly those teams


@dataclass(frozen=True)
class TeamCounts:
    """What is stored for breakdowns: answers per combination of teams, and per team, question
    and value, how many of the team's answers gave it (``""`` for a written comment)."""

    groups: Groups = field(default_factory=dict)
    tallies: Mapping[tuple[int, str, str], int] = field(default_factory=dict)

    def responses(self, team_ref: int) -> int:
        return sum(count for refs, count in self.groups.items() if team_ref in refs)


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
    counts: TeamCounts,
    *,
    total: int,
    threshold: int,
    survey_open: bool,
    teams: Mapping[int, str],
) -> TeamBreakdown | Withheld:
    """Results per team in ``teams`` (ref -> name), for the teams that pass the rule above;
    ``total`` is the survey's number of answers."""
    gate = withheld(total, threshold, survey_open=survey_open)
    if gate is not None:
        return gate
    shown = shown_teams(counts.groups, total=total, teams=list(teams), threshold=threshold)
    results = []
    for ref in sorted(shown, key=lambda team_ref: (teams[team_ref].casefold(), team_ref)):
        records = records_of_team(counts, ref)
        released = release(
            questions, records, threshold=threshold, survey_open=False, with_comments=False
        )
        if isinstance(released, SurveyResults):  # always so, by ``shown_teams``
            results.append(TeamResults(team_ref=ref, name=teams[ref], results=released))
    return TeamBreakdown(teams=tuple(results), hidden=len(teams) - len(results))


def shown_teams(groups: Groups, *, total: int, teams: Sequence[int], threshold: int) -> list[int]:
    """The teams whose results may be shown, largest first."""
    sizes = Counter({ref: sum(n for refs, n in groups.items() if ref in refs) for ref in teams})
    candidates = sorted(teams, key=lambda ref: (-sizes[ref], ref))
    shown: list[int] = []
    for ref in candidates:
        if withheld(sizes[ref], threshold, survey_open=False) is not None:
            continue
        if withheld(total - sizes[ref], threshold, survey_open=False) is not None:
            continue
        if smallest_group(groups, [*shown, ref], total=total) >= threshold:
            shown.append(ref)
    return shown


def projected(groups: Groups, teams: Iterable[int], *, total: int) -> dict[tuple[int, ...], int]:
    """The groups as only ``teams`` tell them apart; answers in none of them included."""
    kept = set(teams)
    found: Counter[tuple[int, ...]] = Counter()
    for refs, count in groups.items():
        found[tuple(ref for ref in refs if ref in kept)] += count
    outside = total - sum(found.values())
    if outside > 0:  # answers counted in no group at all
        found[()] += outside
    return {refs: count for refs, count in found.items() if count > 0}


def smallest_group(groups: Groups, teams: Sequence[int], *, total: int) -> int:
    """The size of the smallest non-empty set of answers that ``teams`` tell apart."""
    return min(projected(groups, teams, total=total).values(), default=0)


def records_of_team(counts: TeamCounts, team_ref: int) -> list[AnswerRecord]:
    """Stand-ins for one team's answers, built from its counts, for ``release``.

    Question by question they hold the team's values, so every per-question result (counts,
    distributions, means, eNPS) is the team's own; they are not real answers, which are never
    stored with a team.
    """
    values: dict[str, list[str]] = {}
    for (ref, key, value), count in sorted(counts.tallies.items()):
        if ref == team_ref:
            values.setdefault(key, []).extend([value] * count)
    records: list[dict[str, int | str]] = [{} for _ in range(counts.responses(team_ref))]
    for key, given in values.items():
        for record, value in zip(records, given, strict=False):
            record[key] = value
    return [AnswerRecord(answers=record) for record in records]
