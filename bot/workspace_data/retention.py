"""How long free text is kept: ``workspace.settings["retention_days"]`` and the nightly clean-up.

Free text is what people wrote in their own words: check-in answers, goal-update notes, survey
comments and anonymous feedback messages. Numbers, states and counts are kept, so charts,
participation and survey results of the past still add up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.runtime import Runtime
from bot.people.admins import require_admin
from bot.pulse.questions import QuestionKind, load_questions
from bot.slack.messages import Reply, build_notice
from bot.workspace_data import texts
from storage.db import transaction
from storage.repositories import workspace_data
from storage.repositories.workspaces import get_workspace

RETENTION_KEY = "retention_days"
MIN_DAYS, MAX_DAYS = texts.RETENTION_MIN_DAYS, texts.RETENTION_MAX_DAYS


def read_retention_days(settings: dict[str, Any] | None) -> int | None:
    """The stored number of days, or None when retention is off (or the value is unusable)."""
    value = (settings or {}).get(RETENTION_KEY)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if MIN_DAYS <= value <= MAX_DAYS else None


async def show_retention(*, runtime: Runtime, team_id: str) -> Reply:
    async with runtime.sessions() as session:
        workspace = await get_workspace(session=session, team_id=team_id)
    days = read_retention_days(workspace.settings if workspace else None)
    return build_notice(texts.RETENTION_OFF_SHOWN if days is None else texts.retention_shown(days))


async def set_retention(*, runtime: Runtime, team_id: str, user_id: str, days: int | None) -> Reply:
    """Store ``days`` (None turns retention off); admins only."""
    async with transaction(runtime.sessions) as session:
        await require_admin(
            session=session, team_id=team_id, user_id=user_id, action=texts.ACTION_RETENTION
        )
        before = await workspace_data.set_workspace_setting(
            session=session, team_id=team_id, key=RETENTION_KEY, value=days, now=runtime.clock()
        )
    if days is not None:
        return build_notice(texts.retention_set(days))
    return build_notice(
        texts.RETENTION_TURNED_OFF if before is not None else texts.RETENTION_WAS_OFF
    )


@dataclass(frozen=True)
class RetentionReport:
    days: int | None
    answers: int = 0
    notes: int = 0
    comments: int = 0
    messages: int = 0
    threads: int = 0
    kudos: int = 0

    def detail(self) -> str:
        if self.days is None:
            return "retention is off"
        counts = texts.retention_report(
            self.answers, self.notes, self.comments, self.messages, self.threads, self.kudos
        )
        return f"older than {self.days} days: {counts}"


async def remove_old_text(*, runtime: Runtime, team_id: str, now: datetime) -> RetentionReport:
    """Remove the workspace's free text older than its retention, in one transaction."""
    async with transaction(runtime.sessions) as session:
        workspace = await get_workspace(session=session, team_id=team_id)
        days = read_retention_days(workspace.settings if workspace else None)
        if days is None:
            return RetentionReport(days=None)
        cutoff = now - timedelta(days=days)
        answers = await workspace_data.blank_checkin_answers(
            session=session, team_id=team_id, before=cutoff
        )
        notes = await workspace_data.blank_goal_update_notes(
            session=session, team_id=team_id, before=cutoff
        )
        comments = await _remove_survey_comments(session, team_id, cutoff.date())
        messages, threads = await workspace_data.clear_feedback_threads(
            session=session, team_id=team_id, before=cutoff.date()
        )
        kudos = await workspace_data.blank_kudos_texts(
            session=session, team_id=team_id, before=cutoff
        )
    return RetentionReport(days, answers, notes, comments, messages, threads, kudos)


async def _remove_survey_comments(session: AsyncSession, team_id: str, before: date) -> int:
    removed = 0
    old = await workspace_data.surveys_answered_before(
        session=session, team_id=team_id, before=before
    )
    for survey in old:
        questions = load_questions(survey.questions)
        keys = [question.key for question in questions if question.kind is QuestionKind.TEXT]
        if keys and survey.id is not None:
            removed += await workspace_data.remove_survey_comments(
                session=session, team_id=team_id, survey_id=survey.id, keys=keys
            )
    return removed
