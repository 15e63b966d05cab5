"""Paged reads of goals: one page of rows, exact counts in SQL, and what a shown row needs
(team names, sub-goal counts, the chain above it), each in one query whatever the size of the
workspace. The conditions come from the caller (scope, period, attention) as SQL expressions
over ``Goal``'s columns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Goal, Team

CHAIN_DEPTH_MAX = 50  # a chain longer than this is a loop: stop there
COUNT_CAP = 1_000  # counts stop here ("1,000+"), so a count reads at most this many goals
GOAL_COLUMNS = tuple(Goal.__table__.columns)  # type: ignore[attr-defined]


class day_number(FunctionElement[float]):
    """A date as a count of days, so SQL can subtract dates on SQLite and PostgreSQL alike."""

    type = sa.Float()
    inherit_cache = True


@compiles(day_number, "sqlite")
def _day_number_sqlite(element: day_number, compiler: Any, **kw: Any) -> str:
    return f"julianday({compiler.process(element.clauses, **kw)})"


@compiles(day_number)
def _day_number_default(element: day_number, compiler: Any, **kw: Any) -> str:
    return f"CAST(({compiler.process(element.clauses, **kw)}) - DATE '1970-01-01' AS FLOAT)"


class text_position(FunctionElement[int]):
    """Where ``needle`` first occurs in ``haystack`` (1-based, 0 when absent)."""

    type = sa.Integer()
    inherit_cache = True


@compiles(text_position, "sqlite")
def _text_position_sqlite(element: text_position, compiler: Any, **kw: Any) -> str:
    haystack, needle = list(element.clauses)
    return f"instr({compiler.process(haystack, **kw)}, {compiler.process(needle, **kw)})"


@compiles(text_position)
def _text_position_default(element: text_position, compiler: Any, **kw: Any) -> str:
    haystack, needle = list(element.clauses)
    return f"strpos({compiler.process(haystack, **kw)}, {compiler.process(needle, **kw)})"


def _of_workspace(team_id: str, where: Sequence[ColumnElement[bool]]) -> list[Any]:
    return [col(Goal.team_id) == team_id, *where]


async def goal_page(
    *,
    session: AsyncSession,
    team_id: str,
    where: Sequence[ColumnElement[bool]],
    limit: int,
    order_by: Sequence[Any] = (),
) -> list[Goal]:
    """At most ``limit`` goals matching ``where``, in number order unless ``order_by``.

    The ids are chosen first, so that the database sorts narrow rows, not whole goals. The
    goals come back as read-only rows with ``Goal``'s columns (``GOAL_COLUMNS``), not as ORM
    entities: building an entity costs more than reading its row, and a page is only shown."""
    order = order_by or (col(Goal.number),)
    chosen = (
        sa.select(col(Goal.id))
        .where(*_of_workspace(team_id, where))
        .order_by(*order)
        .limit(limit)
        .scalar_subquery()
    )
    statement = sa.select(*GOAL_COLUMNS).where(col(Goal.id).in_(chosen)).order_by(*order)
    rows = (await session.execute(statement)).all()
    return cast("list[Goal]", rows)  # a Row reads as the Goal it was stored from


async def count_goals(
    *, session: AsyncSession, team_id: str, where: Sequence[ColumnElement[bool]]
) -> int:
    """How many goals match ``where``, counted up to ``COUNT_CAP``: a list says "1,000+"
    rather than read every goal of a large workspace to count them."""
    matching = (
        sa.select(sa.literal(1).label("one"))
        .where(*_of_workspace(team_id, where))
        .limit(COUNT_CAP)
        .subquery()
    )
    statement = sa.select(func.count()).select_from(matching)
    return int((await session.execute(statement)).scalar_one())


async def first_ids_of_each(
    *,
    session: AsyncSession,
    team_id: str,
    alternatives: Sequence[Sequence[ColumnElement[bool]]],
    limit: int,
    order_by: Sequence[Any],
) -> list[Goal]:
    """The first ``limit`` goals in ``order_by`` among those matching any of
    ``alternatives``, each alternative read only up to ``limit`` goals in number order (so a
    rare alternative, checked row by row, stops as soon as it has enough)."""
    parts = [
        sa.select(col(Goal.id).label("id"))
        .where(*_of_workspace(team_id, where))
        .order_by(col(Goal.number))
        .limit(limit)
        .subquery()
        .select()
        for where in alternatives
    ]
    # the ids first, then their rows: joined to the goals in one statement, PostgreSQL would
    # rather read every goal of the table than look a few hundred up by their key
    ids = (await session.execute(sa.union_all(*parts))).scalars().all()
    if not ids:
        return []
    statement = (
        sa.select(*GOAL_COLUMNS)
        .where(col(Goal.id).in_(ids), col(Goal.team_id) == team_id)
        .order_by(*order_by)
        .limit(limit)
    )
    rows = (await session.execute(statement)).all()
    return cast("list[Goal]", rows)


Conditions = Sequence[ColumnElement[bool]]


async def count_each(
    *, session: AsyncSession, team_id: str, parts: Sequence[tuple[Conditions, Conditions]]
) -> list[int]:
    """How many goals each part holds, up to ``COUNT_CAP``, in one query. A part is
    ``(found_by, checked)``: the goals are found through an index serving ``found_by`` (the
    caller chooses the terms of one index) and ``checked`` row by row, with ``team_id``, so
    each count reads the goals its index finds, not every goal of the workspace."""
    counts = []
    for found_by, checked in parts:
        matching = (
            sa.select(sa.literal(1).label("one"))
            .select_from(Goal)
            .where(*found_by, _row_by_row([col(Goal.team_id) == team_id, *checked]))
            .limit(COUNT_CAP)
            .subquery()
        )
        counts.append(sa.select(func.count()).select_from(matching).scalar_subquery())
    if not counts:
        return []
    row = (await session.execute(sa.select(*counts))).one()
    return [int(value) for value in row]


async def priorities_served(
    *, session: AsyncSession, team_id: str, where: Sequence[ColumnElement[bool]]
) -> set[int]:
    """The priorities the goals matching ``where`` serve (one row per priority)."""
    statement = (
        sa.select(col(Goal.priority_id))
        .where(*_of_workspace(team_id, where), col(Goal.priority_id).is_not(None))
        .distinct()
    )
    return {int(key) for key in (await session.execute(statement)).scalars().all()}


async def child_counts(
    *, session: AsyncSession, team_id: str, goal_ids: Iterable[int]
) -> dict[int, int]:
    """Goal id -> how many sub-goals it has (any state), for the given goals only; counted
    on the ``parent_id`` index alone (a workspace's goals only serve its own goals, and the
    ids come from ``team_id``'s rows)."""
    del team_id
    ids = list(goal_ids)
    if not ids:
        return {}
    statement = (
        sa.select(col(Goal.parent_id), func.count())
        .where(col(Goal.parent_id).in_(ids))
        .group_by(col(Goal.parent_id))
    )
    return {int(parent): int(count) for parent, count in (await session.execute(statement)).all()}


async def team_names(
    *, session: AsyncSession, team_id: str, team_refs: Iterable[int | None]
) -> dict[int, str]:
    refs = sorted({ref for ref in team_refs if ref is not None})
    if not refs:
        return {}
    statement = sa.select(col(Team.id), col(Team.name)).where(
        col(Team.team_id) == team_id, col(Team.id).in_(refs)
    )
    return {int(key): str(name) for key, name in (await session.execute(statement)).all()}


async def goal_chain(*, session: AsyncSession, team_id: str, goal: Goal) -> list[Goal]:
    """The goals above ``goal``, nearest first, up to the top (one recursive query)."""
    if goal.parent_id is None:
        return []
    anchor: Any = sa.select(
        col(Goal.id).label("id"),
        col(Goal.parent_id).label("parent_id"),
        sa.literal(1).label("depth"),
    ).where(col(Goal.team_id) == team_id, col(Goal.id) == goal.parent_id)
    above = anchor.cte("above", recursive=True)
    step = (
        sa.select(col(Goal.id), col(Goal.parent_id), (above.c.depth + 1).label("depth"))
        .join(above, col(Goal.id) == above.c.parent_id)
        .where(col(Goal.team_id) == team_id, above.c.depth < CHAIN_DEPTH_MAX)
    )
    above = above.union_all(step)
    statement = select(Goal).join(above, col(Goal.id) == above.c.id).order_by(above.c.depth)
    chain: list[Goal] = []
    seen = {goal.id}
    for row in (await session.exec(statement)).all():
        if row.id in seen:
            break
        seen.add(row.id)
        chain.append(row)
    return chain


async def children_in_order(
    *,
    session: AsyncSession,
    team_id: str,
    parent_ranks: Mapping[int, int],
    where: Sequence[ColumnElement[bool]],
    limit: int,
) -> list[Goal]:
    """The first ``limit`` sub-goals of the given parents matching ``where``, the sub-goals
    of the parent with the lowest rank first, each parent's in number order: the order a
    depth-first tree shows them.

    Only the parents needed are read: a recursive walk takes the parents in rank order,
    counting each one's matching sub-goals on the ``parent_id`` index, and stops at the
    parent that brings the count to ``limit``. So a level whose first parents already fill
    the page does not read the sub-goals of the hundreds of parents after them. Like
    ``child_counts``, it trusts that ``team_id``'s goals only have ``team_id``'s sub-goals;
    the rows it returns are checked against ``team_id`` all the same.

    Without statistics SQLite would rather read the ``(team_id, state, number)`` or
    ``state`` index, which hold every open goal of the workspace, than the ``parent_id``
    index that finds the few sub-goals wanted, so the other conditions are checked row by
    row (``_row_by_row``) and only ``parent_id`` can choose an index."""
    if not parent_ranks:
        return []
    walk = _parents_walk(parent_ranks, where, limit)
    # the parents first, then their sub-goals: joined to the walk in one statement,
    # PostgreSQL would rather read every goal of the table than use the parent_id index
    needed = (await session.execute(sa.select(walk.c.parent))).scalars().all()
    statement = (
        sa.select(*GOAL_COLUMNS)
        .where(
            col(Goal.parent_id).in_(needed),
            _row_by_row([*where, col(Goal.team_id) == team_id]),
        )
        .order_by(
            _place_in(col(Goal.parent_id), {parent: parent_ranks[parent] for parent in needed}),
            col(Goal.number),
        )
        .limit(limit)
    )
    rows = (await session.execute(statement)).all()
    return cast("list[Goal]", rows)


def _place_in(column: Any, ranks: Mapping[int, int]) -> ColumnElement[int]:
    """Where ``column``'s value is in a text such as ",12,5,40," listing ``ranks``' keys by
    rank: a rank as SQL, in one parameter however many there are."""
    ranked = sorted(ranks, key=lambda key: ranks[key])
    places = "," + ",".join(str(key) for key in ranked) + ","
    needle = sa.literal(",") + sa.cast(column, sa.String) + sa.literal(",")
    return text_position(sa.literal(places, sa.String), needle)


class _checked_on_each_row(FunctionElement[bool]):
    """Conditions SQLite may not choose an index by (``_row_by_row``)."""

    type = sa.Boolean()
    inherit_cache = True


@compiles(_checked_on_each_row, "sqlite")
def _checked_on_each_row_sqlite(element: _checked_on_each_row, compiler: Any, **kw: Any) -> str:
    return f"(CASE WHEN {compiler.process(element.clauses, **kw)} THEN 1 ELSE 0 END = 1)"


@compiles(_checked_on_each_row)
def _checked_on_each_row_default(element: _checked_on_each_row, compiler: Any, **kw: Any) -> str:
    return f"({compiler.process(element.clauses, **kw)})"


def _row_by_row(conditions: Sequence[ColumnElement[bool]]) -> ColumnElement[bool]:
    """``conditions`` so that SQLite checks them on each row found by the query's other terms
    (as CASE … = 1, which no index serves). SQLite plans without statistics and would rather
    read the ``(team_id, state, number)`` index, which holds every open goal of a workspace,
    than the index of the term meant to find the rows. PostgreSQL plans from its statistics
    and gets the conditions as they are, so it can estimate them."""
    if not conditions:
        return sa.true()
    return _checked_on_each_row(sa.and_(*conditions))


def _parents_walk(
    parent_ranks: Mapping[int, int], where: Sequence[ColumnElement[bool]], limit: int
) -> Any:
    """A recursive CTE ``(rank, parent, taken)``: the parents from rank 1 on, each with the
    matching sub-goals of it and of the parents before it, up to the first that reaches
    ``limit``."""
    # row_number makes the ranks consecutive, so the walk can step by one
    ranked = (
        sa.select(
            col(Goal.id).label("parent"),
            func.row_number().over(order_by=_place_in(col(Goal.id), parent_ranks)).label("rank"),
        )
        .where(col(Goal.id).in_(list(parent_ranks)))
        .cte("ranked")
    )
    matching = sa.select(func.count()).where(
        col(Goal.parent_id) == ranked.c.parent, _row_by_row(where)
    )
    first: Any = (
        sa.select(ranked.c.rank, ranked.c.parent, matching.scalar_subquery().label("taken"))
        .where(ranked.c.rank == 1)
        .cte("walk", recursive=True)
    )
    step = (
        sa.select(
            ranked.c.rank,
            ranked.c.parent,
            (first.c.taken + matching.scalar_subquery()).label("taken"),
        )
        .join(ranked, ranked.c.rank == first.c.rank + 1)
        .where(first.c.taken < limit)
    )
    return first.union_all(step)


async def count_descendants(
    *,
    session: AsyncSession,
    team_id: str,
    roots: Sequence[ColumnElement[bool]],
    step: Sequence[ColumnElement[bool]],
) -> int:
    """How many goals a tree holds, up to ``COUNT_CAP``: those matching ``roots`` and, below
    them, the sub-goals matching ``step``, each counted once (a loop ends the walk)."""
    anchor: sa.Select[Any] = sa.select(col(Goal.id).label("id")).where(
        *_of_workspace(team_id, roots)
    )
    tree = anchor.cte("tree", recursive=True)
    below = (
        sa.select(col(Goal.id))
        .join(tree, col(Goal.parent_id) == tree.c.id)
        .where(*_of_workspace(team_id, step))
    )
    tree = tree.union(below)
    first = sa.select(tree.c.id).limit(COUNT_CAP).subquery()  # counted up to the cap
    statement = sa.select(func.count()).select_from(first)
    return int((await session.execute(statement)).scalar_one())
