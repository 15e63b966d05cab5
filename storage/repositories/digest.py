"""What the weekly digest reads and writes. Loading takes the same number of statements for
ten people or ten thousand: every query covers the whole workspace at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple, TypeVarTuple

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import col, func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    AlignmentSnapshot,
    CheckinAnswer,
    CheckinDelivery,
    DigestPost,
    Goal,
    GoalUpdate,
    Survey,
    TeamMembership,
    utc_now,
)
from storage.repositories.surveys import CLOSED
from storage.states import GoalState
from storage.upsert import insert_ignoring_conflict

Columns = TypeVarTuple("Columns")

# --- goals -----------------------------------------------------------------------------------


class DigestGoal(NamedTuple):
    """The columns of a goal the digest reads, as a plain tuple: loading tens of thousands of
    goals as ORM entities cost most of a large workspace's digest (identity map, change
    tracking, instrumented attribute reads on every rule), and a tuple of plain values is
    small and left alone by the garbage collector. The names are ``Goal``'s, so the goal
    rules (``bot.goals.progress``) read it as they read a ``Goal``."""

    id: int
    number: int
    title: str
    level: str
    team_ref: int | None
    owner_id: str
    parent_id: int | None
    measure: str
    start_value: float
    target_value: float
    current_value: float
    start_date: date
    due_date: date
    status_override: str | None
    state: str
    progress_at: datetime
    closed_at: datetime | None
    priority_id: int | None
    progress: float  # rolled up, kept on write (bot/goals/rollups.py)


_DIGEST_GOAL_COLUMNS = tuple(col(getattr(Goal, name)) for name in DigestGoal._fields)


async def digest_goals(*, session: AsyncSession, team_id: str) -> list[DigestGoal]:
    """Every open or done goal (dropped ones count nowhere), ordered by number."""
    statement = (
        sa.select(*_DIGEST_GOAL_COLUMNS)
        .where(col(Goal.team_id) == team_id, col(Goal.state).in_([GoalState.OPEN, GoalState.DONE]))
        .order_by(col(Goal.number))
    )
    return [DigestGoal._make(row) for row in await _rows(session, statement)]


async def _rows(
    session: AsyncSession, statement: sa.Select[*Columns]
) -> Sequence[sa.Row[*Columns]]:
    """The rows of a statement of plain columns, read on the session's connection: the ORM's
    result handling (made for entities) costs about a fifth of a large read and adds nothing."""
    connection = await session.connection()
    return (await connection.execute(statement)).all()


async def values_before(
    *, session: AsyncSession, team_id: str, since: datetime, until: datetime
) -> dict[int, float | None]:
    """For each goal whose value was updated in ``[since, until)``: its value before
    ``since`` (the last update before it), or None when it had none (its start value counts).

    One statement whatever the size: the goals that moved, each with its last earlier update,
    found by the highest id through the goal's index (updates are numbered in the order they
    were written, so this is the latest, whatever the time stamps look like).
    """
    moved = (
        sa.select(col(GoalUpdate.goal_id))
        .where(
            col(GoalUpdate.team_id) == team_id,
            col(GoalUpdate.value).is_not(None),
            col(GoalUpdate.created_at) >= since,
            col(GoalUpdate.created_at) < until,
        )
        .distinct()
        .subquery("moved")
    )
    earlier = aliased(GoalUpdate)
    last_value = (
        sa.select(col(earlier.value))
        .where(
            col(earlier.goal_id) == moved.c.goal_id,
            col(earlier.team_id) == team_id,
            col(earlier.value).is_not(None),
            col(earlier.created_at) < since,
        )
        .order_by(col(earlier.id).desc())
        .limit(1)
        .correlate(moved)
        .scalar_subquery()
    )
    statement = sa.select(moved.c.goal_id, last_value)
    return {int(goal_id): value for goal_id, value in await _rows(session, statement)}


async def team_member_ids(*, session: AsyncSession, team_id: str) -> dict[int, list[str]]:
    """Every team's member ids, sorted, in one query of two columns (no ORM rows)."""
    statement = (
        sa.select(col(TeamMembership.team_ref), col(TeamMembership.user_id))
        .where(col(TeamMembership.team_id) == team_id)
        .order_by(col(TeamMembership.user_id))
    )
    members: dict[int, list[str]] = defaultdict(list)
    for team_ref, user_id in await _rows(session, statement):
        members[team_ref].append(user_id)
    return dict(members)


# --- check-ins -------------------------------------------------------------------------------


