"""Turn what people type for a person (``<@U123|ada>`` or ``@ada``) into a member id."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.errors import UserInputError
from bot.core.runtime import Runtime
from bot.core.text_input import echo, parse_user_reference
from bot.people.members import ensure_member
from bot.slack.errors import error_code
from storage.repositories.members import find_member_by_handle

PersonRef = tuple[str | None, str | None]  # (user id, handle): exactly one is set


def parse_people(text: str, *, usage: str) -> list[PersonRef]:
    """One or more mentions separated by spaces or commas; an error names the first bad one."""
    refs: list[PersonRef] = []
    for word in text.replace(",", " ").split():
        user_id, handle = parse_user_reference(word)
        if user_id is None and handle is None:
            raise UserInputError(f"{echo(word)} is not a person. Mention people with `@`: {usage}")
        refs.append((user_id, handle))
    if not refs:
        raise UserInputError(f"Name at least one person with `@`: {usage}")
    return refs


async def resolve_person(
    ref: PersonRef, *, runtime: Runtime, client: AsyncWebClient, team_id: str
) -> str:
    user_id, handle = ref
    if user_id:
        try:
            is_member = await ensure_member(
                client=client, sessions=runtime.sessions, team_id=team_id, user_id=user_id
            )
        except SlackApiError as error:
            if error_code(error) not in ("user_not_found", "users_not_found"):
                raise
            raise UserInputError(
                f"Slack knows no person <@{user_id}> in this workspace. "
                "Mention someone from the @-list and try again."
            ) from None
        if not is_member:
            # A Slack Connect guest or a bot: never a lead, owner or admin of this workspace.
            raise UserInputError(
                f"<@{user_id}> is not one of this workspace's people (a bot, or someone from "
                "another organisation through Slack Connect), so Northstar cannot give them "
                "goals, teams or roles. Mention someone of your own workspace."
            )
        return user_id
    async with runtime.sessions() as session:
        member = await find_member_by_handle(session=session, team_id=team_id, handle=handle or "")
    if member is None:
        raise UserInputError(
            f"Northstar knows no one called @{handle}. Pick the person from Slack's "
            "@-mention list so their name turns blue, then send the command."
        )
    return member.user_id


async def resolve_people(
    refs: Sequence[PersonRef], *, runtime: Runtime, client: AsyncWebClient, team_id: str
) -> list[str]:
    ids = [
        await resolve_person(ref, runtime=runtime, client=client, team_id=team_id) for ref in refs
    ]
    return list(dict.fromkeys(ids))
