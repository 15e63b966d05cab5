"""Rows in every table of a workspace, and counting them, for export, retention and deletion.

``add_one_of_everything`` writes at least one row into every table Northstar has. When a new
table appears, add a row for it here: ``test_workspace_deletion`` fails until every table in
``SQLModel.metadata`` has rows for both workspaces it builds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlmodel import SQLModel, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.checkins.setups import ensure_default_setup
from bot.core.runtime import Runtime
from bot.pulse.questions import Question, QuestionKind
from storage.db import transaction
from storage.models import (
    DOOR_TABLES,
    AlignmentSnapshot,
    CheckinAnswer,
    CheckinDelivery,
    CheckinPause,
    CheckinRound,
    CheckinShare,
    CheckinThread,
    Counter,
    DigestPost,
    FeedbackMessage,
    FeedbackThread,
    Goal,
    GoalUpdate,
    Holiday,
    KeyResult,
    KeyResultUpdate,
    Kpi,
    KpiValue,
    Kudos,
    Priority,
    PriorityChange,
    ProcessedEvent,
    ReplyToken,
    Review,
    RunLedger,
    Survey,
    SurveyAnswer,
    SurveyComment,
    SurveyInvite,
    SurveyTeamGroup,
    SurveyTeamTally,
    Team,
    TeamMembership,
    Welcome,
)
from storage.repositories.members import MemberProfile, upsert_members
from storage.repositories.workspaces import ensure_workspace

OTHER_TEAM_ID = "T0002"
OTHER_USER = "UOTHER01"
EXTRA_USER = "UEXTRA01"  # a person of the bakery's workspace who owns its "Extra" rows
MARK = "Zebra"  # words only the other workspace's rows contain
SCALE_AND_COMMENT = [
    Question(key="clear", kind=QuestionKind.SCALE, text="Goals are clear.").model_dump(mode="json"),
    Question(
        key="comment", kind=QuestionKind.TEXT, text="Anything else?", required=False
    ).model_dump(mode="json"),
]


def moment(day: int, month: int = 11, year: int = 2026) -> datetime:
    return datetime(year, month, day, 10, 0, tzinfo=UTC)


WRITTEN = moment(3)


@dataclass(frozen=True)
class _Seed:
    session: AsyncSession
    team_id: str
    user_id: str
    words: str
    number: int
    written: datetime


async def add_one_of_everything(
    runtime: Runtime,
    team_id: str,
    user_id: str,
    *,
    words: str = "Extra",
    number: int = 100,
    written: datetime = WRITTEN,
) -> None:
    """One row of every kind for ``team_id``, numbered ``number`` so it clashes with nothing.

    Free text (check-in answer, goal-update note, survey comment, feedback) says ``words`` and
    was ``written`` then.
    """
    async with transaction(runtime.sessions) as session:
        seed = _Seed(session, team_id, user_id, words, number, written)
        team_ref = await _people_and_machinery(seed)
        await _goals_and_kpis(seed)
        await _checkins(seed, team_ref)
        await _surveys_and_feedback(seed, team_ref)


async def _people_and_machinery(seed: _Seed) -> int:
    session, team_id, user_id = seed.session, seed.team_id, seed.user_id
    await ensure_workspace(session=session, team_id=team_id, name=f"{seed.words} Inc")
    profile = MemberProfile(user_id=user_id, name=f"{seed.words.lower()}-person")
    await upsert_members(session=session, team_id=team_id, profiles=[profile])
    name = f"{seed.words} team"
    team = Team(team_id=team_id, name=name, name_key=name.lower())
    session.add(team)
    session.add(Counter(team_id=team_id, name=f"c{seed.number}", value=seed.number))
    session.add(RunLedger(job="member-sync", team_id=team_id, period=f"p{seed.number}"))
    session.add(ProcessedEvent(event_id=f"Ev{team_id}{seed.number}", team_id=team_id))
    session.add(Holiday(team_id=team_id, day=date(2026, 1, 1) + timedelta(days=seed.number)))
    session.add(CheckinPause(team_id=team_id, user_id=user_id, until=date(2026, 12, 31)))
    session.add(
        DigestPost(
            team_id=team_id,
            week="2026-W48",
            scope="company",
            channel_id=f"C{seed.words.upper()}",
            message_ts="1.0",
        )
    )
    session.add(AlignmentSnapshot(team_id=team_id, week=_week(seed), scope="company", score=50))
    await session.flush()
    assert team.id is not None
    session.add(TeamMembership(team_ref=team.id, user_id=user_id, team_id=team_id))
    return team.id


def _week(seed: _Seed) -> str:
    return f"2025-W{seed.number % 52 + 1:02d}"


async def _goals_and_kpis(seed: _Seed) -> None:
    session, team_id, user_id = seed.session, seed.team_id, seed.user_id
    goal = Goal(
        team_id=team_id,
        number=seed.number,
        title=f"{seed.words} goal",
        level="company",
        owner_id=user_id,
        start_date=date(2026, 11, 1),
        due_date=date(2026, 12, 31),
        created_by=user_id,
    )
    name = f"{seed.words} kpi"
    kpi = Kpi(
        team_id=team_id,
        number=seed.number,
        name=name,
        name_key=name.lower(),
        target=10,
        green_threshold=8,
        red_threshold=2,
        owner_id=user_id,
        created_by=user_id,
    )
    priority = Priority(team_id=team_id, rank=seed.number, title=f"{seed.words} priority")
    session.add(priority)
    await session.flush()
    goal.priority_id = priority.id
    session.add_all([goal, kpi])
    await session.flush()
    assert goal.id is not None and kpi.id is not None
    result = KeyResult(
        team_id=team_id, goal_id=goal.id, title=f"{seed.words} result", kpi_id=kpi.id
    )
    session.add(result)
    await session.flush()
    assert result.id is not None
    session.add_all(
        [
            KeyResultUpdate(team_id=team_id, key_result_id=result.id, value=1, confidence=6),
            PriorityChange(team_id=team_id, author_id=user_id, summary=f"{seed.words} change"),
            Review(team_id=team_id, period=f"P{seed.number}"),
            Welcome(team_id=team_id, user_id=user_id, state="sent"),
        ]
    )
    note = f"{seed.words} note"
    session.add_all(
        [
            GoalUpdate(
                team_id=team_id,
                goal_id=goal.id,
                author_id=user_id,
                kind="progress",
                value=1,
                note=note,
                created_at=seed.written,
            ),
            KpiValue(team_id=team_id, kpi_id=kpi.id, recorded_on=date(2026, 11, 2), value=3),
            Kudos(
                team_id=team_id,
                giver_id=user_id,
                recipient_ids=[user_id],
                text=f"{seed.words} kudos",
                goal_id=goal.id,
                created_at=seed.written,
            ),
        ]
    )


async def _checkins(seed: _Seed, team_ref: int) -> None:
    session, team_id, user_id = seed.session, seed.team_id, seed.user_id
    setup = await ensure_default_setup(session, team_id)
    round_ = CheckinRound(
        team_id=team_id, setup_id=setup.id, period=_week(seed), week=_week(seed), questions=[]
    )
    session.add(round_)
    await session.flush()
    assert round_.id is not None
    delivery = CheckinDelivery(
        round_id=round_.id,
        team_id=team_id,
        user_id=user_id,
        state="answered",
        prompt_at=moment(2),
        closes_at=moment(3),
    )
    session.add(delivery)
    session.add(
        CheckinShare(round_id=round_.id, team_ref=team_ref, team_id=team_id, channel_id="C1")
    )
    session.add(CheckinThread(round_id=round_.id, team_id=team_id, channel_id="C2"))
    await session.flush()
    assert delivery.id is not None
    session.add(
        CheckinAnswer(
            delivery_id=delivery.id,
            round_id=round_.id,
            team_id=team_id,
            user_id=user_id,
            answers={"blockers": f"{seed.words} blocker"},
            mood=4,
            created_at=seed.written,
            updated_at=seed.written,
        )
    )


async def _surveys_and_feedback(seed: _Seed, team_ref: int) -> None:
    session, team_id, user_id = seed.session, seed.team_id, seed.user_id
    survey = Survey(
        team_id=team_id,
        number=seed.number,
        title=f"{seed.words} survey",
        questions=SCALE_AND_COMMENT,
        opens_at=seed.written - timedelta(days=2),  # answers carry no date: the survey's
        closes_at=seed.written,  # is what retention goes by
        series_number=seed.number,
        state="closed",
        created_by=user_id,
    )
    session.add(survey)
    await session.flush()
    assert survey.id is not None
    session.add(SurveyInvite(survey_id=survey.id, user_id=user_id, team_id=team_id))
    session.add(SurveyAnswer(survey_id=survey.id, team_id=team_id, answers={"clear": 4}))
    survey_id = survey.id
    session.add(
        SurveyComment(
            survey_id=survey_id, team_id=team_id, question_key="comment", text=f"{seed.words} note"
        )
    )
    session.add(
        SurveyTeamGroup(survey_id=survey_id, team_id=team_id, team_refs=[team_ref], responses=5)
    )
    session.add(
        SurveyTeamTally(
            survey_id=survey_id,
            team_id=team_id,
            team_ref=team_ref,
            question_key="clear",
            value="4",
            count=5,
        )
    )
    token = ReplyToken(
        survey_id=survey.id,
        team_id=team_id,
        question_key="comment",
        text=f"{seed.words} comment",
        sealed_author="sealed",
    )
    session.add(token)
    await session.flush()
    thread = FeedbackThread(
        team_id=team_id,
        code=f"{seed.number % 10000:04d}",
        recipient_kind="admins",
        reply_token_id=token.id,
        sealed_author=f"sealed-{seed.words}",
        message_count=1,
        created_on=seed.written.date(),
    )
    session.add(thread)
    await session.flush()
    message = FeedbackMessage(
        thread_id=thread.id,
        team_id=team_id,
        position=1,
        direction="to_leaders",
        text=f"{seed.words} feedback",
    )
    session.add(message)


async def rows_per_table(runtime: Runtime, team_id: str) -> dict[str, int]:
    """Rows of ``team_id`` in every table but the request door's, zero included."""
    counts: dict[str, int] = {}
    async with runtime.sessions() as session:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in DOOR_TABLES:  # every request adds one; deletion leaves them
                continue
            statement = select(func.count()).select_from(table).where(table.c.team_id == team_id)
            counts[table.name] = int((await session.exec(statement)).one())
    return counts
