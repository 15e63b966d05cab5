"""``/align priorities`` (everyone sees them), ``/align priorities edit`` and the "Update
priorities" button (admins: one form), and saving that form with its changes recorded."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from bot.core.errors import FormErrors, UserInputError
from bot.core.request import RequestContext
from bot.core.text_input import echo, normalize, reject_control_characters, split_first_word
from bot.people.admins import is_admin, require_admin
from bot.slack.forms import FieldErrors, SubmittedForm
from bot.slack.messages import build_notice
from bot.slack.outcome import Outcome
from bot.strategy import texts
from bot.strategy.blocks.forms import build_priorities_form, title_block, why_block
from bot.strategy.priorities import PriorityDraft, plan_priorities
from storage.db import transaction
from storage.models import (
    PRIORITIES_MAX,
    PRIORITY_TITLE_MAX_CHARS,
    PRIORITY_WHY_MAX_CHARS,
    Priority,
)
from storage.repositories.priorities import (
    list_priorities,
    lock_priorities,
    record_priority_changes,
    save_priority,
)

STATE_KEY = "state"
SHOW_WORDS = ("", "show", "list")


async def run_priorities(text: str, request: RequestContext) -> Outcome:
    """``/align priorities [edit]``."""
    word, rest = split_first_word(normalize(text))
    if word in ("edit", "set", "update") and not rest:
        return await open_priorities_form(request, "")
    if word not in SHOW_WORDS or rest:
        raise UserInputError(texts.priorities_unknown(echo(text)))
    async with request.runtime.sessions() as session:
        priorities = await list_priorities(session=session, team_id=request.team_id)
        admin = await is_admin(session=session, team_id=request.team_id, user_id=request.user_id)
    return Outcome.replying(build_notice(texts.priorities_shown(_lines(priorities), admin=admin)))


async def open_priorities_form(request: RequestContext, _value: str) -> Outcome:
    """The priorities form, for admins (also the review post's "Update priorities" button)."""
    async with request.runtime.sessions() as session:
        await require_admin(
            session=session,
            team_id=request.team_id,
            user_id=request.user_id,
            action=texts.EDIT_PRIORITIES_ACTION,
        )
        priorities = await list_priorities(session=session, team_id=request.team_id)
    metadata = {"response_url": request.response_url, STATE_KEY: state_of(priorities)}
    current = [(p.title, p.why) for p in priorities]
    return Outcome.opening(build_priorities_form(current, metadata=metadata))


def state_of(priorities: Sequence[Priority]) -> str:
    """A short fingerprint of the current priorities: a form saved over a different one was
    opened before someone else saved."""
    rows = [(p.id, p.title, p.why) for p in priorities if p.archived_at is None]
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]


def _lines(priorities: Sequence[Priority]) -> list[str]:
    return [texts.priority_line(p.rank, p.title, p.why) for p in priorities]


def read_drafts(form: SubmittedForm) -> list[PriorityDraft]:
    """The form's priorities in rank order (empty slots skipped), or ``FormErrors``."""
    errors = FieldErrors()
    drafts: list[PriorityDraft] = []
    seen: set[str] = set()
    for rank in range(1, PRIORITIES_MAX + 1):
        title = " ".join(normalize(form.value(title_block(rank))).split())
        why = normalize(form.value(why_block(rank)))
        _check(errors, title_block(rank), title, PRIORITY_TITLE_MAX_CHARS, texts.TITLE_TOO_LONG)
        _check(errors, why_block(rank), why, PRIORITY_WHY_MAX_CHARS, texts.WHY_TOO_LONG)
        if not title:
            if why:
                errors.add(title_block(rank), texts.WHY_WITHOUT_TITLE)
            continue
        if title.casefold() in seen:
            errors.add(title_block(rank), texts.duplicate_title(rank))
        seen.add(title.casefold())
        drafts.append(PriorityDraft(title=title, why=why))
    if not drafts and not errors:
        errors.add(title_block(1), texts.NEED_ONE)
    errors.raise_if_any()
    return drafts


def _check(errors: FieldErrors, block_id: str, text: str, limit: int, too_long: str) -> None:
    try:
        reject_control_characters(text, usage="")
    except UserInputError:
        errors.add(block_id, texts.CONTROL_CHARACTER)
    if len(text) > limit:
        errors.add(block_id, too_long)


async def submit_priorities_form(request: RequestContext, form: SubmittedForm) -> Outcome:
    """Save the ranked priorities, keeping ids, archiving the removed, recording changes."""
    drafts = read_drafts(form)
    now = request.runtime.clock()
    async with transaction(request.runtime.sessions) as session:
        try:
            await require_admin(
                session=session,
                team_id=request.team_id,
                user_id=request.user_id,
                action=texts.EDIT_PRIORITIES_ACTION,
            )
        except UserInputError:
            raise FormErrors({title_block(1): texts.NOT_ADMIN_IN_FORM}) from None
        stored = await lock_priorities(session=session, team_id=request.team_id)
        opened_on = form.metadata.get(STATE_KEY)
        if opened_on != state_of(sorted(stored, key=lambda p: (p.rank, p.id or 0))):
            raise FormErrors({title_block(1): texts.CHANGED_MEANWHILE})
        plan = plan_priorities(drafts, stored, now=now)
        for row in [*plan.archived, *plan.kept]:
            row.team_id = request.team_id
            await save_priority(session=session, priority=row)
        await record_priority_changes(
            session=session,
            team_id=request.team_id,
            author_id=request.user_id,
            summaries=plan.summaries,
            at=now,
        )
        lines = _lines(plan.kept)
    reply = build_notice(texts.priorities_saved(lines, len(plan.summaries)))
    return Outcome.replying(reply, homes=[request.user_id])
