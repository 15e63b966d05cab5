"""``/align swot`` (everyone sees it) and ``/align swot edit`` (admins: four lists in one
form), kept in ``workspace.settings["strategy"]["swot"]`` as typed."""

from __future__ import annotations

from typing import Any

from bot.core.errors import FormErrors, UserInputError
from bot.core.request import RequestContext
from bot.core.text_input import echo, normalize, reject_control_characters, split_first_word
from bot.people.admins import is_admin, require_admin
from bot.slack.forms import FieldErrors, SubmittedForm
from bot.slack.messages import SECTION_TEXT_MAX, Reply, plain_fallback, section, truncate
from bot.slack.outcome import Outcome
from bot.strategy import texts
from bot.strategy.blocks.forms import build_swot_form, swot_block
from bot.strategy.settings import read_strategy, with_strategy
from storage.db import transaction
from storage.models import Workspace
from storage.repositories.workspaces import get_workspace

SWOT_KEYS = tuple(key for key, _ in texts.SWOT_PARTS)


def read_swot(workspace_settings: dict[str, Any] | None) -> dict[str, list[str]]:
    """The four lists (each possibly empty), whatever shape the stored value has."""
    stored = read_strategy(workspace_settings).get("swot")
    stored = stored if isinstance(stored, dict) else {}
    parts: dict[str, list[str]] = {}
    for key in SWOT_KEYS:
        items = stored.get(key)
        parts[key] = [i for i in items if isinstance(i, str)] if isinstance(items, list) else []
    return parts


async def run_swot(text: str, request: RequestContext) -> Outcome:
    """``/align swot [edit]``."""
    word, rest = split_first_word(normalize(text))
    async with request.runtime.sessions() as session:
        if word in ("edit", "set", "update") and not rest:
            await require_admin(
                session=session,
                team_id=request.team_id,
                user_id=request.user_id,
                action=texts.EDIT_SWOT_ACTION,
            )
            workspace = await get_workspace(session=session, team_id=request.team_id)
            parts = read_swot(workspace.settings if workspace else None)
            metadata = {"response_url": request.response_url}
            return Outcome.opening(build_swot_form(parts, metadata=metadata))
        if word not in ("", "show") or rest:
            raise UserInputError(texts.swot_unknown(echo(text)))
        workspace = await get_workspace(session=session, team_id=request.team_id)
        admin = await is_admin(session=session, team_id=request.team_id, user_id=request.user_id)
    parts = read_swot(workspace.settings if workspace else None)
    return Outcome.replying(_swot_reply(texts.swot_sections(parts, admin=admin)))


def read_swot_form(form: SubmittedForm) -> dict[str, list[str]]:
    """The four lists, one item per non-empty line, or ``FormErrors`` on the list at fault."""
    errors = FieldErrors()
    parts: dict[str, list[str]] = {}
    for key, label in texts.SWOT_PARTS:
        lines = [
            " ".join(line.split()) for line in normalize(form.value(swot_block(key))).split("\n")
        ]
        items = [line for line in lines if line]
        for number, item in enumerate(items, start=1):
            if len(item) > texts.SWOT_ITEM_MAX_CHARS:
                errors.add(swot_block(key), texts.swot_too_long(number))
            try:
                reject_control_characters(item, usage="")
            except UserInputError:
                errors.add(swot_block(key), texts.CONTROL_CHARACTER)
        if len(items) > texts.SWOT_ITEMS_MAX:
            errors.add(swot_block(key), texts.swot_too_many(label, len(items)))
        parts[key] = items
    errors.raise_if_any()
    return parts


async def submit_swot_form(request: RequestContext, form: SubmittedForm) -> Outcome:
    parts = read_swot_form(form)
    async with transaction(request.runtime.sessions) as session:
        try:
            await require_admin(
                session=session,
                team_id=request.team_id,
                user_id=request.user_id,
                action=texts.EDIT_SWOT_ACTION,
            )
        except UserInputError:
            raise FormErrors({swot_block(SWOT_KEYS[0]): texts.NOT_ADMIN_IN_FORM}) from None
        # locked, read afresh: another strategy setting may be saved at the same moment
        workspace = await session.get(
            Workspace, request.team_id, with_for_update=True, populate_existing=True
        )
        if workspace is None:
            raise LookupError(f"workspace {request.team_id} does not exist")
        # A new dict, assigned: SQLAlchemy does not see changes made inside a JSON value.
        workspace.settings = with_strategy(workspace.settings, swot=parts)
        workspace.updated_at = request.runtime.clock()
        session.add(workspace)
    return Outcome.replying(
        _swot_reply([texts.SWOT_SAVED, *texts.swot_sections(parts, admin=True)])
    )


def _swot_reply(sections: list[str]) -> Reply:
    return Reply(
        text=plain_fallback(sections[0]),
        blocks=[section(truncate(text, SECTION_TEXT_MAX)) for text in sections],
    )