async def delivery_states(
    *, session: AsyncSession, team_id: str, round_ids: Sequence[int]
) -> dict[int, list[tuple[str, str]]]:
    """(user id, state) of every invitation of the given rounds, by round."""
    if not round_ids:
        return {}
    statement = sa.select(
        col(CheckinDelivery.round_id), col(CheckinDelivery.user_id), col(CheckinDelivery.state)
    ).where(col(CheckinDelivery.team_id) == team_id, col(CheckinDelivery.round_id).in_(round_ids))
    states: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for round_id, user_id, state in await _rows(session, statement):
        states[round_id].append((user_id, state))
    return dict(states)


async def round_answers_to(
    *, session: AsyncSession, team_id: str, round_id: int, key: str
) -> list[tuple[str, str | None]]:
    """(user id, their answer to the question ``key``) of everyone who answered the round, by
    user id: the one answer read out of each stored set in the database, not the whole set
    parsed here."""
    answer = col(CheckinAnswer.answers)[key].as_string()
    statement = (
        sa.select(col(CheckinAnswer.user_id), answer)
        .where(col(CheckinAnswer.team_id) == team_id, col(CheckinAnswer.round_id) == round_id)
        .order_by(col(CheckinAnswer.user_id))
    )
    return [(user_id, text) for user_id, text in await _rows(session, statement)]


# --- surveys ---------------------------------------------------------------------------------


async def surveys_closed_since(
    *, session: AsyncSession, team_id: str, since: datetime, until: datetime
) -> list[Survey]:
    """Closed surveys whose closing time is in ``[since, until)``, newest first."""
    statement = (
        select(Survey)
        .where(
            Survey.team_id == team_id,
            Survey.state == CLOSED,
            col(Survey.closes_at) >= since,
            col(Survey.closes_at) < until,
        )
        .order_by(col(Survey.closes_at).desc(), col(Survey.number).desc())
    )
    return list((await session.exec(statement)).all())


# --- alignment snapshots ---------------------------------------------------------------------


async def snapshots(
    *, session: AsyncSession, team_id: str, week: str
) -> dict[str, AlignmentSnapshot]:
    """Every scope's snapshot of ``week``."""
    statement = select(AlignmentSnapshot).where(
        AlignmentSnapshot.team_id == team_id, AlignmentSnapshot.week == week
    )
    return {row.scope: row for row in (await session.exec(statement)).all()}


async def keep_snapshot(
    *,
    session: AsyncSession,
    team_id: str,
    week: str,
    scope: str,
    score: int | None,
    parts: dict[str, Any],
) -> None:
    """Remember the score a posted digest showed; the first posted for a week stays."""
    values = {
        "team_id": team_id,
        "week": week,
        "scope": scope,
        "score": score,
        "parts": parts,
        "created_at": utc_now(),
    }
    await insert_ignoring_conflict(session, AlignmentSnapshot, values, ["team_id", "week", "scope"])


# --- posts -----------------------------------------------------------------------------------


async def get_post(
    *, session: AsyncSession, team_id: str, week: str, scope: str, channel_id: str
) -> DigestPost | None:
    statement = select(DigestPost).where(
        DigestPost.team_id == team_id,
        DigestPost.week == week,
        DigestPost.scope == scope,
        DigestPost.channel_id == channel_id,
    )
    return (await session.exec(statement)).first()


async def posts_of_week(*, session: AsyncSession, team_id: str, week: str) -> list[DigestPost]:
    statement = (
        select(DigestPost)
        .where(DigestPost.team_id == team_id, DigestPost.week == week)
        .order_by(col(DigestPost.id))
    )
    return list((await session.exec(statement)).all())


async def record_post(*, session: AsyncSession, post: DigestPost) -> DigestPost:
    session.add(post)
    await session.flush()
    return post


async def record_progress(
    *,
    session: AsyncSession,
    post_id: int,
    replies_posted: int | None = None,
    chart_done: bool | None = None,
) -> None:
    values: dict[str, Any] = {}
    if replies_posted is not None:
        values["replies_posted"] = replies_posted
    if chart_done is not None:
        values["chart_done"] = chart_done
    if values:
        await session.exec(update(DigestPost).where(col(DigestPost.id) == post_id).values(**values))


async def count_posts(*, session: AsyncSession, team_id: str) -> int:
    statement = select(func.count()).select_from(DigestPost).where(DigestPost.team_id == team_id)
    return int((await session.exec(statement)).one())
