"""Build a ``Digest`` from a ``DigestSource``: pure computation, no I/O.

The company digest covers the whole workspace; a team digest covers the team's goals (team
goals, and personal goals of its members that name no other team), the team's KPIs, its
members' check-ins, and the surveys that went to it (with whole-survey numbers only: a
survey's results are never sliced by team here, so the anonymity gate stays the survey's).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace

from bot.digest.model import (
    COMPANY_SCOPE,
    CheckinSection,
    Digest,
    KpiLine,
    PulseLine,
    TeamBlockers,
    WeekRate,
    team_scope,
)
from bot.digest.source import DigestSource, SurveyOutcome
from bot.digest.strategy import strategy_section
from bot.digest.wins import kudos_section
from bot.goals.alignment import (
    ScorePart,
    alignment_score,
    kpi_health_part,
    no_pulse,
    pulse_part,
    share_part,
)
from bot.kpis.health import Health
from bot.pulse.results import ChoiceResult, EnpsResult, ScaleResult, SurveyResults
from storage.models import Kpi, Survey, Team

CHARTED_KPIS = 4
NO_TEAM = "No team"
HEADLINES_PER_SURVEY = 3
HEADLINE_TEXT_CHARS = 60
NONE_SENT_DETAIL = "no check-ins went out this week"
_HEALTH_ORDER = {Health.RED: 0, Health.AMBER: 1, Health.GREEN: 2, Health.NO_DATA: 3}


def build_digest(source: DigestSource, *, scope: str = COMPANY_SCOPE, late: bool = False) -> Digest:
    """The digest of ``scope`` (``COMPANY_SCOPE`` or ``team_scope(ref)``)."""
    team = _team_of(source, scope)
    people: set[str] | None = None
    goal_ids: set[int] | None = None
    tally = source.goal_index.whole
    if team is not None:
        people = set(source.team_members.get(team[0], []))
        goal_ids, tally = source.goal_index.of_team(team[0], people)
    goals = source.goal_lists.section(tally, goal_ids)
    kpis = _kpi_lines(source, source.kpis if team is None else source.kpis_by_team.get(team[0], []))
    checkins = _checkin_section(source, team, people)
    surveys = [o for o in source.closed_this_week if _reaches(o.survey, team)]
    parts = (
        share_part("linked", tally.linked, tally.below, "team and personal goals linked"),
        share_part("on_track", goals.on_track, goals.open_total, "open goals on track"),
        _participation_part(checkins),
        kpi_health_part(*_health_counts(kpis)),
        _pulse_part([o for o in source.latest_released if _reaches(o.survey, team)]),
    )
    period = source.period
    return Digest(
        team_id=source.team_id,
        scope=scope,
        scope_name=team[1] if team is not None else (source.workspace_name or "Company"),
        vision=source.vision,
        week=period.week,
        week_start=period.start,
        week_end=period.end,
        as_of=period.as_of,
        late=late,
        score=alignment_score(parts, previous=source.previous_scores.get(scope)),
        goals=goals,
        kpis=kpis,
        checkins=checkins,
        pulse=tuple(_pulse_line(source, outcome) for outcome in surveys),
        team_ref=team[0] if team is not None else None,
        mentions=source.mentions,
        names=source.names,
        kudos=kudos_section(source, goal_ids or set(), people),
        strategy=strategy_section(source, company=team is None),
    )


def team_scopes(teams: Iterable[Team], company_channel: str | None) -> list[tuple[str, str]]:
    """(scope, channel id) of every team with its own channel, for team digests. A team whose
    channel is the company digest's channel reads the company digest there."""
    return [
        (team_scope(team.id), team.channel_id)
        for team in teams
        if team.id is not None and team.channel_id and team.channel_id != company_channel
    ]


def _team_of(source: DigestSource, scope: str) -> tuple[int, str] | None:
    if scope == COMPANY_SCOPE:
        return None
    for team in source.teams:
        if team.id is not None and team_scope(team.id) == scope:
            return team.id, team.name
    raise LookupError(f"no team for digest scope {scope!r}")


# --- KPIs ------------------------------------------------------------------------------------


def _kpi_lines(source: DigestSource, kpis: list[Kpi]) -> tuple[KpiLine, ...]:
    """Every KPI in number order; the most important ones with a history are charted:
    company-wide KPIs (no team) before team KPIs, red before amber before green, then by
    number, at most ``CHARTED_KPIS``."""
    lines = [source.kpi_lines[kpi.id] for kpi in kpis]
    ranked = sorted(
        (index for index, line in enumerate(lines) if len(line.history) >= 2),
        key=lambda index: (
            kpis[index].team_ref is not None,
            _HEALTH_ORDER[lines[index].health],
            lines[index].number,
        ),
    )
    charted = set(ranked[:CHARTED_KPIS])
    return tuple(
        replace(line, charted=True) if index in charted else line
        for index, line in enumerate(lines)
    )


def _health_counts(kpis: tuple[KpiLine, ...]) -> tuple[int, int, int]:
    healths = [line.health for line in kpis]
    return healths.count(Health.GREEN), healths.count(Health.AMBER), healths.count(Health.RED)


# --- check-ins -------------------------------------------------------------------------------


