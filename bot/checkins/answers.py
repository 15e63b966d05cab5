"""Answering a check-in: the modal of an invitation (from the DM button or a bare
``/checkin``), the submission with its goal updates in one transaction, and skipping a week.
When an invitation can be answered is decided in ``bot/checkins/answer_window.py``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.checkins import texts_answers as texts
from bot.checkins.answer_form import (
    FORM_ERROR_MAX,
    AnswerDraft,
    GoalInput,
    read_answer_form,
    round_questions,
)
from bot.checkins.answer_window import ensure_answerable, open_invitations, zone_of
from bot.checkins.blocks import answer_modal as form
from bot.checkins.personal import load_person, next_prompt, shown_name
from bot.checkins.setups import Setup, setup_by_id
from bot.core.errors import FormErrors, UserInputError
from bot.core.runtime import Runtime
from bot.goals.changes import goal_to_change
from bot.goals.rollups import refresh_rollups
from bot.kpis.health import format_value
from bot.okrs.checkin import record_checkin_confidences
from bot.people.members import ensure_member
from bot.slack.errors import error_code
from bot.slack.forms import SubmittedForm
from bot.slack.messages import truncate
from storage.db import transaction
from storage.models import CheckinDelivery, CheckinRound, Goal, GoalUpdate
from storage.repositories import checkin_answers as answers_repo
from storage.repositories import checkins as repo
from storage.repositories.goals import add_goal_update, get_goal
from storage.repositories.key_results import owned_open_key_results

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Submitted:
    """A saved check-in: what to confirm, and whose Home tabs changed. ``week`` is the
    round's period: an ISO week, or a stand-up's day."""

    delivery_id: int
    week: str
    updated: bool
    late: bool
    goal_changes: tuple[str, ...]
    affected: tuple[str, ...]
    setup_name: str | None = None  # escaped; None for the default setup


async def answer_view(
    *,
    runtime: Runtime,
    team_id: str,
    user_id: str,
    delivery_id: int | None,
    response_url: str | None,
) -> dict[str, Any]:
    """The modal for the invitation behind an *Answer check-in* button."""
    now = runtime.clock()
    async with runtime.sessions() as session:
        delivery, round_ = await _own_delivery(session, team_id, user_id, delivery_id)
        await ensure_answerable(session=session, delivery=delivery, round_=round_, now=now)
        return await _modal(session, delivery, round_, now, response_url)


async def current_checkin_view(
    *,
    runtime: Runtime,
    client: AsyncWebClient,
    team_id: str,
    user_id: str,
    response_url: str | None,
) -> dict[str, Any]:
    """The modal of the person's open check-in, answered or not, for a bare ``/checkin``.

    Raises ``UserInputError`` saying there is none open, and when the next one comes.
    """
    try:
        await ensure_member(
            client=client, sessions=runtime.sessions, team_id=team_id, user_id=user_id
        )
    except SlackApiError as error:  # only their time zone is missing; UTC will do
        logger.warning("could not look up a member: %s", error_code(error))
    now = runtime.clock()
    async with runtime.sessions() as session:
        chosen = await _open_now(session, team_id, user_id, now)
        if chosen:
            delivery, round_ = chosen[0]
            return await _modal(session, delivery, round_, now, response_url, others=chosen[1:])
        invitations = await repo.recent_invitations(
            session=session, team_id=team_id, user_id=user_id
        )
        started = next(((d, r) for d, r in invitations if d.prompt_at <= now), None)
        if started is not None:
            try:
                await ensure_answerable(
                    session=session, delivery=started[0], round_=started[1], now=now
                )
            except UserInputError:
                pass  # superseded: say when the next one comes
            else:
                return await _modal(session, *started, now, response_url)  # a late answer
        message = await _none_open(session, team_id, user_id, now)
    raise UserInputError(message)


async def _open_now(
    session: AsyncSession, team_id: str, user_id: str, now: datetime
) -> list[tuple[CheckinDelivery, CheckinRound]]:
    """The person's check-ins out and taking answers now, of every setup, the earliest
    closing first; those answered or skipped after the others."""
    found = []
    for delivery, round_ in await open_invitations(
        session=session, team_id=team_id, user_id=user_id, now=now
    ):
        if delivery.prompt_at > now:
            continue
        try:
            await ensure_answerable(session=session, delivery=delivery, round_=round_, now=now)
        except UserInputError:
            continue
        found.append((delivery, round_))
    found.sort(key=lambda pair: pair[0].state in (repo.ANSWERED, repo.SKIPPED))
    return found


async def _none_open(session: AsyncSession, team_id: str, user_id: str, now: datetime) -> str:
    """Why there is nothing to answer: when the next check-in comes (of any setup), or that
    check-ins are off or not for them."""
    person = await load_person(session, team_id=team_id, user_id=user_id, now=now)
    if not any(setup.settings.enabled for setup in person.setups):
        return texts.CHECKINS_OFF
    if not any(person.receives(setup) for setup in person.setups):
        return texts.NOT_INVITED
    found = await next_prompt(session, person)
    if found is None:
        return texts.none_open(None)
    return texts.none_open(found[0], shown_name(found[1]))


async def submit_answers(
    *,
    runtime: Runtime,
    team_id: str,
    user_id: str,
    metadata: dict[str, Any],
    values: SubmittedForm,
    first_block: str,
) -> Submitted:
    """Save the answers and the goal updates in one transaction, or raise ``FormErrors`` and
    save nothing. ``first_block`` takes messages about the check-in as a whole."""
    delivery_id = metadata.get("delivery")
    now = runtime.clock()
    try:
        async with transaction(runtime.sessions) as session:
            delivery, round_ = await _own_delivery(
                session, team_id, user_id, delivery_id if isinstance(delivery_id, int) else None
            )
            assert delivery.id is not None
            await ensure_answerable(session=session, delivery=delivery, round_=round_, now=now)
            goal_ids = form.goal_ids_in(values.block_ids())
            goals = {}
            for goal_id in goal_ids:
                goal = await get_goal(session=session, team_id=team_id, goal_id=goal_id)
                if goal is not None:
                    goals[goal_id] = goal
            draft = read_answer_form(
                values, questions=round_questions(round_.questions), goal_ids=goal_ids, goals=goals
            )
            previous = await answers_repo.get_answer(session=session, delivery_id=delivery.id)
            changes, owners = await _update_goals(
                session, user_id, round_.period, draft.goals, goals, now
            )
            changes += await _key_result_confidences(session, team_id, user_id, draft, now)
            saved = await answers_repo.save_answer(
                session=session,
                delivery=delivery,
                answers=draft.answers,
                mood=draft.mood,
                late=now >= delivery.closes_at,
                now=now,
            )
            await answers_repo.mark_answered(
                session=session, team_id=team_id, delivery_id=delivery.id, now=now
            )
            setup = await _setup_of(session, round_)
    except FormErrors:
        raise
    except UserInputError as error:
        raise FormErrors({first_block: truncate(error.message, FORM_ERROR_MAX)}) from None
    return Submitted(
        delivery_id=delivery.id,
        week=round_.period,
        updated=previous is not None,
        late=saved.late,
        goal_changes=tuple(changes),
        affected=(user_id, *owners),
        setup_name=shown_name(setup) if setup else None,
    )


async def skip_checkin(
    *, runtime: Runtime, team_id: str, user_id: str, delivery_id: int | None
) -> str:
    """Skip this week (an answered check-in stays answered); returns what to tell them."""
    now = runtime.clock()
    async with transaction(runtime.sessions) as session:
        delivery, round_ = await _own_delivery(session, team_id, user_id, delivery_id)
        assert delivery.id is not None
        await ensure_answerable(session=session, delivery=delivery, round_=round_, now=now)
        if not await answers_repo.mark_skipped(
            session=session, team_id=team_id, delivery_id=delivery.id
        ):
            return texts.ALREADY_ANSWERED_SKIP
        setup = await _setup_of(session, round_)
    return texts.skipped(round_.period, shown_name(setup) if setup else None)


# --- helpers ---------------------------------------------------------------------------------


async def _own_delivery(
    session: AsyncSession, team_id: str, user_id: str, delivery_id: int | None
) -> tuple[CheckinDelivery, CheckinRound]:
    """The person's own invitation; someone else's, or another workspace's, is answered
    exactly like one that does not exist."""
    delivery = (
        await repo.get_delivery_by_id(session=session, team_id=team_id, delivery_id=delivery_id)
        if delivery_id is not None
        else None
    )
    if delivery is None or delivery.user_id != user_id:
        raise UserInputError(texts.NO_SUCH_CHECKIN)
    round_ = await repo.get_round_by_id(
        session=session, team_id=team_id, round_id=delivery.round_id
    )
    if round_ is None:
        raise UserInputError(texts.NO_SUCH_CHECKIN)
    return delivery, round_


async def _setup_of(session: AsyncSession, round_: CheckinRound) -> Setup | None:
    return await setup_by_id(session, round_.team_id, round_.setup_id)


async def _modal(
    session: AsyncSession,
    delivery: CheckinDelivery,
    round_: CheckinRound,
    now: datetime,
    response_url: str | None,
    *,
    others: list[tuple[CheckinDelivery, CheckinRound]] | None = None,
) -> dict[str, Any]:
    """The modal of one invitation; ``others`` are the person's other open check-ins,
    named in its intro."""
    assert delivery.id is not None
    tz = await zone_of(session=session, team_id=delivery.team_id, user_id=delivery.user_id)
    answer = await answers_repo.get_answer(session=session, delivery_id=delivery.id)
    goals = await answers_repo.checkin_goals(
        session=session, team_id=delivery.team_id, user_id=delivery.user_id
    )
    key_results = await owned_open_key_results(
        session=session, team_id=delivery.team_id, user_id=delivery.user_id
    )
    setup = await _setup_of(session, round_)
    also_open = []
    for _, other in others or []:
        other_setup = await _setup_of(session, other)
        name = shown_name(other_setup) if other_setup else None
        also_open.append(texts.the_checkin(other.period, name))
    intro = texts.modal_intro(
        round_.period,
        delivery.closes_at.astimezone(tz),
        late=now >= delivery.closes_at,
        answered_local=answer.updated_at.astimezone(tz) if answer else None,
        setup_name=shown_name(setup) if setup else None,
        also_open=also_open,
    )
    metadata: dict[str, Any] = {"delivery": delivery.id}
    if response_url:
        metadata["response_url"] = response_url
    return form.build_checkin_answer_modal(
        metadata=metadata,
        week=round_.period,
        intro=intro,
        questions=round_questions(round_.questions),
        answers=answer.answers if answer else {},
        goals=goals,
        setup_name=None if setup is None or setup.is_default else setup.name,
        key_results=key_results,
    )


async def _key_result_confidences(
    session: AsyncSession, team_id: str, user_id: str, draft: AnswerDraft, now: datetime
) -> list[str]:
    """The confidences given to the person's key results, stored with their history."""
    return await record_checkin_confidences(
        session=session,
        team_id=team_id,
        actor=user_id,
        confidences=draft.key_result_confidences,
        now=now,
        block_of=form.key_result_block,
    )


