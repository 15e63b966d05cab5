"""One SELECT per exported data set, each scoped to one workspace.

Columns are labelled with the names the export's CSV headers use. Rows are referred to by what
people see (goal and KPI numbers, team names, ISO weeks), never by global row ids. What these
queries leave out is as deliberate as what they take: sealed author ids, the texts of feedback
messages, survey answers, reply tokens and who was invited to which survey are never read here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import col

from storage.models import (
    AlignmentSnapshot,
    CheckinAnswer,
    CheckinDelivery,
    CheckinPause,
    CheckinRound,
    CheckinSetup,
    CheckinShare,
    CheckinThread,
    DigestPost,
    FeedbackThread,
    Goal,
    GoalUpdate,
    Holiday,
    KeyResult,
    KeyResultUpdate,
    Kpi,
    KpiValue,
    Kudos,
    Member,
    Priority,
    PriorityChange,
    Review,
    Survey,
    SurveyInvite,
    Team,
    TeamMembership,
    Welcome,
    Workspace,
)

Statement = sa.Select[*tuple[Any, ...]]


def _columns(model: Any, names: str) -> list[Any]:
    """``model``'s columns named in ``names`` (space-separated), in that order."""
    return [col(getattr(model, name)) for name in names.split()]


def _plain(model: Any, names: str, order: str) -> Callable[[str], Statement]:
    """The query of a data set that is one table's own columns: ``names``, ordered by
    ``order`` (both space-separated column names)."""

    def query(team_id: str) -> Statement:
        return (
            sa.select(*_columns(model, names))
            .where(col(model.team_id) == team_id)
            .order_by(*_columns(model, order))
        )

    return query


def _team_memberships(team_id: str) -> Statement:
    return (
        sa.select(col(Team.name).label("team"), col(TeamMembership.user_id))
        .join(Team, col(Team.id) == col(TeamMembership.team_ref))
        .where(col(TeamMembership.team_id) == team_id)
        .order_by(col(Team.name_key), col(TeamMembership.user_id))
    )


def _goals(team_id: str) -> Statement:
    parent = aliased(Goal)
    return (
        sa.select(
            *_columns(Goal, "number title description level"),
            col(Team.name).label("team"),
            col(Goal.owner_id),
            col(parent.number).label("parent_number"),
            *_columns(
                Goal,
                "measure start_value target_value current_value unit start_date due_date "
                "confidence status_override state created_by created_at updated_at progress_at "
                "closed_at id priority_id period period_start period_end",
            ),
        )
        .outerjoin(Team, col(Team.id) == col(Goal.team_ref))
        .outerjoin(parent, col(parent.id) == col(Goal.parent_id))
        .where(col(Goal.team_id) == team_id)
        .order_by(col(Goal.number))
    )


def _goal_updates(team_id: str) -> Statement:
    names = "author_id kind value confidence status_override note created_at"
    return (
        sa.select(col(Goal.number).label("goal_number"), *_columns(GoalUpdate, names))
        .join(Goal, col(Goal.id) == col(GoalUpdate.goal_id))
        .where(col(GoalUpdate.team_id) == team_id)
        .order_by(col(Goal.number), col(GoalUpdate.id))
    )


def _kpis(team_id: str) -> Statement:
    return (
        sa.select(
            *_columns(
                Kpi,
                "number name unit higher_is_better target green_threshold red_threshold owner_id",
            ),
            col(Team.name).label("team"),
            col(Goal.number).label("goal_number"),
            *_columns(Kpi, "cadence archived source last_synced_at created_by created_at"),
        )
        .outerjoin(Team, col(Team.id) == col(Kpi.team_ref))
        .outerjoin(Goal, col(Goal.id) == col(Kpi.goal_id))
        .where(col(Kpi.team_id) == team_id)
        .order_by(col(Kpi.number))
    )


def _kpi_values(team_id: str) -> Statement:
    names = "recorded_on value author_id created_at"
    return (
        sa.select(col(Kpi.number).label("kpi_number"), *_columns(KpiValue, names))
        .join(Kpi, col(Kpi.id) == col(KpiValue.kpi_id))
        .where(col(KpiValue.team_id) == team_id)
        .order_by(col(Kpi.number), col(KpiValue.recorded_on))
    )


