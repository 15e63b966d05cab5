"""The rows that hold one survey's answers, rewritten whole, in a random order, on each answer.

A table remembers the order its rows were written in: PostgreSQL keeps them on disk in that
order (``SELECT ctid`` shows it) and stamps each with its transaction (``xmin``), and counts
updated in place move to the end of the table. So each answer, under the survey's lock,
reads all of the survey's answer, comment, reply-token and team-count rows, adds the new
answer to them, deletes them, and inserts them again shuffled by the system's randomness,
answers, comments and counts with fresh random keys. Afterwards every row has the same
``xmin`` and a place that says nothing about when its answer came. (On SQLite the tables are
``WITHOUT ROWID`` and kept in the order of their random keys, which the rewrite redraws.)

Reply tokens keep their ids: nothing can refer to them before the survey closes and its
comments are shown, and nothing rewrites them after.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import sqlalchemy as sa
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    ReplyToken,
    SurveyAnswer,
    SurveyComment,
    SurveyTeamGroup,
    SurveyTeamTally,
    answer_key,
    random_key,
)

COMMENT_WRITTEN = ""  # the tally value of a written comment: it was written, not what it says
_SHUFFLER = random.SystemRandom()
INSERT_BATCH_ROWS = 400

TeamGroups = Counter[tuple[int, ...]]  # sorted team refs -> answers from exactly those teams
TeamTallies = Counter[tuple[int, str, str]]  # (team ref, question key, value) -> answers


@dataclass
class SurveyRows:
    """Everything stored of one survey's answers, none of it pointing at any other part."""

    answers: list[dict[str, Any]] = field(default_factory=list)
    comments: list[tuple[str, str]] = field(default_factory=list)  # (question key, text)
    tokens: list[dict[str, Any]] = field(default_factory=list)  # reply_token rows
    groups: TeamGroups = field(default_factory=Counter)
    tallies: TeamTallies = field(default_factory=Counter)

    def add(
        self,
        *,
        answers: Mapping[str, Any],
        comments: Mapping[str, str],
        sealed_authors: Mapping[str, str],
        team_refs: Sequence[int],
    ) -> None:
        """Add one answer: its comments go to a reply token when their author sealed one."""
        self.answers.append(dict(answers))
        for key, text in comments.items():
            if key in sealed_authors:
                token = {"question_key": key, "text": text, "sealed_author": sealed_authors[key]}
                self.tokens.append(token | {"id": random_key()})
            else:
                self.comments.append((key, text))
        teams = tuple(sorted(set(team_refs)))
        self.groups[teams] += 1
        values = [(key, str(value)) for key, value in answers.items()]
        values += [(key, COMMENT_WRITTEN) for key in comments]
        for team_ref in teams:
            for key, value in values:
                self.tallies[(team_ref, key, value)] += 1


async def read_survey_rows(*, session: AsyncSession, survey_id: int) -> SurveyRows:
    rows = SurveyRows()
    found = await session.exec(select(SurveyAnswer.answers).where(_of(SurveyAnswer, survey_id)))
    rows.answers = [dict(answers) for answers in found.all()]
    comments = select(SurveyComment.question_key, SurveyComment.text)
    rows.comments = [
        (key, text)
        for key, text in (await session.exec(comments.where(_of(SurveyComment, survey_id)))).all()
    ]
    token_columns = (ReplyToken.id, ReplyToken.question_key, ReplyToken.text)
    tokens = select(*token_columns, ReplyToken.sealed_author).where(_of(ReplyToken, survey_id))
    rows.tokens = [  # plain values, not ORM objects: the rows are about to be deleted
        {"id": token_id, "question_key": key, "text": text, "sealed_author": sealed}
        for token_id, key, text, sealed in (await session.exec(tokens)).all()
    ]
    rows.groups, rows.tallies = await read_team_counts(session=session, survey_id=survey_id)
    return rows


async def read_team_counts(
    *, session: AsyncSession, survey_id: int
) -> tuple[TeamGroups, TeamTallies]:
    groups: TeamGroups = Counter()
    statement = select(SurveyTeamGroup.team_refs, SurveyTeamGroup.responses)
    for refs, responses in (
        await session.exec(statement.where(_of(SurveyTeamGroup, survey_id)))
    ).all():
        groups[tuple(sorted(refs))] += responses
    tallies: TeamTallies = Counter()
    statement_tallies = select(
        SurveyTeamTally.team_ref,
        SurveyTeamTally.question_key,
        SurveyTeamTally.value,
        SurveyTeamTally.count,
    ).where(_of(SurveyTeamTally, survey_id))
    for team_ref, key, value, count in (await session.exec(statement_tallies)).all():
        tallies[(team_ref, key, value)] += count
    return groups, tallies


async def write_survey_rows(
    *, session: AsyncSession, team_id: str, survey_id: int, rows: SurveyRows
) -> None:
    """Replace every stored row of the survey's answers by ``rows``, in a random order."""
    scope = {"survey_id": survey_id, "team_id": team_id}
    await _replace(
        session,
        SurveyAnswer,
        survey_id,
        [scope | {"id": answer_key(), "answers": answers} for answers in rows.answers],
    )
    await _replace(
        session,
        SurveyComment,
        survey_id,
        [scope | {"id": answer_key(), "question_key": k, "text": t} for k, t in rows.comments],
    )
    await _replace(session, ReplyToken, survey_id, [scope | token for token in rows.tokens])
    await write_team_counts(
        session=session,
        team_id=team_id,
        survey_id=survey_id,
        groups=rows.groups,
        tallies=rows.tallies,
    )


async def write_team_counts(
    *,
    session: AsyncSession,
    team_id: str,
    survey_id: int,
    groups: Mapping[tuple[int, ...], int],
    tallies: Mapping[tuple[int, str, str], int],
) -> None:
    """Replace the survey's team counts (groups with no answers are left out)."""
    scope = {"survey_id": survey_id, "team_id": team_id}
    group_rows = [
        scope | {"id": answer_key(), "team_refs": list(refs), "responses": count}
        for refs, count in groups.items()
        if count > 0
    ]
    tally_rows = [
        scope
        | {"id": answer_key(), "team_ref": ref, "question_key": key, "value": value, "count": n}
        for (ref, key, value), n in tallies.items()
        if n > 0
    ]
    await _replace(session, SurveyTeamGroup, survey_id, group_rows)
    await _replace(session, SurveyTeamTally, survey_id, tally_rows)


def _table(model: type[SQLModel]) -> sa.Table:
    return cast(sa.Table, model.__table__)  # type: ignore[attr-defined]


def _of(model: type[SQLModel], survey_id: int) -> Any:
    return _table(model).c.survey_id == survey_id


async def _replace(
    session: AsyncSession, model: type[SQLModel], survey_id: int, rows: list[dict[str, Any]]
) -> None:
    table = _table(model)
    await session.exec(sa.delete(table).where(_of(model, survey_id)))
    _SHUFFLER.shuffle(rows)
    for start in range(0, len(rows), INSERT_BATCH_ROWS):
        await session.exec(sa.insert(table).values(rows[start : start + INSERT_BATCH_ROWS]))
