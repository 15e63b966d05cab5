"""``/goal carry G-12``: an open goal of a past or the current quarter moves to the next
quarter. The row stays the same, so its history, key results and sub-goals stay with it; a
``carry`` entry in its history says from where to where."""

from __future__ import annotations

from datetime import date

from bot.core.errors import UserInputError
from bot.core.quarters import CUSTOM, Quarter, next_quarter, quarter_by_key, quarter_of
from bot.core.runtime import Runtime
from bot.goals import texts_periods as texts
from bot.goals.changes import goal_to_change
from bot.goals.period_choice import fiscal_start_of, place_in_quarter
from storage.db import transaction
from storage.models import Goal, GoalUpdate
from storage.repositories.goals import add_goal_update
from storage.states import GoalState


async def carry_goal(
    *, runtime: Runtime, team_id: str, actor: str, number: int, today: date
) -> tuple[Goal, Quarter]:
    """Move goal ``G-number`` to the quarter after its own; the goal and its new quarter."""
    async with transaction(runtime.sessions) as session:
        goal = await goal_to_change(session=session, team_id=team_id, actor=actor, number=number)
        if goal.state != GoalState.OPEN:
            raise UserInputError(texts.carry_refused_closed(goal.number, goal.state))
        if goal.period == CUSTOM:
            raise UserInputError(texts.carry_refused_custom(goal.number))
        fiscal_start = await fiscal_start_of(session=session, team_id=team_id)
        old = quarter_by_key(goal.period, fiscal_start) or quarter_of(
            goal.period_start or goal.start_date, fiscal_start
        )
        if old.start > today:
            raise UserInputError(texts.carry_refused_future(goal.number, old.label))
        new = next_quarter(old, fiscal_start)
        old_key = goal.period or old.key
        if goal.due_date == (goal.period_end or old.end) or goal.due_date < new.start:
            goal.due_date = new.end
        place_in_quarter(goal, new)
        goal.updated_at = runtime.clock()
        session.add(goal)
        await session.flush()
        assert goal.id is not None
        await add_goal_update(
            session=session,
            update=GoalUpdate(
                team_id=team_id,
                goal_id=goal.id,
                author_id=actor,
                kind="carry",
                note=texts.carry_note(old_key, new.key),
                created_at=goal.updated_at,
            ),
        )
        return goal, new