def _round_columns() -> list[Any]:
    """Which round a check-in row belongs to: its setup, period (a week or a stand-up's day)
    and week, as the ``checkin_setups`` and ``checkin_rounds`` data sets name them."""
    return [
        col(CheckinRound.id).label("round_id"),
        col(CheckinRound.setup_id),
        col(CheckinRound.period),
        col(CheckinRound.week),
    ]


def _round_order() -> list[Any]:
    return [col(CheckinRound.week), col(CheckinRound.period), col(CheckinRound.setup_id)]


def _checkin_deliveries(team_id: str) -> Statement:
    names = "user_id state prompt_at remind_at closes_at sent_at reminded_at answered_at error"
    return (
        sa.select(*_round_columns(), *_columns(CheckinDelivery, names))
        .join(CheckinRound, col(CheckinRound.id) == col(CheckinDelivery.round_id))
        .where(col(CheckinDelivery.team_id) == team_id)
        .order_by(*_round_order(), col(CheckinDelivery.user_id))
    )


def _checkin_answers(team_id: str) -> Statement:
    names = "user_id answers mood late created_at updated_at"
    return (
        sa.select(*_round_columns(), *_columns(CheckinAnswer, names))
        .join(CheckinRound, col(CheckinRound.id) == col(CheckinAnswer.round_id))
        .where(col(CheckinAnswer.team_id) == team_id)
        .order_by(*_round_order(), col(CheckinAnswer.user_id))
    )


def _checkin_shares(team_id: str) -> Statement:
    return (
        sa.select(
            *_round_columns(),
            col(Team.name).label("team"),
            *_columns(CheckinShare, "channel_id thread_ts error"),
        )
        .join(CheckinRound, col(CheckinRound.id) == col(CheckinShare.round_id))
        .join(Team, col(Team.id) == col(CheckinShare.team_ref))
        .where(col(CheckinShare.team_id) == team_id)
        .order_by(*_round_order(), col(Team.name_key))
    )


def _invitations(*conditions: Any) -> Any:
    """How many people a survey was sent to (meeting ``conditions``), as a column."""
    return (
        sa.select(sa.func.count())
        .select_from(SurveyInvite)
        .where(col(SurveyInvite.survey_id) == col(Survey.id), *conditions)
        .scalar_subquery()
    )


def _surveys(team_id: str) -> Statement:
    return (
        sa.select(
            *_columns(
                Survey, "number title state opens_at closes_at repeat series_number min_responses"
            ),
            col(Survey.team_refs).label("audience"),
            _invitations().label("invited"),
            _invitations(col(SurveyInvite.answered).is_(True)).label("answered"),
            *_columns(Survey, "questions created_by created_at"),
        )
        .where(col(Survey.team_id) == team_id)
        .order_by(col(Survey.number))
    )


def _feedback_threads(team_id: str) -> Statement:
    thread = FeedbackThread
    return (
        sa.select(
            *_columns(thread, "code recipient_kind"),
            col(Team.name).label("team"),
            col(thread.reply_token_id).is_not(None).label("from_survey_comment"),
            col(thread.revealed_user_id).is_not(None).label("author_revealed"),
            *_columns(thread, "state message_count created_on"),
        )
        .outerjoin(Team, col(Team.id) == col(thread.team_ref))
        .where(col(thread.team_id) == team_id)
        .order_by(col(thread.created_on), col(thread.code))
    )


@dataclass(frozen=True)
class DataSet:
    table: str  # the table its rows come from, so a test can spot a table nobody decided on
    query: Callable[[str], Statement]


