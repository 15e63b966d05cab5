"""``/align priorities``: everyone sees them; admins set, re-rank, rename and retire them in
one form, ids staying with their titles so goals keep their link, each change recorded."""

from __future__ import annotations

from sqlmodel import select

from bot.core.runtime import Runtime
from bot.strategy.blocks.forms import title_block, why_block
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Goal
from storage.repositories.workspaces import ensure_workspace
from tests.goals.helpers import TODAY
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender
from tests.strategy.priorities_helpers import (
    change_summaries,
    filled,
    inline_errors,
    open_form,
    reply_to,
    save,
    stored,
    text_of,
)

THREE = (
    ("Grow catering", "Offices order every week and pay on time."),
    ("Bake in-house", "Our bread is why people come back."),
    ("Keep the team", ""),
)


async def test_admin_sets_priorities_and_a_member_reads_them(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    view = await open_form(slack, fake_slack)
    assert view["callback_id"] == "strategy_priorities_form"
    assert sum(block["type"] == "input" for block in view["blocks"]) == 14
    assert "Rank order" in text_of(view["blocks"])
    response = await slack.submit_view(view, filled(*THREE))
    assert inline_errors(response) == {}
    confirmation = (await fake_slack.wait_for("response_url"))[-1].args
    assert "Saved: 3 change(s)." in text_of(confirmation["blocks"])
    assert ":warning:" not in text_of(confirmation["blocks"])
    assert [(p.rank, p.title, p.why) for p in await stored(runtime)] == [
        (1, *THREE[0]),
        (2, *THREE[1]),
        (3, *THREE[2]),
    ]
    assert await change_summaries(runtime) == [
        "Added “Grow catering” at #1",
        "Added “Bake in-house” at #2",
        "Added “Keep the team” at #3",
    ]
    shown = await reply_to(slack, fake_slack, "priorities", user=MEMBER_ID)
    assert "*1. Grow catering* — Offices order every week and pay on time." in shown
    assert "*3. Keep the team*" in shown
    assert "priorities edit" not in shown  # members are not offered the form
    again = await open_form(slack, fake_slack)  # the form opens with what is stored
    initial = {b["block_id"]: b["element"].get("initial_value") for b in again["blocks"][1:]}
    assert initial[title_block(2)] == "Bake in-house" and initial[why_block(3)] is None


async def test_re_ranking_and_renaming_keep_ids_and_goals_keep_their_priority(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await save(slack, fake_slack, THREE)
    ids = {p.title: p.id for p in await stored(runtime)}
    async with transaction(runtime.sessions) as session:
        goal = Goal(
            team_id=TEAM_ID,
            number=1,
            title="Sign ten office clients",
            level="company",
            owner_id=ADMIN_ID,
            created_by=ADMIN_ID,
            start_date=TODAY,
            due_date=TODAY,
            priority_id=ids["Keep the team"],
        )
        session.add(goal)
    # #2 to #1 (in other letters), #1 to #2, #3 renamed in its place
    await save(slack, fake_slack, [("BAKE in-house", THREE[1][1]), THREE[0], ("Keep people", "")])
    after = await stored(runtime)
    assert [(p.id, p.title) for p in after] == [
        (ids["Bake in-house"], "BAKE in-house"),
        (ids["Grow catering"], "Grow catering"),
        (ids["Keep the team"], "Keep people"),
    ]
    assert (await change_summaries(runtime))[3:] == [
        "Renamed #1 “Bake in-house” to “BAKE in-house”",
        "Moved “BAKE in-house” from #2 to #1",
        "Moved “Grow catering” from #1 to #2",
        "Renamed #3 “Keep the team” to “Keep people”",
    ]
    # retired: archived, the goal keeps its link; typed again later, it comes back
    await save(slack, fake_slack, [("BAKE in-house", THREE[1][1]), THREE[0]])
    assert [p.title for p in await stored(runtime)] == ["BAKE in-house", "Grow catering"]
    [retired] = [p for p in await stored(runtime, archived=True) if p.archived_at is not None]
    assert retired.id == ids["Keep the team"]
    async with runtime.sessions() as session:
        [linked] = (await session.exec(select(Goal))).all()
    assert linked.priority_id == retired.id
    response = await save(slack, fake_slack, [("keep PEOPLE", "Back"), THREE[0]])
    assert inline_errors(response) == {}
    assert [p.id for p in await stored(runtime)] == [ids["Keep the team"], ids["Grow catering"]]
    summaries = await change_summaries(runtime)
    assert summaries[-3:] == [
        "Retired “Keep people” (was #3)",
        "Brought back “keep PEOPLE” at #1",
        "Retired “BAKE in-house” (was #1)",
    ]


async def test_fewer_than_three_are_saved_with_a_warning(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await save(slack, fake_slack, [("Grow catering", "")])
    confirmation = text_of((await fake_slack.wait_for("response_url"))[-1].args["blocks"])
    assert ":warning: 1 so far: 3 to 7 priorities" in confirmation
    assert [p.title for p in await stored(runtime)] == ["Grow catering"]


async def test_mistakes_keep_the_form_open_on_the_field_concerned(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    view = await open_form(slack, fake_slack)
    empty = await slack.submit_view(view, filled())
    assert inline_errors(empty) == {title_block(1): "Give at least one priority a title."}
    mistakes = filled(("Grow", ""), ("", "A why alone"), ("grow", ""), ("Ok", "x" * 301))
    errors = inline_errors(await slack.submit_view(view, mistakes))
    assert set(errors) == {title_block(2), title_block(3), why_block(4)}
    assert "same title" in errors[title_block(3)]
    assert "no title" in errors[title_block(2)]
    bell = inline_errors(await slack.submit_view(view, filled(("Ring\x07", ""))))
    assert "control character" in bell[title_block(1)]
    assert await stored(runtime) == []


async def test_a_form_opened_before_someone_else_saved_is_refused(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    stale = await open_form(slack, fake_slack)
    await save(slack, fake_slack, THREE)
    errors = inline_errors(await slack.submit_view(stale, filled(("Mine", ""))))
    assert "Someone saved the priorities after you opened this form" in errors[title_block(1)]
    assert [p.title for p in await stored(runtime)] == [t for t, _ in THREE]


async def test_members_cannot_open_or_save_the_form(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    refused = await reply_to(slack, fake_slack, "priorities edit", user=MEMBER_ID)
    assert "admin" in refused.lower()
    view = await open_form(slack, fake_slack)  # an admin's form, forged by a member
    response = await slack.submit_view(view, filled(("Mine", "")), user_id=MEMBER_ID)
    assert "Only admins" in inline_errors(response)[title_block(1)]
    assert await stored(runtime) == []
    assert len(fake_slack.calls_to("views.open")) == 1


async def test_hostile_text_is_stored_as_typed_and_shown_escaped(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    hostile = "<!channel> & <https://evil.test|bank>"
    await save(slack, fake_slack, [(hostile, "<@UADMIN01> *why*")])
    assert (await stored(runtime))[0].title == hostile
    shown = await reply_to(slack, fake_slack, "priorities", user=MEMBER_ID)
    assert "&lt;!channel&gt; &amp; &lt;https://evil.test|bank&gt;" in shown
    assert "&lt;@UADMIN01&gt; *why*" in shown
    assert "<!channel>" not in shown and "<@UADMIN01>" not in shown


async def test_the_update_priorities_button_opens_the_form_for_admins_only(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    async with transaction(runtime.sessions) as session:
        await ensure_workspace(session=session, team_id=TEAM_ID)
    await reply_to(slack, fake_slack, "priorities")  # the admin is known
    assert (await slack.click("strategy_priorities_edit", "review")).status_code == 200
    opened = (await fake_slack.wait_for("views.open"))[-1].args
    assert opened["view"]["callback_id"] == "strategy_priorities_form"
    await reply_to(slack, fake_slack, "priorities", user=MEMBER_ID)
    assert (await slack.click("strategy_priorities_edit", "review", user_id=MEMBER_ID)).is_success
    told = (await fake_slack.wait_for("chat.postMessage"))[-1].args
    assert told["channel"] == MEMBER_ID and "admin" in told["text"].lower()
    assert len(fake_slack.calls_to("views.open")) == 1


async def test_unknown_words_say_what_to_type(slack: SlackSender, fake_slack: FakeSlack) -> None:
    said = await reply_to(slack, fake_slack, "priorities rerank now")
    assert "`/align priorities edit`" in said and "rerank" in said
    empty = await reply_to(slack, fake_slack, "priorities", user=MEMBER_ID)
    assert "No priorities have been set yet." in empty
