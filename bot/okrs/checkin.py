"""Confidences given in a check-in: each key result whose confidence changed gets it, with a
history row (``source="checkin"``), in the check-in's transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.errors import FormErrors, UserInputError
from bot.okrs import texts
from bot.okrs.access import objective_to_change
from bot.okrs.writes import record_key_result_update
from storage.models import KeyResult
from storage.repositories.goals import get_goal
from storage.states import GoalState


async def record_checkin_confidences(
    *,
    session: AsyncSession,
    team_id: str,
    actor: str,
    confidences: Mapping[int, int],
    now: datetime,
    block_of: Callable[[int], str],
) -> list[str]:
    """Store each changed confidence; returns what changed, for the confirmation. A key
    result of a goal the person may not change is an error on its field (``block_of`` its
    block id); one of a goal closed since the modal opened keeps its last confidence."""
    changes: list[str] = []
    for key_result_id, confidence in confidences.items():
        block = block_of(key_result_id)
        key_result = await session.get(KeyResult, key_result_id)
        goal = (
            await get_goal(session=session, team_id=team_id, goal_id=key_result.goal_id)
            if key_result is not None and key_result.team_id == team_id
            else None
        )
        if key_result is None or goal is None:
            raise FormErrors({block: texts.GOAL_GONE})
        if key_result.confidence == confidence or goal.state != GoalState.OPEN:
            continue  # unchanged, or closed since the modal opened: it keeps its last word
        try:
            goal = await objective_to_change(
                session=session, team_id=team_id, actor=actor, number=goal.number
            )
        except UserInputError as error:
            raise FormErrors({block: error.message[:150]}) from None
        await session.refresh(key_result)
        if key_result.confidence == confidence:
            continue  # a second submission that waited for the first
        changes.append(
            texts.checkin_change(
                goal.number, key_result.position, key_result.confidence, confidence
            )
        )
        key_result.confidence = confidence
        key_result.updated_at = now
        session.add(key_result)
        await record_key_result_update(
            session=session,
            key_result=key_result,
            author_id=actor,
            source="checkin",
            now=now,
            confidence=confidence,
        )
    return changes
