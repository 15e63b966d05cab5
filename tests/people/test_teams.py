"""``/align team …`` and ``/align teams`` through signed requests."""

from __future__ import annotations

import pytest

from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from storage.repositories.teams import get_team_by_name, members_by_team
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender


async def ask(slack: SlackSender, fake_slack: FakeSlack, text: str, user: str = ADMIN_ID) -> str:
    before = len(fake_slack.calls_to("response_url"))
    assert (await slack.command(text, user_id=user)).status_code == 200
    reply = (await fake_slack.wait_for("response_url", before + 1))[-1].args
    assert reply["response_type"] == "ephemeral"
    return " ".join(str(block) for block in reply["blocks"])


async def team_members(runtime: Runtime, name: str) -> tuple[str | None, list[str]]:
    async with runtime.sessions() as session:
        team = await get_team_by_name(session=session, team_id="T0001", name=name)
        assert team is not None and team.id is not None
        members = await members_by_team(session=session, team_id="T0001")
    return team.lead_user_id, members.get(team.id, [])


async def test_admin_creates_a_team_with_channel_and_lead(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    reply = await ask(
        slack, fake_slack, f"team add Customer Success <#C0CS|cs> lead <@{MEMBER_ID}>"
    )
    assert "Team *Customer Success* created with channel <#C0CS> led by <@UMEMBER1>" in reply
    assert await team_members(runtime, "customer  success") == (MEMBER_ID, [MEMBER_ID])
    listed = await ask(slack, fake_slack, "teams", user=MEMBER_ID)
    assert "*Customer Success* <#C0CS> · lead <@UMEMBER1> · 1 person: <@UMEMBER1>" in listed


async def test_lead_manages_members_but_others_cannot(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fake_slack.add_user("USAM0001", name="sam")
    await ask(slack, fake_slack, f'team add "Sales EU" lead <@{MEMBER_ID}>')
    added = await ask(slack, fake_slack, "team Sales EU add <@USAM0001> @ada", user=MEMBER_ID)
    assert "Added <@USAM0001>, <@UADMIN01> to Sales EU" in added
    assert await team_members(runtime, "Sales EU") == (MEMBER_ID, [ADMIN_ID, MEMBER_ID, "USAM0001"])
    refused = await ask(slack, fake_slack, f"team Sales EU remove <@{MEMBER_ID}>", user="USAM0001")
    assert "Only Northstar admins and the lead of Sales EU" in refused
    removed = await ask(slack, fake_slack, "team Sales EU remove <@USAM0001>", user=MEMBER_ID)
    assert "Removed 1 person from Sales EU" in removed
    handover = await ask(slack, fake_slack, f"team Sales EU lead <@{ADMIN_ID}>", user=MEMBER_ID)
    assert "<@UADMIN01> now leads Sales EU" in handover
    assert (await team_members(runtime, "Sales EU"))[0] == ADMIN_ID


async def test_only_admins_create_teams(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    reply = await ask(slack, fake_slack, "team add Rogue", user=MEMBER_ID)
    assert "Only Northstar admins can create teams" in reply
    assert "There are no teams yet" in await ask(slack, fake_slack, "teams")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("team", "Which team?"),
        ("team add", "Give the new team a name"),
        ("team add Sales lead", "Name at least one person"),
        ("team add Sales #sales", "is not a channel Slack recognised"),
        ("team add <#C0SALES|sales> Sales", "Put the team name first"),
        ("team add " + "x" * 81, "the most is 80"),
        ("team add Sales <!here>", "cannot contain mentions"),
        ('team add "Sales', "A quote is not closed"),
        ("team Nowhere add <@UMEMBER1>", "There is no team called “Nowhere”"),
        ("team Sales", "Say what to do with team"),
        ("team Sales lead <@UMEMBER1> <@UADMIN01>", "A team has one lead"),
        ("team Sales add #general", "is not a person"),
        ("teams extra", "takes nothing after it"),
        ("team Sales channel", "Name one channel"),
        ("team Sales channel #sales", "Name one channel"),
        ("team Sales channel <#C0A|a> <#C0B|b>", "Name one channel"),
    ],
)
async def test_bad_team_commands_are_explained(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, text: str, expected: str
) -> None:
    reply = await ask(slack, fake_slack, text)
    assert expected in reply
    assert "/align team" in reply
    async with runtime.sessions() as session:
        assert await members_by_team(session=session, team_id="T0001") == {}


async def test_duplicate_team_names_are_refused_in_any_case(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    await ask(slack, fake_slack, "team add Sales")
    assert "already exists" in await ask(slack, fake_slack, "team add  SALES ")


async def test_a_team_gets_changes_and_loses_its_channel(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fake_slack.add_user("USTRANGER", name="stranger")
    await ask(slack, fake_slack, f"team add Sales lead <@{MEMBER_ID}>")
    refused = await ask(slack, fake_slack, "team Sales channel <#C0SALES|sales>", user="USTRANGER")
    assert "Only Northstar admins and the lead of Sales" in refused
    assert "channel is now <#C0SALES>" in await ask(
        slack, fake_slack, "team Sales channel <#C0SALES|sales>", user=MEMBER_ID
    )
    async with runtime.sessions() as session:
        team = await get_team_by_name(session=session, team_id="T0001", name="Sales")
        assert team is not None and team.channel_id == "C0SALES"
    assert "has no channel now" in await ask(slack, fake_slack, "team Sales channel none")
    async with runtime.sessions() as session:
        team = await get_team_by_name(session=session, team_id="T0001", name="Sales")
        assert team is not None and team.channel_id is None


@pytest.mark.parametrize(
    "fields",
    [{"team_id": "T0OTHERORG", "is_admin": True}, {"is_stranger": True}, {"is_bot": True}],
    ids=["slack-connect-guest", "stranger", "bot"],
)
async def test_a_guest_from_another_organisation_or_a_bot_cannot_lead_a_team(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, fields: dict[str, object]
) -> None:
    """A lead receives anonymous feedback written to the team: a person of another
    organisation (or a bot) must never become one."""
    fake_slack.add_user("UGUEST0001", name="olga", **fields)
    said = await ask(slack, fake_slack, "team add Sales lead <@UGUEST0001>")
    assert "is not one of this workspace's people" in said
    assert "Mention someone of your own workspace" in said
    async with runtime.sessions() as session:
        assert await get_team_by_name(session=session, team_id=TEAM_ID, name="Sales") is None