async def _update_goals(
    session: AsyncSession,
    actor: str,
    week: str,
    inputs: list[GoalInput],
    goals: dict[int, Goal],
    now: datetime,
) -> tuple[list[str], list[str]]:
    """Record, like ``/goal update`` does, each goal whose value or confidence changed;
    returns what changed, for the confirmation, and the goals' owners."""
    changes: list[str] = []
    owners: list[str] = []
    moved: list[Goal] = []  # value changed: rollups move
    for entry in inputs:
        goal = goals[entry.goal_id]
        value = entry.value if entry.value != goal.current_value else None
        confidence = entry.confidence if entry.confidence != goal.confidence else None
        if value is None and confidence is None:
            continue
        block = form.value_block(entry.goal_id)
        try:
            goal = await goal_to_change(
                session=session, team_id=goal.team_id, actor=actor, number=goal.number
            )
        except UserInputError:
            raise FormErrors({block: texts.not_your_goal(goal.number)}) from None
        if goal.state != "open":
            raise FormErrors({block: texts.not_closed_goal(goal.number, goal.state)})
        # Compare again with the goal as it is now that it is locked: a second submission
        # that waited for the first must not record the same change twice.
        value = entry.value if entry.value != goal.current_value else None
        confidence = entry.confidence if entry.confidence != goal.confidence else None
        if value is None and confidence is None:
            continue
        changes.append(_describe(goal, value, confidence))
        if value is not None:
            goal.current_value = value
            moved.append(goal)
        if confidence is not None:
            goal.confidence = confidence
        goal.progress_at = goal.updated_at = now
        session.add(goal)
        assert goal.id is not None
        await add_goal_update(
            session=session,
            update=GoalUpdate(
                team_id=goal.team_id,
                goal_id=goal.id,
                author_id=actor,
                kind="update",
                value=value,
                confidence=confidence,
                note=texts.history_note(week),
                created_at=now,
            ),
        )
        owners.append(goal.owner_id)
    await _refresh_in_parent_order(session, moved)
    return changes, owners


async def _refresh_in_parent_order(session: AsyncSession, moved: list[Goal]) -> None:
    """Lock parents in one order (by parent, then goal): no two check-ins wait on each other."""
    for goal in sorted(moved, key=lambda goal: (goal.parent_id or 0, goal.id or 0)):
        await refresh_rollups(session=session, goal=goal)


def _describe(goal: Goal, value: float | None, confidence: int | None) -> str:
    """The change as the person reads it, from the goal before it is applied."""
    value_text = None
    if value is not None:
        if goal.measure == "milestone":
            value_text = texts.MILESTONE_CHOICES["1" if value >= 1 else "0"].lower()
        else:
            value_text = (
                f"{format_value(goal.current_value, goal.unit)} → {format_value(value, goal.unit)}"
            )
    confidence_text = f"{goal.confidence} → {confidence}" if confidence is not None else None
    return texts.goal_change(goal.number, value=value_text, confidence=confidence_text)
