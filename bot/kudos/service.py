"""The kudos use cases: check the switch, who is thanked and the goal named, save, deliver.

Knows nothing of Bolt. Kudos are saved before anything is sent, so a failed channel post never
loses them; ``bot.kudos.delivery`` posts and DMs them and says what happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.errors import UserInputError
from bot.core.request import RequestContext
from bot.kudos import texts
from bot.kudos.commands import parse_kudos
from bot.kudos.delivery import deliver_kudos
from bot.kudos.settings import KudosSettings, load_kudos_settings
from bot.people.lookup import PersonRef, resolve_person
from bot.people.members import ensure_member
from bot.slack.outcome import Outcome
from storage.db import transaction
from storage.models import KUDOS_MAX_RECIPIENTS, Goal, Kudos
from storage.repositories.goals import get_goal_by_number
from storage.repositories.kudos import add_kudos
from storage.repositories.members import get_member


@dataclass(frozen=True)
class SavedKudos:
    """Kudos as saved, with the goal they name and the settings that decide where they go."""

    kudos: Kudos
    goal: Goal | None
    settings: KudosSettings


async def kudos_settings_if_on(request: RequestContext) -> KudosSettings:
    """The workspace's kudos settings; a ``UserInputError`` when an admin turned kudos off."""
    await ensure_member(
        client=request.client,
        sessions=request.runtime.sessions,
        team_id=request.team_id,
        user_id=request.user_id,
    )
    async with request.runtime.sessions() as session:
        settings = await load_kudos_settings(session=session, team_id=request.team_id)
    if not settings.enabled:
        raise UserInputError(texts.TURNED_OFF)
    return settings


async def run_kudos_command(request: RequestContext, text: str | None) -> Outcome:
    """``/kudos @ada @sam for shipping the beta G-12``: save, post, DM, and tell the giver."""
    settings = await kudos_settings_if_on(request)
    command = parse_kudos(text)
    recipients = await resolve_recipients(request, command.people)
    goal = await goal_by_number(request, command.goal_number)
    saved = await save_kudos(
        request, recipients=recipients, text=command.text, goal=goal, settings=settings
    )
    return await deliver_saved(request, saved)


async def resolve_recipients(request: RequestContext, people: Sequence[PersonRef]) -> list[str]:
    """The people thanked, as member ids: never the giver alone, at most the limit, and only
    current people of the workspace (no bots, no one who left)."""
    ids = list(dict.fromkeys([await _person(request, ref) for ref in people]))
    others = [user_id for user_id in ids if user_id != request.user_id]
    if not others:
        raise UserInputError(texts.ONLY_YOURSELF)
    if len(others) > KUDOS_MAX_RECIPIENTS:
        raise UserInputError(texts.too_many(len(others)))
    async with request.runtime.sessions() as session:
        for user_id in others:
            member = await get_member(session=session, team_id=request.team_id, user_id=user_id)
            if member is None or member.deleted or member.is_bot:
                raise UserInputError(texts.not_a_person(user_id))
    return others


async def _person(request: RequestContext, ref: PersonRef) -> str:
    try:
        return await resolve_person(
            ref, runtime=request.runtime, client=request.client, team_id=request.team_id
        )
    except UserInputError as error:
        user_id = ref[0]
        if user_id is not None:  # a bot, someone Slack does not know, or a Slack Connect guest
            raise UserInputError(texts.not_a_person(user_id)) from None
        raise UserInputError(f"{error.message} Try: {texts.USAGE}") from None


async def goal_by_number(request: RequestContext, number: int | None) -> Goal | None:
    """The goal ``G-number`` of this workspace (another workspace's is never found)."""
    if number is None:
        return None
    async with request.runtime.sessions() as session:
        goal = await get_goal_by_number(session=session, team_id=request.team_id, number=number)
    if goal is None:
        raise UserInputError(texts.unknown_goal(number))
    return goal


async def save_kudos(
    request: RequestContext,
    *,
    recipients: Sequence[str],
    text: str,
    goal: Goal | None,
    settings: KudosSettings,
) -> SavedKudos:
    async with transaction(request.runtime.sessions) as session:
        kudos = await add_kudos(
            session=session,
            kudos=Kudos(
                team_id=request.team_id,
                giver_id=request.user_id,
                recipient_ids=list(recipients),
                text=text,
                goal_id=goal.id if goal else None,
                created_at=request.runtime.clock(),
            ),
        )
    return SavedKudos(kudos=kudos, goal=goal, settings=settings)


async def deliver_saved(request: RequestContext, saved: SavedKudos) -> Outcome:
    return await deliver_kudos(request, saved.kudos, saved.goal, saved.settings)
