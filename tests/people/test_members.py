"""Member sync from ``users.list`` pages, and ``team_join`` / ``user_change`` events."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError
from sqlmodel import select

from bot.core.runtime import Runtime
from bot.people.members import sync_members
from bot.slack.client import build_web_client
from fakeslack import FakeSlack
from storage.models import Member
from storage.repositories.members import MemberProfile
from tests.conftest import drain_background_tasks
from tests.factories import add_members, member_row
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender


async def all_members(runtime: Runtime) -> dict[str, Member]:
    async with runtime.sessions() as session:
        rows = (await session.exec(select(Member).where(Member.team_id == TEAM_ID))).all()
    return {row.user_id: row for row in rows}


def populate(fake_slack: FakeSlack) -> None:
    for index in range(5):
        fake_slack.add_user(f"UPERSON{index}", name=f"person{index}", tz="America/New_York")
    fake_slack.add_user("UBOTUSER", name="deploybot", is_bot=True)
    fake_slack.add_user("USLACKBOT", name="slackbot")
    fake_slack.add_user("UGONE001", name="gone", deleted=True)


async def test_sync_reads_every_page_and_skips_bots_and_deleted(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    populate(fake_slack)
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    await add_members(runtime, MemberProfile(user_id="UGONE001", name="gone"))

    report = await sync_members(
        client=client, sessions=runtime.sessions, team_id=TEAM_ID, page_size=3
    )

    pages = fake_slack.calls_to("users.list")
    assert len(pages) == 4 == report.pages  # 10 users, 3 per page
    assert all(int(call.args["limit"]) == 3 for call in pages)
    assert [bool(call.args.get("cursor")) for call in pages] == [False, True, True, True]
    members = await all_members(runtime)
    assert set(members) == {ADMIN_ID, MEMBER_ID, "UGONE001", *(f"UPERSON{i}" for i in range(5))}
    assert "UBOTUSER" not in members and "USLACKBOT" not in members
    assert members["UGONE001"].deleted is True
    assert members["UPERSON2"].tz == "America/New_York"
    assert members[ADMIN_ID].is_admin is True
    assert (report.active, report.deleted, report.skipped_bots) == (7, 1, 2)


async def test_sync_keeps_northstar_roles(runtime: Runtime, fake_slack: FakeSlack) -> None:
    await add_members(runtime, MemberProfile(user_id=MEMBER_ID, name="old-name"))
    async with runtime.sessions() as session, session.begin():
        member = await session.get(Member, (TEAM_ID, MEMBER_ID))
        assert member is not None
        member.role = "admin"
        session.add(member)
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    await sync_members(client=client, sessions=runtime.sessions, team_id=TEAM_ID)
    member = await member_row(runtime, MEMBER_ID)
    assert member is not None
    assert (member.role, member.name) == ("admin", "max")


async def test_sync_failure_part_way_writes_nothing(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    populate(fake_slack)
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    fake_slack.inject("users.list", error="invalid_cursor", times=1)
    with pytest.raises(SlackApiError):
        await sync_members(client=client, sessions=runtime.sessions, team_id=TEAM_ID, page_size=3)
    assert await all_members(runtime) == {}


async def test_sync_waits_out_rate_limits(runtime: Runtime, fake_slack: FakeSlack) -> None:
    populate(fake_slack)
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    fake_slack.inject("users.list", status=429, retry_after=0, times=2)
    report = await sync_members(
        client=client, sessions=runtime.sessions, team_id=TEAM_ID, page_size=5
    )
    assert report.active == 7
    assert sum(call.injected for call in fake_slack.calls_to("users.list")) == 2


async def test_team_join_and_user_change_keep_members_current(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    newcomer = fake_slack.add_user("UNEW0001", name="nina", real_name="Nina New", tz="Asia/Tokyo")
    changed = {**newcomer, "real_name": "Nina Renamed", "tz": "Europe/Paris"}
    events = [
        ("EvJOIN1", {"type": "team_join", "user": newcomer}),
        ("EvJOIN2", {"type": "team_join", "user": {**newcomer, "id": "UBOT0002", "is_bot": True}}),
        ("EvCHANGE1", {"type": "user_change", "user": changed}),
    ]
    for event_id, event in events:  # Slack delivers these one after another
        assert (await slack.event(event, event_id=event_id)).status_code == 200
        await drain_background_tasks()
    member = await member_row(runtime, "UNEW0001")
    assert member is not None
    assert (member.real_name, member.tz, member.deleted) == ("Nina Renamed", "Europe/Paris", False)
    assert await member_row(runtime, "UBOT0002") is None
    deactivated = {"type": "user_change", "user": {**changed, "deleted": True}}
    await slack.event(deactivated, event_id="EvCHANGE2")
    await drain_background_tasks()
    member = await member_row(runtime, "UNEW0001")
    assert member is not None
    assert (member.real_name, member.tz, member.deleted) == ("Nina Renamed", "Europe/Paris", True)
    assert await member_row(runtime, "UBOT0002") is None


async def test_sync_of_a_large_workspace_stays_within_the_databases_parameter_limits(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    # 3,000 people x 12 columns in one INSERT would pass PostgreSQL's 32,767 parameters.
    for index in range(3000):
        fake_slack.add_user(f"UBIG{index:05d}", name=f"big{index}")
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    report = await sync_members(client=client, sessions=runtime.sessions, team_id=TEAM_ID)
    assert report.active == 3002
    assert len(await all_members(runtime)) == 3002


# --- people of other organisations (Slack Connect) ---------------------------------------------

OTHER_ORG = "T0OTHERORG"
GUEST = "UGUEST0001"


async def feedback_dms(slack: SlackSender, fake_slack: FakeSlack, text: str) -> list[str]:
    """``/pulse feedback text`` by MEMBER_ID, signed; the channels its DMs went to."""
    before = len(fake_slack.calls_to("response_url"))
    response = await slack.command(f"feedback {text}", command="/pulse", user_id=MEMBER_ID)
    assert response.status_code == 200
    await fake_slack.wait_for("response_url", before + 1)
    await drain_background_tasks()
    return [str(call.args["channel"]) for call in fake_slack.calls_to("chat.postMessage")]


async def test_an_admin_of_another_organisation_never_becomes_a_member_or_admin_here(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_members(
        runtime,
        MemberProfile(user_id=ADMIN_ID, real_name="Ada Admin", is_admin=True),
        MemberProfile(user_id=MEMBER_ID, real_name="Max Member"),
    )
    guest = fake_slack.add_user(GUEST, name="olga", team_id=OTHER_ORG, is_admin=True)
    for event_id, kind in (("EvGUEST1", "team_join"), ("EvGUEST2", "user_change")):
        event = {"type": kind, "user": guest}
        assert (await slack.event(event, event_id=event_id)).status_code == 200
        await drain_background_tasks()
    assert await member_row(runtime, GUEST) is None
    # the anonymous feedback meant for this workspace's admins reaches them only
    assert await feedback_dms(slack, fake_slack, "More focus time") == [ADMIN_ID, MEMBER_ID]


async def test_a_guest_stored_before_is_dropped_at_their_next_user_change(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await add_members(
        runtime,
        MemberProfile(user_id=ADMIN_ID, real_name="Ada Admin", is_admin=True),
        MemberProfile(user_id=MEMBER_ID, real_name="Max Member"),
        MemberProfile(user_id=GUEST, real_name="Olga Other", is_admin=True),  # as main stored
    )
    guest = fake_slack.add_user(GUEST, name="olga", team_id=OTHER_ORG, is_admin=True)
    event = {"type": "user_change", "user": {**guest, "real_name": "Olga Renamed"}}
    assert (await slack.event(event, event_id="EvGUEST3")).status_code == 200
    await drain_background_tasks()
    stored = await member_row(runtime, GUEST)
    assert stored is not None
    assert (stored.deleted, stored.real_name) == (True, "Olga Other")
    assert await feedback_dms(slack, fake_slack, "More focus time") == [ADMIN_ID, MEMBER_ID]


async def test_sync_skips_people_of_other_organisations_and_drops_those_stored(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await add_members(runtime, MemberProfile(user_id=GUEST, is_admin=True))
    fake_slack.add_user(GUEST, name="olga", team_id=OTHER_ORG, is_admin=True)
    fake_slack.add_user("UGUEST0002", name="sven", team_id=OTHER_ORG, is_owner=True)
    fake_slack.add_user("USTRANGER", name="stranger", is_stranger=True)
    grid = {"enterprise_id": "E0ACME", "teams": ["T0SISTER", TEAM_ID]}
    fake_slack.add_user("UGRID0001", name="gina", team_id="T0SISTER", enterprise_user=grid)
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)

    report = await sync_members(client=client, sessions=runtime.sessions, team_id=TEAM_ID)

    members = await all_members(runtime)
    assert set(members) == {ADMIN_ID, MEMBER_ID, GUEST, "UGRID0001"}
    assert members[GUEST].deleted is True  # stored before: dropped, and no longer an admin
    assert members["UGRID0001"].deleted is False  # same Enterprise Grid organisation
    assert (report.active, report.deleted, report.skipped_foreign) == (3, 0, 3)