DATA_SETS: dict[str, DataSet] = {
    "workspace": DataSet(
        "workspace",
        _plain(
            Workspace,
            "team_id name vision mission timezone settings created_at updated_at",
            "team_id",
        ),
    ),
    "members": DataSet(
        "member",
        _plain(
            Member,
            "user_id name real_name display_name tz is_admin is_owner is_bot deleted role "
            "updated_at",
            "user_id",
        ),
    ),
    "teams": DataSet("team", _plain(Team, "name channel_id lead_user_id created_at", "name_key")),
    "team_memberships": DataSet("team_membership", _team_memberships),
    "goals": DataSet("goal", _goals),
    "goal_updates": DataSet("goal_update", _goal_updates),
    "kpis": DataSet("kpi", _kpis),
    "kpi_values": DataSet("kpi_value", _kpi_values),
    "holidays": DataSet("holiday", _plain(Holiday, "day", "day")),
    "checkin_setups": DataSet(
        "checkin_setup",
        _plain(
            CheckinSetup,
            "id name default_key config created_by archived_at created_at updated_at",
            "id",
        ),
    ),
    "checkin_pauses": DataSet(
        "checkin_pause", _plain(CheckinPause, "user_id setup_id until", "user_id setup_id")
    ),
    "checkin_rounds": DataSet(
        "checkin_round",
        _plain(CheckinRound, "id setup_id period week questions created_at", "setup_id period"),
    ),
    "checkin_threads": DataSet(
        "checkin_thread",
        _plain(CheckinThread, "round_id channel_id thread_ts summary_ts error", "round_id"),
    ),
    "priorities": DataSet(
        "priority",
        _plain(Priority, "id rank title why archived_at created_at updated_at", "rank id"),
    ),
    "priority_changes": DataSet(
        "priority_change", _plain(PriorityChange, "author_id summary created_at", "created_at id")
    ),
    "key_results": DataSet(
        "key_result",
        _plain(
            KeyResult,
            "id goal_id position title start_value target_value current_value unit weight "
            "kpi_id confidence created_at updated_at",
            "goal_id position id",
        ),
    ),
    "key_result_updates": DataSet(
        "key_result_update",
        _plain(
            KeyResultUpdate,
            "key_result_id author_id source value confidence created_at",
            "key_result_id created_at id",
        ),
    ),
    "reviews": DataSet(
        "review",
        _plain(Review, "period channel_id message_ts canvas_id posted_at error", "period"),
    ),
    "welcomes": DataSet(
        "welcome", _plain(Welcome, "user_id reason state error created_at", "user_id")
    ),
    "kudos": DataSet(
        "kudos",
        _plain(
            Kudos,
            "giver_id recipient_ids text goal_id channel_id message_ts created_at",
            "created_at id",
        ),
    ),
    "checkin_deliveries": DataSet("checkin_delivery", _checkin_deliveries),
    "checkin_answers": DataSet("checkin_answer", _checkin_answers),
    "checkin_shares": DataSet("checkin_share", _checkin_shares),
    "surveys": DataSet("survey", _surveys),
    "digest_posts": DataSet(
        "digest_post",
        _plain(
            DigestPost,
            "week scope channel_id message_ts late replies_posted chart_done posted_at",
            "week scope channel_id",
        ),
    ),
    "alignment_snapshots": DataSet(
        "alignment_snapshot",
        _plain(AlignmentSnapshot, "week scope score parts created_at", "week scope"),
    ),
    "feedback_threads": DataSet("feedback_thread", _feedback_threads),
}
# Tables whose rows are never exported one by one (anonymity, secrets, or machinery only).
NOT_EXPORTED = frozenset(
    {
        "survey_answer",  # anonymous: only released aggregates are exported (survey_results)
        "survey_comment",  # what people wrote in surveys; comments are never exported
        "survey_team_group",  # counts behind team breakdowns, shown only through the rule
        "survey_team_tally",
        "reply_token",  # sealed author ids and the comments they belong to
        "feedback_message",  # what anonymous authors wrote
        "survey_invite",  # who answered; only counts are exported (with the surveys)
        "run_ledger",
        "processed_event",
        "seen_request",  # hashes of request signatures, kept minutes, to refuse replays
        "counter",
    }
)


def export_statement(name: str, team_id: str) -> Statement:
    return DATA_SETS[name].query(team_id)


def export_columns(name: str) -> list[str]:
    return [column.key for column in export_statement(name, "").selected_columns if column.key]
