"""What a check-in fan-out run reads once for a batch before it sends (``RunContext``): the
people's time zones and pauses, the rounds' setups and their settings, and from them whether
an invitation just claimed gets its prompt or is skipped, and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.checkins.blocks.prompts import build_checkin_prompt
from bot.checkins.claimed_rows import RoundFacts
from bot.checkins.settings import CheckinSettings, read_config
from bot.checkins.texts_prompts import setup_footer
from bot.core.local_time import zone
from bot.core.text_input import escape_mrkdwn
from bot.slack.messages import Reply
from storage.models import ALL_SETUPS, CheckinSetup
from storage.repositories import checkin_calendar as calendar_repo
from storage.repositories import checkin_setups as setups_repo
from storage.repositories.checkin_claims import ClaimedInvitation
from storage.repositories.members import active_time_zones
from storage.repositories.workspaces import get_workspace

SKIP_REASON = "paused or no longer a member"
# Cancelled because check-ins are off: saving them on again brings the invitation back.
TURNED_OFF = "check-ins turned off"


class Invitation(Protocol):
    """An invitation as listed (``DueInvitation``, or a whole ``CheckinDelivery`` for a
    reminder) or as claimed (``ClaimedInvitation``)."""

    @property
    def user_id(self) -> str: ...
    @property
    def round_id(self) -> int: ...
    @property
    def prompt_at(self) -> datetime: ...


@dataclass(frozen=True)
class RunContext:
    """What a fan-out run reads once, before sending. The round (period, questions) is read
    per DM, after its claim: it may change while the run works."""

    time_zones: dict[str, str]
    workspace_tz: str
    paused: dict[tuple[str, int], date]  # by (person, setup id); setup 0: every setup
    setups: dict[int, CheckinSetup]  # the setup of each round of the batch, by round id
    configs: dict[int, CheckinSettings]  # their settings, read once a round, by round id

    def tz_of(self, user_id: str) -> ZoneInfo:
        return zone(self.time_zones.get(user_id), self.workspace_tz)

    def enabled(self, delivery: Invitation) -> bool:
        """The setup is on and not archived: a round opened while it was being turned off
        sends nothing."""
        setup, settings = self.setups.get(delivery.round_id), self.configs.get(delivery.round_id)
        return (
            setup is not None
            and setup.archived_at is None
            and settings is not None
            and (settings.enabled)
        )

    def setup_name(self, delivery: Invitation) -> str | None:
        """The escaped name of the setup, or None for the default one (its DMs say
        "check-in")."""
        setup = self.setups.get(delivery.round_id)
        if setup is None or setup.default_key is not None:
            return None
        return escape_mrkdwn(setup.name)

    def footer(self, delivery: Invitation) -> str | None:
        """Where a non-default setup's answers go; None: the weekly check-in's own words."""
        setup = self.setups.get(delivery.round_id)
        if setup is None or setup.default_key is not None:
            return None
        settings = self.configs[delivery.round_id]
        return setup_footer(settings.channel_id, settings.channel_mode == "summary")

    def prompt_or_skip(self, claimed: ClaimedInvitation, facts: RoundFacts) -> Reply | str:
        """The prompt of an invitation just claimed, or why it is skipped instead."""
        if not self.enabled(claimed):  # turned off as it opened: never sent, revivable
            return TURNED_OFF
        if self.should_skip(claimed):
            return SKIP_REASON
        return build_checkin_prompt(
            week=facts.period,
            setup_name=self.setup_name(claimed),
            delivery_id=claimed.id,
            questions=facts.questions,
            goals=facts.goals,
            footer=self.footer(claimed),
            closes_local=claimed.closes_at.astimezone(self.tz_of(claimed.user_id)),
        )

    def should_skip(self, delivery: Invitation) -> bool:
        if delivery.user_id not in self.time_zones:
            return True  # deleted in Slack since the invitation
        setup = self.setups.get(delivery.round_id)
        paused = calendar_repo.paused_until(
            self.paused, delivery.user_id, setup.id if setup and setup.id else ALL_SETUPS
        )
        local_prompt_day = delivery.prompt_at.astimezone(self.tz_of(delivery.user_id)).date()
        return paused is not None and paused >= local_prompt_day  # "until" is a local day


async def read_run_context(
    session: AsyncSession, team_id: str, deliveries: Sequence[Invitation]
) -> RunContext:
    """What a run reads once for a batch of ``deliveries``: the people's time zones and pauses,
    the workspace's time zone, the rounds' setups and their settings."""
    workspace = await get_workspace(session=session, team_id=team_id)
    people = sorted({delivery.user_id for delivery in deliveries})
    setups = await setups_repo.setups_of_rounds(
        session=session,
        team_id=team_id,
        round_ids=[delivery.round_id for delivery in deliveries],
    )
    return RunContext(
        time_zones=await active_time_zones(session=session, team_id=team_id, user_ids=people),
        workspace_tz=workspace.timezone if workspace else "UTC",
        paused=await calendar_repo.pauses_by_setup(
            session=session, team_id=team_id, user_ids=people
        ),
        setups=setups,
        configs={round_id: read_config(setup.config) for round_id, setup in setups.items()},
    )