def _week_rate(week: str, asked: Mapping[str, bool], people: set[str] | None) -> WeekRate:
    """Participation among the people who were actually sent the week's prompt (``asked``:
    ``DigestSource.asked_by_week``), each counted once however many rounds the week had."""
    if people is None:
        return WeekRate(week, answered=sum(asked.values()), asked=len(asked))
    counted = [asked[user] for user in people if user in asked]
    return WeekRate(week, answered=sum(counted), asked=len(counted))


def _checkin_section(
    source: DigestSource, team: tuple[int, str] | None, people: set[str] | None
) -> CheckinSection | None:
    week = source.period.week
    if week not in source.round_states and week not in source.round_weeks:
        return None
    rates = [
        _week_rate(round_week, source.asked_by_week.get(round_week, {}), people)
        for round_week in source.round_weeks
        if round_week < week
    ]
    this_week = _week_rate(week, source.asked_by_week.get(week, {}), people)
    blockers, quoted = _blockers(source, team, people)
    return CheckinSection(
        this_week=this_week, trend=tuple(rates), blockers=blockers, blockers_quoted=quoted
    )


def _blockers(
    source: DigestSource, team: tuple[int, str] | None, people: set[str] | None
) -> tuple[tuple[TeamBlockers, ...], bool]:
    """Blockers grouped by team. A text is quoted only where the person's team shares its
    check-ins in its own channel (what the check-in prompt promises); otherwise counted."""
    teams_of: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for item in source.teams:
        if item.id is None or (team is not None and item.id != team[0]):
            continue
        shared = source.share_answers and bool(item.channel_id)
        for user_id in source.team_members.get(item.id, []):
            teams_of[user_id].append((item.name, shared))
    counts: dict[str, int] = defaultdict(int)
    quotes: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for user_id, text in source.blockers if people is None else source.blockers_of(people):
        for name, shared in teams_of.get(user_id) or [(NO_TEAM, False)]:
            counts[name] += 1
            if shared:
                quotes[name].append((user_id, text))
    ordered = sorted(counts, key=lambda name: (name == NO_TEAM, name.lower()))
    groups = tuple(TeamBlockers(name, counts[name], tuple(quotes[name])) for name in ordered)
    return groups, any(group.quotes for group in groups)


def _participation_part(checkins: CheckinSection | None) -> ScorePart:
    if checkins is None or not checkins.this_week.any_sent:
        return ScorePart("participation", None, NONE_SENT_DETAIL)
    rate = checkins.this_week
    return share_part("participation", rate.answered, rate.asked, "people answered")


# --- pulse -----------------------------------------------------------------------------------


def _reaches(survey: Survey, team: tuple[int, str] | None) -> bool:
    return team is None or not survey.team_refs or team[0] in survey.team_refs


def _pulse_part(outcomes: Collection[SurveyOutcome]) -> ScorePart:
    for outcome in outcomes:
        results = outcome.results
        if isinstance(results, SurveyResults):
            return pulse_part(
                label=f"P-{outcome.survey.number} {_short(outcome.survey.title)}",
                scale_means=[
                    q.mean for q in results.questions if isinstance(q, ScaleResult) and q.mean
                ],
                enps_scores=[
                    q.score
                    for q in results.questions
                    if isinstance(q, EnpsResult) and q.score is not None
                ],
            )
    return no_pulse()


def _pulse_line(source: DigestSource, outcome: SurveyOutcome) -> PulseLine:
    survey, results = outcome.survey, outcome.results
    released = results if isinstance(results, SurveyResults) else None
    return PulseLine(
        number=survey.number,
        title=survey.title,
        closed_on=survey.closes_at.astimezone(source.period.tz).date(),
        responses=released.responses if released else None,
        threshold=survey.min_responses,
        headlines=headlines(released) if released else (),
    )


def headlines(results: SurveyResults) -> tuple[str, ...]:
    """A released survey's headline numbers: eNPS first, then the average agreement over its
    scale statements and the lowest one, then the most chosen option of a choice question."""
    lines = [
        f"eNPS {question.score:+d}"
        for question in results.questions
        if isinstance(question, EnpsResult) and question.score is not None
    ]
    scales = [
        question
        for question in results.questions
        if isinstance(question, ScaleResult) and question.mean is not None
    ]
    if len(scales) > 1:
        average = sum(q.mean or 0 for q in scales) / len(scales)
        lowest = min(scales, key=lambda question: question.mean or 0)
        lines.append(f"average agreement {average:.1f} / 5")
        lines.append(f"lowest: {_short(lowest.text)} {lowest.mean:.1f} / 5")
    elif scales:
        lines.append(f"{_short(scales[0].text)} {scales[0].mean:.1f} / 5")
    for question in results.questions:
        if isinstance(question, ChoiceResult) and question.count:
            top = max(question.counts, key=lambda option: question.counts[option])
            lines.append(f"{_short(question.text)} most chose {_short(top)}")
    return tuple(lines[:HEADLINES_PER_SURVEY])


def _short(text: str) -> str:
    """A question or option cut for a headline, without its closing full stop or colon."""
    text = text.rstrip(" .:?")
    cut = text if len(text) <= HEADLINE_TEXT_CHARS else text[: HEADLINE_TEXT_CHARS - 1] + "…"
    return f"“{cut}”"
