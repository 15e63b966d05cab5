"""The surveys job: open and close surveys, then send each invitation exactly once.

It follows the check-in fan-out (``bot/checkins/rounds.py``): every DM is sent only by the
process whose conditional UPDATE moved the invitation from ``pending`` to ``sending`` (with a
clock read at the claim), and only that claim records the outcome. Slack errors that mean the
person cannot get a DM end the invitation as ``failed``; others put it back to ``pending`` for
the next run. Nothing here logs a user id.

The one reminder before closing is sent by ``bot/pulse/reminders.py`` in the same job.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import ActionsBlock, ButtonElement
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.local_time import zone
from bot.core.runtime import Runtime
from bot.pulse import texts as pulse_texts
from bot.pulse import texts_answers as texts
from bot.pulse.blocks.results import mrkdwn_safe
from bot.pulse.lifecycle import NotOpened, SurveyChanges, advance_surveys
from bot.pulse.questions import Repeat
from bot.pulse.surveys import is_open
from bot.slack.errors import error_code
from bot.slack.fanout import TAKEN, Attempt, Delivery, FanOutReport, Sent, deliver, fan_out
from bot.slack.messages import Reply, build_notice, context, plain_fallback, section
from storage.db import transaction
from storage.models import Survey
from storage.repositories import survey_invites as invites
from storage.repositories import surveys as surveys_repo
from storage.repositories.members import active_time_zones
from storage.repositories.surveys import OPEN
from storage.repositories.workspaces import get_workspace

logger = logging.getLogger(__name__)

ANSWER_ACTION = "pulse_answer"
BATCH = 200


# --- the DM ----------------------------------------------------------------------------------


def build_invitation(
    *, survey_id: int, title: str, closes_local: datetime, reminder: bool = False
) -> Reply:
    """The invitation DM, or (``reminder``) the one reminder, with its Answer button."""
    make_text = texts.reminder_text if reminder else texts.invitation_text
    text = make_text(title, closes_local)
    button = ActionsBlock(
        block_id="pulse_actions",
        elements=[
            ButtonElement(
                text=texts.ANSWER_BUTTON,
                action_id=ANSWER_ACTION,
                value=str(survey_id),
                style="primary",
            )
        ],
    ).to_dict()
    return Reply(
        text=plain_fallback(text),
        blocks=[section(text), button, context(texts.INVITATION_FOOTER)],
    )


# --- the job ---------------------------------------------------------------------------------


@dataclass
class SurveysReport:
    opened: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    not_opened: list[int] = field(default_factory=list)
    sending: FanOutReport = field(default_factory=FanOutReport)

    def detail(self) -> str:
        parts = []
        if self.opened:
            parts.append("opened " + ", ".join(f"P-{n}" for n in self.opened))
        if self.closed:
            parts.append("closed " + ", ".join(f"P-{n}" for n in self.closed))
        if self.not_opened:
            numbers = ", ".join(f"P-{n}" for n in self.not_opened)
            parts.append(f"not opened (too few people) {numbers}")
        return "; ".join([*parts, self.sending.detail()])

    def record(self, changes: SurveyChanges) -> SurveysReport:
        self.opened = [survey.number for survey in changes.opened]
        self.closed = [survey.number for survey in changes.closed]
        self.not_opened = [item.survey.number for item in changes.not_opened]
        return self


async def advance(*, runtime: Runtime, team_id: str, now: datetime) -> SurveyChanges:
    async with transaction(runtime.sessions) as session:
        return await advance_surveys(session=session, team_id=team_id, now=now)


async def tell_not_opened(*, client: AsyncWebClient, not_opened: Sequence[NotOpened]) -> None:
    """DM each creator whose survey did not open for want of people. Only the run that closed
    the survey gets here, so each is told once; a DM that fails is logged, not retried."""
    for item in not_opened:
        survey = item.survey
        text = pulse_texts.survey_not_opened(
            f"P-{survey.number}",
            mrkdwn_safe(survey.title),
            item.audience,
            item.needed,
            survey.min_responses,
            repeats=survey.repeat != Repeat.NONE,
        )
        try:
            await client.chat_postMessage(channel=survey.created_by, **build_notice(text))
        except SlackApiError as error:
            logger.warning(
                "the creator of P-%s was not told it did not open: %s",
                survey.number,
                error_code(error),
            )


async def send_invitations(
    *, runtime: Runtime, client: AsyncWebClient, team_id: str, now: datetime
) -> SurveysReport:
    """DM each pending invitation of every open survey, exactly once."""
    report = SurveysReport()
    async with runtime.sessions() as session:
        found = await surveys_repo.list_surveys(session=session, team_id=team_id, states=[OPEN])
    for survey in found:
        if is_open(survey, now):
            outcomes = await _send_survey(runtime, client, survey, now)
            report.sending.outcomes.update(outcomes.outcomes)
    return report


@dataclass(frozen=True)
class _Context:
    time_zones: dict[str, str]
    workspace_tz: str

    def tz_of(self, user_id: str) -> ZoneInfo:
        return zone(self.time_zones.get(user_id), self.workspace_tz)


async def _send_survey(
    runtime: Runtime, client: AsyncWebClient, survey: Survey, now: datetime
) -> FanOutReport:
    """A batch at a time; an invitation put back for a later run is not tried twice here."""
    assert survey.id is not None
    report = FanOutReport()
    tried: set[str] = set()
    while True:
        async with runtime.sessions() as session:
            due = [
                user_id
                for user_id in await invites.invites_to_send(
                    session=session,
                    team_id=survey.team_id,
                    survey_id=survey.id,
                    now=now,
                    limit=len(tried) + BATCH,
                )
                if user_id not in tried
            ]
            if not due:
                return report
            workspace = await get_workspace(session=session, team_id=survey.team_id)
            time_zones = await active_time_zones(
                session=session, team_id=survey.team_id, user_ids=due
            )
        tried.update(due)
        ctx = _Context(
            time_zones=time_zones,
            workspace_tz=workspace.timezone if workspace else "UTC",
        )
        sent = await fan_out(due, functools.partial(_invite, runtime, client, survey, ctx))
        report.outcomes.update(sent.outcomes)


async def _invite(
    runtime: Runtime, client: AsyncWebClient, survey: Survey, ctx: _Context, user_id: str
) -> str:
    survey_id = survey.id
    assert survey_id is not None
    claimed_at = runtime.clock()  # fresh: a long run must not write claims that look stale

    async def finish(state: str) -> None:
        async with transaction(runtime.sessions) as session:
            await invites.finish_invite(
                session=session,
                team_id=survey.team_id,
                survey_id=survey_id,
                user_id=user_id,
                claimed_at=claimed_at,
                state=state,
            )

    async def claim() -> str | None:
        async with transaction(runtime.sessions) as session:
            won = await invites.claim_invite(
                session=session,
                team_id=survey.team_id,
                survey_id=survey_id,
                user_id=user_id,
                now=claimed_at,
            )
        if not won:
            return TAKEN
        if user_id not in ctx.time_zones:
            await finish(invites.FAILED)
            return "failed (no longer a member)"
        return None

    def message() -> Reply:
        closes_local = survey.closes_at.astimezone(ctx.tz_of(user_id))
        return build_invitation(survey_id=survey_id, title=survey.title, closes_local=closes_local)

    async def record(attempt: Attempt) -> None:
        # A timeout counts as sent: Slack may have posted it, never risk a second invitation.
        states = {Sent.REFUSED: invites.FAILED, Sent.RETRY: invites.PENDING}
        await finish(states.get(attempt.sent, invites.SENT))

    steps = Delivery(user_id, "a pulse invitation", "sent", claim, message, record)
    return await deliver(client, steps)
