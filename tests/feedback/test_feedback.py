"""Two-way anonymous feedback threads, through the service, on the real databases."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.anonymity import token_timestamp, unseal
from bot.core.errors import PermissionDenied, UserInputError
from bot.feedback import threads as pulse_feedback
from bot.feedback.comment_replies import reply_to_comment
from bot.feedback.threads import (
    Relay,
    close_conversation,
    reply_as_author,
    reply_as_leader,
    reveal_author,
    send_feedback,
    view_thread,
)
from storage.db import transaction
from storage.repositories import feedback
from storage.repositories.pulse import reply_tokens_of_survey
from tests.pulse.helpers import (
    ADMIN,
    COMMENT,
    LEAD,
    NOW,
    PEOPLE,
    TEAM_ID,
    PulseWorld,
    answer,
    make_world,
    open_survey,
    scale_answers,
)

AUTHOR = PEOPLE[3]
TODAY = NOW.date()


@pytest.fixture
async def world(engine: AsyncEngine) -> PulseWorld:
    return await make_world(engine)


async def _send(
    world: PulseWorld, text: str = "The roadmap keeps changing.", **kwargs: object
) -> Relay:
    values: dict[str, object] = {"author_id": AUTHOR, "team_ref": None} | kwargs
    async with transaction(world.sessions) as session:
        return await send_feedback(
            session=session,
            team_id=TEAM_ID,
            text=text,
            secret_key=world.key,
            today=TODAY,
            **values,  # type: ignore[arg-type]
        )


async def test_a_thread_goes_both_ways_until_it_is_closed(world: PulseWorld) -> None:
    sent = await _send(world)
    thread_id = sent.thread.id
    assert re.fullmatch(r"[0-9A-F]{4}", sent.thread.code)
    assert sent.leader_ids == (ADMIN,)
    assert sent.author_id is None
    assert unseal(sent.thread.sealed_author, world.key) == AUTHOR
    assert token_timestamp(sent.thread.sealed_author) == 0

    async with transaction(world.sessions) as session:
        reply = await reply_as_leader(
            session=session,
            team_id=TEAM_ID,
            thread_id=thread_id,
            leader_id=ADMIN,
            text="What changed most?",
            secret_key=world.key,
        )
    assert reply.author_id == AUTHOR and reply.leader_ids == ()
    assert reply.message is not None and reply.message.sender_user_id == ADMIN

    async with transaction(world.sessions) as session:
        back = await reply_as_author(
            session=session,
            team_id=TEAM_ID,
            thread_id=thread_id,
            author_id=AUTHOR,
            text="The Q3 goals.",
            secret_key=world.key,
        )
        revealed = await reveal_author(
            session=session,
            team_id=TEAM_ID,
            thread_id=thread_id,
            author_id=AUTHOR,
            secret_key=world.key,
        )
    assert back.leader_ids == (ADMIN,) and back.message is not None
    assert back.message.sender_user_id is None
    assert revealed.thread.revealed_user_id == AUTHOR

    async with transaction(world.sessions) as session:
        closed = await close_conversation(
            session=session,
            team_id=TEAM_ID,
            thread_id=thread_id,
            user_id=ADMIN,
            secret_key=world.key,
        )
    assert closed.thread.state == "closed" and closed.author_id == AUTHOR

    async with world.sessions() as session:
        for viewer in (AUTHOR, ADMIN):
            view = await view_thread(
                session=session,
                team_id=TEAM_ID,
                thread_id=thread_id,
                viewer_id=viewer,
                secret_key=world.key,
            )
            assert [(m.position, m.direction, m.text) for m in view.messages] == [
                (1, "to_leaders", "The roadmap keeps changing."),
                (2, "to_author", "What changed most?"),
                (3, "to_leaders", "The Q3 goals."),
            ]
    async with transaction(world.sessions) as session:
        with pytest.raises(UserInputError, match="closed"):
            await reply_as_author(
                session=session,
                team_id=TEAM_ID,
                thread_id=thread_id,
                author_id=AUTHOR,
                text="One more thing",
                secret_key=world.key,
            )
        assert (
            await feedback.add_message(
                session=session,
                team_id=TEAM_ID,
                thread_id=thread_id,
                direction="to_leaders",
                text="x",
            )
            is None
        )


async def test_only_the_thread_s_people_may_act_on_it(world: PulseWorld) -> None:
    thread_id = (await _send(world)).thread.id
    async with transaction(world.sessions) as session:
        with pytest.raises(PermissionDenied):
            await reply_as_leader(
                session=session,
                team_id=TEAM_ID,
                thread_id=thread_id,
                leader_id=PEOPLE[0],
                text="hi",
                secret_key=world.key,
            )
        with pytest.raises(PermissionDenied):
            await reply_as_author(
                session=session,
                team_id=TEAM_ID,
                thread_id=thread_id,
                author_id=PEOPLE[0],
                text="hi",
                secret_key=world.key,
            )
        with pytest.raises(PermissionDenied):
            await reveal_author(
                session=session,
                team_id=TEAM_ID,
                thread_id=thread_id,
                author_id=ADMIN,
                secret_key=world.key,
            )
        with pytest.raises(PermissionDenied):
            await view_thread(
                session=session,
                team_id=TEAM_ID,
                thread_id=thread_id,
                viewer_id=PEOPLE[0],
                secret_key=world.key,
            )
        with pytest.raises(UserInputError, match="no such"):
            await view_thread(
                session=session,
                team_id="TOTHER",
                thread_id=thread_id,
                viewer_id=ADMIN,
                secret_key=world.key,
            )


async def test_feedback_to_a_team_goes_to_its_lead_only(world: PulseWorld) -> None:
    sent = await _send(world, team_ref=world.teams["Sales"])
    assert sent.leader_ids == (LEAD,)
    with pytest.raises(UserInputError, match="no lead"):
        await _send(world, team_ref=world.teams["Engineering"])
    async with transaction(world.sessions) as session:
        with pytest.raises(PermissionDenied):  # admins do not read a lead's thread
            await reply_as_leader(
                session=session,
                team_id=TEAM_ID,
                thread_id=sent.thread.id,
                leader_id=ADMIN,
                text="hi",
                secret_key=world.key,
            )


@pytest.mark.parametrize(("text", "message"), [("  ", "Write your feedback"), ("x" * 3001, "3000")])
async def test_empty_or_long_feedback_is_refused(
    world: PulseWorld, text: str, message: str
) -> None:
    with pytest.raises(UserInputError, match=message):
        await _send(world, text=text)


async def test_a_taken_code_is_drawn_again(
    world: PulseWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    codes = iter(["7F3A", "7F3A", "7F3A", "0B12"])
    monkeypatch.setattr(pulse_feedback, "new_thread_code", lambda: next(codes))
    first = await _send(world)
    second = await _send(world)
    assert (first.thread.code, second.thread.code) == ("7F3A", "0B12")


async def test_a_relay_never_prints_the_author(world: PulseWorld) -> None:
    sent = await _send(world)
    async with transaction(world.sessions) as session:
        reply = await reply_as_leader(
            session=session,
            team_id=TEAM_ID,
            thread_id=sent.thread.id,
            leader_id=ADMIN,
            text="Thanks",
            secret_key=world.key,
        )
    assert reply.author_id == AUTHOR
    assert AUTHOR not in repr(reply) and AUTHOR not in str(reply)


async def test_leaders_reply_to_a_survey_comment_only_when_its_author_asked(
    world: PulseWorld,
) -> None:
    survey = await open_survey(world)
    assert survey.id is not None
    await answer(
        world,
        survey,
        PEOPLE[0],
        scale_answers(3) | {COMMENT.key: "Please reply"},
        allow_replies=True,
    )
    await answer(world, survey, PEOPLE[1], scale_answers(3) | {COMMENT.key: "Do not reply"})
    async with world.sessions() as session:
        tokens = await reply_tokens_of_survey(session=session, team_id=TEAM_ID, survey_id=survey.id)
    assert list(tokens.values()) == ["Please reply"]
    (token_id,) = tokens
    for text in ("We hear you.", "Anything else?"):
        async with transaction(world.sessions) as session:
            relay = await reply_to_comment(
                session=session,
                team_id=TEAM_ID,
                reply_token_id=token_id,
                leader_id=ADMIN,
                text=text,
                secret_key=world.key,
                today=TODAY,
            )
        assert relay.author_id == PEOPLE[0]
    async with world.sessions() as session:
        view = await view_thread(
            session=session,
            team_id=TEAM_ID,
            thread_id=relay.thread.id,
            viewer_id=PEOPLE[0],
            secret_key=world.key,
        )
    assert [message.text for message in view.messages] == [
        "Please reply",
        "We hear you.",
        "Anything else?",
    ]
    async with transaction(world.sessions) as session:
        with pytest.raises(UserInputError, match="did not ask for replies"):
            await reply_to_comment(
                session=session,
                team_id=TEAM_ID,
                reply_token_id="0" * 32,
                leader_id=ADMIN,
                text="hello",
                secret_key=world.key,
                today=TODAY,
            )
        with pytest.raises(PermissionDenied):
            await reply_to_comment(
                session=session,
                team_id=TEAM_ID,
                reply_token_id=token_id,
                leader_id=PEOPLE[2],
                text="hello",
                secret_key=world.key,
                today=TODAY,
            )
