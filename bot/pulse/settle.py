"""What a survey keeps once it closes: nothing that narrows an answer below its threshold.

While a survey is open, answers are counted per team (``survey_team_group`` and
``survey_team_tally``) because nobody knows yet which teams will reach the threshold. When it
closes, the breakdown rule (``bot.pulse.breakdown.shown_teams``) decides which teams may ever
be shown; the counts of every other team are deleted, and the groups are merged so that only
the shown teams tell them apart (each then reaches the threshold). The ``reminded`` flags of
the invitations are cleared too: with ``answered`` they would say who answered late.
"""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.pulse.breakdown import projected, shown_teams
from bot.pulse.results import withheld
from storage.models import Survey
from storage.repositories import pulse
from storage.repositories.survey_invites import forget_reminders
from storage.repositories.survey_rows import read_team_counts, write_team_counts


async def settle_closed_survey(*, session: AsyncSession, survey: Survey) -> list[int]:
    """Keep only the team counts that may be shown and forget reminders; returns the teams
    whose counts were kept. Call it in the transaction that closes the survey."""
    assert survey.id is not None
    await forget_reminders(session=session, team_id=survey.team_id, survey_id=survey.id)
    total = await pulse.answer_count(session=session, team_id=survey.team_id, survey_id=survey.id)
    groups, tallies = await read_team_counts(session=session, survey_id=survey.id)
    teams = sorted({ref for refs in groups for ref in refs})
    shown: list[int] = []
    if withheld(total, survey.min_responses, survey_open=False) is None:
        shown = shown_teams(groups, total=total, teams=teams, threshold=survey.min_responses)
    kept = set(shown)
    await write_team_counts(
        session=session,
        team_id=survey.team_id,
        survey_id=survey.id,
        groups=projected(groups, kept, total=total) if kept else {},
        tallies={cell: count for cell, count in tallies.items() if cell[0] in kept},
    )
    return shown
