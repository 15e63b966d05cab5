"""Surveys on the real databases: numbering, invitations, answering once, the threshold."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.core.anonymity import token_timestamp, unseal
from bot.core.errors import PermissionDenied, UserInputError
from bot.pulse.lifecycle import SurveyNotOpen, audience_of
from bot.pulse.surveys import (
    NotInvitedToSurvey,
    SurveyAlreadyAnswered,
    change_threshold,
    ensure_can_answer,
    survey_counts,
)
from storage.db import transaction
from storage.models import ReplyToken, SurveyAnswer, SurveyComment, SurveyTeamGroup
from storage.repositories import pulse, survey_invites, surveys
from storage.repositories.members import MemberProfile, upsert_members
from tests.pulse.helpers import (
    ADMIN,
    COMMENT,
    LEAD,
    NOW,
    PEOPLE,
    SALES,
    TEAM_ID,
    PulseWorld,
    answer,
    make_world,
    open_survey,
    scale_answers,
)

LATER = NOW + timedelta(hours=3)


@pytest.fixture
async def world(engine: AsyncEngine) -> PulseWorld:
    return await make_world(engine)


async def _answer_rows(world: PulseWorld) -> list[SurveyAnswer]:
    async with world.sessions() as session:
        return list((await session.exec(select(SurveyAnswer))).all())


async def _tokens(world: PulseWorld) -> list[ReplyToken]:
    async with world.sessions() as session:
        return list((await session.exec(select(ReplyToken))).all())


async def test_surveys_are_numbered_per_workspace_and_start_their_series(world: PulseWorld) -> None:
    first = await open_survey(world)
    second = await open_survey(world)
    assert (first.number, second.number) == (1, 2)
    assert (first.series_number, second.series_number) == (1, 2)
    assert first.state == second.state == "open"


async def test_only_admins_create_surveys(world: PulseWorld) -> None:
    from bot.pulse.lifecycle import create_survey
    from bot.pulse.questions import BANK, SurveyDraft

    draft = SurveyDraft("Pulse", BANK, opens_at=NOW, closes_at=NOW + timedelta(days=1))
    async with transaction(world.sessions) as session:
        with pytest.raises(PermissionDenied):
            await create_survey(
                session=session, team_id=TEAM_ID, actor=PEOPLE[0], draft=draft, now=NOW
            )


async def test_the_audience_is_everyone_or_the_chosen_teams_with_their_leads(
    world: PulseWorld,
) -> None:
    everyone = await open_survey(world)
    sales = await open_survey(world, team_refs=[world.teams["Sales"]], min_responses=3)
    async with world.sessions() as session:
        assert await audience_of(session=session, team_id=TEAM_ID, survey=everyone) == sorted(
            [ADMIN, LEAD, *PEOPLE]
        )
        assert await audience_of(session=session, team_id=TEAM_ID, survey=sales) == sorted(
            [LEAD, *SALES]
        )
        assert sales.id is not None
        counts = await survey_counts(session=session, team_id=TEAM_ID, survey_id=sales.id)
    assert (counts.invited, counts.answered, counts.pending) == (7, 0, 7)


async def test_inviting_someone_twice_invites_them_once(world: PulseWorld) -> None:
    survey = await open_survey(world)
    assert survey.id is not None
    async with transaction(world.sessions) as session:
        again = await survey_invites.invite_people(
            session=session, team_id=TEAM_ID, survey_id=survey.id, user_ids=[PEOPLE[0], "UNEW0001"]
        )
        counts = await survey_counts(session=session, team_id=TEAM_ID, survey_id=survey.id)
    assert again == 1
    assert counts.invited == 15


async def test_an_answer_is_taken_once_and_a_second_try_writes_nothing(world: PulseWorld) -> None:
    survey = await open_survey(world)
    assert survey.id is not None
    await answer(world, survey, PEOPLE[0], scale_answers(4) | {COMMENT.key: "first words"})
    before = await _answer_rows(world)
    with pytest.raises(SurveyAlreadyAnswered, match="already answered"):
        await answer(world, survey, PEOPLE[0], scale_answers(1) | {COMMENT.key: "second words"})
    after = await _answer_rows(world)
    assert [row.model_dump() for row in after] == [row.model_dump() for row in before]
    assert after[0].answers["direction"] == 4
    async with world.sessions() as session:
        with pytest.raises(SurveyAlreadyAnswered):
            await ensure_can_answer(
                session=session, team_id=TEAM_ID, survey_id=survey.id, user_id=PEOPLE[0], now=LATER
            )
        counts = await survey_counts(session=session, team_id=TEAM_ID, survey_id=survey.id)
    assert (counts.invited, counts.answered) == (14, 1)
    assert all(isinstance(value, int) for value in asdict(counts).values())  # counts, no names


async def test_the_conditional_update_itself_refuses_a_second_answer(world: PulseWorld) -> None:
    """Inside one transaction, before any rollback: the refused call added no row."""
    survey = await open_survey(world)
    assert survey.id is not None
    await answer(world, survey, PEOPLE[0], scale_answers(4))
    async with transaction(world.sessions) as session:
        with pytest.raises(pulse.AlreadyAnswered):
            await pulse.record_answer(
                session=session,
                team_id=TEAM_ID,
                survey_id=survey.id,
                user_id=PEOPLE[0],
                answers={"direction": 1},
                team_refs=[],
            )
        assert await pulse.answer_count(session=session, team_id=TEAM_ID, survey_id=survey.id) == 1
        with pytest.raises(pulse.NotInvited):
            await pulse.record_answer(
                session=session,
                team_id=TEAM_ID,
                survey_id=survey.id,
                user_id="USTRANGER1",
                answers={"direction": 1},
                team_refs=[],
            )
        assert await pulse.answer_count(session=session, team_id=TEAM_ID, survey_id=survey.id) == 1


async def test_two_tries_at_once_leave_exactly_one_answer(world: PulseWorld) -> None:
    survey = await open_survey(world)
    outcomes = await asyncio.gather(
        *(answer(world, survey, PEOPLE[0], scale_answers(value)) for value in (2, 5)),
        return_exceptions=True,
    )
    assert len(await _answer_rows(world)) == 1
    assert sorted(type(outcome).__name__ for outcome in outcomes) == [
        "NoneType",
        "SurveyAlreadyAnswered",
    ]


async def test_who_may_not_answer_is_told_why_and_nothing_is_written(world: PulseWorld) -> None:
    survey = await open_survey(world, team_refs=[world.teams["Sales"]], min_responses=3)
    with pytest.raises(NotInvitedToSurvey, match="not sent to you"):
        await answer(world, survey, PEOPLE[-1], scale_answers(3))
    with pytest.raises(UserInputError, match="Please answer"):
        await answer(world, survey, PEOPLE[0], {"direction": 3})
    with pytest.raises(SurveyNotOpen):
        await answer(world, survey, PEOPLE[0], scale_answers(3), now=survey.closes_at)
    assert await _answer_rows(world) == []


async def test_a_person_sees_the_surveys_they_still_have_to_answer(world: PulseWorld) -> None:
    first = await open_survey(world)
    second = await open_survey(world)
    await answer(world, first, PEOPLE[0], scale_answers(3))
    async with world.sessions() as session:
        todo = await survey_invites.open_surveys_to_answer(
            session=session, team_id=TEAM_ID, user_id=PEOPLE[0], now=LATER
        )
    assert [survey.id for survey in todo] == [second.id]


async def test_reply_tokens_exist_only_with_consent_and_hold_the_author_sealed(
    world: PulseWorld,
) -> None:
    survey = await open_survey(world)
    await answer(world, survey, PEOPLE[0], scale_answers(3) | {COMMENT.key: "no reply please"})
    await answer(world, survey, PEOPLE[1], scale_answers(3), allow_replies=True)  # no comment
    assert await _tokens(world) == []
    await answer(
        world,
        survey,
        PEOPLE[2],
        scale_answers(3) | {COMMENT.key: "reply to me"},
        allow_replies=True,
    )
    (token,) = await _tokens(world)
    assert token.question_key == COMMENT.key
    assert PEOPLE[2] not in token.model_dump_json()
    assert unseal(token.sealed_author, world.key) == PEOPLE[2]
    assert token_timestamp(token.sealed_author) == 0
    assert (token.survey_id, token.text) == (survey.id, "reply to me")
    # The comment is in its token alone: no answer row holds it or anything that points to it.
    assert [row.answers for row in await _answer_rows(world)] == [scale_answers(3)] * 3
    async with world.sessions() as session:
        plain = (await session.exec(select(SurveyComment.text))).all()
    assert plain == ["no reply please"]


async def test_only_teams_big_enough_to_be_shown_are_counted_and_never_on_answers(
    world: PulseWorld,
) -> None:
    # 15 invited: Sales has 7 with its lead (8 others), Engineering 6, under a threshold of 7.
    async with transaction(world.sessions) as session:
        extra = MemberProfile(user_id="UNOTEAM001", name="no.team")
        await upsert_members(session=session, team_id=TEAM_ID, profiles=[extra])
    survey = await open_survey(world, min_responses=7)
    await answer(world, survey, SALES[0], scale_answers(3))
    await answer(world, survey, PEOPLE[-1], scale_answers(3))
    assert {frozenset(row.model_dump()) for row in await _answer_rows(world)} == {
        frozenset({"id", "survey_id", "team_id", "answers"})
    }
    async with world.sessions() as session:
        groups = (await session.exec(select(SurveyTeamGroup))).all()
    assert {(tuple(group.team_refs), group.responses) for group in groups} == {
        ((world.teams["Sales"],), 1),
        ((), 1),
    }


async def test_the_threshold_can_be_raised_but_not_lowered_once_answered(
    world: PulseWorld,
) -> None:
    survey = await open_survey(world, min_responses=6)
    async with transaction(world.sessions) as session:
        lowered = await change_threshold(
            session=session, team_id=TEAM_ID, actor=ADMIN, number=survey.number, min_responses=4
        )
    assert lowered.min_responses == 4  # no answer yet: lowering is still safe
    await answer(world, survey, PEOPLE[0], scale_answers(3))
    async with transaction(world.sessions) as session:
        raised = await change_threshold(
            session=session, team_id=TEAM_ID, actor=ADMIN, number=survey.number, min_responses=8
        )
    assert raised.min_responses == 8
    for refused, message in ((7, "can only go up from 8"), (2, "at least 3")):
        async with transaction(world.sessions) as session:
            with pytest.raises(UserInputError, match=message):
                await change_threshold(
                    session=session,
                    team_id=TEAM_ID,
                    actor=ADMIN,
                    number=survey.number,
                    min_responses=refused,
                )
    async with world.sessions() as session:
        assert survey.id is not None
        stored = await surveys.lock_survey(session=session, team_id=TEAM_ID, survey_id=survey.id)
    assert stored is not None and stored.min_responses == 8


async def test_the_threshold_never_goes_below_three_even_before_answers(world: PulseWorld) -> None:
    survey = await open_survey(world)
    assert survey.id is not None
    async with transaction(world.sessions) as session:
        with pytest.raises(pulse.ThresholdRefused):
            await pulse.change_min_responses(
                session=session, team_id=TEAM_ID, survey_id=survey.id, min_responses=2
            )
        with pytest.raises(PermissionDenied):
            await change_threshold(
                session=session,
                team_id=TEAM_ID,
                actor=PEOPLE[0],
                number=survey.number,
                min_responses=9,
            )


async def test_each_invitation_is_sent_by_exactly_one_claim(world: PulseWorld) -> None:
    survey = await open_survey(world, team_refs=[world.teams["Sales"]], min_responses=3)
    assert survey.id is not None
    await answer(world, survey, SALES[0], scale_answers(3))  # answered through /pulse first
    async with transaction(world.sessions) as session:
        todo = await survey_invites.invites_to_send(
            session=session, team_id=TEAM_ID, survey_id=survey.id, now=LATER
        )
        assert todo == sorted([LEAD, *SALES[1:]])
        claims = [
            await survey_invites.claim_invite(
                session=session, team_id=TEAM_ID, survey_id=survey.id, user_id=SALES[1], now=LATER
            )
            for _ in range(2)
        ]
        assert claims == [True, False]
        assert not await survey_invites.claim_invite(
            session=session, team_id=TEAM_ID, survey_id=survey.id, user_id=SALES[0], now=LATER
        )
        stale = LATER + survey_invites.SENDING_STALE_AFTER + timedelta(seconds=1)
        assert await survey_invites.claim_invite(
            session=session, team_id=TEAM_ID, survey_id=survey.id, user_id=SALES[1], now=stale
        )
        assert not await survey_invites.finish_invite(  # the first claim was taken over
            session=session,
            team_id=TEAM_ID,
            survey_id=survey.id,
            user_id=SALES[1],
            claimed_at=LATER,
            state="failed",
        )
        assert await survey_invites.finish_invite(
            session=session,
            team_id=TEAM_ID,
            survey_id=survey.id,
            user_id=SALES[1],
            claimed_at=stale,
            state="sent",
        )
        invite = await survey_invites.get_invite(
            session=session, team_id=TEAM_ID, survey_id=survey.id, user_id=SALES[1]
        )
        counts = await survey_counts(session=session, team_id=TEAM_ID, survey_id=survey.id)
    assert invite is not None and (invite.state, invite.claimed_at) == ("sent", None)
    assert (counts.sent, counts.pending, counts.answered) == (1, 6, 1)


async def test_another_workspace_sees_none_of_it(world: PulseWorld) -> None:
    survey = await open_survey(world)
    assert survey.id is not None
    await answer(world, survey, PEOPLE[0], scale_answers(3))
    async with world.sessions() as session:
        assert (
            await pulse.survey_answers(session=session, team_id="TOTHER", survey_id=survey.id) == []
        )
        counts = await survey_counts(session=session, team_id="TOTHER", survey_id=survey.id)
    assert counts.invited == 0
