"""A small workspace for pulse survey tests: people with names, two teams, an admin."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from cryptography.fernet import Fernet
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.pulse.lifecycle import advance_surveys, create_survey
from bot.pulse.questions import BANK, Question, SurveyDraft, custom_question
from bot.pulse.surveys import submit_answer
from storage.db import SessionFactory, create_session_factory, transaction
from storage.models import Survey
from storage.repositories.members import MemberProfile, upsert_members
from storage.repositories.teams import add_team_members, create_team
from storage.repositories.workspaces import ensure_workspace

TEAM_ID = "T0PULSE"
ADMIN = "UADMIN0001"
LEAD = "ULEAD00001"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
OPEN_FOR = timedelta(days=5)

# Twelve people: Sales has the first six, Engineering the last six.
PEOPLE = tuple(f"UPERSON{number:03d}" for number in range(1, 13))
NAMES = {user: f"person{number:03d}.surname" for number, user in enumerate(PEOPLE, start=1)}
REAL_NAMES = {user: f"Firstname{number:03d} Lastname" for number, user in enumerate(PEOPLE, 1)}
SALES, ENGINEERING = PEOPLE[:6], PEOPLE[6:]

COMMENT = custom_question(7, kind="text", text="Anything else?", required=False)
CHOICE = custom_question(8, kind="choice", text="Best day for all-hands?", options=("Mon", "Fri"))
QUESTIONS: tuple[Question, ...] = (*BANK, COMMENT, CHOICE)


@dataclass
class PulseWorld:
    sessions: SessionFactory
    key: str = field(default_factory=lambda: Fernet.generate_key().decode())
    teams: dict[str, int] = field(default_factory=dict)


async def make_world(engine: AsyncEngine) -> PulseWorld:
    world = PulseWorld(sessions=create_session_factory(engine))
    profiles = [
        MemberProfile(user_id=ADMIN, name="ada.admin", real_name="Ada Admin", is_admin=True)
    ]
    profiles.append(MemberProfile(user_id=LEAD, name="lee.lead", real_name="Lee Lead"))
    profiles += [
        MemberProfile(user_id=user, name=NAMES[user], real_name=REAL_NAMES[user]) for user in PEOPLE
    ]
    async with transaction(world.sessions) as session:
        await ensure_workspace(session=session, team_id=TEAM_ID)
        await upsert_members(session=session, team_id=TEAM_ID, profiles=profiles)
        for name, members, lead in (("Sales", SALES, LEAD), ("Engineering", ENGINEERING, None)):
            team = await create_team(session=session, team_id=TEAM_ID, name=name, lead_user_id=lead)
            await add_team_members(session=session, team=team, user_ids=members)
            assert team.id is not None
            world.teams[name] = team.id
    return world


async def open_survey(
    world: PulseWorld,
    *,
    questions: Sequence[Question] = QUESTIONS,
    min_responses: int = 5,
    team_refs: Sequence[int] = (),
    repeat: str = "none",
    opens_at: datetime = NOW,
) -> Survey:
    """A survey created by the admin and opened (its audience invited) at ``opens_at``."""
    draft = SurveyDraft(
        title="Alignment pulse",
        questions=tuple(questions),
        opens_at=opens_at,
        closes_at=opens_at + OPEN_FOR,
        team_refs=tuple(team_refs),
        min_responses=min_responses,
        repeat=repeat,
    )
    async with transaction(world.sessions) as session:
        survey = await create_survey(
            session=session, team_id=TEAM_ID, actor=ADMIN, draft=draft, now=opens_at
        )
    async with transaction(world.sessions) as session:
        changes = await advance_surveys(session=session, team_id=TEAM_ID, now=opens_at)
    assert [opened.id for opened in changes.opened] == [survey.id]
    return changes.opened[0]


async def answer(
    world: PulseWorld,
    survey: Survey,
    user_id: str,
    submitted: Mapping[str, object],
    *,
    allow_replies: bool = False,
    now: datetime = NOW + timedelta(hours=3),
) -> None:
    assert survey.id is not None
    async with transaction(world.sessions) as session:
        await submit_answer(
            session=session,
            team_id=TEAM_ID,
            survey_id=survey.id,
            user_id=user_id,
            submitted=submitted,
            allow_replies=allow_replies,
            secret_key=world.key,
            now=now,
        )


def scale_answers(value: int, *, enps: int = 8, choice: str = "Mon") -> dict[str, object]:
    """Every bank statement answered ``value``, eNPS ``enps``, the choice, no comment."""
    answers: dict[str, object] = {question.key: value for question in BANK[:5]}
    return answers | {"enps": enps, CHOICE.key: choice}


async def close(world: PulseWorld, survey: Survey) -> None:
    async with transaction(world.sessions) as session:
        changes = await advance_surveys(session=session, team_id=TEAM_ID, now=survey.closes_at)
    assert survey.id in [closed.id for closed in changes.closed]
