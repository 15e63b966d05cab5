"""Survey answers that cannot be tied to a person

Each ``survey_answer`` row kept its answerer's teams and the day of the answer, and its
comments, which a reply token pointed to by ``answer_id``; on PostgreSQL the rows also sat
on disk in the order people answered. Now:

- answers keep only their scale, eNPS and choice values (no date, no teams);
- comments move to ``survey_comment``, or, when their author asked for replies, into their
  reply token (``survey_id``, ``text``), which no longer points at any answer;
- teams become counts: ``survey_team_group`` (answers per combination of teams) and
  ``survey_team_tally`` (per team, question and value); for surveys already closed, only the
  teams the breakdown rule lets be shown keep them, merged so every group reaches the
  threshold, and the invitations' ``reminded`` flags are cleared;
- every row is written again in a random order with fresh random keys (reply tokens keep
  theirs: feedback threads refer to them).

No answer and no comment is lost.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

import random
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FLOOR = 3  # storage.models.SURVEY_MIN_RESPONSES_FLOOR at this revision
CLOSED = "closed"
_SHUFFLER = random.SystemRandom()

# The tables as they are at this revision (the models may change later).
_survey = sa.table(
    "survey",
    sa.column("id", sa.Integer()),
    sa.column("questions", sa.JSON()),
    sa.column("state", sa.String()),
    sa.column("min_responses", sa.Integer()),
)
_old_answer = sa.table(
    "survey_answer",
    sa.column("id", sa.String()),
    sa.column("survey_id", sa.Integer()),
    sa.column("team_id", sa.String()),
    sa.column("answers", sa.JSON()),
    sa.column("team_refs", sa.JSON()),
)
_answer = sa.table(
    "survey_answer",
    sa.column("id", sa.String()),
    sa.column("survey_id", sa.Integer()),
    sa.column("team_id", sa.String()),
    sa.column("answers", sa.JSON()),
)
_token = sa.table(
    "reply_token",
    sa.column("id", sa.String()),
    sa.column("answer_id", sa.String()),
    sa.column("survey_id", sa.Integer()),
    sa.column("question_key", sa.String()),
    sa.column("text", sa.String()),
)
_thread = sa.table(
    "feedback_thread", sa.column("id", sa.String()), sa.column("reply_token_id", sa.String())
)
_invite = sa.table(
    "survey_invite",
    sa.column("survey_id", sa.Integer()),
    sa.column("reminded", sa.Boolean()),
)
_comment = sa.table(
    "survey_comment",
    sa.column("id", sa.String()),
    sa.column("survey_id", sa.Integer()),
    sa.column("team_id", sa.String()),
    sa.column("question_key", sa.String()),
    sa.column("text", sa.String()),
)
_group = sa.table(
    "survey_team_group",
    sa.column("id", sa.String()),
    sa.column("survey_id", sa.Integer()),
    sa.column("team_id", sa.String()),
    sa.column("team_refs", sa.JSON()),
    sa.column("responses", sa.Integer()),
)
_tally = sa.table(
    "survey_team_tally",
    sa.column("id", sa.String()),
    sa.column("survey_id", sa.Integer()),
    sa.column("team_id", sa.String()),
    sa.column("team_ref", sa.Integer()),
    sa.column("question_key", sa.String()),
    sa.column("value", sa.String()),
    sa.column("count", sa.Integer()),
)
_NO_ROWID = {"sqlite_with_rowid": False}


def _key() -> str:
    return uuid.uuid4().hex


def _string(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _scoped_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", _string(32), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("team_id", _string(32), nullable=False),
    ]


def _scoped_keys() -> list[sa.Constraint]:
    return [
        sa.ForeignKeyConstraint(["survey_id"], ["survey.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["team_id"], ["workspace.team_id"]),
        sa.PrimaryKeyConstraint("id"),
    ]


def _create_tables() -> None:
    op.create_table(
        "survey_comment",
        *_scoped_columns(),
        sa.Column("question_key", _string(32), nullable=False),
        sa.Column("text", _string(3000), nullable=False),
        *_scoped_keys(),
        **_NO_ROWID,
    )
    op.create_table(
        "survey_team_group",
        *_scoped_columns(),
        sa.Column("team_refs", sa.JSON(), nullable=False),
        sa.Column("responses", sa.Integer(), nullable=False),
        *_scoped_keys(),
        **_NO_ROWID,
    )
    op.create_table(
        "survey_team_tally",
        *_scoped_columns(),
        sa.Column("team_ref", sa.Integer(), nullable=False),
        sa.Column("question_key", _string(32), nullable=False),
        sa.Column("value", _string(80), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["team_ref"], ["team.id"], ondelete="CASCADE"),
        *_scoped_keys(),
        **_NO_ROWID,
    )
    for name in ("survey_comment", "survey_team_group", "survey_team_tally"):
        op.create_index(f"ix_{name}_survey_id", name, ["survey_id"], unique=False)


class _Survey:
    """One survey's answers as they will be stored."""

    def __init__(self, survey: Any) -> None:
        questions = survey.questions or []
        self.text_keys = {q.get("key") for q in questions if q.get("kind") == "text"}
        self.closed = survey.state == CLOSED
        self.threshold = max(int(survey.min_responses), FLOOR)
        self.answers: list[dict[str, Any]] = []
        self.comments: list[dict[str, Any]] = []
        self.groups: Counter[tuple[int, ...]] = Counter()
        self.tallies: Counter[tuple[int, str, str]] = Counter()

    def add(self, row: Any, tokens: dict[tuple[str, str], str], texts: dict[str, str]) -> None:
        kept: dict[str, Any] = {}
        values: list[tuple[str, str]] = []
        for key, value in (row.answers or {}).items():
            if key not in self.text_keys:
                kept[key] = value
                values.append((key, str(value)))
                continue
            values.append((key, ""))
            token_id = tokens.get((row.id, key))
            if token_id is not None:
                texts[token_id] = str(value)
            else:
                self.comments.append({"question_key": key, "text": str(value)})
        self.answers.append({"answers": kept})
        teams = tuple(sorted({int(ref) for ref in row.team_refs or []}))
        self.groups[teams] += 1
        for ref in teams:
            for key, value in values:
                self.tallies[(ref, key, value)] += 1

    def settle(self) -> None:
        """A closed survey keeps only the counts of teams the breakdown rule lets be shown."""
        if not self.closed:
            return
        total = len(self.answers)
        shown: list[int] = []
        if total >= self.threshold:
            shown = _shown_teams(self.groups, total, self.threshold)
        self.groups = _projected(self.groups, shown) if shown else Counter()
        self.tallies = Counter({cell: n for cell, n in self.tallies.items() if cell[0] in shown})


