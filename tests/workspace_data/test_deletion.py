"""``/align delete-workspace-data``: owners only, confirmed by typing the workspace, and every
row of that workspace goes from every table while the other workspace keeps all of its own."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import DOOR_TABLES
from storage.repositories import workspace_data
from storage.repositories.members import MemberProfile, upsert_members
from tests.align.test_align import reply_to
from tests.digest.helpers import build_bakery
from tests.factories import workspace_row
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender
from tests.workspace_data.helpers import (
    EXTRA_USER,
    OTHER_TEAM_ID,
    OTHER_USER,
    add_one_of_everything,
    rows_per_table,
)

OWNER_ID = "UOWNER01"
COMMAND = "delete-workspace-data"


async def two_workspaces(runtime: Runtime, fake_slack: FakeSlack) -> None:
    """The bakery plus one row of everything as workspace T0001, and a second workspace."""
    await build_bakery(runtime)
    await add_one_of_everything(runtime, TEAM_ID, EXTRA_USER)
    await add_one_of_everything(runtime, OTHER_TEAM_ID, OTHER_USER, words="Zebra", number=7)
    fake_slack.add_user(OWNER_ID, name="olga", real_name="Olga Owner", is_owner=True)
    owner = MemberProfile(user_id=OWNER_ID, name="olga", is_owner=True)
    member = MemberProfile(user_id=MEMBER_ID, name="max")
    async with transaction(runtime.sessions) as session:
        await upsert_members(session=session, team_id=TEAM_ID, profiles=[owner, member])


async def test_deleting_empties_every_table_for_one_workspace_only(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await two_workspaces(runtime, fake_slack)
    ours, theirs = (
        await rows_per_table(runtime, TEAM_ID),
        await rows_per_table(runtime, OTHER_TEAM_ID),
    )
    # A table listed here has no test rows: give it some in tests/workspace_data/helpers.py.
    assert [name for name, count in ours.items() if not count] == []
    assert [name for name, count in theirs.items() if not count] == []
    assert set(ours) | DOOR_TABLES == {table.name for table in SQLModel.metadata.sorted_tables}

    reply = await reply_to(slack, fake_slack, f"{COMMAND} {TEAM_ID}", user=OWNER_ID)

    assert reply.startswith(":wastebasket: Deleted all of Northstar's data for this workspace")
    assert f"{sum(ours.values()):,} rows" in reply
    assert await rows_per_table(runtime, TEAM_ID) == dict.fromkeys(ours, 0)
    assert await rows_per_table(runtime, OTHER_TEAM_ID) == theirs


async def test_the_workspace_starts_afresh_after_deletion(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await two_workspaces(runtime, fake_slack)
    await reply_to(slack, fake_slack, f"{COMMAND} {TEAM_ID}", user=OWNER_ID)
    assert await workspace_row(runtime) is None
    shown = await reply_to(slack, fake_slack, "vision", user=OWNER_ID)
    assert shown.startswith("No vision has been set yet")
    workspace = await workspace_row(runtime)
    assert workspace is not None and workspace.vision == ""


async def test_without_confirmation_it_shows_what_would_go_and_deletes_nothing(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await two_workspaces(runtime, fake_slack)
    before = await rows_per_table(runtime, TEAM_ID)
    reply = await reply_to(slack, fake_slack, COMMAND, user=OWNER_ID)
    assert "cannot be undone" in reply
    assert f"`/align delete-workspace-data {TEAM_ID}`" in reply
    assert f"goal {before['goal']}" in reply and f"{sum(before.values()):,} rows" in reply
    assert await rows_per_table(runtime, TEAM_ID) == before


@pytest.mark.parametrize(
    "confirmation",
    [OTHER_TEAM_ID, "yes", "T000", f"{TEAM_ID} please", "Zebra Inc", "<@UOWNER01>", "x" * 5000],
)
async def test_anything_but_this_workspace_deletes_nothing(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, confirmation: str
) -> None:
    await two_workspaces(runtime, fake_slack)
    before = await rows_per_table(runtime, TEAM_ID)
    reply = await reply_to(slack, fake_slack, f"{COMMAND} {confirmation}", user=OWNER_ID)
    assert reply.startswith("That does not name this workspace, so nothing was deleted")
    assert await rows_per_table(runtime, TEAM_ID) == before


@pytest.mark.parametrize("confirmation", ["Extra Inc", "extra   INC", "t0001"])
async def test_the_workspace_name_or_its_id_in_any_case_confirms(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, confirmation: str
) -> None:
    await add_one_of_everything(runtime, TEAM_ID, EXTRA_USER)  # names the workspace "Extra Inc"
    await add_one_of_everything(runtime, OTHER_TEAM_ID, OTHER_USER, words="Zebra", number=7)
    owner = MemberProfile(user_id=OWNER_ID, name="olga", is_owner=True)
    async with transaction(runtime.sessions) as session:
        await upsert_members(session=session, team_id=TEAM_ID, profiles=[owner])
    reply = await reply_to(slack, fake_slack, f"{COMMAND} {confirmation}", user=OWNER_ID)
    assert reply.startswith(":wastebasket:")
    assert sum((await rows_per_table(runtime, TEAM_ID)).values()) == 0
    assert all((await rows_per_table(runtime, OTHER_TEAM_ID)).values())


@pytest.mark.parametrize("user", [ADMIN_ID, MEMBER_ID])
async def test_only_slack_owners_may_delete(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, user: str
) -> None:
    await two_workspaces(runtime, fake_slack)
    before = await rows_per_table(runtime, TEAM_ID)
    for text in (COMMAND, f"{COMMAND} {TEAM_ID}"):
        reply = await reply_to(slack, fake_slack, text, user=user)
        assert reply.startswith(":no_entry: Only owners of this Slack workspace")
    assert await rows_per_table(runtime, TEAM_ID) == before


async def test_a_table_without_team_id_stops_deletion_before_anything_goes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    metadata = sa.MetaData()
    sa.Table("workspace", metadata, sa.Column("team_id", sa.String, primary_key=True))
    sa.Table("global_thing", metadata, sa.Column("id", sa.Integer, primary_key=True))
    monkeypatch.setattr(SQLModel, "metadata", metadata)
    with pytest.raises(LookupError, match="global_thing"):
        workspace_data.workspace_tables()