def _projected(groups: Counter[tuple[int, ...]], teams: Iterable[int]) -> Counter[tuple[int, ...]]:
    kept = set(teams)
    found: Counter[tuple[int, ...]] = Counter()
    for refs, count in groups.items():
        found[tuple(ref for ref in refs if ref in kept)] += count
    return found


def _shown_teams(groups: Counter[tuple[int, ...]], total: int, threshold: int) -> list[int]:
    """``bot.pulse.breakdown.shown_teams`` at this revision: team and rest reach the
    threshold, and so does every group that the shown teams tell apart."""
    sizes = Counter(ref for refs, n in groups.items() for ref in refs for _ in range(n))
    shown: list[int] = []
    for ref in sorted(sizes, key=lambda team: (-sizes[team], team)):
        if sizes[ref] < threshold or total - sizes[ref] < threshold:
            continue
        if min(_projected(groups, [*shown, ref]).values()) >= threshold:
            shown.append(ref)
    return shown


def _insert_shuffled(table: Any, rows: list[dict[str, Any]]) -> None:
    _SHUFFLER.shuffle(rows)
    for start in range(0, len(rows), 400):
        op.get_bind().execute(sa.insert(table).values(rows[start : start + 400]))


def upgrade() -> None:
    _create_tables()
    connection = op.get_bind()
    found = connection.execute(
        sa.select(_survey.c.id, _survey.c.questions, _survey.c.state, _survey.c.min_responses)
    ).all()
    surveys = {row.id: _Survey(row) for row in found}
    tokens = {
        (row.answer_id, row.question_key): row.id
        for row in connection.execute(
            sa.select(_token.c.id, _token.c.answer_id, _token.c.question_key)
        ).all()
    }
    links = connection.execute(
        sa.select(_thread.c.id, _thread.c.reply_token_id).where(
            _thread.c.reply_token_id.is_not(None)
        )
    ).all()
    answers = connection.execute(sa.select(_old_answer)).all()
    team_of = {row.survey_id: row.team_id for row in answers}
    texts: dict[str, str] = {}  # reply token -> its comment
    token_survey: dict[str, int] = {}
    for row in answers:
        surveys[row.survey_id].add(row, tokens, texts)
        token_survey.update({t: row.survey_id for (a, _), t in tokens.items() if a == row.id})

    with op.batch_alter_table("reply_token", table_kwargs=_NO_ROWID) as batch_op:
        batch_op.add_column(sa.Column("survey_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("text", _string(3000), nullable=True))
    for token_id, text in texts.items():
        connection.execute(
            sa.update(_token)
            .where(_token.c.id == token_id)
            .values(survey_id=token_survey[token_id], text=text)
        )
    orphans = sa.select(_token.c.id).where(_token.c.text.is_(None))  # their comment was removed
    connection.execute(
        sa.update(_thread).where(_thread.c.reply_token_id.in_(orphans)).values(reply_token_id=None)
    )
    connection.execute(sa.delete(_token).where(_token.c.text.is_(None)))
    with op.batch_alter_table("reply_token", table_kwargs=_NO_ROWID) as batch_op:
        batch_op.drop_constraint("uq_reply_token_question", type_="unique")
        batch_op.drop_column("answer_id")
        batch_op.alter_column("survey_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("text", existing_type=_string(3000), nullable=False)
        batch_op.create_foreign_key(
            "reply_token_survey_id_fkey", "survey", ["survey_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.create_index("ix_reply_token_survey_id", ["survey_id"], unique=False)
    connection.execute(sa.delete(_old_answer))  # no token points at answers any more
    with op.batch_alter_table("survey_answer", table_kwargs=_NO_ROWID) as batch_op:
        batch_op.drop_column("answered_on")
        batch_op.drop_column("team_refs")
    # On SQLite, rebuilding reply_token emptied the threads' links to it: put them back.
    kept_tokens = set(texts)
    for thread_id, token_id in links:
        if token_id in kept_tokens:
            connection.execute(
                sa.update(_thread).where(_thread.c.id == thread_id).values(reply_token_id=token_id)
            )
    _write(surveys, team_of)


def _write(surveys: dict[int, "_Survey"], team_of: dict[int, str]) -> None:
    for survey_id, survey in surveys.items():
        if survey_id not in team_of:
            continue
        survey.settle()
        scope = {"survey_id": survey_id, "team_id": team_of[survey_id]}
        _insert_shuffled(_answer, [scope | {"id": _key()} | row for row in survey.answers])
        _insert_shuffled(_comment, [scope | {"id": _key()} | row for row in survey.comments])
        groups = [
            scope | {"id": _key(), "team_refs": list(refs), "responses": n}
            for refs, n in survey.groups.items()
            if n
        ]
        _insert_shuffled(_group, groups)
        tallies = [
            scope | {"id": _key(), "team_ref": ref, "question_key": key, "value": value, "count": n}
            for (ref, key, value), n in survey.tallies.items()
            if n
        ]
        _insert_shuffled(_tally, tallies)
    closed = [survey_id for survey_id, survey in surveys.items() if survey.closed]
    if closed:
        op.get_bind().execute(
            sa.update(_invite).where(_invite.c.survey_id.in_(closed)).values(reminded=False)
        )


def downgrade() -> None:
    raise NotImplementedError(
        "0008 cannot be undone: answers no longer carry their teams, dates or comments"
    )
